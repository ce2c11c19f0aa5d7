-- Each village's figures per policy from policy_coverage: persons eligible, eligible and covered, eligible and not
-- covered, covered and not eligible; with the basis the policy's coverage was read on that year.
SELECT village_code, township_code, county_code, policy, basis,
       CAST(SUM(CASE WHEN eligible THEN 1 ELSE 0 END) AS BIGINT) AS eligible,
       CAST(SUM(CASE WHEN eligible AND covered THEN 1 ELSE 0 END) AS BIGINT) AS covered,
       CAST(SUM(CASE WHEN eligible AND NOT covered THEN 1 ELSE 0 END) AS BIGINT) AS eligible_not_covered,
       CAST(SUM(CASE WHEN covered AND NOT eligible THEN 1 ELSE 0 END) AS BIGINT) AS covered_not_eligible
FROM policy_coverage
GROUP BY village_code, township_code, county_code, policy, basis
