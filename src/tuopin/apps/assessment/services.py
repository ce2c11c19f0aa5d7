"""Assessing a year: the live registry (or a snapshot folder) through the rules, into figures and gaps."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext

from tuopin import rules, standards
from tuopin.apps.audit.services import audit_event
from tuopin.apps.geo.models import Level, Region
from tuopin.engine import duckdb_runner
from tuopin.engine.duckdb_runner import Result
from tuopin.engine.mpi import by_code

from . import live_inputs
from .models import AssessmentRun

COUNTS = ("rural_population", "poor_persons", "poor_households", "households_exited", "persons_exited",
          "households_eligible", "villages_total", "poor_villages", "poor_villages_meeting_exit")
CHILD_LEVEL = {Level.PROVINCE: "city", Level.CITY: "county", Level.COUNTY: "township", Level.TOWNSHIP: "village"}


def default_scope() -> Region:
    counties = list(Region.objects.filter(level=Level.COUNTY)[:2])
    if len(counties) != 1:
        raise ValidationError(gettext("name the county to assess (--county CODE): the registry holds no counties")
                              if not counties else
                              gettext("name the county to assess (--county CODE): the registry holds several counties"))
    return counties[0]


def assess(*, year: int, region: Region | None = None, child_level: str | None = None,
           engine: str = "duckdb") -> tuple[dict, Result]:
    """Assess the year for a county or township from the live registry; returns (summary, raw result).
    `engine="spark"` runs the same rules on the process's local Spark session (docs/spark.md)."""
    summary, result, _ = _run(year=year, region=region or default_scope(), child_level=child_level, engine=engine)
    return summary, result


def recorded_years(region: Region) -> list[int]:
    """The years the villages of a county or township have yearly records for (the engine's denominator)."""
    from tuopin.apps.geo.models import VillageYear

    digits = {Level.COUNTY: 6, Level.TOWNSHIP: 9}.get(region.level, 12)
    return list(VillageYear.objects.filter(village__code__startswith=region.code[:digits]).order_by("year")
                .values_list("year", flat=True).distinct())


def no_records_message(region: Region, year: int, years: list[int]) -> str:
    """Says that the area has no records for the year, and which years it has (decision 1251)."""
    if not years:
        return gettext("%(area)s has no yearly village records yet: there is nothing to assess.") % {
            "area": region.name}
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    return gettext("%(area)s has no yearly village records for %(year)s, so there is nothing to assess for that "
                   "year; its records cover %(span)s.") % {"area": region.name, "year": year, "span": span}


def _runner(engine: str):
    if engine == "spark":
        from tuopin.engine import spark_runner  # imported on demand: it starts a JVM

        return spark_runner
    return duckdb_runner


def _run(*, year: int, region: Region, child_level: str | None, engine: str = "duckdb"):
    if region.level not in (Level.COUNTY, Level.TOWNSHIP):
        raise ValidationError(gettext("%(region)s is a %(level)s: assess a county or a township")
                              % {"region": region, "level": region.get_level_display()})
    child_level = child_level or CHILD_LEVEL[region.level]
    params = rules.parameters(standards.load(region.code), year)
    inputs = live_inputs.read(year=year, region_code=region.code)
    runner = _runner(engine)
    con = runner.connect()
    runner.register_arrow(con, inputs)
    levels = tuple(dict.fromkeys(lvl for lvl in (region.level, child_level) if lvl != "village"))
    result = runner.run(con, params, year=year, levels=levels)
    summary = summarise(result, scope_level=region.level, scope_code=int(region.code), child_level=child_level)
    return summary, result, inputs


def summarise(result: Result, *, scope_level: str, scope_code: int | None, child_level: str,
              names: dict[int, str] | None = None) -> dict:
    """The `tuopin assess --json` object (docs/data-formats.md) from a run's roll-ups; area names from the
    database unless given (a snapshot folder brings its own regions)."""
    names = _names() if names is None else names
    mpi = {level: by_code(table, rules.INDICATORS) for level, table in result.mpi.items()}
    k = None
    if mpi:  # for an area the engine found no registered household in
        k = rules.mpi_parameters(standards.load(f"{scope_code:012d}" if scope_code else "000000"))["mpi_k"]
    top_rows = result.areas[scope_level].to_pylist()
    top = next((r for r in top_rows if scope_code is None or r["code"] == scope_code), None)
    if top is None:
        raise ValidationError(gettext("no village population figures for %(year)s in this scope: nothing to assess")
                              % {"year": result.year})
    summary = {"year": result.year,
               "scope": {"code": f"{top['code']:012d}", "name": names.get(top["code"], "全国" if top["code"] == 0 else ""),
                         "level": scope_level},
               **_figures(top), "gaps": gaps_by_indicator(result)}
    _add_mpi(summary, mpi.get(scope_level), top["code"], k)
    watched = {level: {row["code"]: row for row in table.to_pylist()} for level, table in result.monitoring.items()}
    _add_monitoring(summary, watched.get(scope_level), top["code"])
    if child_level == "village":
        children = [_add_monitoring(_village(r, names), watched.get("village"), r["village_code"])
                    for r in result.village_result.to_pylist()
                    if scope_code is None or _within(r["village_code"], scope_code)]
    else:
        children = [_add_monitoring(_add_mpi(_area(r, names), mpi.get(child_level), r["code"], k),
                                    watched.get(child_level), r["code"])
                    for r in result.areas[child_level].to_pylist()]
    summary[_plural(child_level)] = children
    return summary


def gaps_by_indicator(result: Result) -> dict[str, int]:
    """Gap rows per indicator, over the households poor at the end of the year."""
    if result.gaps_of_poor:  # counted by the engine (a national run brings no per-household rows)
        return {name: int(result.gaps_of_poor.get(name, 0)) for name in rules.INDICATORS}
    poor = result.household_result.filter(pc.field("poor_at_end"))["household_id"]
    gaps = result.household_gaps.filter(pc.is_in(result.household_gaps["household_id"], poor))
    counted = dict.fromkeys(rules.INDICATORS, 0)
    for row in gaps.group_by("indicator").aggregate([("household_id", "count")]).to_pylist():
        counted[row["indicator"]] = row["household_id_count"]
    return counted


def _add_mpi(figures: dict, by_area: dict | None, code: int, k: float) -> dict:
    """The area's Alkire–Foster measures under `mpi` (an engine that computed none leaves the key out)."""
    if by_area is not None:
        found = by_area.get(code)
        if found is None:  # no household on the registry in the area: nobody is deprived
            found = {"H": 0.0, "A": 0.0, "M0": 0.0, "k": k,
                     "censored_headcount": dict.fromkeys(rules.INDICATORS, 0.0),
                     "contribution": dict.fromkeys(rules.INDICATORS, 0.0)}
        figures["mpi"] = {key: found[key] for key in ("H", "A", "M0", "k", "censored_headcount", "contribution")}
    return figures


def _add_monitoring(figures: dict, by_area: dict | None, code: int) -> dict:
    """`monitoring_candidates`: the households the monitoring rules propose in the area (new ones: those under
    monitoring already are apart); `monitoring`: the same with their persons, their kinds and the monitored
    households that meet a criterion again (rules/sql/area_monitoring.sql). An engine that computed none leaves
    the keys out."""
    if by_area is None:
        return figures
    row = by_area.get(code) or {}
    figures["monitoring_candidates"] = int(row.get("candidates") or 0)
    figures["monitoring"] = {"candidates": figures["monitoring_candidates"],
                                 "candidate_persons": int(row.get("candidate_persons") or 0),
                                 "by_kind": {kind: int(row.get(kind) or 0) for kind in rules.MONITORING_KINDS},
                                 "monitored_at_risk": int(row.get("monitored") or 0)}
    return figures


def _within(code: int, scope_code: int) -> bool:
    digits, scope = f"{code:012d}", f"{scope_code:012d}".rstrip("0")
    return digits.startswith(scope)


def _figures(row: dict) -> dict:
    figures = {k: int(row[k] or 0) for k in COUNTS}
    figures["incidence"] = row["incidence"] if row["incidence"] is not None else 0.0
    figures["fgt"] = {"p0": row.get("p0") or 0.0, "p1": row.get("p1") or 0.0, "p2": row.get("p2") or 0.0}
    return figures


def _area(row: dict, names: dict) -> dict:
    return {"code": f"{row['code']:012d}", "name": names.get(row["code"], ""), **_figures(row)}


def _village(row: dict, names: dict) -> dict:
    meets = bool(row["incidence_ok"] and row["clinic_ok"] and row["road_ok"] and row["water_ok"]
                 and row["collective_income_ok"])
    return {"code": f"{row['village_code']:012d}", "name": names.get(row["village_code"], ""),
            "rural_population": int(row["population"]), "poor_persons": int(row["poor_persons"]),
            "incidence": row["incidence"] or 0.0, "households_exited": int(row["households_exited"]),
            "persons_exited": int(row["persons_exited"]), "households_eligible": int(row["households_eligible"]),
            "is_poor_village": bool(row["is_poor_village"]), "meets_exit_standard": meets,
            "checks": {k: bool(row[k]) for k in ("incidence_ok", "clinic_ok", "road_ok", "water_ok",
                                                   "collective_income_ok")}}


def _plural(level: str) -> str:
    return {"city": "cities", "county": "counties", "township": "townships", "village": "villages",
            "province": "provinces"}[level]


def _names() -> dict[int, str]:
    return {int(code): name for code, name in Region.objects.values_list("code", "name")}


def explain_household(*, household_id: int, year: int, region_code: str) -> list[dict]:
    """Why has this household not met the standard? The same rule text, inputs limited to the household."""
    params = rules.parameters(standards.load(region_code), year)
    con = duckdb_runner.session()
    try:
        duckdb_runner.register_arrow(con, live_inputs.read(year=year, household_ids=[household_id]))
        return duckdb_runner.explain(con, params).to_pylist()
    finally:
        con.close()


def explain_households(*, household_ids: list[int], year: int, region_code: str) -> list[dict]:
    """The gap rows of many households at once (a village's offline sheets, decision 1560): one read of their rows,
    one run of the rule text; [] when there is none to read or no poverty line stored for the year."""
    if not household_ids:
        return []
    try:
        params = rules.parameters(standards.load(region_code), year)
    except standards.StandardMissing:
        return []
    con = duckdb_runner.session()
    try:
        duckdb_runner.register_arrow(con, live_inputs.read(year=year, household_ids=list(household_ids)))
        return duckdb_runner.explain(con, params).to_pylist()
    finally:
        con.close()


def explain_monitoring(*, household_id: int, year: int, region_code: str) -> list[dict]:
    """Is this household at risk of (returning to) poverty? Its monitoring reasons with the kind proposed, from
    the same rule text on its own rows of the year and the year before; empty when none."""
    return explain_household_checks(household_id=household_id, year=year, region_code=region_code)[1]


def explain_household_checks(*, household_id: int, year: int, region_code: str) -> tuple[list[dict], list[dict]]:
    """`explain_household` and `explain_monitoring` from one read of the household's rows."""
    params = rules.parameters(standards.load(region_code), year)
    con = duckdb_runner.session()
    try:
        duckdb_runner.register_arrow(con, live_inputs.read(year=year, household_ids=[household_id]))
        return (duckdb_runner.explain(con, params).to_pylist(),
                duckdb_runner.explain_monitoring(con, params).to_pylist())
    finally:
        con.close()


@transaction.atomic
def assessment_save(*, year: int, region: Region | None = None, by, engine: str = "duckdb") -> AssessmentRun:
    """Keep the year's inputs and results as they are today, read-only, with their digest."""
    region = region or default_scope()
    summary, result, inputs = _run(year=year, region=region, child_level=None, engine=engine)
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S%f")
    folder = Path(settings.VAR_DIR) / "assessments" / str(year) / f"{region.code}-{stamp}"
    folder.mkdir(parents=True)
    for name, table in inputs.items():
        pq.write_table(table, folder / f"input-{name}.parquet")
    for name in ("household_gaps", "household_result", "village_result"):
        pq.write_table(getattr(result, name), folder / f"result-{name}.parquet")
    (folder / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=1), encoding="utf-8")
    digest = folder_digest(folder)
    for path in folder.iterdir():
        os.chmod(path, 0o444)
    run = AssessmentRun.objects.create(year=year, scope_code=region.code, scope_name=region.name, created_by=by,
                                       summary=summary, folder=str(folder), sha256=digest)
    audit_event(actor=by, action="assessment_save", entity="assessment.assessmentrun", entity_id=str(run.pk),
                source="cli", summary=f"{region.name} {year}: snapshot {digest[:12]}")
    return run


def folder_digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.iterdir()):
        if path.is_file():
            h.update(path.name.encode())
            h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
