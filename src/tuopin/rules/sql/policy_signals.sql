-- Signals from the departments' rosters against the registry (错评 and misidentification), one row per person and
-- kind, for the persons of the scope (policy_coverage's: registered households at the year's end):
--   deceased_registered  in a death roster (of the year or before) with a death date before the year began, or
--                        within it while the registry still has them as an active member
--   deceased_paid        in a death roster and in the year's 低保 or 特困 roster after the death: the roster is of a
--                        year after the death's, or its payment began after the death date
--   vehicle, property, business, public_employee   in the year's roster of that kind (a car, a house bought, a
--                        registered business, a salary from public funds: each a reason to look again)
WITH scope AS (
    SELECT py.person_id, py.household_id, h.village_code, h.township_code, h.county_code, p.active
    FROM persons_yearly py
    JOIN household_status s ON s.household_id = py.household_id
    JOIN households h ON h.household_id = py.household_id
    JOIN persons p ON p.person_id = py.person_id
    WHERE py.year = ${year}
      AND s.kind_at_end IN ('identified', 'returned', 'exited')
),
deaths AS (
    SELECT person_id, MIN(died_on) AS died_on
    FROM roster_matches
    WHERE kind = 'death' AND person_id IS NOT NULL AND year <= ${year} AND died_on <= ${year_end}
    GROUP BY person_id
),
found AS (
    SELECT d.person_id, 'deceased_registered' AS kind
    FROM deaths d JOIN scope s ON s.person_id = d.person_id
    WHERE d.died_on < ${year_start} OR COALESCE(s.active, TRUE)
    UNION ALL
    SELECT DISTINCT d.person_id, 'deceased_paid' AS kind
    FROM deaths d
    JOIN roster_matches m ON m.person_id = d.person_id
    WHERE m.year = ${year} AND m.kind IN ('dibao', 'tekun')
      AND (m.year > YEAR(d.died_on) OR m.started_on > d.died_on)
    UNION ALL
    SELECT DISTINCT person_id, kind
    FROM roster_matches
    WHERE year = ${year} AND person_id IS NOT NULL AND kind IN ('vehicle', 'property', 'business', 'public_employee')
)
SELECT s.person_id, s.household_id, s.village_code, s.township_code, s.county_code, f.kind
FROM found f
JOIN scope s ON s.person_id = f.person_id
