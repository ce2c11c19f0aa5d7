"""demo_build(): write the synthetic county into the database — bulk INSERTs with explicit primary
keys, one transaction, one audit batch event per table (action "demo_build", source "demo")."""

from __future__ import annotations

import datetime as dt
import time

from django.db import connection, transaction
from django.utils import timezone

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.data import ZHENLAI
from tuopin.apps.geo.models import Region, VillageYear
from tuopin.apps.geo.services import regions_load
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.organisation import models as om
from tuopin.apps.registry.bulk import insert_rows, reset_sequences
from tuopin.apps.registry.models import (Household, HouseholdYear, Person, PersonYear, ProcedureStep,
                                         StatusEvent)

from . import distributions as d
from .county import Registry, build_org, build_registry

REGISTRY_MODELS = {
    "household": Household, "person": Person, "householdyear": HouseholdYear, "personyear": PersonYear,
    "statusevent": StatusEvent, "procedurestep": ProcedureStep, "villageyear": VillageYear,
}
MONITORING_COLUMNS = ("id", "household_id", "case_type", "risk", "channel", "identified_on", "note")


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


def demo_build(*, seed: int, scale: float = 1.0) -> dict:
    """Build the county into an empty database. Returns counts, seconds and who the accounts are."""
    from .accounts import create_demo_accounts

    t0 = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            # A big page cache for this connection: the unique indexes (ID numbers, 人编号) take
            # inserts in random order, and 8 MB of cache makes every one of them a page miss.
            cursor.execute("PRAGMA cache_size = -524288")  # 512 MB, freed when the connection closes
    with transaction.atomic():
        _skip_foreign_key_triggers()
        regions_load(path=ZHENLAI, by=None, source="demo", action="demo_build", extra={"seed": seed, "scale": scale})
        region_id = dict(Region.objects.values_list("code", "id"))
        adapt = connection.ops.adapt_datetimefield_value
        now = timezone.now()
        stamp = adapt(now)
        tz = timezone.get_default_timezone()

        def stamp_of(day):  # an event's record is created on its date, at 09:00 Beijing time
            return adapt(timezone.make_aware(dt.datetime(day.year, day.month, day.day, 9), tz))

        reg = build_registry(seed, scale, region_id=region_id, stamp=stamp, stamp_of=stamp_of)
        counts = {}
        for name, (columns, rows) in reg.tables.items():
            counts[name] = _load(REGISTRY_MODELS[name], columns, rows, seed=seed, scale=scale)
        counts["monitoringcase"] = _load(MonitoringCase, MONITORING_COLUMNS, _monitoring_rows(reg), seed=seed,
                                         scale=scale)
        t1 = time.perf_counter()

        org = build_org(reg, region_id=region_id)
        for model, columns, rows in (
            (om.Unit, ("id", "name", "kind", "domain", "region_id"), org.units),
            (om.Cadre, ("id", "name", "unit_id", "post", "phone", "is_county_leader"), org.cadres),
            (om.SpecialGroup, ("id", "name", "remit", "leader_id", "deputy_id"), org.special_groups),
            (om.SpecialGroup.member_units.through, ("id", "specialgroup_id", "unit_id"), org.group_units),
            (om.WarZone, ("id", "township_id", "county_leader_id", "party_secretary_id"), org.war_zones),
            (om.WorkTeam, ("id", "start", "end", "village_id", "unit_id"), org.work_teams),
            (om.WorkTeamMember, ("id", "start", "end", "team_id", "cadre_id", "is_first_secretary"),
             org.team_members),
            (om.UnitVillagePairing, ("id", "start", "end", "unit_id", "village_id"), org.unit_villages),
            (om.CadreHouseholdPairing, ("id", "start", "end", "cadre_id", "household_id"), org.cadre_households),
            (om.MutualGroup, ("id", "name", "township_id", "vehicle"), org.mutual_groups),
            (om.MutualGroup.members.through, ("id", "mutualgroup_id", "cadre_id"), org.group_members),
        ):
            counts[model._meta.model_name] = _load(model, columns, rows, seed=seed, scale=scale)
        reset_sequences(*REGISTRY_MODELS.values(), MonitoringCase, om.Unit, om.Cadre, om.SpecialGroup,
                        om.SpecialGroup.member_units.through, om.WarZone, om.WorkTeam, om.WorkTeamMember,
                        om.UnitVillagePairing, om.CadreHouseholdPairing, om.MutualGroup,
                        om.MutualGroup.members.through)
        t2 = time.perf_counter()
        accounts = create_demo_accounts(reg=reg, org=org, region_id=region_id, seed=seed)
    t3 = time.perf_counter()
    return {
        "seed": seed, "scale": scale, "counts": counts, "story": reg.story, "accounts": accounts,
        "seconds": {"registry": t1 - t0, "organisation": t2 - t1, "accounts": t3 - t2, "total": t3 - t0},
        "headline": headline(reg),
    }


def _monitoring_rows(reg: Registry) -> list[tuple]:
    rows = []
    for h in reg.households:
        for e in h.events:
            if e.kind == "monitoring_in":
                rows.append((len(rows) + 1, h.id, "unstable", h.risk, "cadre_visit", e.on, e.reason))
    return rows


def headline(reg: Registry) -> dict:
    """The seed's figures, as this build has them (computed from the rows, not from the targets)."""
    from .story import POOR, RETURNED, status_at_end

    population = {y: 0 for y in d.YEARS}
    for row in reg.tables["villageyear"][1]:
        population[row[2]] += row[3]
    poor = {y: 0 for y in d.YEARS}
    for h in reg.households:
        if h.identified is None:
            continue
        for y in d.YEARS:
            if status_at_end(h, y) in (POOR, RETURNED):
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
