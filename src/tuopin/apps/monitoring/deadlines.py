"""The monitoring procedure's time limits, from the standards (`[monitoring.procedure]`, `[monitoring.rules]`).

The township decides within `decision_time_limit` days of the first clue: calendar days, or working days —
Monday to Friday, with no calendar of public holidays kept (decision 1401): a county counting working days
across a holiday week sees its due date a few days early, never late. The notice runs at least `notice_days`
counted inclusively, as the exit notices do; the risk is removed no sooner than `stable_months_to_remove_risk`
months after inclusion.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from tuopin.standards import load as load_standards

CALENDAR, WORKING = "calendar", "working"


@dataclass(frozen=True)
class Limits:
    notice_days: int
    decision_days: int
    unit: str  # CALENDAR or WORKING
    stable_months: int


def limits(region_code: str) -> Limits:
    monitoring = load_standards(region_code).section("monitoring")
    procedure = monitoring["procedure"]
    unit = str(procedure.get("decision_time_unit", CALENDAR))
    if unit not in (CALENDAR, WORKING):
        raise ValueError(f"[monitoring.procedure] decision_time_unit must be {CALENDAR!r} or {WORKING!r}, not {unit!r}")
    return Limits(notice_days=int(procedure["notice_days"]), decision_days=int(procedure["decision_time_limit"]),
                  unit=unit, stable_months=int(monitoring["rules"]["stable_months_to_remove_risk"]))


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5


def days_between(start: dt.date, end: dt.date, unit: str) -> int:
    """Days after `start` up to and including `end` (0 on the day itself; never negative)."""
    if end <= start:
        return 0
    if unit == CALENDAR:
        return (end - start).days
    weeks, rest = divmod((end - start).days, 7)
    extra = sum(1 for i in range(1, rest + 1) if is_working_day(start + dt.timedelta(days=weeks * 7 + i)))
    return weeks * 5 + extra


def add_days(start: dt.date, n: int, unit: str) -> dt.date:
    """The day `n` days (of the unit) after `start`: the last day within the limit."""
    if unit == CALENDAR:
        return start + dt.timedelta(days=n)
    day, left = start, n
    while left > 0:
        day += dt.timedelta(days=1)
        if is_working_day(day):
            left -= 1
    return day


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has none (31 August + 6 = 28/29 February)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class TimeLimit:
    """A case's clock: days used of those allowed, the due date, and whether it ran out undecided (or was late)."""

    used: int
    allowed: int
    unit: str
    due: dt.date
    decided: bool
    overdue: bool  # undecided and past its due date
    late: bool  # decided after its due date


def time_limit(*, clue_on: dt.date, decided_on: dt.date | None, on: dt.date, rules: Limits) -> TimeLimit:
    due = add_days(clue_on, rules.decision_days, rules.unit)
    decided = decided_on is not None and decided_on <= on
    until = decided_on if decided_on is not None and decided else on
    return TimeLimit(used=days_between(clue_on, until, rules.unit), allowed=rules.decision_days, unit=rules.unit,
                     due=due, decided=decided, overdue=not decided and on > due,
                     late=decided and until > due)
