"""The time limit to the township's decision, in calendar and in working days (Monday to Friday)."""

import datetime as dt

import pytest

from tuopin.apps.monitoring import deadlines as d
from tuopin.standards.loader import cache_clear

D = dt.date
CAL = d.Limits(notice_days=5, decision_days=15, unit=d.CALENDAR, stable_months=6)
WORK = d.Limits(notice_days=5, decision_days=20, unit=d.WORKING, stable_months=6)


def test_calendar_days_from_the_first_clue():
    # Clue on Monday 3 March 2025: due 18 March; on the 18th undecided it is not overdue yet, on the 19th it is.
    assert d.time_limit(clue_on=D(2025, 3, 3), decided_on=None, on=D(2025, 3, 18), rules=CAL) == d.TimeLimit(
        used=15, allowed=15, unit="calendar", due=D(2025, 3, 18), decided=False, overdue=False, late=False)
    late = d.time_limit(clue_on=D(2025, 3, 3), decided_on=None, on=D(2025, 3, 19), rules=CAL)
    assert (late.used, late.overdue) == (16, True)


def test_working_days_skip_weekends():
    # Friday 7 March 2025 + 20 working days = Friday 4 April (four weeks, weekends skipped).
    assert d.add_days(D(2025, 3, 7), 20, d.WORKING) == D(2025, 4, 4)
    assert d.days_between(D(2025, 3, 7), D(2025, 3, 10), d.WORKING) == 1  # Saturday and Sunday do not count
    assert d.days_between(D(2025, 3, 7), D(2025, 4, 4), d.WORKING) == 20
    clock = d.time_limit(clue_on=D(2025, 3, 7), decided_on=None, on=D(2025, 4, 5), rules=WORK)
    assert (clock.due, clock.used, clock.overdue) == (D(2025, 4, 4), 20, True)  # Saturday the 5th: past the due date


def test_a_decision_after_its_due_date_is_late_not_overdue():
    clock = d.time_limit(clue_on=D(2025, 3, 3), decided_on=D(2025, 3, 25), on=D(2025, 6, 1), rules=CAL)
    assert (clock.decided, clock.late, clock.overdue, clock.used) == (True, True, False, 22)


def test_months_after_inclusion_end_on_the_months_last_day():
    assert d.add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)
    assert d.add_months(D(2025, 3, 20), 6) == D(2025, 9, 20)


def test_the_limits_come_from_the_standards(tmp_path):
    from tuopin.standards.loader import DATA

    (tmp_path / "overrides").mkdir()
    (tmp_path / "national.toml").write_text((DATA / "national.toml").read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "overrides" / "22.toml").write_text(
        '[monitoring.procedure]\ndecision_time_limit = 20\ndecision_time_unit = "working"\n', encoding="utf-8")
    from tuopin import standards

    cache_clear()
    try:
        loaded = standards.load("220821", directory=str(tmp_path)).section("monitoring")
        assert loaded["procedure"]["decision_time_unit"] == "working"
        assert loaded["procedure"]["notice_days"] == 5  # kept from the national file
        assert loaded["rules"]["stable_months_to_remove_risk"] == 6
    finally:
        cache_clear()
    national = d.limits("220821")
    assert (national.notice_days, national.decision_days, national.unit, national.stable_months) == (5, 15,
                                                                                                    "calendar", 6)


def test_an_unknown_unit_is_refused(monkeypatch):
    from tuopin import standards

    real = standards.load("220821")
    data = {**real.data, "monitoring": {**real.data["monitoring"],
                                        "procedure": {**real.data["monitoring"]["procedure"],
                                                      "decision_time_unit": "lunar"}}}
    monkeypatch.setattr(d, "load_standards", lambda code: standards.Standards(code, data))
    with pytest.raises(ValueError, match="calendar"):
        d.limits("220821")
