-- 结对前走访 (decision 1591): a visit by a cadre to a household it is paired with, dated more than `grace_days`
-- before the first of its pairings with the household began, and in no pairing of theirs in force that day.
WITH firsts AS (
    SELECT cadre_id, household_id, MIN(start) AS start FROM signal_pairings GROUP BY cadre_id, household_id
)
SELECT 'visit_before_pairing' AS kind, 'visit:' || CAST(v.visit_id AS VARCHAR) AS finding,
       v.village_code, v.township_code, v.household_id, v.cadre_id,
       CAST(DATE_DIFF('day', v.visited_on, f.start) AS DOUBLE) AS observed, CAST(NULL AS DOUBLE) AS expected,
       CAST(1 AS BIGINT) AS n, CAST(v.visited_on AS VARCHAR) AS day, CAST(f.start AS VARCHAR) AS extra,
       CAST(NULL AS DOUBLE) AS score
FROM signal_visits v
JOIN firsts f ON f.cadre_id = v.cadre_id AND f.household_id = v.household_id
WHERE YEAR(v.visited_on) = ${year}
  AND DATE_DIFF('day', v.visited_on, f.start) > ${signal_visit_before_pairing_grace_days}
  AND NOT EXISTS (SELECT 1 FROM signal_pairings p
                  WHERE p.cadre_id = v.cadre_id AND p.household_id = v.household_id
                    AND p.start <= v.visited_on AND (p.end_on IS NULL OR p.end_on >= v.visited_on))
