"""The likeness pass on a village of a few people among 5,000 of other villages (so that the names' frequencies
are a county's, not six people's), λ as for a county of 100,000 persons (the live app's scope)."""

import datetime as dt

import numpy as np
import pyarrow as pa

from tuopin.synth.nation.persons import NAMES

from tuopin.linkage import settings as linkage_settings
from tuopin.linkage.likeness import link_by_likeness, model_of

COUNTY = 100_000
VILLAGE = "和龙县/东城镇/光明村"


def persons(*people):
    return pa.table({
        "person_id": [p[0] for p in people], "name": [p[1] for p in people], "sex": [p[2] for p in people],
        "birth_date": pa.array([p[3] for p in people], type=pa.date32()),
        "village": [p[4] if len(p) > 4 else VILLAGE for p in people]})


def rows(*entries):
    return pa.table({
        "row": [e[0] for e in entries], "name": [e[1] for e in entries], "sex": [e[2] for e in entries],
        "birth_date": pa.array([e[3] for e in entries], type=pa.date32()),
        "village": [e[4] if len(e) > 4 else VILLAGE for e in entries]})


def others(n=5000, seed=3):
    rng = np.random.default_rng(seed)
    return [(100 + k, NAMES[int(rng.integers(len(NAMES)))], "MF"[k % 2],
             dt.date(1940, 1, 1) + dt.timedelta(days=int(rng.integers(0, 365 * 70))),
             f"和龙县/西城镇/{k % 40}村") for k in range(n)]


REGISTRY = persons(
    (1, "王建国", "M", dt.date(1960, 3, 4)), (2, "王建国", "M", dt.date(1971, 8, 19)),
    (3, "李秀英", "F", dt.date(1980, 1, 2)), (4, "张伟", "M", dt.date(1990, 5, 6)),
    (5, "覃金凤", "F", dt.date(1955, 11, 23)), (6, "刘桂英", "F", dt.date(1948, 7, 1)), *others())


def by_row(result):
    return {r["row"]: r for r in result.to_pylist()}


def test_a_one_character_typo_with_the_right_birth_date_and_village_is_found():
    result = by_row(link_by_likeness(REGISTRY, rows((1, "覃金风", "F", dt.date(1955, 11, 23))),
                                     persons_in_scope=COUNTY))
    assert result[1]["person_id"] == 5
    assert result[1]["decision"] == "match"
    assert result[1]["name_level"] == "one character different"
    assert (result[1]["birth_date_level"], result[1]["place_level"], result[1]["sex_level"]) == (
        "exact", "exact", "exact")


def test_two_people_of_one_name_in_one_village_are_told_apart_by_birth_date():
    result = by_row(link_by_likeness(REGISTRY, rows((1, "王建国", "M", dt.date(1971, 8, 19)),
                                                    (2, "王建国", "M", dt.date(1966, 2, 27))),
                                     persons_in_scope=COUNTY))
    assert (result[1]["person_id"], result[1]["decision"]) == (2, "match")
    # The namesake born five years apart from both is neither of them.
    assert result[2]["decision"] == "none"


def test_a_swapped_day_and_month_is_a_match_and_a_name_alone_is_not():
    result = by_row(link_by_likeness(REGISTRY, rows((1, "李秀英", "F", dt.date(1980, 2, 1)),
                                                    (2, "赵六", "M", dt.date(1990, 5, 6))),
                                     persons_in_scope=COUNTY))
    assert (result[1]["person_id"], result[1]["decision"]) == (3, "match")
    assert result[1]["birth_date_level"] == "day and month swapped"
    assert result[2]["decision"] == "none"  # 张伟's birth date and village, another name


def test_the_review_band_holds_what_is_alike_but_not_enough():
    # A typo in the name and the birth date one digit off, in the right village: a question for a person.
    result = by_row(link_by_likeness(REGISTRY, rows((1, "刘桂兰", "F", dt.date(1948, 7, 7))),
                                     persons_in_scope=COUNTY))
    settings = linkage_settings.load()
    assert result[1]["person_id"] == 6
    assert settings.review <= result[1]["match_probability"] < settings.match
    assert result[1]["decision"] == "review"


def test_two_candidates_alike_enough_make_a_review_not_a_match():
    twins = persons((1, "王伟", "M", dt.date(2001, 4, 5)), (2, "王伟", "M", dt.date(2001, 4, 5)), *others())
    result = by_row(link_by_likeness(twins, rows((1, "王伟", "M", dt.date(2001, 4, 5))), persons_in_scope=COUNTY))
    assert result[1]["match_probability"] >= linkage_settings.load().match
    assert result[1]["decision"] == "review"


def test_a_row_without_any_candidate_comes_back_as_none_and_the_model_is_recorded():
    result = link_by_likeness(REGISTRY, rows((7, "陈红梅", "F", dt.date(1999, 9, 9), "别县/别镇/别村")),
                              persons_in_scope=COUNTY)
    assert by_row(result)[7]["decision"] == "none" and by_row(result)[7]["person_id"] is None
    model = model_of(result)
    assert model["probability_two_random_records_match"] == 0.9 / COUNTY
    name = next(c for c in model["comparisons"] if c["output_column_name"] == "name")
    exact = next(level for level in name["comparison_levels"] if level["label_for_charts"] == "exact")
    assert (exact["m_probability"], exact["u_probability"]) == (0.93, 0.0002)
    assert model["tuopin"]["u"] == "priors"


def test_a_roster_writing_sex_in_chinese_and_an_empty_registry():
    result = by_row(link_by_likeness(REGISTRY, rows((1, "覃金凤", "女", dt.date(1955, 11, 23))),
                                     persons_in_scope=COUNTY))
    assert (result[1]["person_id"], result[1]["sex_level"]) == (5, "exact")
    nobody = link_by_likeness(REGISTRY.slice(0, 0), rows((1, "覃金凤", "女", dt.date(1955, 11, 23))))
    assert nobody.to_pylist()[0] | {"row": 1} == {**dict.fromkeys(nobody.column_names), "row": 1, "decision": "none"}


def test_the_thresholds_are_the_data_files():
    import dataclasses

    typo = rows((1, "覃金风", "F", dt.date(1955, 11, 23)))
    default = by_row(link_by_likeness(REGISTRY, typo, persons_in_scope=COUNTY))[1]
    stricter = dataclasses.replace(linkage_settings.load(), match=min(0.999999, default["match_probability"] + 1e-4))
    strict = by_row(link_by_likeness(REGISTRY, typo, persons_in_scope=COUNTY, settings=stricter))[1]
    assert (default["decision"], strict["decision"]) == ("match", "review")
    assert strict["match_probability"] == default["match_probability"]
