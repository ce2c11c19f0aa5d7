"""Reading campaigns for an account's area: the campaigns with targets there, and the board — each village's
progress against its targets, the townships' sums, the days left, and the villages behind schedule (decision 1535).

A village is behind on a kind when the share it has done is less than the share of the campaign's days gone by
(the days up to and including the day the board is read for): a campaign's target is meant to be met evenly
enough to be done on its last day. A village is behind when it is behind on any kind."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Sum

from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.geo.models import Level, Region

from .choices import UNITS, TargetKind
from .models import Campaign, Participant, ProgressLog, Target


def villages_for(user):
    """The villages whose targets and progress the account reads: none for a role that sees no campaigns."""
    from tuopin.apps.accounts.permissions import Action, may

    if not may(user, Action.SEE_CAMPAIGNS):
        return Region.objects.none()
    return regions_visible_to(user).filter(level=Level.VILLAGE)


def participants(campaign: Campaign) -> list[Participant]:
    """Who takes part: the units first, then the cadres, each by name (a cadre with its unit)."""
    rows = campaign.participants.select_related("unit", "cadre__unit")
    return sorted(rows, key=lambda p: (p.cadre_id is not None,
                                       p.cadre.unit.name if p.cadre_id else p.unit.name,
                                       p.cadre.name if p.cadre_id else ""))


def units():
    """The units the county office may add to a campaign: every unit of the county, by name."""
    from tuopin.apps.organisation.models import Unit

    return list(Unit.objects.order_by("name"))


def campaigns_for(user):
    """Campaigns with a target in the account's area (the county office: every campaign, with targets or not)."""
    from tuopin.apps.accounts.models import Role

    if getattr(user, "role", None) == Role.COUNTY_ADMIN:
        return Campaign.objects.all()
    return Campaign.objects.filter(pk__in=Target.objects.filter(village__in=villages_for(user))
                                   .values("campaign_id"))


@dataclass
class Cell:
    target: int = 0
    done: int = 0

    @property
    def share(self) -> float:
        return self.done / self.target if self.target else 0.0

    @property
    def percent(self) -> int:
        return int(self.share * 100)


@dataclass
class Line:
    region: Region
    cells: dict = field(default_factory=dict)  # kind → Cell
    behind_kinds: list = field(default_factory=list)

    @property
    def behind(self) -> bool:
        return bool(self.behind_kinds)


@dataclass
class Board:
    campaign: Campaign
    on: dt.date
    kinds: list                 # (kind, label, unit) of the kinds with targets
    days_gone: int
    days_left: int
    expected: float             # the share of the days gone by
    villages: list              # Line per village, by township and code
    townships: list             # Line per township
    total: Line | None = None

    @property
    def expected_percent(self) -> int:
        return int(self.expected * 100)

    @property
    def behind_count(self) -> int:
        return sum(1 for v in self.villages if v.behind)


def elapsed(campaign: Campaign, on: dt.date) -> tuple[int, int]:
    """(days gone by, days left) on `on`, the day itself counted as gone."""
    if on < campaign.start:
        return 0, campaign.days
    if on > campaign.end:
        return campaign.days, 0
    gone = (on - campaign.start).days + 1
    return gone, campaign.days - gone


def board(user, campaign: Campaign, on: dt.date, *, township: Region | None = None) -> Board:
    villages = villages_for(user)
    if township is not None:
        villages = villages.filter(parent=township)
    targets = Target.objects.filter(campaign=campaign, village__in=villages).select_related("village__parent")
    done = {(r["village_id"], r["kind"]): r["n"] for r in
            current(campaign).filter(village__in=villages, day__lte=on)
            .values("village_id", "kind").annotate(n=Sum("count")).order_by()}
    gone, left = elapsed(campaign, on)
    expected = gone / campaign.days
    lines: dict[int, Line] = {}
    by_township: dict[int, Line] = {}
    total = Line(region=None)  # type: ignore[arg-type]
    kinds_seen = set()
    for t in targets:
        kinds_seen.add(t.kind)
        line = lines.setdefault(t.village_id, Line(t.village))
        cell = line.cells.setdefault(t.kind, Cell())
        cell.target += t.count
        cell.done += done.get((t.village_id, t.kind), 0)
        for agg in (by_township.setdefault(t.village.parent_id, Line(t.village.parent)), total):
            c = agg.cells.setdefault(t.kind, Cell())
            c.target += t.count
            c.done += done.get((t.village_id, t.kind), 0)
    for line in (*lines.values(), *by_township.values(), total):
        line.behind_kinds = [k for k, c in line.cells.items() if c.done < c.target and c.share < expected]
    kinds = [(k, TargetKind(k).label, UNITS[k]) for k in TargetKind.values if k in kinds_seen]
    order = lambda line: line.region.code  # noqa: E731
    return Board(campaign=campaign, on=on, kinds=kinds, days_gone=gone, days_left=left, expected=expected,
                 villages=sorted(lines.values(), key=order), townships=sorted(by_township.values(), key=order),
                 total=total if lines else None)


def current(campaign: Campaign):
    """The logs that count: those no later log corrects (decision 1610)."""
    return ProgressLog.objects.filter(campaign=campaign, correction__isnull=True)


def logs_for(user, campaign: Campaign):
    """Every log of the account's villages, newest first, corrected ones too (`superseded`), with the log each
    correction corrects."""
    return (ProgressLog.objects.filter(campaign=campaign, village__in=villages_for(user))
            .annotate(superseded=Exists(ProgressLog.objects.filter(corrects=OuterRef("pk"))))
            .select_related("village__parent", "corrects").order_by("-day", "-id"))


def totals_by_kind(campaign: Campaign) -> dict:
    """{kind: (target, done)} over the whole campaign: what the demo's test reads."""
    targets = defaultdict(int)
    for r in Target.objects.filter(campaign=campaign).values("kind").annotate(n=Sum("count")).order_by():
        targets[r["kind"]] = r["n"]
    logged = {r["kind"]: r["n"] for r in current(campaign).values("kind")
              .annotate(n=Sum("count")).order_by()}
    return {k: (targets[k], logged.get(k, 0)) for k in targets}
