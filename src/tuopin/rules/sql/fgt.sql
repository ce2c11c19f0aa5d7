-- Foster–Greer–Thorbecke measures by area (${area_key}), persons weighted by household size:
-- p0 headcount, p1 poverty gap, p2 severity; income y = per-capita net income (negative counted as 0),
-- z = the poverty line; poor when y ≤ z (the income standard is y > z). The denominator is the rural
-- registered population: persons not on the registry count as not poor.
WITH gaps AS (
    SELECT ${area_key} AS code, members,
           net_income_fen <= ${line_fen} * members AS poor,
           CASE WHEN net_income_fen > ${line_fen} * members THEN 0.0
                ELSE 1.0 - CAST(GREATEST(net_income_fen, 0) AS DOUBLE) / (${line_fen} * members) END AS g
    FROM household_result
    WHERE members > 0
),
population AS (
    SELECT ${area_key} AS code, SUM(population) AS n FROM village_result GROUP BY ${area_key}
)
SELECT p.code,
       SUM(CASE WHEN g.poor THEN g.members ELSE 0 END) * 1.0 / MAX(p.n) AS p0,
       SUM(g.g * g.members) / MAX(p.n) AS p1,
       SUM(g.g * g.g * g.members) / MAX(p.n) AS p2
FROM population p
JOIN gaps g ON g.code = p.code
WHERE p.n > 0
GROUP BY p.code
