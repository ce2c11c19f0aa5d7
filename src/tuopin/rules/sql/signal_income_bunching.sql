-- 收入堆积 (decision 1591): per village and per township, the exit year's exited households whose per-capita income
-- lies in the band [line, line × (1 + band)) against the count a straight line through the next `bins` bins of the
-- same width (zeros included) expects at the band: a McCrary-style comparison of the density just above the cut-off
-- with the smooth density beside it, on one side only (an exit below the line is not an exit). The excess is tested
-- as a one-sided binomial (normal approximation): k of n households in the band and bins, expected share p0.
WITH exits AS (
    SELECT i.household_id, i.village_code, i.township_code,
           CAST(FLOOR((CAST(i.per_capita_net_income_fen AS DOUBLE) / ${line_fen} - 1.0)
                      / ${signal_income_bunching_band}) AS BIGINT) AS bin
    FROM signal_incomes i
    JOIN signal_exits e ON e.household_id = i.household_id AND e.year = i.year
    WHERE i.year = ${year} AND i.per_capita_net_income_fen >= ${line_fen}
),
areas AS (
    SELECT 'village' AS level, village_code AS code, township_code, household_id, bin FROM exits
    UNION ALL
    SELECT 'township' AS level, township_code AS code, township_code, household_id, bin FROM exits
),
sums AS (
    SELECT level, code, township_code,
           SUM(CASE WHEN bin = 0 THEN 1 ELSE 0 END) AS k,
           SUM(CASE WHEN bin BETWEEN 1 AND ${signal_income_bunching_bins} THEN 1 ELSE 0 END) AS sy,
           SUM(CASE WHEN bin BETWEEN 1 AND ${signal_income_bunching_bins} THEN bin ELSE 0 END) AS sxy,
           COUNT(*) AS exits
    FROM areas WHERE bin <= ${signal_income_bunching_bins}
    GROUP BY level, code, township_code
),
fitted AS (
    -- least squares over x = 1..B with every bin's count (Σx and Σx² of 1..B in closed form); the band is x = 0
    SELECT *, (${signal_income_bunching_bins} * sxy - sx * sy) / (${signal_income_bunching_bins} * sxx - sx * sx) AS slope
    FROM (SELECT *, ${signal_income_bunching_bins} * (${signal_income_bunching_bins} + 1) / 2.0 AS sx,
                 ${signal_income_bunching_bins} * (${signal_income_bunching_bins} + 1)
                 * (2 * ${signal_income_bunching_bins} + 1) / 6.0 AS sxx FROM sums) s
),
tested AS (
    SELECT level, code, township_code, k, k + sy AS n,
           GREATEST((sy - slope * sx) / ${signal_income_bunching_bins}, 0.5) AS expected
    FROM fitted
),
flagged AS (
    -- the band's expected share among the band and the bins; every bin counts at least the band's floor of 0.5, so
    -- that an area whose bins are empty has no share of 1
    SELECT *, expected / (expected + GREATEST(n - k, ${signal_income_bunching_bins} * 0.5)) AS p0 FROM tested
    WHERE k >= ${signal_income_bunching_min_households} AND n >= ${signal_income_bunching_min_exits}
)
SELECT 'income_bunching' AS kind, f.level || ':' || CAST(f.code AS VARCHAR) AS finding,
       CASE WHEN f.level = 'village' THEN f.code END AS village_code, f.township_code,
       a.household_id, CAST(NULL AS BIGINT) AS cadre_id,
       CAST(f.k AS DOUBLE) AS observed, ROUND(f.expected, 1) AS expected, CAST(f.n AS BIGINT) AS n,
       CAST(NULL AS VARCHAR) AS day, CAST(1 + ${signal_income_bunching_band} AS VARCHAR) AS extra,
       ROUND((f.k - f.n * f.p0) / SQRT(f.n * f.p0 * (1 - f.p0)), 2) AS score
FROM flagged f
JOIN areas a ON a.level = f.level AND a.code = f.code AND a.bin = 0
WHERE (f.k - f.n * f.p0) / SQRT(f.n * f.p0 * (1 - f.p0)) >= ${signal_income_bunching_z}
  AND CAST(f.k AS DOUBLE) / f.n >= ${signal_income_bunching_ratio} * f.p0
