-- The registry's units for the Alkire–Foster rules: the households on the registry at the end of the year
-- (poor, exited or monitored; not those removed by 自然减少 or 错评清退, nor any not yet announced), with
-- their members as weights, so that the measures count persons (decision 1020).
SELECT household_id AS unit, members AS unit_weight, village_code, township_code, county_code
FROM household_result
WHERE members > 0
  AND kind_at_end IN ('identified', 'returned', 'exited', 'monitoring_in', 'risk_removed')
