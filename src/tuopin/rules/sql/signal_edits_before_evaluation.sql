-- 评估前突击修改 (decision 1591): the registry's records (a household, its yearly record, a person, a person's yearly
-- record) edited in the `window_days` days before an evaluation round of the year's data drew its sample, in
-- `min_households` households or more of one village.
WITH edits AS (
    SELECT DISTINCT e.round_id, e.village_code, e.township_code, e.household_id
    FROM signal_edits e
    WHERE e.data_year = ${year} AND e.edited_on < e.round_on
      AND DATE_DIFF('day', e.edited_on, e.round_on) <= ${signal_edits_before_evaluation_window_days}
),
villages AS (
    SELECT round_id, village_code, COUNT(*) AS n FROM edits GROUP BY round_id, village_code
    HAVING COUNT(*) >= ${signal_edits_before_evaluation_min_households}
)
SELECT 'edits_before_evaluation' AS kind,
       'round:' || CAST(v.round_id AS VARCHAR) || ':village:' || CAST(v.village_code AS VARCHAR) AS finding,
       e.village_code, e.township_code, e.household_id, CAST(NULL AS BIGINT) AS cadre_id,
       CAST(NULL AS DOUBLE) AS observed, CAST(NULL AS DOUBLE) AS expected, CAST(v.n AS BIGINT) AS n,
       CAST(NULL AS VARCHAR) AS day, CAST(${signal_edits_before_evaluation_window_days} AS VARCHAR) AS extra,
       CAST(NULL AS DOUBLE) AS score
FROM villages v
JOIN edits e ON e.round_id = v.round_id AND e.village_code = v.village_code
