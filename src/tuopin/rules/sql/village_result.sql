-- 贫困村退出: each village's poor persons against its rural registered population, and its exit facts.
-- A village meets the exit standard when its incidence is below the threshold (higher in the west) and
-- its clinic, doctor, road, water and collective income meet theirs.
WITH by_village AS (  -- village_households: a village's rows from each partition of a snapshot, added up
    SELECT village_code,
           CAST(SUM(poor_persons) AS BIGINT) AS poor_persons,
           CAST(SUM(poor_households) AS BIGINT) AS poor_households,
           CAST(SUM(households_eligible) AS BIGINT) AS households_eligible,
           CAST(SUM(households_exited) AS BIGINT) AS households_exited,
           CAST(SUM(persons_exited) AS BIGINT) AS persons_exited
    FROM village_households
    GROUP BY village_code
)
SELECT v.village_code, v.township_code, v.county_code, v.population, v.is_poor_village, v.west,
       COALESCE(h.poor_persons, 0) AS poor_persons,
       COALESCE(h.poor_households, 0) AS poor_households,
       COALESCE(h.households_eligible, 0) AS households_eligible,
       COALESCE(h.households_exited, 0) AS households_exited,
       COALESCE(h.persons_exited, 0) AS persons_exited,
       CASE WHEN v.population > 0 THEN CAST(COALESCE(h.poor_persons, 0) AS DOUBLE) / v.population END AS incidence,
       COALESCE(h.poor_persons, 0) * 1.0 < v.population
           * CASE WHEN v.west THEN ${village_incidence_west} ELSE ${village_incidence} END AS incidence_ok,
       v.has_clinic AND v.has_qualified_doctor AS clinic_ok,
       v.road_hardened AS road_ok,
       v.safe_water AS water_ok,
       v.collective_income_fen >= ${collective_income_min_fen} AS collective_income_ok
FROM villages_yearly v
LEFT JOIN by_village h ON h.village_code = v.village_code
WHERE v.year = ${year}
