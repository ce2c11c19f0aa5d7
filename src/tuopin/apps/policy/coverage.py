"""倒查正推 for an area and a year: the live registry and the departments' current rosters through the policy rules
(tuopin.engine.coverage), summarised as `tuopin coverage --json` and the coverage pages give it."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext

from tuopin import rules, standards
from tuopin.apps.assessment import live_inputs
from tuopin.apps.assessment.services import CHILD_LEVEL
from tuopin.apps.geo.models import Level, Region
from tuopin.engine import coverage as engine
from tuopin.engine import duckdb_runner
from tuopin.standards import policies

from .models import MATCHED, Roster, RosterEntry


def roster_rows(year: int, region: Region | None = None) -> list[tuple]:
    """(year, kind, person_id or None, died_on, started_on) of the current rosters: the year's rosters of every kind
    and the death rosters of earlier years (a death is a death after its year too), one presence row per roster of
    the year and one row per entry proving a person, of the region's persons when given."""
    current = Roster.objects.filter(current=True)
    rows: list[tuple] = [(year, kind, None, None, None)
                         for kind in current.filter(year=year).values_list("kind", flat=True).distinct()]
    entries = (RosterEntry.objects.filter(roster__in=current, person__isnull=False)
               .filter(Q(roster__year=year) | Q(roster__kind="death", roster__year__lte=year))
               .filter(MATCHED))  # the one rule of a proving match (decision 1543)
    if region is not None:
        entries = entries.filter(person__household__village__code__startswith=live_inputs._prefix(region.code))
    for roster_year, kind, person_id, extra in entries.values_list("roster__year", "roster__kind", "person_id",
                                                                    "extra").iterator():
        extra = extra or {}
        rows.append((roster_year, kind, person_id, _date(extra.get("死亡日期")), _date(extra.get("开始日期"))))
    return rows


def roster_matches_for_export(user, year: int | None):
    """For `tuopin export --format parquet`: the snapshot's optional roster_matches (decision 1553), as the
    engine reads it live, but of the rosters and rows the account sees (decision 1542) and of the persons the
    export writes. Passed to the registry's export, which calls it with its tables; no row, no table."""
    from tuopin.apps.accounts.scoping import roster_entries_visible_to, rosters_visible_to
    from tuopin.apps.audit.context import note_read

    def tables(exported: dict) -> dict:
        persons = set(exported["persons"]["person_id"].to_pylist())
        current = rosters_visible_to(user).filter(current=True)
        entries = roster_entries_visible_to(user).filter(roster__in=current.values("pk"), person__isnull=False) \
            .filter(MATCHED)
        if year:
            current = current.filter(year=year)
            entries = entries.filter(Q(roster__year=year) | Q(roster__kind="death", roster__year__lte=year))
        rows: list[tuple] = [(y, kind, None, None, None)
                             for y, kind in current.values_list("year", "kind").distinct().order_by("year", "kind")]
        read = []
        for pk, roster_year, kind, person_id, extra in entries.values_list(
                "pk", "roster__year", "roster__kind", "person_id", "extra").order_by("pk").iterator():
            if person_id in persons:
                extra = extra or {}
                rows.append((roster_year, kind, person_id, _date(extra.get("死亡日期")), _date(extra.get("开始日期"))))
                read.append(pk)
        note_read("policy.rosterentry", read)  # into the export's audit event
        return {"roster_matches": live_inputs.roster_matches(rows)} if rows else {}
    return tables


def _date(value) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except (TypeError, ValueError):
        return None


def run(*, year: int, region: Region, rows: list[tuple] | None = None, persons: bool = True) -> engine.Coverage:
    """The policy rules over the region's registry and the current rosters (`rows`: roster_rows' shape, given by a
    test in place of the rosters)."""
    if region.level not in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        raise ValidationError(gettext("%(region)s is a %(level)s: choose a county, a township or a village")
                              % {"region": region, "level": region.get_level_display()})
    params = rules.parameters(standards.load(region.code), year)
    inputs = live_inputs.read(year=year, region_code=region.code,
                              tables=("households", "persons", "persons_yearly", "status_events"))
    inputs["roster_matches"] = live_inputs.roster_matches(roster_rows(year, region) if rows is None else rows)
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, inputs)
    levels = tuple(lvl for lvl in (region.level, CHILD_LEVEL.get(region.level)) if lvl and lvl != "village")
    return engine.run(con, params, year=year, levels=levels, persons=persons)


def figures(result: engine.Coverage, *, level: str, code: int) -> dict[str, dict]:
    """{policy: {eligible, covered, eligible_not_covered, covered_not_eligible, basis}} of one area (every policy of
    the catalogue, with zeros where the area has no row)."""
    if level == "village":
        rows = [r for r in result.villages.to_pylist() if r["village_code"] == code]
    else:
        rows = [r for r in result.areas[level].to_pylist() if r["code"] == code]
    found = {r["policy"]: r for r in rows}
    out = {}
    for policy in policies.catalogue():
        row = found.get(policy, {})
        out[policy] = {key: int(row.get(key) or 0) for key in COUNTS} | {"basis": result.bases.get(policy, "")}
    return out


COUNTS = ("eligible", "covered", "eligible_not_covered", "covered_not_eligible")


def signal_counts(result: engine.Coverage) -> dict[str, int]:
    """{kind: persons} for every signal kind (0 where none)."""
    counts = dict.fromkeys(rules.SIGNAL_KINDS, 0)
    for kind in result.signals["kind"].to_pylist():
        counts[kind] += 1
    return counts


def summary(result: engine.Coverage, region: Region, only: tuple[str, ...] | None = None) -> dict:
    """The `tuopin coverage --json` object (docs/data-formats.md §6, §7); `only`: the policies shown (a
    department's)."""
    catalogue = policies.catalogue()
    by_policy = figures(result, level=region.level, code=int(region.code))
    return {
        "year": result.year,
        "scope": {"code": region.code, "name": region.name, "level": str(region.level)},
        "policies": [{"code": code, "name": catalogue[code].name, **{k: by_policy[code][k] for k in COUNTS}}
                     for code in catalogue if only is None or code in only],
        "signals": signal_counts(result),
    }


def policies_for(account) -> tuple[str, ...]:
    """The policies whose coverage the account sees: all of them, or a department's domain's (decision 1554)."""
    from tuopin.apps.accounts.permissions import Action, may, require

    require(account, Action.SEE_COVERAGE)
    return tuple(code for code in policies.catalogue() if may(account, Action.SEE_COVERAGE, code))


def check_policy(*, by, policy: str) -> None:
    """Refuses `by` a policy's coverage it may not see (a department: another domain's)."""
    from tuopin.apps.accounts.permissions import Action, require

    require(by, Action.SEE_COVERAGE, policy)


def from_folder(folder: str, *, year: int) -> dict:
    """The summary of a whole snapshot folder (the nation): its roster_matches if it has them, else none."""
    params = rules.parameters(standards.load("000000"), year)
    con = duckdb_runner.connect_for_folder()
    duckdb_runner.register_parquet(con, folder, year=year)
    result = engine.run(con, params, year=year, levels=("nation",), persons=False, folder=folder)
    catalogue = policies.catalogue()
    by_policy = figures(result, level="nation", code=0)
    return {"year": year, "scope": {"code": "000000000000", "name": "全国", "level": "nation"},
            "policies": [{"code": code, "name": catalogue[code].name, **{k: by_policy[code][k] for k in COUNTS}}
                         for code in catalogue],
            "signals": signal_counts(result)}
