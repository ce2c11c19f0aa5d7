-- 倒查正推, the backward half: per person of the scope (policy_eligible's: registered households at the year's end)
-- and policy, whether eligible and whether covered, on the policy's basis of the year (policy_basis): on a roster, a
-- person is covered when a row of it is matched to them; on the registry, when the column is set (work months: more
-- than none); on none, nobody is. A person covered but not eligible has a row too (eligible false): only persons of the
-- scope's households are counted, not the whole population the departments serve (decision 1552).
WITH basis AS (
    SELECT * FROM policy_basis
),
scope AS (
    SELECT py.person_id, py.household_id, h.village_code, h.township_code, h.county_code,
           py.basic_medical, py.serious_illness_insurance, py.medical_assistance, py.family_doctor,
           py.pension_insurance, py.dibao, py.tekun, py.work_months
    FROM persons_yearly py
    JOIN household_status s ON s.household_id = py.household_id
    JOIN households h ON h.household_id = py.household_id
    WHERE py.year = ${year}
      AND s.kind_at_end IN ('identified', 'returned', 'exited')
),
in_registry AS (
    SELECT person_id, 'basic_medical' AS policy FROM scope WHERE basic_medical
    UNION ALL SELECT person_id, 'serious_illness_insurance' AS policy FROM scope WHERE serious_illness_insurance
    UNION ALL SELECT person_id, 'medical_assistance' AS policy FROM scope WHERE medical_assistance
    UNION ALL SELECT person_id, 'family_doctor' AS policy FROM scope WHERE family_doctor
    UNION ALL SELECT person_id, 'dibao' AS policy FROM scope WHERE dibao
    UNION ALL SELECT person_id, 'tekun' AS policy FROM scope WHERE tekun
    UNION ALL SELECT person_id, 'pension_contribution' AS policy FROM scope WHERE pension_insurance
    UNION ALL SELECT person_id, 'pension_drawing' AS policy FROM scope WHERE pension_insurance
    UNION ALL SELECT person_id, 'employment' AS policy FROM scope WHERE work_months > 0
),
covered AS (
    SELECT DISTINCT m.person_id, b.policy
    FROM roster_matches m
    JOIN basis b ON b.roster_kind = m.kind AND b.basis = 'roster'
    JOIN scope s ON s.person_id = m.person_id
    WHERE m.year = ${year}
    UNION ALL
    SELECT c.person_id, c.policy
    FROM in_registry c
    JOIN basis b ON b.policy = c.policy AND b.basis = 'registry'
),
pairs AS (
    SELECT person_id, policy, TRUE AS eligible, FALSE AS covered FROM policy_eligible
    UNION ALL
    SELECT person_id, policy, FALSE AS eligible, TRUE AS covered FROM covered
),
-- A roster or column that proves several policies (the enrolment roster: 两免一补 and 助学金; the pension column:
-- contributing and drawing) proves the one the person is eligible for: covered but not eligible counts only
-- persons eligible for none of the policies their evidence proves.
eligible_by_evidence AS (
    SELECT DISTINCT e.person_id, b.evidence
    FROM policy_eligible e
    JOIN basis b ON b.policy = e.policy
    WHERE b.evidence IS NOT NULL
),
by_person AS (
    SELECT person_id, policy, MAX(CASE WHEN eligible THEN 1 ELSE 0 END) = 1 AS eligible,
           MAX(CASE WHEN covered THEN 1 ELSE 0 END) = 1 AS covered
    FROM pairs
    GROUP BY person_id, policy
)
SELECT s.person_id, s.household_id, s.village_code, s.township_code, s.county_code, x.policy, b.basis,
       x.eligible, x.covered
FROM by_person x
JOIN scope s ON s.person_id = x.person_id
JOIN basis b ON b.policy = x.policy
LEFT JOIN eligible_by_evidence o ON o.person_id = x.person_id AND o.evidence = b.evidence
WHERE x.eligible OR o.person_id IS NULL
