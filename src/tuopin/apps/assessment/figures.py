"""The engine's figures for pages and documents: the assessment of `assessment.services.assess`, cached per write.

Assessing a county's year takes seconds, so each (scope, year) summary is kept in Django's cache under a key
that also names the latest write in the audit trail: every write leaves an audit event, so any change to the
registry makes a new key and the next page assesses afresh (decision 0600) — from the kept per-household rows,
judging again only the households the writes since name (`increments`, decision 1380). Nothing here
computes a figure of its own: counts, incidence, FGT, village checks and gaps all come from the rule text.
A township's run also keeps every household's gap rows under the same kind of key: the household page reads
them there instead of running the rules on the household again (decision 0955).

Figures are aggregates of an area; the per-household gap lists are limited to the households the account
may see (`accounts.scoping`), like every other read.

The key is `tuopin:figures:<scope code>:<year>:<id of the latest audit event that records a write>`; audit events
that change nothing (`export`, `access_refused`, logins, reads) are left out of the marker (`audit.marker`), so
downloading a report does not throw the figures away. The marker is read before assessing: figures stored under
it are at least as new as it says. The cache is Django's default (local memory, per process): a second worker
simply assesses once more. Entries live 24 h at most, as a bound on memory; a year without village records is
cached as "nothing" too. Tests clear the cache around each test (a rolled-back test can leave the same audit id
behind).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow.compute as pc
from django.core.cache import cache
from django.core.exceptions import ValidationError

from tuopin import rules, standards
from tuopin.apps.accounts.scoping import households_visible_to
from tuopin.apps.audit.marker import NO_WRITE_ACTIONS, latest_write_id
from tuopin.apps.geo.models import Level, Region, VillageYear
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, Person

from . import increments
from . import services as assessment

INDICATORS = rules.INDICATORS  # income, food_clothing, education, medical, housing, water
VILLAGE_CHECKS = ("incidence_ok", "clinic_ok", "road_ok", "water_ok", "collective_income_ok")
# Audit actions that change no row: they must not throw away the cached figures (audit.marker keeps the list).
READ_ACTIONS = NO_WRITE_ACTIONS
CACHE_SECONDS = 24 * 3600  # a bound on memory; the write marker is what keeps figures true
_CODE_DIGITS = {Level.COUNTY: 6, Level.TOWNSHIP: 9}


def write_marker() -> int:
    """The id of the latest audit event that records a write (0 before the first one): one lookup in a partial
    index however many reads follow it (audit.marker).

    Read before assessing: figures computed after it are at least as new as the key says."""
    return latest_write_id()


def _villages_under(region: Region):
    if region.level == Level.VILLAGE:
        return Region.objects.filter(pk=region.pk)
    return Region.objects.filter(level=Level.VILLAGE, code__startswith=region.code[:_CODE_DIGITS[region.level]])


def years_with_records(region: Region) -> list[int]:
    """Years in which the villages of the area have their yearly record (the engine's denominator)."""
    return list(VillageYear.objects.filter(village__in=_villages_under(region)).order_by("year")
                .values_list("year", flat=True).distinct())


def chosen_year(region: Region, asked: int | None) -> tuple[int | None, list[int]]:
    """The year a page shows: the one asked for (checked by `web.params.asked_year`), even when the area has no
    records for it — the page then says so (decision 1251) — else the latest year with records."""
    years = years_with_records(region)
    try:
        year = int(asked)
    except (TypeError, ValueError):
        year = None
    if year is None:
        year = years[-1] if years else None
    return year, years


def area_figures(region: Region, year: int) -> dict | None:
    """The year's figures of a county or township, from the cache or from one run of the engine.

    {"summary": the `tuopin assess --json` object (with "gaps"), "villages": one dict per village,
     "gaps_by_village": {village code: {indicator: households}},
     "gap_rows": {village code: [(household id, indicator, reason), …]} (township scope only),
     "eligible": {village code: [household id, …]} (poor in the year and no gap: 拟退出 candidates)}
    Gaps are those of households poor at the end of the year (the 短板清单 the county works on).
    None when the area has no village records for the year.
    """
    marker = write_marker()
    key = _key(region, year, marker)
    found = cache.get(key)
    if found is None:
        found = _assess(region, year, marker)
        if "household_gaps" in found:
            # A township's every household's gap rows, apart: the household page reads them instead of running the
            # rules again, and the dashboard does not unpickle them on every view.
            cache.set(_gaps_key(region.code, year, marker), found.pop("household_gaps"), CACHE_SECONDS)
            cache.set(_monitoring_key(region.code, year, marker), found.pop("household_monitoring"), CACHE_SECONDS)
        cache.set(key, found, CACHE_SECONDS)
    return found or None


def _key(region: Region, year: int, marker: int) -> str:
    return f"tuopin:figures:{region.code}:{year}:{marker}"


def _gaps_key(code: str, year: int, marker: int) -> str:
    return f"tuopin:household-gaps:{code}:{year}:{marker}"


def _monitoring_key(code: str, year: int, marker: int) -> str:
    return f"tuopin:household-monitoring:{code}:{year}:{marker}"


def _assess(region: Region, year: int, marker: int) -> dict:
    try:
        summary, result = increments.assess(region, year, marker)
    except (ValidationError, standards.StandardMissing):
        # No village figures for the year, or no poverty line stored for it (decision 1140): cached too, until the
        # next write; the pages say which.
        return {}
    villages = summary["villages"] if region.level == Level.TOWNSHIP else assessment.summarise(
        result, scope_level=region.level, scope_code=int(region.code), child_level="village")["villages"]
    poor = result.household_result.filter(pc.field("poor_at_end")).select(["household_id", "village_code"])
    village_of = dict(zip(poor["household_id"].to_pylist(), poor["village_code"].to_pylist()))
    gaps = result.household_gaps.filter(pc.is_in(result.household_gaps["household_id"], poor["household_id"]))
    by_village: dict[str, dict[str, int]] = {}
    rows: dict[str, list] = {}
    for hid, indicator, reason in zip(*(gaps[col].to_pylist() for col in ("household_id", "indicator", "reason"))):
        code = f"{village_of[hid]:012d}"
        counts = by_village.setdefault(code, dict.fromkeys(INDICATORS, 0))
        counts[indicator] += 1
        if region.level == Level.TOWNSHIP:
            rows.setdefault(code, []).append((hid, indicator, reason))
    eligible: dict[str, list[int]] = {}
    ready = result.household_result.filter(pc.field("eligible"))
    for hid, code in zip(ready["household_id"].to_pylist(), ready["village_code"].to_pylist()):
        eligible.setdefault(f"{code:012d}", []).append(hid)
    watched = _watched(result)
    found = {"summary": summary, "villages": villages, "gaps_by_village": by_village, "gap_rows": rows,
             "eligible": eligible,
             "monitoring_by_village": {f"{r['code']:012d}": r for r in result.monitoring["village"].to_pylist()},
             "monitoring_rows": {}}
    if region.level == Level.TOWNSHIP:  # a county's would be megabytes to unpickle per page: explain is cheaper
        found["household_gaps"] = _by_household(result.household_gaps)
        found["household_monitoring"] = watched
        for hid, seen in watched.items():
            found["monitoring_rows"].setdefault(f"{seen['village_code']:012d}", []).append((hid, seen))
    return found


def _watched(result) -> dict[int, dict]:
    """{household id: {"kind", "candidate", "village_code", "reasons": [(criterion, reason), …]}} from a run's
    monitoring rows (rules/sql/monitoring_candidates.sql, monitoring_result.sql)."""
    table = result.monitoring_result
    out = {hid: {"kind": kind, "candidate": candidate, "village_code": code, "reasons": []}
           for hid, kind, candidate, code in zip(*(table[col].to_pylist() for col in (
               "household_id", "kind", "candidate", "village_code")))}
    reasons = result.monitoring_candidates
    for hid, criterion, reason in zip(*(reasons[col].to_pylist() for col in ("household_id", "criterion", "reason"))):
        if hid in out:
            out[hid]["reasons"].append((criterion, reason))
    return out


def _by_household(gaps) -> dict[int, list[tuple[str, str]]]:
    out: dict[int, list[tuple[str, str]]] = {}
    for hid, indicator, reason in zip(*(gaps[col].to_pylist() for col in ("household_id", "indicator", "reason"))):
        out.setdefault(hid, []).append((indicator, reason))
    return out


def trend(region: Region, years: list[int]) -> list[dict]:
    """One entry per year with records: the area's summary (for the incidence line and exits by area)."""
    out = []
    for year in years:
        figures = area_figures(region, year)
        if figures:
            out.append(figures["summary"])
    return out


def cached_trend(region: Region, years: list[int]) -> list[dict] | None:
    """The trend if every year's figures are in the cache already, else None (the page then loads it apart)."""
    marker = write_marker()
    keys = {_key(region, year, marker): year for year in years}
    found = cache.get_many(list(keys))
    if len(found) < len(keys):
        return None
    return [found[key]["summary"] for key in keys if found[key]]


# --- a village's exit readiness ------------------------------------------------------------------------------

@dataclass
class Check:
    name: str  # one of VILLAGE_CHECKS
    passed: bool
    value: object  # the figure behind it (a fraction, a yes/no, fen)
    threshold: object


@dataclass
class GapRow:
    household: Household  # with .head_name
    indicator: str
    reason: str


@dataclass
class WatchRow:  # 监测预警: one household the monitoring rules propose (or find at risk while monitored)
    household: Household  # with .head_name
    kind: str  # unstable / marginal / sudden / monitored (rules/sql/monitoring_result.sql)
    candidate: bool  # False: under monitoring already
    reasons: list[tuple[str, str]]  # (criterion, the rule text's reason)


@dataclass
class VillageReadiness:  # 贫困村退出 readiness for one year
    year: int
    row: dict  # the engine's village dict (see assessment.services._village)
    record: VillageYear
    checks: list[Check]
    gaps: list[GapRow]  # households poor at the end of the year, only those the account may see
    watch: list[WatchRow] = field(default_factory=list)  # 监测预警, only the households the account may see

    @property
    def candidates(self) -> list[WatchRow]:
        return [row for row in self.watch if row.candidate]

    @property
    def meets(self) -> bool:
        return self.row["meets_exit_standard"]

    @property
    def failing(self) -> list[Check]:
        return [check for check in self.checks if not check.passed]


def village_readiness(user, village: Region, year: int) -> VillageReadiness | None:
    township = village.parent
    figures = area_figures(township, year)
    row = next((v for v in (figures or {}).get("villages", []) if v["code"] == village.code), None)
    if row is None:
        return None
    record = VillageYear.objects.get(village=village, year=year)
    exit_rules = standards.load(village.code).section("village_exit")
    incidence_line = exit_rules["incidence_below_west" if village.west else "incidence_below"]
    ok = row["checks"]
    checks = [
        Check("incidence_ok", ok["incidence_ok"], row["incidence"], incidence_line),
        Check("clinic_ok", ok["clinic_ok"], (record.has_clinic, record.has_qualified_doctor), None),
        Check("road_ok", ok["road_ok"], record.road_hardened, None),
        Check("water_ok", ok["water_ok"], record.safe_water, None),
        Check("collective_income_ok", ok["collective_income_ok"], record.collective_income_fen,
              int(exit_rules["collective_income_yuan_at_least"] * 100)),
    ]
    return VillageReadiness(year, row, record, checks, _gap_rows(user, figures["gap_rows"].get(village.code, [])),
                            _watch_rows(user, figures.get("monitoring_rows", {}).get(village.code, [])))


def _watch_rows(user, rows: list) -> list[WatchRow]:
    households = _with_heads(households_visible_to(user).filter(pk__in={hid for hid, _ in rows}).values("pk"))
    found = [WatchRow(households[hid], seen["kind"], seen["candidate"], seen["reasons"])
             for hid, seen in rows if hid in households]
    return sorted(found, key=lambda row: (not row.candidate, row.household.number))


def _gap_rows(user, rows: list) -> list[GapRow]:
    ids = {hid for hid, _, _ in rows}
    visible = households_visible_to(user).filter(pk__in=ids).values("pk")
    households = _with_heads(visible)
    return [GapRow(households[hid], indicator, reason) for hid, indicator, reason in rows if hid in households]


def with_heads(visible) -> dict[int, Household]:
    """The households (ids or a pk query the account may see) with .head_name, by id."""
    return _with_heads(visible)


def _with_heads(visible) -> dict[int, Household]:
    households = {h.pk: h for h in Household.objects.filter(pk__in=visible).select_related("village")}
    heads = dict(Person.objects.filter(household_id__in=households, relation=c.Relation.HEAD, active=True)
                 .order_by("id").values_list("household_id", "name"))
    for pk, household in households.items():
        household.head_name = heads.get(pk, "")
    return households


# --- one household's indicators ------------------------------------------------------------------------------

@dataclass
class IndicatorRow:
    indicator: str
    applies: bool  # water joins the standard in a later year
    passed: bool
    reasons: list[str]


def household_indicators(household: Household, year: int) -> list[IndicatorRow] | None:
    """Each indicator of 两不愁三保障 and income for the year, with the rule text's reasons when it fails.

    The rules judge a household on its own rows only, so the gap rows of its township's run, when that run is
    cached for the latest write, are the household's; otherwise the rules run on the household alone.
    None when the standards hold no poverty line for the year (decision 1140)."""
    return household_checks(household, year)[0]


def household_watch(household: Household, year: int) -> dict | None:
    """The household's 监测预警 for the year: {"kind", "candidate", "reasons": [(criterion, reason), …]}, or None
    when the monitoring rules propose nothing (or the standards hold no line for the year)."""
    return household_checks(household, year)[1]


def household_checks(household: Household, year: int) -> tuple[list[IndicatorRow] | None, dict | None]:
    """`household_indicators` and `household_watch` at once (the household page): from the cached run of its
    township when there is one for the latest write (one marker, one cache read), else the rules run on the
    household's own rows (one read of them for both)."""
    if year not in standards.load(household.village.code).years():
        return None, None
    marker = write_marker()
    keys = (_gaps_key(household.township.code, year, marker), _monitoring_key(household.township.code, year, marker))
    found = cache.get_many(keys)
    if len(found) == len(keys):
        gaps = found[keys[0]].get(household.pk, [])
        watch = found[keys[1]].get(household.pk)
    else:
        gap_rows, watch_rows = assessment.explain_household_checks(
            household_id=household.pk, year=year, region_code=household.village.code)
        gaps = [(gap["indicator"], gap["reason"]) for gap in gap_rows]
        watch = {"kind": watch_rows[0]["kind"], "candidate": watch_rows[0]["candidate"],
                 "reasons": [(row["criterion"], row["reason"]) for row in watch_rows]} if watch_rows else None
    water_from = standards.load(household.village.code).section("household")["water_from_year"]
    reasons: dict[str, list[str]] = {}
    for indicator, reason in gaps:
        reasons.setdefault(indicator, []).append(reason)
    return [IndicatorRow(name, name != "water" or year >= water_from, name not in reasons, reasons.get(name, []))
            for name in INDICATORS], watch


# --- 监测预警 by area (the figures `tuopin monitor` prints) ---------------------------------------------------

def monitoring_figures(region: Region, year: int) -> dict | None:
    """The households the monitoring rules propose in an area in a year, by kind, and in each child area:
    {"year", "code", "name", "level", "candidates", "candidate_persons", "by_kind": {kind: n},
     "monitored_at_risk", "children": [the same for each child area, without "children"]}.
    A county or township from its cached assessment (`area_figures`), a village from its township's, a city or
    province as the sum of its counties'. None when no county under it has figures for the year."""
    if region.level == Level.VILLAGE:
        found = area_figures(region.parent, year)
        if not found:
            return None
        row = next((v for v in found["summary"]["villages"] if v["code"] == region.code), None)
        return None if row is None else {**_watch_entry(region.code, region.name, region.level, row, year),
                                         "children": []}
    if region.level in (Level.COUNTY, Level.TOWNSHIP):
        found = area_figures(region, year)
        if not found:
            return None
        summary = found["summary"]
        key = "townships" if region.level == Level.COUNTY else "villages"
        child_level = Level.TOWNSHIP if region.level == Level.COUNTY else Level.VILLAGE
        return {**_watch_entry(region.code, region.name, region.level, summary, year),
                "children": [_watch_entry(c["code"], c["name"], child_level, c, year) for c in summary[key]]}
    digits = {Level.PROVINCE: 2, Level.CITY: 4}[region.level]
    counties = Region.objects.filter(level=Level.COUNTY, code__startswith=region.code[:digits]).order_by("code")
    children = [entry for entry in (monitoring_figures(county, year) for county in counties) if entry]
    if not children:
        return None
    for child in children:
        child.pop("children")
    total = {"candidates": 0, "candidate_persons": 0, "monitored_at_risk": 0,
             "by_kind": dict.fromkeys(rules.MONITORING_KINDS, 0)}
    for child in children:
        for name in ("candidates", "candidate_persons", "monitored_at_risk"):
            total[name] += child[name]
        for kind in rules.MONITORING_KINDS:
            total["by_kind"][kind] += child["by_kind"][kind]
    return {"year": year, "code": region.code, "name": region.name, "level": region.level, **total,
            "children": children}


def _watch_entry(code: str, name: str, level: str, figures: dict, year: int) -> dict:
    watched = figures.get("monitoring", {})
    return {"year": year, "code": code, "name": name, "level": level,
            "candidates": watched.get("candidates", 0), "candidate_persons": watched.get("candidate_persons", 0),
            "by_kind": dict(watched.get("by_kind", dict.fromkeys(rules.MONITORING_KINDS, 0))),
            "monitored_at_risk": watched.get("monitored_at_risk", 0)}


# --- exit candidates (拟退出) --------------------------------------------------------------------------------

def exit_candidates(user, region: Region, year: int):
    """Households the engine finds eligible to exit in the year (poor during it, no gap), under `region`, that the
    account may see, are poor today and have no exit procedure open for the year; with .head_name."""
    from tuopin.apps.registry.models import StatusEvent
    from tuopin.apps.procedures.procedure import CLOSED_STAGES

    scope = region.parent if region.level == Level.VILLAGE else region
    found = area_figures(scope, year) or {}
    eligible = found.get("eligible", {})
    ids = eligible.get(region.code, []) if region.level == Level.VILLAGE else \
        [hid for hids in eligible.values() for hid in hids]
    open_now = StatusEvent.objects.filter(kind=c.EventKind.EXITED, year=year).exclude(stage__in=CLOSED_STAGES)
    households = (households_visible_to(user).filter(pk__in=ids, closed=False, status__in=c.POOR_STATUSES)
                  .exclude(pk__in=open_now.values("household_id")).values("pk"))
    return sorted(_with_heads(households).values(), key=lambda h: h.number)


def line_note(code: str, year) -> dict:
    """{"note": the poverty line the year is judged by, in the reader's language, saying when it is carried on
    from an earlier year or not verified in a source (decision 1250); "status": its mark}. Empty when none."""
    from django.utils.translation import gettext

    try:
        entry = standards.load(code).line_entry(int(year))
    except (standards.StandardMissing, TypeError, ValueError):
        return {"note": "", "status": ""}
    note = gettext("Poverty line for %(year)s: %(yuan)s yuan a person a year.") % {
        "year": year, "yuan": entry["yuan"]}
    status = entry.get("status", "verified")
    if status == "carried":
        note += " " + gettext("No line published for this year was found: the %(from)s line is carried on "
                              "(unverified).") % {"from": entry.get("carried_from", "")}
    elif status == "unverified":
        note += " " + gettext("This figure is not verified in a source.")
    elif status == "partial":
        note += " " + gettext("This figure is verified in one source only.")
    return {"note": note, "status": status}
