-- 户状态: each household's status at the end of the year and at the end of the year before.
-- docs/data-formats.md: the status at the end of year Y is the one left by the household's latest announced status
-- event dated on or before Y-12-31. Events that change no status (分户, 并户) are passed over.
-- poor = 未脱贫 (identified) or 返贫 (returned).
-- "Latest" orders events by date, then by event_id (within a household later events have higher ids).
-- Each event becomes one number that sorts that way and carries its kind in the last digit:
--     seq = (yyyymmdd × 10¹⁰ + event_id) × 10 + kind      (event ids stay below 10¹⁰)
-- so that a plain MAX per household finds the latest event and its kind: at national scale (60 million
-- events) this is several times cheaper than a window over the events or an ARG_MAX over their text.
WITH counted AS (
    SELECT household_id, effective_on,
           ((YEAR(effective_on) * 10000 + MONTH(effective_on) * 100 + DAY(effective_on))
                * CAST(10000000000 AS BIGINT) + event_id) * 10
           + CASE kind WHEN 'identified' THEN 1 WHEN 'exited' THEN 2 WHEN 'returned' THEN 3
                       WHEN 'natural_decrease' THEN 4 WHEN 'misidentified' THEN 5
                       WHEN 'monitoring_in' THEN 6 WHEN 'risk_removed' THEN 7 END AS seq
    FROM status_events
    WHERE stage = 'announced'
      AND effective_on <= ${year_end}
      AND kind IN ('identified', 'exited', 'returned', 'natural_decrease', 'misidentified',
                   'monitoring_in', 'risk_removed')
),
latest AS (
    SELECT household_id,
           MAX(seq) % 10 AS at_end,
           MAX(CASE WHEN effective_on <= ${previous_year_end} THEN seq END) % 10 AS at_start
    FROM counted
    GROUP BY household_id
)
SELECT household_id,
       CASE at_end WHEN 1 THEN 'identified' WHEN 2 THEN 'exited' WHEN 3 THEN 'returned'
                   WHEN 4 THEN 'natural_decrease' WHEN 5 THEN 'misidentified' WHEN 6 THEN 'monitoring_in'
                   WHEN 7 THEN 'risk_removed' END AS kind_at_end,
       CASE at_start WHEN 1 THEN 'identified' WHEN 2 THEN 'exited' WHEN 3 THEN 'returned'
                     WHEN 4 THEN 'natural_decrease' WHEN 5 THEN 'misidentified' WHEN 6 THEN 'monitoring_in'
                     WHEN 7 THEN 'risk_removed' END AS kind_at_start,
       at_end IN (1, 3) AS poor_at_end,
       COALESCE(at_start IN (1, 3), FALSE) AS poor_at_start
FROM latest
