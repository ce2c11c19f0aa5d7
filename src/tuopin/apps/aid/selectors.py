"""Reading aid payments, always through the scoping layer: a household's members' payments, and the totals of
an area by kind, year and township (decision 1530)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Sum

from tuopin.apps.accounts.scoping import aid_payments_visible_to
from tuopin.apps.geo.models import Region
from tuopin.common.masking import mask_id

from .choices import AidKind, area_of


def payments_for(user):
    return aid_payments_visible_to(user)


@dataclass
class HouseholdAid:
    rows: list[dict]
    total_fen: int


def household_aid(user, household) -> HouseholdAid:
    """The payments to the household's members the account may see, newest first; ID numbers masked unless the
    account may see them."""
    from tuopin.apps.accounts.permissions import Action, may

    unmasked = may(user, Action.SEE_ID_NUMBERS)
    rows = []
    payments = (payments_for(user).filter(household=household).select_related("person", "department")
                .order_by("-year", "-paid_on", "-id"))
    for p in payments:
        rows.append({"payment": p, "name": p.person.name,
                     "id_number": p.person.id_number if unmasked else mask_id(p.person.id_number),
                     "kind": AidKind(p.kind).label if p.kind in AidKind.values else p.kind,
                     "area": area_of(p.kind), "amount_fen": p.amount_fen})
    return HouseholdAid(rows, sum(r["amount_fen"] for r in rows))


@dataclass
class Totals:
    years: list[int]
    kinds: list[tuple[str, str]]                       # (code, label) of the kinds with payments
    by_kind_year: dict = field(default_factory=dict)   # (kind, year) → fen
    by_kind: dict = field(default_factory=dict)        # kind → fen
    by_year: dict = field(default_factory=dict)        # year → fen
    by_township: list = field(default_factory=list)    # (township, fen, persons)
    total_fen: int = 0
    persons: int = 0


def totals(user, *, township: Region | None = None, year: int | None = None) -> Totals:
    """The account's payments summed by kind and year, and by township (of one township when given; of one year
    when given, for the township table)."""
    qs = payments_for(user)
    if township is not None:
        qs = qs.filter(village__parent=township)
    cells = qs.values("kind", "year").annotate(fen=Sum("amount_fen")).order_by()
    by_kind_year: dict = {}
    by_kind: dict = defaultdict(int)
    by_year: dict = defaultdict(int)
    for c in cells:
        by_kind_year[(c["kind"], c["year"])] = c["fen"]
        by_kind[c["kind"]] += c["fen"]
        by_year[c["year"]] += c["fen"]
    in_year = qs.filter(year=year) if year else qs
    per_township = (in_year.values("village__parent").annotate(fen=Sum("amount_fen"),
                                                               persons=Count("person", distinct=True)).order_by())
    names = {r.pk: r for r in Region.objects.filter(pk__in=[t["village__parent"] for t in per_township])}
    by_township = sorted(((names[t["village__parent"]], t["fen"], t["persons"]) for t in per_township),
                         key=lambda t: t[0].code)
    kinds = [(k, str(label)) for k, label in AidKind.choices if k in by_kind]
    return Totals(years=sorted(by_year), kinds=kinds, by_kind_year=by_kind_year, by_kind=dict(by_kind),
                  by_year=dict(by_year), by_township=by_township, total_fen=sum(by_year.values()),
                  persons=in_year.values("person").distinct().count())
