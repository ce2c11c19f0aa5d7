-- The person-level parts of 两不愁三保障 as household-level facts: per household, for the year, the children
-- of compulsory school age out of school and the members without basic medical or serious-illness
-- insurance. household_gaps reads these counts (its reasons are written there). A household with neither is
-- left out. Per household, so a snapshot may carry this table already computed (engine/derived.py).
-- 义务教育: aged ${school_age_min}–${school_age_max} at the start of the school year, i.e. born
-- ${school_born_from} to ${school_born_to}; in school, taught at home (送教上门) or medically exempt is fine.
WITH education AS (
    SELECT py.household_id, COUNT(*) AS children_out_of_school
    FROM persons_yearly py
    JOIN persons p ON p.person_id = py.person_id
    WHERE py.year = ${year}
      AND p.birth_date BETWEEN ${school_born_from} AND ${school_born_to}
      AND COALESCE(py.school_status, 0) NOT IN ${school_ok_codes}
    GROUP BY py.household_id
),
-- 基本医疗: every member in basic medical insurance and serious-illness insurance.
medical AS (
    SELECT household_id, COUNT(*) AS members_uninsured
    FROM persons_yearly
    WHERE year = ${year} AND NOT (COALESCE(basic_medical, FALSE) AND COALESCE(serious_illness_insurance, FALSE))
    GROUP BY household_id
)
SELECT COALESCE(e.household_id, m.household_id) AS household_id,
       COALESCE(e.children_out_of_school, CAST(0 AS BIGINT)) AS children_out_of_school,
       COALESCE(m.members_uninsured, CAST(0 AS BIGINT)) AS members_uninsured
FROM education e
FULL OUTER JOIN medical m ON m.household_id = e.household_id
