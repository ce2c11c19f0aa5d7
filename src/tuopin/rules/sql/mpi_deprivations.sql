-- The registry's deprivations for the Alkire–Foster rules: each row of the 短板清单 (household_gaps) is a
-- deprivation in its indicator; an indicator without a gap row is not deprived.
SELECT household_id AS unit, indicator, 1 AS deprived
FROM household_gaps
