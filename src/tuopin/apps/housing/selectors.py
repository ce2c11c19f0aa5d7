"""Reads of renovations, scoped: the account reaches the renovations of the households it reaches (the housing
department: of its county, decision 1611)."""

from __future__ import annotations

import datetime as dt
from functools import reduce
from operator import or_

from django.db.models import Q, QuerySet

from tuopin.apps.accounts.scoping import housing_households_visible_to

from . import options as opt
from .choices import Stage
from .models import HouseRenovation

# The stage a renovation waits at, the standards' key of the days it may wait, and the date the wait starts.
WAITS = {
    Stage.INSPECTED: ("option", "inspected_on"),
    Stage.OPTION_CHOSEN: ("approval", "option_on"),
    Stage.APPROVED: ("works", "approved_on"),
    Stage.WORKS: ("completion", "works_on"),
    Stage.ACCEPTED: ("reinspection", "accepted_on"),
}


def renovations_for(user) -> QuerySet[HouseRenovation]:
    return HouseRenovation.objects.filter(household__in=housing_households_visible_to(user))


def overdue_q(today: dt.date, *, code: str) -> Q:
    """Renovations waiting at a stage longer than the standards allow ([housing.stage_days])."""
    days = opt.stage_days(code=code)
    return reduce(or_, (Q(stage=stage, **{f"{field}__lt": today - dt.timedelta(days=days[key])})
                        for stage, (key, field) in WAITS.items()))


def due_on(renovation: HouseRenovation, *, code: str) -> dt.date | None:
    """The day the next stage is due, or None once the house is safe."""
    wait = WAITS.get(Stage(renovation.stage))
    if wait is None:
        return None
    start = getattr(renovation, wait[1])
    return start + dt.timedelta(days=opt.stage_days(code=code)[wait[0]]) if start else None
