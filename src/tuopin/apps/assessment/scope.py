"""The area a command of figures reads (`tuopin monitor`, `tuopin coverage`): `--region CODE` if the account reaches
it, else the account's own county, township or village, else the county (accounts bound to no area)."""

from __future__ import annotations

from django.core.management.base import CommandError

from tuopin.apps.accounts.commands import EXIT_USAGE
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.geo.models import Level, Region

from .services import default_scope


def command_scope(user, code: str | None) -> Region:
    if code:
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise CommandError(f"no region with code {code}", returncode=EXIT_USAGE)
    else:
        region = user.region if user.region and user.region.level in (
            Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE) else default_scope()
    if not regions_visible_to(user).filter(pk=region.pk).exists():
        raise CommandError(f"{region} is outside the scope of {user.username}", returncode=EXIT_USAGE)
    return region
