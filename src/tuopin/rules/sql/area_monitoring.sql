-- 监测预警 by area (${area_key}): the proposed households of village_monitoring added up. Areas without any
-- are absent (their readers count none).
SELECT ${area_key} AS code,
       CAST(SUM(candidates) AS BIGINT) AS candidates,
       CAST(SUM(candidate_persons) AS BIGINT) AS candidate_persons,
       CAST(SUM(unstable) AS BIGINT) AS unstable,
       CAST(SUM(marginal) AS BIGINT) AS marginal,
       CAST(SUM(sudden) AS BIGINT) AS sudden,
       CAST(SUM(monitored) AS BIGINT) AS monitored
FROM village_monitoring
GROUP BY ${area_key}
