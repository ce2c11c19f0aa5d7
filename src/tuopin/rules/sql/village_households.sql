-- Per village, the sums over its households' rows that the roll-ups read, so that they read villages, not
-- households: village_result's counts and exits, the sums of fgt.sql's income poverty measures, and the poor
-- households' gaps by indicator (the summary's `gaps`). Grouped by the household rows' own village, township
-- and county codes (fgt.sql groups by those; village_result by the village alone).
-- Computed from per-household rows only, so a snapshot may carry it derived, by partition of households
-- (engine/derived.py): a village whose households fall in two partitions has a row in each, and every
-- reader adds its rows up.
-- One row per household (fgt.sql's income gap g: 0 above the line, else 1 − y/z with y ≥ 0, households
-- with members only), one per gap row of a household poor at the end of the year (counted by indicator: only
-- the poor households' gaps are summed, so only theirs are joined to their village) and one per exit
-- (exits.sql), summed per village below.
WITH parts AS (
    SELECT r.village_code, r.township_code, r.county_code, r.members, r.poor_at_end, r.eligible,
           CASE WHEN r.members > 0 THEN 1 ELSE 0 END AS income_household,
           CASE WHEN r.members > 0 AND r.net_income_fen <= ${line_fen} * r.members THEN r.members ELSE 0 END
               AS income_poor_persons,
           CASE WHEN r.members > 0 THEN
               CASE WHEN r.net_income_fen > ${line_fen} * r.members THEN 0.0
                    ELSE 1.0 - CAST(GREATEST(r.net_income_fen, 0) AS DOUBLE) / (${line_fen} * r.members) END
           END AS g,
           CAST(NULL AS INTEGER) AS gaps_income, CAST(NULL AS INTEGER) AS gaps_food_clothing,
           CAST(NULL AS INTEGER) AS gaps_education, CAST(NULL AS INTEGER) AS gaps_medical,
           CAST(NULL AS INTEGER) AS gaps_housing, CAST(NULL AS INTEGER) AS gaps_water,
           0 AS exit_household, CAST(NULL AS BIGINT) AS exit_persons
    FROM household_result r
    UNION ALL
    SELECT r.village_code, r.township_code, r.county_code, NULL, NULL, NULL, 0, 0, NULL,
           CASE WHEN g.indicator = 'income' THEN 1 ELSE 0 END,
           CASE WHEN g.indicator = 'food_clothing' THEN 1 ELSE 0 END,
           CASE WHEN g.indicator = 'education' THEN 1 ELSE 0 END,
           CASE WHEN g.indicator = 'medical' THEN 1 ELSE 0 END,
           CASE WHEN g.indicator = 'housing' THEN 1 ELSE 0 END,
           CASE WHEN g.indicator = 'water' THEN 1 ELSE 0 END,
           0, NULL
    FROM household_gaps g
    JOIN household_result r ON r.household_id = g.household_id
    WHERE r.poor_at_end
    UNION ALL
    SELECT village_code, township_code, county_code, NULL, NULL, NULL, 0, 0, NULL,
           NULL, NULL, NULL, NULL, NULL, NULL, 1, persons
    FROM exits
)
SELECT village_code, township_code, county_code,
       CAST(SUM(CASE WHEN poor_at_end THEN members ELSE 0 END) AS BIGINT) AS poor_persons,
       CAST(SUM(CASE WHEN poor_at_end THEN 1 ELSE 0 END) AS BIGINT) AS poor_households,
       CAST(SUM(CASE WHEN eligible THEN 1 ELSE 0 END) AS BIGINT) AS households_eligible,
       CAST(SUM(exit_household) AS BIGINT) AS households_exited,
       CAST(SUM(exit_persons) AS BIGINT) AS persons_exited,
       CAST(SUM(income_household) AS BIGINT) AS income_households,
       CAST(SUM(income_poor_persons) AS BIGINT) AS income_poor_persons,
       COALESCE(SUM(g * members), 0.0) AS income_gap,
       COALESCE(SUM(g * g * members), 0.0) AS income_gap_squared,
       CAST(COALESCE(SUM(gaps_income), 0) AS BIGINT) AS poor_gaps_income,
       CAST(COALESCE(SUM(gaps_food_clothing), 0) AS BIGINT) AS poor_gaps_food_clothing,
       CAST(COALESCE(SUM(gaps_education), 0) AS BIGINT) AS poor_gaps_education,
       CAST(COALESCE(SUM(gaps_medical), 0) AS BIGINT) AS poor_gaps_medical,
       CAST(COALESCE(SUM(gaps_housing), 0) AS BIGINT) AS poor_gaps_housing,
       CAST(COALESCE(SUM(gaps_water), 0) AS BIGINT) AS poor_gaps_water
FROM parts
GROUP BY village_code, township_code, county_code
