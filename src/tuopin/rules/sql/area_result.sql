-- Roll-up of the village results to an area level (${area_key}: township, county or province code).
SELECT ${area_key} AS code,
       SUM(population) AS rural_population,
       SUM(poor_persons) AS poor_persons,
       SUM(poor_households) AS poor_households,
       SUM(households_exited) AS households_exited,
       SUM(persons_exited) AS persons_exited,
       SUM(households_eligible) AS households_eligible,
       COUNT(*) AS villages_total,
       SUM(CASE WHEN is_poor_village THEN 1 ELSE 0 END) AS poor_villages,
       SUM(CASE WHEN is_poor_village AND incidence_ok AND clinic_ok AND road_ok AND water_ok
                     AND collective_income_ok THEN 1 ELSE 0 END) AS poor_villages_meeting_exit,
       CASE WHEN SUM(population) > 0 THEN CAST(SUM(poor_persons) AS DOUBLE) / SUM(population) END AS incidence
FROM village_result
GROUP BY ${area_key}
