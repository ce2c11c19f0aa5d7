-- Alkire–Foster measures by group (${area_key}): the population from mpi_units, the poor from mpi_scores
-- (unit, unit_weight, score, poor) and the deprivations and weights they were scored on; units weighted by
-- unit_weight (persons, or survey weights).
-- One row per group and weighted indicator:
--   n   the weighted population;           H  = q / n, q the weighted poor;
--   A   = Σ_poor wᵢcᵢ / q (intensity);     M0 = H × A = Σ_poor wᵢcᵢ / n (adjusted headcount ratio);
--   censored_headcount = the weighted poor deprived in the indicator / n;
--   contribution = weight × censored_headcount / M0 (shares over the indicators sum to 1 when M0 > 0).
-- Alkire & Foster (2011), J. Public Econ. 95: 476–487; Alkire et al. (2015), OUP, ch. 5.
WITH population AS (
    SELECT ${area_key} AS code, SUM(CAST(unit_weight AS DOUBLE)) AS n
    FROM mpi_units
    GROUP BY ${area_key}
),
poor AS (
    SELECT ${area_key} AS code, unit, CAST(unit_weight AS DOUBLE) AS unit_weight, score
    FROM mpi_scores
    WHERE poor
),
intensity AS (
    SELECT code, SUM(unit_weight) AS q, SUM(unit_weight * score) AS weighted_score
    FROM poor
    GROUP BY code
),
censored AS (
    SELECT p.code, d.indicator, SUM(p.unit_weight) AS deprived_poor
    FROM poor p
    JOIN mpi_deprivations d ON d.unit = p.unit
    WHERE d.deprived = 1
    GROUP BY p.code, d.indicator
),
totals AS (
    SELECT p.code, p.n, COALESCE(i.q, 0.0) AS q, COALESCE(i.weighted_score, 0.0) AS weighted_score
    FROM population p
    LEFT JOIN intensity i ON i.code = p.code
)
SELECT t.code, w.indicator, CAST(w.weight AS DOUBLE) AS weight, CAST(${mpi_k} AS DOUBLE) AS k, t.n, t.q,
       CASE WHEN t.n > 0 THEN t.q / t.n ELSE 0.0 END AS h,
       CASE WHEN t.q > 0 THEN t.weighted_score / t.q ELSE 0.0 END AS a,
       CASE WHEN t.n > 0 THEN t.weighted_score / t.n ELSE 0.0 END AS m0,
       CASE WHEN t.n > 0 THEN COALESCE(c.deprived_poor, 0.0) / t.n ELSE 0.0 END AS censored_headcount,
       CASE WHEN t.weighted_score > 0 THEN w.weight * COALESCE(c.deprived_poor, 0.0) / t.weighted_score
            ELSE 0.0 END AS contribution
FROM totals t
CROSS JOIN mpi_weights w
LEFT JOIN censored c ON c.code = t.code AND c.indicator = w.indicator
