-- 差距销号无佐证 (decision 1591): a gap task closed in the year that carries no evidence — reported done without
-- any (text or photo), or closed because the registry no longer shows the gap (resolved) with no evidence and no
-- visit to the household between its opening and its closing.
SELECT 'gap_closed_unevidenced' AS kind, 'task:' || CAST(t.task_id AS VARCHAR) AS finding,
       t.village_code, t.township_code, t.household_id, t.cadre_id,
       CAST(NULL AS DOUBLE) AS observed, CAST(NULL AS DOUBLE) AS expected, CAST(1 AS BIGINT) AS n,
       CAST(t.closed_on AS VARCHAR) AS day,
       CASE WHEN t.status = 'done' THEN '报告完成但无佐证材料' ELSE '因档案数据变化关闭，期间既无佐证材料也无走访记录' END AS extra,
       CAST(NULL AS DOUBLE) AS score
FROM signal_gap_tasks t
WHERE YEAR(t.closed_on) = ${year} AND t.evidence = 0
  AND (t.status = 'done' OR (t.status = 'resolved' AND NOT EXISTS (
       SELECT 1 FROM signal_visits v WHERE v.household_id = t.household_id
         AND v.visited_on BETWEEN COALESCE(t.opened_on, t.closed_on) AND t.closed_on)))
