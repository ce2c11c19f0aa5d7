-- The basis each policy's coverage is read on in the year (decision 1551): 'roster' when a current roster of the
-- policy's kind exists for the year (roster_matches has a row of the kind and year, with or without a person); else
-- 'registry' when the policy has a column of persons_yearly; else 'none', nobody covered. `evidence` names what
-- proves it: policies proved by the same roster or column are siblings (policy_coverage.sql).
-- `policies` must say what standards/data/policies.toml says (a test compares them).
WITH policies AS (
    SELECT 'two_exemptions' AS policy, 'enrolment' AS roster_kind, CAST(NULL AS VARCHAR) AS registry_column
    UNION ALL SELECT 'grant_senior' AS policy, 'enrolment' AS roster_kind, CAST(NULL AS VARCHAR) AS registry_column
    UNION ALL SELECT 'yulu' AS policy, CAST(NULL AS VARCHAR) AS roster_kind, CAST(NULL AS VARCHAR) AS registry_column
    UNION ALL SELECT 'basic_medical' AS policy, 'medical' AS roster_kind, 'basic_medical' AS registry_column
    UNION ALL SELECT 'serious_illness_insurance' AS policy, 'medical' AS roster_kind, 'serious_illness_insurance' AS registry_column
    UNION ALL SELECT 'medical_assistance' AS policy, CAST(NULL AS VARCHAR) AS roster_kind, 'medical_assistance' AS registry_column
    UNION ALL SELECT 'family_doctor' AS policy, CAST(NULL AS VARCHAR) AS roster_kind, 'family_doctor' AS registry_column
    UNION ALL SELECT 'dibao' AS policy, 'dibao' AS roster_kind, 'dibao' AS registry_column
    UNION ALL SELECT 'tekun' AS policy, 'tekun' AS roster_kind, 'tekun' AS registry_column
    UNION ALL SELECT 'pension_contribution' AS policy, 'pension' AS roster_kind, 'pension_insurance' AS registry_column
    UNION ALL SELECT 'pension_drawing' AS policy, 'pension' AS roster_kind, 'pension_insurance' AS registry_column
    UNION ALL SELECT 'disability_living' AS policy, 'disability' AS roster_kind, CAST(NULL AS VARCHAR) AS registry_column
    UNION ALL SELECT 'disability_nursing' AS policy, 'disability' AS roster_kind, CAST(NULL AS VARCHAR) AS registry_column
    UNION ALL SELECT 'employment' AS policy, CAST(NULL AS VARCHAR) AS roster_kind, 'work_months' AS registry_column
),
rosters AS (
    SELECT DISTINCT kind FROM roster_matches WHERE year = ${year}
)
SELECT p.policy, p.roster_kind,
       CASE WHEN r.kind IS NOT NULL THEN 'roster' WHEN p.registry_column IS NOT NULL THEN 'registry'
            ELSE 'none' END AS basis,
       CASE WHEN r.kind IS NOT NULL THEN CONCAT('roster ', p.roster_kind)
            WHEN p.registry_column IS NOT NULL THEN CONCAT('column ', p.registry_column) END AS evidence
FROM policies p
LEFT JOIN rosters r ON r.kind = p.roster_kind
