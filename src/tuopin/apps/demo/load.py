"""demo_build(): write the synthetic county into the database — bulk INSERTs with explicit primary
keys, one transaction, one audit batch event per table (action "demo_build", source "demo")."""

from __future__ import annotations

import datetime as dt
import time
from typing import Callable

from django.db import connection, transaction
from django.utils import timezone

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.data import ZHENLAI
from tuopin.apps.geo.models import Region, VillageYear
from tuopin.apps.geo.services import regions_load
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.monitoring.models import CaseStep, Measure, MonitoringCase
from tuopin.apps.organisation import models as om
from tuopin.apps.registry.bulk import insert_rows, reset_sequences
from tuopin.apps.registry.models import (Household, HouseholdYear, Person, PersonYear, ProcedureStep,
                                         StatusEvent)

from tuopin.common.steps import Progress, Steps
from tuopin.synth import distributions as d
from tuopin.synth.county import Registry, build_org, build_registry

from .after_exit import after_exit_story
from .aid import load_aid, load_campaign
from .asset_income import load_asset_income
from .cases import CASE_COLUMNS, MEASURE_COLUMNS, STEP_COLUMNS, case_rows
from .housing import load_renovations
from .rosters import load_rosters
from .signals import plant as plant_signals
from .work import WORK_STEPS, build_work

REGISTRY_MODELS = {
    "household": Household, "person": Person, "householdyear": HouseholdYear, "personyear": PersonYear,
    "statusevent": StatusEvent, "procedurestep": ProcedureStep, "villageyear": VillageYear,
}
EXIT_YEARS = (2016, 2017, 2018)  # the exits written on the engine's proposals, year by year
# The generator's monitoring_in events as cases found on a cadre's visit and included on the event's date
# (their stages before that are not generated: the case page says so).
# The organisation's tables in the order they are written: model, columns, the generator's rows.
ORG_TABLES = (
    (om.Unit, ("id", "name", "kind", "domain", "region_id"), "units"),
    (om.Cadre, ("id", "name", "unit_id", "post", "phone", "is_county_leader"), "cadres"),
    (om.SpecialGroup, ("id", "name", "remit", "leader_id", "deputy_id"), "special_groups"),
    (om.SpecialGroup.member_units.through, ("id", "specialgroup_id", "unit_id"), "group_units"),
    (om.WarZone, ("id", "township_id", "county_leader_id", "party_secretary_id"), "war_zones"),
    (om.WorkTeam, ("id", "start", "end", "village_id", "unit_id"), "work_teams"),
    (om.WorkTeamMember, ("id", "start", "end", "team_id", "cadre_id", "is_first_secretary"), "team_members"),
    (om.UnitVillagePairing, ("id", "start", "end", "unit_id", "village_id"), "unit_villages"),
    (om.CadreHouseholdPairing, ("id", "start", "end", "cadre_id", "household_id"), "cadre_households"),
    (om.MutualGroup, ("id", "name", "township_id", "vehicle"), "mutual_groups"),
    (om.MutualGroup.members.through, ("id", "mutualgroup_id", "cadre_id"), "group_members"),
)
# The build's steps for a progress callback: the regions, the generated registry, each registry table, each
# year's exits, the monitoring cases, the generated organisation, each organisation table, the evaluation
# round, the years after the exit, the aid payments and the 653 campaign, the work's steps, the asset-income
# ledgers, the department rosters, the accounts, the planner statistics.
STEPS = 2 + len(REGISTRY_MODELS) + len(EXIT_YEARS) + 1 + 1 + len(ORG_TABLES) + 1 + 1 + 1 + WORK_STEPS + 1 + 1 + 2


def _load(model, columns, rows, *, seed: int, scale: float) -> int:
    n = insert_rows(model, columns, rows)
    ids = [rows[0][0], rows[-1][0]] if rows else []
    audit_batch(actor=None, action="demo_build", entity=model._meta.label_lower, source="demo",
                batch={"seed": seed, "scale": scale, "rows": n, "id_range": ids},
                summary=f"demo county (seed {seed}): {n} rows of {model._meta.verbose_name_plural}")
    return n


def _skip_foreign_key_triggers() -> None:
    """On PostgreSQL, skip the per-row foreign-key triggers for this transaction when the role may.

    Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: two million rows queue two million checks,
    each locking its parent row (FOR KEY SHARE), run at COMMIT — most of a minute. The generator assigns
    every key itself and the SQLite build (foreign keys enforced) runs the same rows through the same
    tests, so the checks add time and no safety. Without the privilege the checks simply run.
    """
    if connection.vendor != "postgresql":
        return
    from django.db import DatabaseError

    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
    except DatabaseError:
        pass


def demo_build(*, seed: int, scale: float = 1.0, progress: Progress | None = None) -> dict:
    """Build the county into an empty database. Returns counts, seconds and who the accounts are.
    `progress(done, total)` counts the build's STEPS."""
    from .accounts import create_demo_accounts

    step = Steps(STEPS, progress)
    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A big page cache for this connection: the unique indexes (ID numbers, 人编号) take
            # inserts in random order, and 8 MB of cache makes every one of them a page miss.
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MB, freed when the connection closes
    with transaction.atomic():
        _skip_foreign_key_triggers()
        regions_load(path=ZHENLAI, by=None, source="demo", action="demo_build", extra={"seed": seed, "scale": scale})
        step()
        region_id = dict(Region.objects.values_list("code", "id"))
        adapt = connection.ops.adapt_datetimefield_value
        now = timezone.now()
        stamp = adapt(now)
        tz = timezone.get_default_timezone()

        def stamp_of(day):  # an event's record is created on its date, at 09:00 Beijing time
            return adapt(timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9), tz))

        reg = build_registry(seed, scale, region_id=region_id, stamp=stamp, stamp_of=stamp_of)
        step()
        tables, exits = _defer_exits(reg.tables)
        counts = {}
        for name, (columns, rows) in tables.items():
            counts[name] = _load(REGISTRY_MODELS[name], columns, rows, seed=seed, scale=scale)
            step()
        for name, n in _exit_on_the_engines_proposals(exits, seed=seed, scale=scale, step=step).items():
            counts[name] += n
        cases, steps, measures = case_rows(reg)
        counts["monitoringcase"] = _load(MonitoringCase, CASE_COLUMNS, cases, seed=seed, scale=scale)
        counts["casestep"] = _load(CaseStep, STEP_COLUMNS, steps, seed=seed, scale=scale)
        counts["measure"] = _load(Measure, MEASURE_COLUMNS, measures, seed=seed, scale=scale)
        # The renovations as the workflow's rows, agreeing with the registry's renovation fields (decision 1523).
        counts["houserenovation"], housing = load_renovations(
            reg, seed=seed, stamp=stamp, load=lambda model, columns, rows: _load(model, columns, rows, seed=seed,
                                                                                 scale=scale))
        step()
        t1 = time.perf_counter()

        org = build_org(reg, region_id=region_id)
        step()
        for model, columns, attr in ORG_TABLES:
            counts[model._meta.model_name] = _load(model, columns, getattr(org, attr), seed=seed, scale=scale)
            step()
        reset_sequences(*REGISTRY_MODELS.values(), MonitoringCase, CaseStep, Measure, HouseRenovation, om.Unit, om.Cadre, om.SpecialGroup,
                        om.SpecialGroup.member_units.through, om.WarZone, om.WorkTeam, om.WorkTeamMember,
                        om.UnitVillagePairing, om.CadreHouseholdPairing, om.MutualGroup,
                        om.MutualGroup.members.through)
        # Statistics for the tables just loaded, before the work below reads them: without them SQLite plans the
        # gap lists' reads of the ever-registered households (an IN list of 19,000 ids) six times slower.
        _analyze()
        _evaluation_round(seed)
        step()
        # After the county's exit (四个不摘): its announcement, the funds by year, what slackened (decision 1413).
        after_exit = after_exit_story(seed=seed)
        step()
        # Education and medical aid paid per person, and the 653 campaign of 2018 (decisions 1532, 1536).
        counts["aidpayment"] = load_aid(reg.tables, seed=seed, scale=scale)
        campaign = load_campaign(reg.tables, seed=seed, scale=scale)
        step()
        t2 = time.perf_counter()
        # The accountability work of 2016–2020: gap tasks by the sync, visits, completions, scores (0717).
        work = build_work(seed=seed, scale=scale, step=step)
        # The PV stations' and livestock bases' ledgers, paying what the registry's lines hold (decision 1516).
        counts["asset_income"] = load_asset_income(reg, seed=seed, scale=scale)
        step()
        t3 = time.perf_counter()
        # The departments' rosters of 2018 and 2020 through the real import, with real files' faults (decision 1539).
        rosters = load_rosters(reg.tables, seed=seed, scale=scale)
        step()
        # A few cases of each signal that figures may be gamed, planted from the seed (decision 1595).
        signals = plant_signals(seed)
        t3r = time.perf_counter()
        accounts = create_demo_accounts(reg=reg, org=org, region_id=region_id, seed=seed)
        step()
    _analyze()
    step()
    t4 = time.perf_counter()
    return {
        "seed": seed, "scale": scale, "counts": counts, "story": reg.story, "accounts": accounts, "work": work,
        "after_exit": after_exit, "campaign": campaign, "rosters": rosters,
        "signals": signals,
        "seconds": {"registry": t1 - t0, "organisation": t2 - t1, "work": t3 - t2, "rosters": t3r - t3, "accounts": t4 - t3r,
                    "total": t4 - t0},
        "headline": headline(reg),
        "monitoring": monitoring_counts(reg),
        "housing": housing,
    }


def _analyze() -> None:
    """Planner statistics for the freshly loaded tables: a server may run without autovacuum (these machines
    do), and SQLite gathers none by itself; without them the first page views plan their joins blind."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")



def _defer_exits(tables: dict) -> tuple[dict, dict]:
    """Split the 2016–2018 exit procedures off the tables: they are written year by year, on the engine's
    proposals, once the data they rest on is in the database."""
    ev_cols, ev_rows = tables["statusevent"]
    st_cols, st_rows = tables["procedurestep"]
    kind, year, event = ev_cols.index("kind"), ev_cols.index("year"), st_cols.index("event_id")
    deferred = {r[0]: r for r in ev_rows if r[kind] == "exited" and r[year] in EXIT_YEARS}
    kept = dict(tables)
    kept["statusevent"] = (ev_cols, [r for r in ev_rows if r[0] not in deferred])
    kept["procedurestep"] = (st_cols, [r for r in st_rows if r[event] not in deferred])
    exits = {"events": (ev_cols, list(deferred.values())),
             "steps": (st_cols, [r for r in st_rows if r[event] in deferred])}
    return kept, exits


def _exit_on_the_engines_proposals(exits: dict, *, seed: int, scale: float,
                                   step: Callable[[], None] = lambda: None) -> dict[str, int]:
    """For each year, the assessment engine proposes the households that meet the standard; the story's
    exits of that year go through their procedure (the steps it planned) only if the engine proposed them.
    A planned exit the engine does not find eligible stops the build: the data and the rules disagree."""
    from tuopin.apps.assessment.services import assess

    ev_cols, ev_rows = exits["events"]
    st_cols, st_rows = exits["steps"]
    household, year_ix, event_ix = ev_cols.index("household_id"), ev_cols.index("year"), st_cols.index("event_id")
    written = {"statusevent": 0, "procedurestep": 0}
    for year in EXIT_YEARS:
        _, result = assess(year=year)
        proposed = set(result.household_result.filter(result.household_result["eligible"])["household_id"].to_pylist())
        planned = [r for r in ev_rows if r[year_ix] == year]
        refused = [r[household] for r in planned if r[household] not in proposed]
        if refused:
            raise RuntimeError(f"{len(refused)} exits planned for {year} are not eligible by the rules "
                               f"(households {refused[:5]} …)")
        ids = {r[0] for r in planned}
        written["statusevent"] += insert_rows(StatusEvent, ev_cols, planned)
        written["procedurestep"] += insert_rows(ProcedureStep, st_cols, [r for r in st_rows if r[event_ix] in ids])
        audit_batch(actor=None, action="exit_procedure", entity="registry.statusevent", source="demo",
                    batch={"year": year, "proposed": len(proposed), "announced": len(planned), "seed": seed,
                           "scale": scale},
                    summary=f"{year}: {len(proposed)} households proposed by the engine, {len(planned)} exits "
                            f"announced after democratic review, notice, township review and county approval")
        step()
    return written


def _evaluation_round(seed: int) -> None:
    """The 2019 third-party evaluation on 2018 data: the sample is drawn by the evaluation service;
    the evaluators' findings are what the engine suggests for each sampled household (the visit confirms
    the data), and the satisfaction survey asks every sampled household, nearly all of them approving."""
    import random

    from django.db.models import F

    from tuopin.apps.evaluation.models import SampledHousehold
    from tuopin.apps.evaluation.services import evaluation_round_create, round_survey_record

    county = Region.objects.get(level="county")
    round_ = evaluation_round_create(county=county, data_year=2018, held_in=2019, name="2019年贫困县退出第三方评估",
                                     by=None, seed=seed)
    SampledHousehold.objects.filter(round=round_).update(finding=F("suggested"), checked_on=dt.date(2019, 7, 15))
    surveyed = round_.households.count()
    approving = surveyed - random.Random(seed).randint(0, max(surveyed // 30, 1))
    round_survey_record(round_=round_, surveyed=surveyed, approving=approving, by=None)
    audit_batch(actor=None, action="evaluation_findings", entity="evaluation.sampledhousehold", source="demo",
                batch={"round": round_.pk, "households": surveyed, "seed": seed},
                summary=f"{round_.name}: findings recorded for {surveyed} sampled households")


def monitoring_counts(reg: Registry) -> dict:
    """The story's monitoring 2021–2025 per year, read from the status event rows (decision 1440)."""
    from tuopin.synth.cases import counts_from_events

    columns, rows = reg.tables["statusevent"]
    return counts_from_events(columns, rows, d.AFTER_YEARS)


def headline(reg: Registry) -> dict:
    """Zhenlai's published figures, as this build has them (computed from the rows, not from the targets)."""
    population = {y: 0 for y in d.YEARS}
    for row in reg.tables["villageyear"][1]:
        population[row[2]] += row[3]
    poor = {y: 0 for y in d.YEARS}
    for h in reg.households:
        if h.identified is None:
            continue
        for y in d.YEARS:
            if h.poor_at_end.get(y, False):
                poor[y] += sum(1 for p in h.members if p.member_in(y))
    exits = [e for h in reg.households for e in h.events if e.kind == "exited" and 2016 <= e.year <= 2018]
    return {
        "rural_population_2015": population[2015], "poor_persons_2015": poor[2015],
        "incidence_2015": poor[2015] / population[2015] if population[2015] else 0.0,
        "registered_households_2015": sum(1 for h in reg.households if h.identified and h.identified <= 2015),
        "exited_households_2016_2018": len(exits), "exited_persons_2016_2018": sum(e.persons for e in exits),
        "poor_persons_2018": poor[2018],
        "incidence_2018": poor[2018] / population[2018] if population[2018] else 0.0,
        "renovated_2016_2018": sum(1 for h in reg.households
                                   if h.renovation_year and 2016 <= h.renovation_year <= 2018),
    }
