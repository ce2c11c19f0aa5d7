-- 户状态: each household's status at the end of the year and at the end of the year before.
-- CONTRACTS.md: the status at the end of year Y is the one left by the household's latest announced status
-- event dated on or before Y-12-31. Events that change no status (分户, 并户) are passed over.
-- poor = 未脱贫 (identified) or 返贫 (returned).
WITH counted AS (
    SELECT household_id, event_id, kind, effective_on
    FROM status_events
    WHERE stage = 'announced'
      AND effective_on <= ${year_end}
      AND kind IN ('identified', 'exited', 'returned', 'natural_decrease', 'misidentified',
                   'monitoring_in', 'risk_removed')
),
at_end AS (
    SELECT household_id, kind,
           ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY effective_on DESC, event_id DESC) AS rn
    FROM counted
),
at_start AS (
    SELECT household_id, kind,
           ROW_NUMBER() OVER (PARTITION BY household_id ORDER BY effective_on DESC, event_id DESC) AS rn
    FROM counted
    WHERE effective_on <= ${previous_year_end}
)
SELECT e.household_id,
       e.kind AS kind_at_end,
       s.kind AS kind_at_start,
       e.kind IN ('identified', 'returned') AS poor_at_end,
       COALESCE(s.kind IN ('identified', 'returned'), FALSE) AS poor_at_start
FROM at_end e
LEFT JOIN at_start s ON s.household_id = e.household_id AND s.rn = 1
WHERE e.rn = 1
