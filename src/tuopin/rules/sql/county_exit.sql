-- 三率一度 (国开办发〔2017〕56号): the county exit test, from an evaluation round held in Y+1 on year-Y data.
--   错退率 = wrongly exited persons in the sample ÷ exited persons in the sample
--   漏评率 = verified omitted persons ÷ non-registered rural persons in the sampled villages
--   综合贫困发生率 = (remaining poor + omitted + wrongly exited) ÷ rural population
--   群众认可度 = approving households ÷ surveyed households
-- Any failure blocks exit. Thresholds are the standards' (west: higher incidence threshold).
WITH sample AS (
    SELECT round_id,
           CAST(SUM(CASE WHEN kind = 'exited' THEN persons ELSE 0 END) AS BIGINT) AS exited_sampled,
           CAST(SUM(CASE WHEN kind = 'exited' AND finding = 'wrongly_exited' THEN persons ELSE 0 END) AS BIGINT) AS wrongly_exited,
           CAST(SUM(CASE WHEN finding = 'omitted' THEN persons ELSE 0 END) AS BIGINT) AS omitted,
           CAST(SUM(CASE WHEN finding = '' THEN 1 ELSE 0 END) AS BIGINT) AS pending
    FROM evaluation_households
    GROUP BY round_id
),
villages AS (
    SELECT round_id, CAST(SUM(non_registered_persons) AS BIGINT) AS non_registered
    FROM evaluation_villages
    GROUP BY round_id
),
rates AS (
    SELECT r.round_id, r.county_code, r.west, a.rural_population, a.poor_persons AS remaining_poor,
           COALESCE(s.exited_sampled, 0) AS exited_sampled, COALESCE(s.wrongly_exited, 0) AS wrongly_exited,
           COALESCE(s.omitted, 0) AS omitted, COALESCE(s.pending, 0) AS pending,
           COALESCE(v.non_registered, 0) AS non_registered,
           r.surveyed_households, r.approving_households,
           CASE WHEN s.exited_sampled > 0 THEN CAST(s.wrongly_exited AS DOUBLE) / s.exited_sampled END
               AS wrong_exit_rate,
           CASE WHEN v.non_registered > 0 THEN CAST(s.omitted AS DOUBLE) / v.non_registered END AS omission_rate,
           CAST(a.poor_persons + COALESCE(s.omitted, 0) + COALESCE(s.wrongly_exited, 0) AS DOUBLE)
               / a.rural_population AS comprehensive_incidence,
           CASE WHEN r.surveyed_households > 0
                THEN CAST(r.approving_households AS DOUBLE) / r.surveyed_households END AS recognition
    FROM evaluation_rounds r
    JOIN area_county a ON a.code = r.county_code
    LEFT JOIN sample s ON s.round_id = r.round_id
    LEFT JOIN villages v ON v.round_id = r.round_id
)
SELECT rates.*,
       comprehensive_incidence < CASE WHEN west THEN ${county_incidence_west} ELSE ${county_incidence} END
           AS incidence_ok,
       COALESCE(wrong_exit_rate < ${wrong_exit_rate}, FALSE) AS wrong_exit_ok,
       COALESCE(omission_rate < ${omission_rate}, FALSE) AS omission_ok,
       COALESCE(recognition >= ${recognition}, FALSE) AS recognition_ok
FROM rates
