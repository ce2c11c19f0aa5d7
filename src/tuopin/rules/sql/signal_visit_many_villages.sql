-- 走访频次异常 (decision 1591): one cadre's visits on one day in more than `max_villages` villages. The registry keeps
-- no household coordinates, so the distance between households visited on one day is not measured.
WITH days AS (
    SELECT cadre_id, visited_on, COUNT(DISTINCT village_code) AS villages
    FROM signal_visits
    WHERE YEAR(visited_on) = ${year}
    GROUP BY cadre_id, visited_on
    HAVING COUNT(DISTINCT village_code) > ${signal_visit_many_villages_max_villages}
)
SELECT DISTINCT 'visit_many_villages' AS kind,
       'cadre:' || CAST(d.cadre_id AS VARCHAR) || ':' || CAST(d.visited_on AS VARCHAR) AS finding,
       v.village_code, v.township_code, v.household_id, v.cadre_id,
       CAST(NULL AS DOUBLE) AS observed, CAST(NULL AS DOUBLE) AS expected, CAST(d.villages AS BIGINT) AS n,
       CAST(d.visited_on AS VARCHAR) AS day, CAST(NULL AS VARCHAR) AS extra, CAST(NULL AS DOUBLE) AS score
FROM days d
JOIN signal_visits v ON v.cadre_id = d.cadre_id AND v.visited_on = d.visited_on
