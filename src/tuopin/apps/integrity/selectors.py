"""What an account sees of the findings (decision 1593): the county office its county's, a commander its war zone's
(the township's), never a finding that names the account's own cadre."""

from __future__ import annotations

from django.db.models import QuerySet

from tuopin.apps.accounts.models import Role
from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.organisation.selectors import code_prefix

from .models import Finding


def findings_visible_to(user, *, year: int | None = None) -> QuerySet[Finding]:
    qs = Finding.objects.none()
    if not may(user, Action.SEE_SIGNALS) or user.region is None:
        return qs
    if user.role in (Role.COUNTY_ADMIN, Role.COMMANDER):
        qs = Finding.objects.filter(township__code__startswith=code_prefix(user.region))
    if year is not None:
        qs = qs.filter(year=year)
    if getattr(user, "cadre_id", None):  # never the signals about oneself
        qs = qs.exclude(pk__in=[f.pk for f in qs.only("pk", "cadres") if user.cadre_id in (f.cadres or [])])
    return qs.select_related("township", "village", "task")


def years_found(user) -> list[int]:
    return sorted(set(findings_visible_to(user).values_list("year", flat=True)), reverse=True)
