-- Roll-up of policy_village to an area level (${area_key}: township, county … code), per policy.
SELECT ${area_key} AS code, policy, basis,
       CAST(SUM(eligible) AS BIGINT) AS eligible,
       CAST(SUM(covered) AS BIGINT) AS covered,
       CAST(SUM(eligible_not_covered) AS BIGINT) AS eligible_not_covered,
       CAST(SUM(covered_not_eligible) AS BIGINT) AS covered_not_eligible
FROM policy_village
GROUP BY ${area_key}, policy, basis
