-- 监测预警: one row per household with a reason in monitoring_candidates, with the kind proposed for it:
--   unstable  脱贫不稳定户: it has exited (or its risk was removed) at the end of the year;
--   sudden    突发严重困难户: any other household hit in the year by a shock — a sharp fall of income, a disaster,
--             a failed business, the main labourer lost — that leaves it below the line (monitoring_candidates);
--   marginal  边缘易致贫户: any other household below the line on its income or its rigid spending alone;
--   monitored: under monitoring already (monitoring_in) — flagged, not a new candidate (`candidate` false).
WITH counted AS (
    SELECT household_id, COUNT(*) AS reasons,
           MAX(CASE WHEN criterion IN ('income_fall', 'disaster_loss', 'business_failed', 'labourer_lost')
                    THEN 1 ELSE 0 END) AS shocked
    FROM monitoring_candidates
    GROUP BY household_id
)
SELECT r.household_id, r.county_code, r.township_code, r.village_code, r.members,
       CASE WHEN r.kind_at_end = 'monitoring_in' THEN 'monitored'
            WHEN r.kind_at_end IN ('exited', 'risk_removed') THEN 'unstable'
            WHEN c.shocked = 1 THEN 'sudden'
            ELSE 'marginal' END AS kind,
       COALESCE(r.kind_at_end, '') <> 'monitoring_in' AS candidate,
       c.reasons
FROM counted c
JOIN household_result r ON r.household_id = c.household_id
