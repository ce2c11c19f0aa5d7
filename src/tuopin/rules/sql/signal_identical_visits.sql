-- 走访记录雷同 (decision 1591): the same visit text (发现问题 and 帮办事项, whitespace and punctuation taken out by
-- the reader into `text`) of at least `min_chars` characters, for `min_households` households or more in the year.
WITH same AS (
    SELECT text, COUNT(DISTINCT household_id) AS n
    FROM signal_visits
    WHERE YEAR(visited_on) = ${year} AND LENGTH(text) >= ${signal_identical_visits_min_chars}
    GROUP BY text
    HAVING COUNT(DISTINCT household_id) >= ${signal_identical_visits_min_households}
)
SELECT DISTINCT 'identical_visits' AS kind, 'text:' || MD5(s.text) AS finding,
       v.village_code, v.township_code, v.household_id, v.cadre_id,
       CAST(NULL AS DOUBLE) AS observed, CAST(NULL AS DOUBLE) AS expected, CAST(s.n AS BIGINT) AS n,
       CAST(NULL AS VARCHAR) AS day, SUBSTR(s.text, 1, 40) AS extra, CAST(NULL AS DOUBLE) AS score
FROM same s
JOIN signal_visits v ON v.text = s.text AND YEAR(v.visited_on) = ${year}
