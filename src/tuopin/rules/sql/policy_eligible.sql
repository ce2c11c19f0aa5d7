-- 倒查正推, the forward half: who is owed each policy of the catalogue (standards/data/policies.toml), one
-- UNION ALL branch per policy, named by its code. In scope are the persons with a record of the year in a
-- household registered poor, returned, or exited and still entitled (脱贫不脱政策) at the year's end (decision
-- 1550); their age is counted at the year's end. 在校生状况: 20 小学, 30 初中, 40 高中, 41 中职; 10 学前, 50 大专
-- 及以上, 80 送教上门, 81 因病免学 are in school too. 劳动技能: 1 普通, 2 技能, 3 弱或半劳动力. 贫困户属性: 4 低保, 6 特困.
WITH in_scope AS (
    SELECT py.person_id, py.household_id, h.village_code,
           ${year} - YEAR(p.birth_date) AS age,
           COALESCE(py.school_status, 0) AS school,
           COALESCE(h.attribute, 0) AS attribute,
           COALESCE(p.disabled, FALSE) AS disabled,
           COALESCE(p.disability_grade, 0) AS disability_grade,
           COALESCE(p.labour_ability, 0) AS labour_ability
    FROM persons_yearly py
    JOIN household_status s ON s.household_id = py.household_id
    JOIN households h ON h.household_id = py.household_id
    JOIN persons p ON p.person_id = py.person_id
    WHERE py.year = ${year}
      AND s.kind_at_end IN ('identified', 'returned', 'exited')
)
SELECT person_id, household_id, village_code, 'two_exemptions' AS policy FROM in_scope
WHERE school IN (20, 30)
UNION ALL
SELECT person_id, household_id, village_code, 'grant_senior' AS policy FROM in_scope
WHERE school IN (40, 41)
UNION ALL
SELECT person_id, household_id, village_code, 'yulu' AS policy FROM in_scope
WHERE school = 41
UNION ALL
SELECT person_id, household_id, village_code, 'basic_medical' AS policy FROM in_scope
UNION ALL
SELECT person_id, household_id, village_code, 'serious_illness_insurance' AS policy FROM in_scope
UNION ALL
SELECT person_id, household_id, village_code, 'medical_assistance' AS policy FROM in_scope
UNION ALL
SELECT person_id, household_id, village_code, 'family_doctor' AS policy FROM in_scope
UNION ALL
SELECT person_id, household_id, village_code, 'dibao' AS policy FROM in_scope
WHERE attribute = 4
UNION ALL
SELECT person_id, household_id, village_code, 'tekun' AS policy FROM in_scope
WHERE attribute = 6
UNION ALL
SELECT person_id, household_id, village_code, 'pension_contribution' AS policy FROM in_scope
WHERE age >= ${policy_pension_from} AND age < ${policy_pension_drawing_from}
  AND school NOT IN (10, 20, 30, 40, 41, 50, 80, 81)
UNION ALL
SELECT person_id, household_id, village_code, 'pension_drawing' AS policy FROM in_scope
WHERE age >= ${policy_pension_drawing_from}
UNION ALL
SELECT person_id, household_id, village_code, 'disability_living' AS policy FROM in_scope
WHERE disabled
UNION ALL
SELECT person_id, household_id, village_code, 'disability_nursing' AS policy FROM in_scope
WHERE disabled AND disability_grade IN (1, 2)
UNION ALL
SELECT person_id, household_id, village_code, 'employment' AS policy FROM in_scope
WHERE age BETWEEN ${policy_labour_from} AND ${policy_labour_to} AND labour_ability IN (1, 2, 3)
  AND school NOT IN (10, 20, 30, 40, 41, 50, 80, 81)
