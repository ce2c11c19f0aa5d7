-- 脱贫: households whose exit was announced in the year, with their members on that date (docs/data-formats.md).
SELECT e.household_id, h.county_code, h.township_code, h.village_code, e.persons, e.effective_on
FROM status_events e
JOIN households h ON h.household_id = e.household_id
WHERE e.kind = 'exited' AND e.stage = 'announced'
  AND e.effective_on BETWEEN ${year_start} AND ${year_end}
