"""Reads of the asset-income ledgers, scoped (decision 1513)."""

from __future__ import annotations

from django.db.models import Count, Sum

from tuopin.apps.accounts.permissions import Action, may
from tuopin.apps.accounts.scoping import ledger_projects_visible_to
from tuopin.apps.geo.models import Region
from tuopin.apps.projects.models import Project
from tuopin.apps.registry.choices import Relation
from tuopin.apps.registry.models import Person

from .choices import PaymentKind
from .models import Income, Participation, Payment, Plan

LEDGER_KINDS = ("pv", "livestock")


def projects_visible_to(user):
    """The stations and bases whose ledgers the account may read: every village of theirs in its area."""
    if not may(user, Action.SEE_ASSET_INCOME):
        return Project.objects.none()
    return ledger_projects_visible_to(user).filter(kind__in=LEDGER_KINDS)


def _sum(qs, field="amount_fen") -> int:
    return qs.aggregate(s=Sum(field))["s"] or 0


def station_rows(projects, year: int | None = None) -> list[dict]:
    """Per project: kWh, revenue, paid to posts, as dividends, to public works, balance (of the year, or all)."""
    inc = Income.objects.filter(project__in=projects)
    pay = Payment.objects.filter(project__in=projects, reversed_on=None)
    if year is not None:
        inc, pay = inc.filter(year=year), pay.filter(year=year)
    came = {r["project"]: r for r in inc.values("project").annotate(kwh=Sum("kwh"), fen=Sum("amount_fen"))}
    paid: dict[int, dict[str, int]] = {}
    for r in pay.values("project", "kind").annotate(fen=Sum("amount_fen")):
        paid.setdefault(r["project"], {})[r["kind"]] = r["fen"]
    rows = []
    for p in projects.prefetch_related("villages__parent").order_by("kind", "name"):
        c, k = came.get(p.pk, {}), paid.get(p.pk, {})
        revenue = c.get("fen") or 0
        out = sum(k.values())
        rows.append({"project": p, "villages": list(p.villages.all()), "kwh": c.get("kwh") or 0, "revenue_fen": revenue,
                     "posts_fen": k.get(PaymentKind.POST, 0), "dividends_fen": k.get(PaymentKind.DIVIDEND, 0),
                     "public_works_fen": k.get(PaymentKind.PUBLIC_WORKS, 0), "paid_fen": out,
                     "balance_fen": revenue - out})
    return rows


def figures(projects, year: int) -> dict:
    """`tuopin assess --json`'s `pv`: the scope's PV stations in the year (decision 1514)."""
    stations = projects.filter(kind="pv")
    inc = Income.objects.filter(project__in=stations, year=year)
    pay = Payment.objects.filter(project__in=stations, year=year, reversed_on=None)
    revenue = _sum(inc)
    posts, dividends = _sum(pay.filter(kind=PaymentKind.POST)), _sum(pay.filter(kind=PaymentKind.DIVIDEND))
    return {"stations": stations.count(), "kwh": _sum(inc, "kwh"), "revenue_fen": revenue,
            "paid_to_posts_fen": posts, "paid_as_dividends_fen": dividends,
            "balance_fen": revenue - _sum(pay)}


def months(project: Project, year: int) -> list[dict]:
    got = {i.month: i for i in Income.objects.filter(project=project, year=year)}
    if project.kind != "pv":
        return [{"month": 0, "income": got.get(0)}]
    return [{"month": m, "income": got.get(m)} for m in range(1, 13)]


def years_of(project: Project) -> list[int]:
    ys = set(Income.objects.filter(project=project).values_list("year", flat=True))
    ys |= set(Payment.objects.filter(project=project).values_list("year", flat=True))
    return sorted(ys)


def plan_of(project: Project, year: int) -> Plan | None:
    return Plan.objects.filter(project=project, year=year).first()


def payments(project: Project, year: int):
    return Payment.objects.filter(project=project, year=year).select_related("household", "person") \
        .order_by("kind", "household__number", "id")


def household_payments(household, year: int):
    """The ledger payments behind the household's wage and dividend lines of the year (the household page)."""
    return Payment.objects.filter(household=household, year=year).select_related("project", "person") \
        .order_by("kind", "id")


def village_projects(user, village: Region):
    """The village's station and the bases serving it whose ledgers the account may read."""
    return projects_visible_to(user).filter(villages=village).order_by("kind", "name")


def mask_name(name: str) -> str:
    """张三 → 张*, 欧阳小明 → 欧***: the surname and a star for each further character (the public posting)."""
    return name[:1] + "*" * (len(name) - 1) if name else ""


def posting_rows(project: Project, year: int) -> list[dict]:
    """公示: the year's payments as the village posts them: masked names, the post or work, months, amounts.
    No household number, ID number, phone or bank account (decision 1515)."""
    pays = list(Payment.objects.filter(project=project, year=year, reversed_on=None)
                .select_related("person", "household__natural_village").order_by("kind", "household__number", "id"))
    heads = dict(Person.objects.filter(household__in=[p.household_id for p in pays if p.household_id],
                                       relation=Relation.HEAD).values_list("household_id", "name"))
    rows = []
    for p in pays:
        who = p.person.name if p.person_id else heads.get(p.household_id, "")
        rows.append({"kind": PaymentKind(p.kind).label, "name": mask_name(who) if p.household_id else "",
                     "group": (p.household.natural_village.name if p.household_id and p.household.natural_village_id
                               else ""), "post": p.post, "months": p.months or "", "amount_fen": p.amount_fen})
    return rows


def count_by_kind(projects) -> dict[str, int]:
    return dict(projects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n"))



def members(project: Project, year: int):
    """A base's member households of the year with their guaranteed dividend."""
    return Participation.objects.filter(project=project, year=year).select_related("household") \
        .order_by("household__number")
