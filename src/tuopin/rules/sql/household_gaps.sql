-- 短板清单: one row per household and failing indicator of 两不愁三保障 and income, with the reason.
-- value / threshold carry the figures behind the reason (fen, or a count of persons).
-- Income: a household meets the standard when net_income_fen > line_fen × members (docs/data-formats.md).
SELECT household_id,
       'income' AS indicator,
       '人均纯收入' || CAST(CAST(FLOOR(per_capita_net_income_fen / 100) AS BIGINT) AS VARCHAR)
           || '元，未超过扶贫标准${line_yuan}元' AS reason,
       net_income_fen AS value,
       ${line_fen} * members AS threshold
FROM households_yearly
WHERE year = ${year} AND NOT (net_income_fen > ${line_fen} * members)

UNION ALL
-- 不愁吃、不愁穿
SELECT household_id, 'food_clothing', '吃穿未得到保障', CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM households_yearly
WHERE year = ${year} AND NOT food_clothing_secure

UNION ALL
-- 义务教育: every child aged ${school_age_min}–${school_age_max} at the start of the school year in school,
-- taught at home (送教上门) or medically exempt (counted per household by household_person_facts).
SELECT household_id, 'education',
       CAST(children_out_of_school AS VARCHAR) || '名${school_age_min}至${school_age_max}岁儿童未在校（义务教育未保障）',
       children_out_of_school, CAST(0 AS BIGINT)
FROM household_person_facts
WHERE children_out_of_school > 0

UNION ALL
-- 基本医疗: every member in basic medical insurance and serious-illness insurance (household_person_facts).
SELECT household_id, 'medical',
       CAST(members_uninsured AS VARCHAR) || '人未参加基本医疗保险或大病保险（基本医疗未保障）',
       members_uninsured, CAST(0 AS BIGINT)
FROM household_person_facts
WHERE members_uninsured > 0

UNION ALL
-- 住房安全: grades C and D are unsafe until their renovation (维修加固, 加固, 拆除重建, 搬迁) is finished AND the house
-- is inspected again and graded safe (改造后鉴定, renovation_grade in ${safe_housing_grades}): it counts from the
-- year it was finished (renovation_year ≤ the year), not while planned or under way, nor without that year, nor
-- before the re-inspection says the house is safe (decisions 1252, 1520; the household page shows such a house as
-- renovated on the same fact). An empty re-inspection grade is "not inspected again", never "safe".
SELECT household_id, 'housing',
       '住房为' || housing_grade || '级危房，' || CASE
           WHEN COALESCE(renovation, '') = '' THEN '尚未改造'
           WHEN renovation_year IS NULL THEN '改造未填竣工年度'
           WHEN renovation_year > ${year} THEN '改造计划' || CAST(renovation_year AS VARCHAR) || '年竣工，尚未完成'
           WHEN COALESCE(renovation_grade, '') = '' THEN '改造后未重新鉴定'
           ELSE '改造后鉴定仍为' || renovation_grade || '级'
       END || '（住房安全未保障）',
       CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM households_yearly
WHERE year = ${year} AND housing_grade NOT IN ${safe_housing_grades}
  AND NOT (COALESCE(renovation, '') <> '' AND renovation_year IS NOT NULL AND renovation_year <= ${year}
           AND COALESCE(renovation_grade, '') IN ${safe_housing_grades})

UNION ALL
-- 饮水安全 (part of the standard from ${water_from_year}): quantity, quality, convenience, reliability.
SELECT household_id, 'water',
       CASE
           WHEN water_litres_per_day < CASE WHEN water_short_area THEN ${water_litres_short} ELSE ${water_litres} END
               THEN '人均日供水' || CAST(water_litres_per_day AS VARCHAR) || '升，不足标准'
           WHEN NOT water_quality_ok THEN '水质不达标'
           WHEN water_minutes > ${water_minutes} THEN '取水往返' || CAST(water_minutes AS VARCHAR) || '分钟，超过${water_minutes}分钟'
           ELSE '年断水' || CAST(water_cut_days AS VARCHAR) || '天，超过${water_cut_days}天'
       END || '（饮水安全未保障）',
       CAST(NULL AS BIGINT), CAST(NULL AS BIGINT)
FROM households_yearly
WHERE year = ${year} AND ${year} >= ${water_from_year}
  AND (water_litres_per_day < CASE WHEN water_short_area THEN ${water_litres_short} ELSE ${water_litres} END
       OR NOT water_quality_ok
       OR water_minutes > ${water_minutes}
       OR water_cut_days > ${water_cut_days})
