-- 收入雷同 (decision 1591): in one village and year, `min_households` or more households with the same per-capita
-- income to the fen.
WITH same AS (
    SELECT village_code, per_capita_net_income_fen AS fen, COUNT(*) AS n
    FROM signal_incomes
    WHERE year = ${year} AND per_capita_net_income_fen >= ${signal_identical_incomes_min_fen}
    GROUP BY village_code, per_capita_net_income_fen
    HAVING COUNT(*) >= ${signal_identical_incomes_min_households}
)
SELECT 'identical_incomes' AS kind, 'village:' || CAST(s.village_code AS VARCHAR) || ':' || CAST(s.fen AS VARCHAR) AS finding,
       i.village_code, i.township_code, i.household_id, CAST(NULL AS BIGINT) AS cadre_id,
       CAST(s.fen AS DOUBLE) / 100 AS observed, CAST(NULL AS DOUBLE) AS expected, CAST(s.n AS BIGINT) AS n,
       CAST(${year} AS VARCHAR) AS day, CAST(ROUND(CAST(s.fen AS DOUBLE) / 100, 2) AS VARCHAR) AS extra,
       CAST(NULL AS DOUBLE) AS score
FROM same s
JOIN signal_incomes i ON i.village_code = s.village_code AND i.per_capita_net_income_fen = s.fen AND i.year = ${year}
