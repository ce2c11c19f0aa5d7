-- Roll-up of the village results to an area level (${area_key}: township, county or province code).
SELECT ${area_key} AS code,
       CAST(SUM(population) AS BIGINT) AS rural_population,
       CAST(SUM(poor_persons) AS BIGINT) AS poor_persons,
       CAST(SUM(poor_households) AS BIGINT) AS poor_households,
       CAST(SUM(households_exited) AS BIGINT) AS households_exited,
       CAST(SUM(persons_exited) AS BIGINT) AS persons_exited,
       CAST(SUM(households_eligible) AS BIGINT) AS households_eligible,
       COUNT(*) AS villages_total,
       CAST(SUM(CASE WHEN is_poor_village THEN 1 ELSE 0 END) AS BIGINT) AS poor_villages,
       CAST(SUM(CASE WHEN is_poor_village AND incidence_ok AND clinic_ok AND road_ok AND water_ok
                     AND collective_income_ok THEN 1 ELSE 0 END) AS BIGINT) AS poor_villages_meeting_exit,
       CASE WHEN SUM(population) > 0 THEN CAST(SUM(poor_persons) AS DOUBLE) / SUM(population) END AS incidence
FROM village_result
GROUP BY ${area_key}
