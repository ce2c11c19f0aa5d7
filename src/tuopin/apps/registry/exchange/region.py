"""`--region CODE` of the export: one county, township or village, inside what the account sees.

The account's scope (`tuopin.apps.accounts.scoping`) is applied first and the region narrows it, never widens
it: a pairing cadre asking for its township gets its own households there. A code the account cannot see, or
of another level, is refused with the reason (decision 1210).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tuopin.apps.accounts.scoping import households_visible_to, regions_visible_to
from tuopin.apps.geo.models import Level, Region

from ..models import Household

LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)
_PREFIX = {Level.COUNTY: 6, Level.TOWNSHIP: 9, Level.VILLAGE: 12}


class RegionRefused(Exception):
    """The code names no county, township or village the account may export."""


def full_code(code: str) -> str:
    """A division code as people type it: 220821 or 220821100 stand for 220821000000 and 220821100000."""
    code = code.strip()
    return code.ljust(12, "0") if code.isdigit() and len(code) in (6, 9) else code


def export_region(user, code: str) -> Region:
    region = Region.objects.filter(code=full_code(code)).first()
    if region is None:
        raise RegionRefused(_("no region with the division code %(code)s") % {"code": code})
    if region.level not in LEVELS:
        raise RegionRefused(_("%(region)s is not a county, township or village; export by one of those")
                            % {"region": f"{region.name} ({region.code})"})
    seen = regions_visible_to(user).filter(pk=region.pk).exists()
    if not seen and not households_visible_to(user).filter(in_region(region)).exists():
        raise RegionRefused(_("%(region)s is outside the area of account %(account)s")
                            % {"region": f"{region.name} ({region.code})", "account": user.get_username()})
    return region


def in_region(region: Region, field: str = "") -> Q:
    """Households (through `field`, e.g. "household__") whose village lies in the region."""
    if region.level == Level.VILLAGE:
        return Q(**{f"{field}village": region})
    return Q(**{f"{field}village__code__startswith": region.code[:_PREFIX[region.level]]})


def households_to_export(user, region: Region | None) -> QuerySet[Household]:
    visible = households_visible_to(user)
    return visible if region is None else visible.filter(in_region(region))


def regions_within(region: Region) -> Q:
    """The region, the levels above it (names for the snapshot's tree) and everything below it."""
    above = [r.pk for r in region.ancestors()] + [region.pk]
    if region.level == Level.VILLAGE:
        return Q(pk__in=above) | Q(parent=region)
    return Q(pk__in=above) | Q(code__startswith=region.code[:_PREFIX[region.level]])
