"""The consolidation ledger (统筹整合涉农资金台账) and the funds' figures: reads, never writes.

A year's ledger lists the funds of that year, each with what it holds, what it allocated to projects, what was
spent from it and the balance (allocated − spent); the services keep spent ≤ allocated ≤ the fund (decision
1500), so every line and the totals read allocated = spent + balance. Read for a set of projects (a war zone's,
a village's), a line counts only the entries on those projects, and the funds' own amounts are left out: they are
the county's. The four-not-removes check reads `funds_by_year` for "funding not reduced" (不摘政策).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet, Sum

from .choices import FundSource, ProjectKind
from .models import Allocation, Fund, Spending


@dataclass
class LedgerLine:
    fund: Fund
    allocated_fen: int = 0
    spent_fen: int = 0

    @property
    def amount_fen(self) -> int:
        return self.fund.amount_fen

    @property
    def balance_fen(self) -> int:
        return self.allocated_fen - self.spent_fen

    @property
    def unallocated_fen(self) -> int:
        return self.fund.amount_fen - self.allocated_fen


@dataclass
class Ledger:
    year: int
    lines: list[LedgerLine]
    scoped: bool  # read for a set of projects: the funds' own amounts are not shown
    by_kind: dict[str, dict[str, int]] = field(default_factory=dict)

    def _sum(self, attr: str) -> int:
        return sum(getattr(line, attr) for line in self.lines)

    @property
    def amount_fen(self) -> int:
        return self._sum("amount_fen")

    @property
    def allocated_fen(self) -> int:
        return self._sum("allocated_fen")

    @property
    def spent_fen(self) -> int:
        return self._sum("spent_fen")

    @property
    def balance_fen(self) -> int:
        return self._sum("balance_fen")

    @property
    def unallocated_fen(self) -> int:
        return self._sum("unallocated_fen")

    @property
    def by_source(self) -> dict[str, dict[str, int]]:
        out: dict[str, dict[str, int]] = {}
        for source in FundSource.values:
            lines = [line for line in self.lines if line.fund.source == source]
            if lines:
                out[source] = _figures(sum(line.allocated_fen for line in lines),
                                       sum(line.spent_fen for line in lines))
                if not self.scoped:
                    out[source]["amount"] = sum(line.amount_fen for line in lines)
        return out

    def figures(self) -> dict:
        """The JSON of `tuopin assess` (docs/commands.md): fen throughout."""
        out = _figures(self.allocated_fen, self.spent_fen)
        if not self.scoped:
            out["amount"] = self.amount_fen
        return {"year": self.year, **out, "by_kind": self.by_kind, "by_source": self.by_source}


def _figures(allocated: int, spent: int) -> dict[str, int]:
    return {"allocated": allocated, "spent": spent, "balance": allocated - spent}


def county_funds(county=None) -> QuerySet[Fund]:
    """The funds of a county (and those recorded without one, in a one-county installation)."""
    qs = Fund.objects.all()
    return qs if county is None else qs.filter(Q(county=county) | Q(county__isnull=True))


def ledger(year: int, *, county=None, projects: QuerySet | None = None) -> Ledger:
    """The year's ledger; with `projects`, only what was allocated to and spent on them."""
    funds = list(county_funds(county).filter(year=year).order_by("source", "name", "pk"))
    lines = {fund.pk: LedgerLine(fund) for fund in funds}
    by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for i, model in enumerate((Allocation, Spending)):
        entries = model.objects.filter(fund__in=funds)
        if projects is not None:
            entries = entries.filter(project__in=projects.values("pk"))
        for fund_id, kind, total in (entries.values("fund_id", "project__kind").order_by()
                                     .annotate(total=Sum("amount_fen")).values_list("fund_id", "project__kind", "total")):
            line = lines[fund_id]
            if i == 0:
                line.allocated_fen += total
            else:
                line.spent_fen += total
            by_kind[kind][i] += total
    kinds = {kind: _figures(*by_kind[kind]) for kind in ProjectKind.values if kind in by_kind}
    if projects is not None:  # a zone's ledger shows the funds that reached it
        shown = [line for line in lines.values() if line.allocated_fen or line.spent_fen]
    else:
        shown = list(lines.values())
    return Ledger(year, shown, projects is not None, kinds)


def ledger_years(county=None) -> list[int]:
    return sorted(set(county_funds(county).values_list("year", flat=True)))


def funds_by_year(first: int, last: int, county=None) -> dict[int, int]:
    """{year: what the year's funds hold, in fen} from `first` to `last`; a year without funds is absent."""
    return dict(county_funds(county).filter(year__gte=first, year__lte=last).values("year").order_by("year")
                .annotate(total=Sum("amount_fen")).values_list("year", "total"))


def funds_figures(region, year: int) -> dict:
    """`funds` of `tuopin assess --json` for an area: the county's ledger of the year, or, for a township or a
    village, what was allocated to and spent on the projects serving it (fen; docs/commands.md)."""
    from .models import Project

    if region.level == "county":
        return ledger(year, county=region).figures()
    county = next((a for a in region.ancestors() if a.level == "county"), None)
    prefix = region.code[:{"province": 2, "city": 4, "township": 9}.get(region.level, 12)]
    serving = Project.objects.filter(villages__code__startswith=prefix).values("pk")
    return ledger(year, county=county, projects=Project.objects.filter(pk__in=serving)).figures()
