"""Reads of the region tree for pages: which region an account may open, its children, its path.

Everything starts from `accounts.scoping.regions_visible_to`, so a region outside the account's scope
is simply absent (the page answers 404).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.scoping import regions_visible_to

from .models import Level, Region

# The level an account lands on after login, by role; a region-less county admin lands on the first county.
_HOME_LEVEL = {Role.COUNTY_ADMIN: Level.COUNTY, Role.COMMANDER: Level.TOWNSHIP, Role.FIRST_SECRETARY: Level.VILLAGE}


def visible_region(user, pk: int) -> Region:
    """The region with this primary key, if the account may open it; Region.DoesNotExist otherwise."""
    # Down to the province in the same query: the page's breadcrumbs walk the ancestors (Region.ancestors).
    return regions_visible_to(user).select_related("parent__parent__parent__parent").get(pk=pk)


def child_regions(user, region: Region) -> QuerySet[Region]:
    """The visible children of a region (townships of a county, villages of a township …), by code."""
    return regions_visible_to(user).filter(parent=region).order_by("code")


@dataclass(frozen=True)
class Crumb:
    region: Region
    visible: bool  # a commander sees the county's name but may not open its page


def breadcrumbs(user, region: Region) -> list[Crumb]:
    """The path from the county down to `region` (provinces and cities are left out: one county's office)."""
    chain = [r for r in region.ancestors() if r.level not in (Level.PROVINCE, Level.CITY)] + [region]
    visible = set(regions_visible_to(user).filter(pk__in=[r.pk for r in chain]).values_list("pk", flat=True))
    return [Crumb(r, r.pk in visible) for r in chain]


def home_region(user) -> Region | None:
    """The region page an account starts from, or None when its role works from a list of households."""
    level = _HOME_LEVEL.get(user.role)
    if level is None:
        return None
    region = getattr(user, "region", None)
    if region is not None and region.level == level:
        return region
    return regions_visible_to(user).filter(level=level).order_by("code").first()
