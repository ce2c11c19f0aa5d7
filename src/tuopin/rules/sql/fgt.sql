-- Foster–Greer–Thorbecke measures by area (${area_key}), persons weighted by household size:
-- p0 headcount, p1 poverty gap, p2 severity; income y = per-capita net income (negative counted as 0),
-- z = the poverty line; poor when y ≤ z (the income standard is y > z). The denominator is the rural
-- registered population: persons not on the registry count as not poor.
WITH gaps AS (  -- the households' sums by village (village_households), by area
    SELECT ${area_key} AS code, SUM(income_households) AS households, SUM(income_poor_persons) AS poor_persons,
           SUM(income_gap) AS gap, SUM(income_gap_squared) AS gap_squared
    FROM village_households
    GROUP BY ${area_key}
),
population AS (
    SELECT ${area_key} AS code, SUM(population) AS n FROM village_result GROUP BY ${area_key}
)
SELECT p.code,
       g.poor_persons * 1.0 / p.n AS p0,
       g.gap / p.n AS p1,
       g.gap_squared / p.n AS p2
FROM population p
JOIN gaps g ON g.code = p.code
WHERE p.n > 0 AND g.households > 0
