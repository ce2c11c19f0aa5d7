"""Reads of funds and projects, scoped by the one scoping layer (`accounts.scoping.projects_visible_to`)."""

from __future__ import annotations

from django.db.models import QuerySet

from tuopin.apps.accounts.scoping import projects_visible_to
from tuopin.apps.geo.models import Region

from . import ledger as ledgers
from .choices import FundSource
from .models import Allocation, Project, Spending


def projects(user, *, kind: str = "", township: Region | None = None, status: str = "") -> QuerySet[Project]:
    qs = projects_visible_to(user)
    if kind:
        qs = qs.filter(kind=kind)
    if status:
        qs = qs.filter(status=status)
    if township is not None:
        qs = qs.filter(pk__in=Project.objects.filter(villages__parent=township).values("pk"))
    return qs.order_by("kind", "-year", "name")


def village_projects(user, village: Region) -> QuerySet[Project]:
    return projects_visible_to(user).filter(pk__in=Project.objects.filter(villages=village).values("pk")) \
        .order_by("kind", "year", "name")


def project_page(project: Project) -> dict:
    """What a project's page shows: its villages, budget by source, entries, checks and handovers."""
    labels = dict(FundSource.choices)
    return {
        "villages": list(project.villages.select_related("parent").order_by("code")),
        "budget": [(labels.get(s, s), amount) for s, amount in
                   project.budget_lines.order_by("source").values_list("source", "amount_fen")],
        "allocations": list(Allocation.objects.filter(project=project).select_related("fund").order_by("on", "pk")),
        "spendings": list(Spending.objects.filter(project=project).select_related("fund").order_by("on", "pk")),
        "checks": list(project.checks.all()),
        "handovers": list(project.handovers.select_related("village").order_by("village__code")),
    }


def ledger_for(user, year: int):
    """The county office's ledger of its county; a commander's of its zone's projects (decision 1501)."""
    from tuopin.apps.accounts.models import Role

    region = Region.objects.filter(pk=user.region_id).first()
    if user.role == Role.COUNTY_ADMIN:
        return ledgers.ledger(year, county=region)
    county = region.parent if region is not None else None
    return ledgers.ledger(year, county=county, projects=projects_visible_to(user))


def ledger_years_for(user) -> list[int]:
    from tuopin.apps.accounts.models import Role

    region = Region.objects.filter(pk=user.region_id).first()
    county = region if user.role == Role.COUNTY_ADMIN else (region.parent if region else None)
    return ledgers.ledger_years(county)
