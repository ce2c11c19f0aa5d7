-- 贫困村退出: each village's poor persons against its rural registered population, and its exit facts.
-- A village meets the exit standard when its incidence is below the threshold (higher in the west) and
-- its clinic, doctor, road, water and collective income meet theirs.
WITH by_village AS (
    SELECT village_code,
           CAST(SUM(CASE WHEN poor_at_end THEN members ELSE 0 END) AS BIGINT) AS poor_persons,
           CAST(SUM(CASE WHEN poor_at_end THEN 1 ELSE 0 END) AS BIGINT) AS poor_households,
           CAST(SUM(CASE WHEN eligible THEN 1 ELSE 0 END) AS BIGINT) AS households_eligible
    FROM household_result
    GROUP BY village_code
),
exited AS (
    SELECT village_code, COUNT(*) AS households_exited, CAST(SUM(persons) AS BIGINT) AS persons_exited
    FROM exits
    GROUP BY village_code
)
SELECT v.village_code, v.township_code, v.county_code, v.population, v.is_poor_village, v.west,
       COALESCE(h.poor_persons, 0) AS poor_persons,
       COALESCE(h.poor_households, 0) AS poor_households,
       COALESCE(h.households_eligible, 0) AS households_eligible,
       COALESCE(x.households_exited, 0) AS households_exited,
       COALESCE(x.persons_exited, 0) AS persons_exited,
       CASE WHEN v.population > 0 THEN CAST(COALESCE(h.poor_persons, 0) AS DOUBLE) / v.population END AS incidence,
       COALESCE(h.poor_persons, 0) * 1.0 < v.population
           * CASE WHEN v.west THEN ${village_incidence_west} ELSE ${village_incidence} END AS incidence_ok,
       v.has_clinic AND v.has_qualified_doctor AS clinic_ok,
       v.road_hardened AS road_ok,
       v.safe_water AS water_ok,
       v.collective_income_fen >= ${collective_income_min_fen} AS collective_income_ok
FROM villages_yearly v
LEFT JOIN by_village h ON h.village_code = v.village_code
LEFT JOIN exited x ON x.village_code = v.village_code
WHERE v.year = ${year}
