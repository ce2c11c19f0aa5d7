-- The risk score's features of each household at the end of year ${year}, and its label: taken under
-- monitoring (监测纳入) or returned to poverty (返贫) in year ${year} + 1. Only what is on file at the end of
-- ${year} enters a feature: the yearly records of ${year} and the two years before, the members' birth
-- dates and their yearly records, the announced status events dated on or before ${year_end}. The persons'
-- health and labour fields are left out: they hold today's values, not the year's, and would leak the future.
-- Households poor, monitored or off the register at the end of the year are not at risk of falling back: they
-- are left out (household_status: the assessment's own rule, run for the year beforehand).
WITH cur AS (
    SELECT * FROM households_yearly WHERE year = ${year}
),
prev AS (
    SELECT household_id, net_income_fen, business_income_fen, wage_income_fen, medical_expense_fen,
           disaster_loss_fen, business_failed, labourer_lost
    FROM households_yearly WHERE year = ${year} - 1
),
prev2 AS (
    SELECT household_id, net_income_fen FROM households_yearly WHERE year = ${year} - 2
),
people AS (
    SELECT y.household_id,
           SUM(CASE WHEN ${year} - YEAR(p.birth_date) >= 65 THEN 1 ELSE 0 END) AS elders,
           SUM(CASE WHEN ${year} - YEAR(p.birth_date) < 16 THEN 1 ELSE 0 END) AS children,
           SUM(CASE WHEN ${year} - YEAR(p.birth_date) BETWEEN 16 AND 64 THEN 1 ELSE 0 END) AS working_age,
           SUM(y.work_months) AS work_months,
           SUM(CASE WHEN y.school_status IN (40, 41, 50) THEN 1 ELSE 0 END) AS in_upper_school,
           SUM(CASE WHEN y.dibao OR y.tekun THEN 1 ELSE 0 END) AS on_social_assistance,
           SUM(CASE WHEN y.medical_assistance THEN 1 ELSE 0 END) AS medically_assisted
    FROM persons_yearly y JOIN persons p ON p.person_id = y.person_id
    WHERE y.year = ${year}
    GROUP BY y.household_id
),
village AS (
    SELECT village_code,
           AVG(CASE WHEN disaster_loss_fen > 0 THEN 1.0 ELSE 0.0 END) AS village_disaster_share,
           AVG(CASE WHEN per_capita_net_income_fen < ${monitoring_line_fen} THEN 1.0 ELSE 0.0 END) AS village_below_line_share
    FROM cur GROUP BY village_code
),
history AS (
    SELECT household_id,
           MAX(CASE WHEN kind = 'returned' THEN 1 ELSE 0 END) AS ever_returned,
           MAX(CASE WHEN kind = 'monitoring_in' THEN 1 ELSE 0 END) AS ever_monitored,
           MAX(CASE WHEN kind = 'exited' THEN YEAR(effective_on) END) AS last_exit_year
    FROM status_events
    WHERE stage = 'announced' AND effective_on <= ${year_end}
    GROUP BY household_id
),
label AS (
    SELECT household_id, 1 AS label
    FROM status_events
    WHERE stage = 'announced' AND kind IN ('monitoring_in', 'returned')
      AND effective_on > ${year_end} AND effective_on <= ${next_year_end}
    GROUP BY household_id
)
SELECT c.household_id, c.township_code, c.village_code, ${year} AS year,
       COALESCE(l.label, 0) AS label,
       CAST(c.per_capita_net_income_fen AS DOUBLE) / ${monitoring_line_fen} AS income_to_line,
       CASE WHEN p.net_income_fen > 0 THEN CAST(c.net_income_fen AS DOUBLE) / p.net_income_fen END AS income_ratio_1y,
       CASE WHEN p2.net_income_fen > 0 THEN CAST(p.net_income_fen AS DOUBLE) / p2.net_income_fen END AS income_ratio_prev,
       CAST(c.wage_income_fen AS DOUBLE) / GREATEST(c.net_income_fen + c.production_cost_fen, 1) AS wage_share,
       CAST(c.business_income_fen AS DOUBLE) / GREATEST(c.net_income_fen + c.production_cost_fen, 1) AS business_share,
       CAST(c.dibao_fen + c.tekun_fen + c.pension_fen + c.other_transfer_fen + c.eco_compensation_fen
            + c.family_planning_fen AS DOUBLE) / GREATEST(c.net_income_fen + c.production_cost_fen, 1) AS transfer_share,
       c.members,
       COALESCE(pe.working_age, 0) AS working_age,
       COALESCE(pe.elders, 0) AS elders,
       COALESCE(pe.children, 0) AS children,
       CAST(COALESCE(pe.work_months, 0) AS DOUBLE) / GREATEST(COALESCE(pe.working_age, 0), 1) AS work_months_per_adult,
       COALESCE(pe.in_upper_school, 0) AS in_upper_school,
       COALESCE(pe.on_social_assistance, 0) AS on_social_assistance,
       COALESCE(pe.medically_assisted, 0) AS medically_assisted,
       CAST(c.medical_expense_fen AS DOUBLE) / GREATEST(c.net_income_fen, 100) AS medical_to_income,
       CAST(COALESCE(p.medical_expense_fen, 0) AS DOUBLE) / GREATEST(COALESCE(p.net_income_fen, 0), 100) AS medical_to_income_prev,
       CAST(c.education_expense_fen AS DOUBLE) / GREATEST(c.net_income_fen, 100) AS education_to_income,
       CAST(c.disaster_loss_fen AS DOUBLE) / GREATEST(c.net_income_fen, 100) AS disaster_to_income,
       CAST(c.business_failed AS INTEGER) + CAST(COALESCE(p.business_failed, FALSE) AS INTEGER) AS business_failures_2y,
       CAST(c.labourer_lost AS INTEGER) + CAST(COALESCE(p.labourer_lost, FALSE) AS INTEGER) AS labourers_lost_2y,
       CASE WHEN c.housing_grade IN ('C', 'D')
                 AND NOT (COALESCE(c.renovation, '') <> '' AND c.renovation_year IS NOT NULL
                          AND c.renovation_year <= ${year}
                          AND COALESCE(c.renovation_grade, '') IN ('A', 'B')) THEN 1 ELSE 0 END AS unsafe_housing,
       COALESCE(v.village_disaster_share, 0) AS village_disaster_share,
       COALESCE(v.village_below_line_share, 0) AS village_below_line_share,
       CASE WHEN s.kind_at_end IS NULL THEN 1 ELSE 0 END AS never_registered,
       CASE WHEN s.kind_at_end = 'risk_removed' THEN 1 ELSE 0 END AS risk_removed_before,
       COALESCE(h.ever_returned, 0) AS ever_returned,
       COALESCE(h.ever_monitored, 0) AS ever_monitored,
       CASE WHEN h.last_exit_year IS NULL THEN -1 ELSE ${year} - h.last_exit_year END AS years_since_exit
FROM cur c
LEFT JOIN prev p ON p.household_id = c.household_id
LEFT JOIN prev2 p2 ON p2.household_id = c.household_id
LEFT JOIN people pe ON pe.household_id = c.household_id
LEFT JOIN village v ON v.village_code = c.village_code
LEFT JOIN history h ON h.household_id = c.household_id
LEFT JOIN household_status s ON s.household_id = c.household_id
LEFT JOIN label l ON l.household_id = c.household_id
WHERE NOT COALESCE(s.poor_at_end, FALSE)
  AND COALESCE(s.kind_at_end, '') NOT IN ('monitoring_in', 'natural_decrease', 'misidentified')
-- In household order: the same history gives the same rows in the same order, hence the same model.
ORDER BY c.household_id
