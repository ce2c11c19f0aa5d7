-- 收入大起大落 (decision 1591): a household exited in the year whose per-capita income rose to at least `rise` × the
-- year before's and fell the next year to at most `fall` × the exit year's. Needs the next year's record: a year
-- whose next year is not recorded yet finds nothing.
SELECT 'income_jump' AS kind, 'household:' || CAST(e.household_id AS VARCHAR) AS finding,
       cur.village_code, cur.township_code, e.household_id, CAST(NULL AS BIGINT) AS cadre_id,
       ROUND(CAST(cur.per_capita_net_income_fen AS DOUBLE) / pre.per_capita_net_income_fen, 2) AS observed,
       ROUND(CAST(nxt.per_capita_net_income_fen AS DOUBLE) / cur.per_capita_net_income_fen, 2) AS expected,
       CAST(1 AS BIGINT) AS n, CAST(NULL AS VARCHAR) AS day, CAST(NULL AS VARCHAR) AS extra,
       CAST(NULL AS DOUBLE) AS score
FROM signal_exits e
JOIN signal_incomes cur ON cur.household_id = e.household_id AND cur.year = e.year
JOIN signal_incomes pre ON pre.household_id = e.household_id AND pre.year = e.year - 1
JOIN signal_incomes nxt ON nxt.household_id = e.household_id AND nxt.year = e.year + 1
WHERE e.year = ${year} AND pre.per_capita_net_income_fen > 0 AND cur.per_capita_net_income_fen > 0
  AND cur.per_capita_net_income_fen >= ${signal_income_jump_rise} * pre.per_capita_net_income_fen
  AND nxt.per_capita_net_income_fen <= ${signal_income_jump_fall} * cur.per_capita_net_income_fen
