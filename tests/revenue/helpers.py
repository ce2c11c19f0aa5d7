"""A station, a base and households able and unable to work, on the small test county."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tuopin.apps.projects.models import Project
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Person

from tests import factories as f


def station(village, name="西岗村光伏电站") -> Project:
    """The village's station: found by kind and village (the demo's other part creates them), or made here."""
    found = Project.objects.filter(kind="pv", villages=village).first()
    if found is not None:
        return found
    p = Project.objects.create(kind="pv", name=name, capacity_kw=Decimal("500.0"), started_on=dt.date(2016, 6, 1))
    p.villages.add(village)
    return p


def base(villages, name="镇赉县肉牛养殖基地") -> Project:
    p = Project.objects.create(kind="livestock", name=name)
    p.villages.add(*villages)
    return p


def without_labour(household) -> None:
    Person.objects.filter(household=household).update(labour_ability=c.LabourAbility.LOST)


def ledger(county) -> dict:
    """county: tests.factories.small_county(). h2 (village 1) cannot work; h1 can."""
    v1 = county["villages"][0]
    h1, h2 = county["households"][:2]
    without_labour(h2)
    return {"station": station(v1), "v1": v1, "able": h1, "unable": h2,
            "worker": Person.objects.filter(household=h1).order_by("pk").first(),
            "first_secretary": county["accounts"]["first_secretary"], "admin": county["accounts"]["county_admin"]}


__all__ = ["f"]
