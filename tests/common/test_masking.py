"""Birth dates beside masked ID numbers (decision 1110)."""

import datetime as dt

from tuopin import rules, standards
from tuopin.common.masking import birth_date_for_rules, mask_birth_date


def test_a_masked_birth_date_keeps_the_year_only():
    assert mask_birth_date(dt.date(1970, 5, 1)) == "1970-**-**"
    assert mask_birth_date(None) == ""


def _school_born(year: int) -> tuple[dt.date, dt.date]:
    """The birth dates of compulsory school age in `year`, as the rules get them."""
    values = rules.parameters(standards.load(), year)
    return tuple(dt.date.fromisoformat(values[k].split("'")[1]) for k in ("school_born_from", "school_born_to"))


def test_a_masked_snapshot_date_gives_the_school_age_rule_the_same_answer():
    day = tuple(int(x) for x in standards.load().section("household")["school_age_on"].split("-"))
    births = [dt.date(2000, 1, 1) + dt.timedelta(days=n) for n in range(365 * 20)]
    for year in range(2014, 2021):
        first, last = _school_born(year)
        for birth in births:
            masked = birth_date_for_rules(birth, school_age_on=day)
            assert masked.year == birth.year and masked >= birth
            assert (first <= masked <= last) == (first <= birth <= last), (year, birth, masked)
    assert {birth_date_for_rules(b, school_age_on=day) for b in births[:365]} == {dt.date(2000, 9, 1),
                                                                                   dt.date(2000, 12, 31)}
