-- The registry's Alkire–Foster indicator weights, from the standards ([mpi.weights], docs/standards.md).
SELECT 'income' AS indicator, CAST(${mpi_weight_income} AS DOUBLE) AS weight
UNION ALL SELECT 'food_clothing', CAST(${mpi_weight_food_clothing} AS DOUBLE)
UNION ALL SELECT 'education', CAST(${mpi_weight_education} AS DOUBLE)
UNION ALL SELECT 'medical', CAST(${mpi_weight_medical} AS DOUBLE)
UNION ALL SELECT 'housing', CAST(${mpi_weight_housing} AS DOUBLE)
UNION ALL SELECT 'water', CAST(${mpi_weight_water} AS DOUBLE)
