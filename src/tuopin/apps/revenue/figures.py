"""The asset-income figures of an area and year, for `tuopin assess --json` (decision 1514)."""

from __future__ import annotations

from django.db.models import Q

from tuopin.apps.geo.models import Region
from tuopin.apps.projects.models import Project

from . import selectors


def pv(region: Region, year: int) -> dict:
    """{stations, kwh, revenue_fen, paid_to_posts_fen, paid_as_dividends_fen, balance_fen} of the PV stations
    whose village lies in `region` (the region itself, a township's or a county's villages)."""
    inside = Q(villages=region) | Q(villages__parent=region) | Q(villages__parent__parent=region) \
        | Q(villages__parent__parent__parent=region)
    return selectors.figures(Project.objects.filter(inside, kind="pv").distinct(), year)
