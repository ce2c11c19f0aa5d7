-- 监测预警 (monitoring after exit, 防返贫): one row per household proposed for monitoring and reason, with the
-- figures behind the reason (value / threshold in fen; null for a recorded fact). Criteria and their sources:
-- [monitoring.criteria] in the standards, docs/standards.md. Households poor at the end of the year are worked
-- through their gaps, not here. A household with a yearly record and members is proposed
--   when it has exited or had its risk removed (exited, risk_removed) or is monitored already (monitoring_in):
--       on any reason below;
--   else (never registered, misidentified): when its net income less its out-of-pocket medical and schooling
--       costs and the year's disaster loss is not above the monitoring line × members, on the reasons it has.
-- monitoring_result.sql gives each proposed household its kind.
WITH current AS (
    SELECT y.household_id, y.members, y.net_income_fen, y.per_capita_net_income_fen,
           COALESCE(y.medical_expense_fen, 0) AS medical, COALESCE(y.education_expense_fen, 0) AS education,
           COALESCE(y.disaster_loss_fen, 0) AS disaster, COALESCE(y.business_failed, FALSE) AS business_failed,
           COALESCE(y.labourer_lost, FALSE) AS labourer_lost,
           COALESCE(s.kind_at_end IN ('exited', 'risk_removed', 'monitoring_in'), FALSE) AS followed
    FROM households_yearly y
    LEFT JOIN household_status s ON s.household_id = y.household_id
    WHERE y.year = ${year} AND y.members > 0 AND NOT COALESCE(s.poor_at_end, FALSE)
),
judged AS (
    SELECT * FROM current
    WHERE followed OR net_income_fen - medical - education - disaster <= ${monitoring_line_fen} * members
),
previous AS (
    SELECT household_id, per_capita_net_income_fen AS before_fen
    FROM households_yearly
    WHERE year = ${year} - 1
)
-- 收入低于监测范围: net income not above the monitoring line × members (as the income gap, with that line).
SELECT household_id, 'income_low' AS criterion,
       '人均纯收入' || CAST(CAST(FLOOR(per_capita_net_income_fen / 100) AS BIGINT) AS VARCHAR)
           || '元，未超过监测范围${monitoring_line_yuan}元' AS reason,
       net_income_fen AS value,
       ${monitoring_line_fen} * members AS threshold
FROM judged
WHERE net_income_fen <= ${monitoring_line_fen} * members

UNION ALL
-- 刚性支出较大: the income alone is above the line, less the out-of-pocket medical and schooling costs it is not.
SELECT household_id, 'rigid_spending',
       '自付医疗费用' || CAST(CAST(FLOOR(medical / 100) AS BIGINT) AS VARCHAR) || '元、教育支出'
           || CAST(CAST(FLOOR(education / 100) AS BIGINT) AS VARCHAR) || '元，扣除后人均纯收入'
           || CAST(CAST(FLOOR((net_income_fen - medical - education) / members / 100) AS BIGINT) AS VARCHAR)
           || '元，未超过监测范围${monitoring_line_yuan}元（刚性支出较大）',
       net_income_fen - medical - education,
       ${monitoring_line_fen} * members
FROM judged
WHERE medical + education > 0 AND net_income_fen > ${monitoring_line_fen} * members
  AND net_income_fen - medical - education <= ${monitoring_line_fen} * members

UNION ALL
-- 收入大幅缩减: net income per person down by at least ${income_fall_percent} % on the year before (a household
-- without a record the year before, or with none above zero, has nothing to fall from).
SELECT j.household_id, 'income_fall',
       '人均纯收入由上年' || CAST(CAST(FLOOR(p.before_fen / 100) AS BIGINT) AS VARCHAR) || '元降至'
           || CAST(CAST(FLOOR(j.per_capita_net_income_fen / 100) AS BIGINT) AS VARCHAR) || '元，下降'
           || CAST(CAST(FLOOR(CAST(p.before_fen - j.per_capita_net_income_fen AS DOUBLE) * 100 / p.before_fen)
                        AS BIGINT) AS VARCHAR)
           || '%，达到${income_fall_percent}%（收入大幅缩减）',
       p.before_fen - j.per_capita_net_income_fen,
       CAST(CEIL(CAST(p.before_fen AS DOUBLE) * ${income_fall_percent} / 100) AS BIGINT)
FROM judged j
JOIN previous p ON p.household_id = j.household_id
WHERE p.before_fen > 0
  AND (p.before_fen - j.per_capita_net_income_fen) * 100 >= ${income_fall_percent} * p.before_fen

UNION ALL
-- 因灾: the year's disaster loss at least ${disaster_loss_percent} % of the year's net income (any loss when none).
SELECT household_id, 'disaster_loss',
       '灾害损失' || CAST(CAST(FLOOR(disaster / 100) AS BIGINT) AS VARCHAR) || '元，达到家庭年纯收入的'
           || '${disaster_loss_percent}%（因灾）',
       disaster,
       CAST(CEIL(CAST(GREATEST(net_income_fen, 0) AS DOUBLE) * ${disaster_loss_percent} / 100) AS BIGINT)
FROM judged
WHERE disaster > 0 AND disaster * 100 >= ${disaster_loss_percent} * GREATEST(net_income_fen, 0)

UNION ALL
-- 产业经营失败, recorded on the yearly record.
SELECT household_id, 'business_failed', '产业经营失败', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM judged
WHERE business_failed

UNION ALL
-- 主要劳动力死亡或失能, recorded on the yearly record.
SELECT household_id, 'labourer_lost', '主要劳动力死亡或失能', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM judged
WHERE labourer_lost

UNION ALL
-- 两不愁三保障 and water again (household_gaps' own reasons), for a household that has exited or is monitored.
SELECT g.household_id, 'gap_' || g.indicator, g.reason, g.value, g.threshold
FROM household_gaps g
JOIN judged j ON j.household_id = g.household_id
WHERE j.followed AND g.indicator IN ${monitoring_gap_indicators}
