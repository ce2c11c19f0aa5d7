-- Alkire–Foster identification: the weighted deprivation score cᵢ = Σⱼ wⱼ·gᵢⱼ of each unit deprived in
-- something, and whether it is multidimensionally poor (cᵢ ≥ k; a unit deprived in nothing scores 0 and,
-- k being above 0, is not poor: it is left out here and counted only in the population by mpi.sql).
-- Inputs, as data (indicator names are values, never SQL text):
--   mpi_units (unit, unit_weight, and the columns its groups are read from),
--   mpi_deprivations (unit, indicator, deprived 0/1; rows with deprived = 0 may be left out),
--   mpi_weights (indicator, weight; the weights sum to 1).
-- The comparison allows 1e-9 for binary rounding: weights 0.1 + 0.7 add up to 0.7999999999999999, and a
-- unit deprived in those two must still reach k = 0.8.
WITH scores AS (
    SELECT d.unit, SUM(w.weight * d.deprived) AS score
    FROM mpi_deprivations d
    JOIN mpi_weights w ON w.indicator = d.indicator
    WHERE d.deprived = 1
    GROUP BY d.unit
)
SELECT u.*, s.score, s.score >= CAST(${mpi_k} AS DOUBLE) - 0.000000001 AS poor
FROM scores s
JOIN mpi_units u ON u.unit = s.unit
