-- One row per household with a record for the year: where it is, its size, its status, its gaps and
-- whether it meets the exit standard. Eligible for exit (拟退出): poor during the year and no gap.
WITH gap_counts AS (
    SELECT household_id, COUNT(*) AS gaps FROM household_gaps GROUP BY household_id
)
SELECT y.household_id, y.county_code, y.township_code, y.village_code, y.members,
       y.net_income_fen, y.per_capita_net_income_fen,
       COALESCE(s.poor_at_start, FALSE) AS poor_at_start,
       COALESCE(s.poor_at_end, FALSE) AS poor_at_end,
       s.kind_at_end,
       COALESCE(g.gaps, 0) AS gaps,
       COALESCE(g.gaps, 0) = 0 AS meets_standard,
       (COALESCE(s.poor_at_start, FALSE) OR COALESCE(s.poor_at_end, FALSE)) AND COALESCE(g.gaps, 0) = 0 AS eligible
FROM households_yearly y
LEFT JOIN household_status s ON s.household_id = y.household_id
LEFT JOIN gap_counts g ON g.household_id = y.household_id
WHERE y.year = ${year}
