-- Per village, the households monitoring_result proposes, by kind: the sums the monitoring roll-ups read
-- (area_monitoring.sql). Per-household rows only, so a snapshot may carry it derived by partition, like
-- village_households (a village split between two partitions has a row in each, which readers add up).
SELECT village_code, township_code, county_code,
       CAST(SUM(CASE WHEN candidate THEN 1 ELSE 0 END) AS BIGINT) AS candidates,
       CAST(SUM(CASE WHEN candidate THEN members ELSE 0 END) AS BIGINT) AS candidate_persons,
       CAST(SUM(CASE WHEN kind = 'unstable' THEN 1 ELSE 0 END) AS BIGINT) AS unstable,
       CAST(SUM(CASE WHEN kind = 'marginal' THEN 1 ELSE 0 END) AS BIGINT) AS marginal,
       CAST(SUM(CASE WHEN kind = 'sudden' THEN 1 ELSE 0 END) AS BIGINT) AS sudden,
       CAST(SUM(CASE WHEN kind = 'monitored' THEN 1 ELSE 0 END) AS BIGINT) AS monitored
FROM monitoring_result
GROUP BY village_code, township_code, county_code
