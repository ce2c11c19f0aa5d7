"""The registry, as the account sees it, into the snapshot tables of `tuopin.engine.snapshot`.

Codes, not labels: numeric codes become narrow integers ("01" → 1), the empty code of 在校生状况 and
务工状况 becomes 0, other empty codes become null. Phone numbers stay out of the snapshot (no rule
needs them); ID numbers are masked unless asked for by an account that may see them, and with them the birth
dates, down to what the school-age rule needs (masking.birth_date_for_rules, decision 1110).
"""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa

from tuopin import standards
from tuopin.apps.accounts.scoping import regions_visible_to
from tuopin.apps.audit.context import note_read
from tuopin.apps.geo.models import LEVEL_DEPTH, Level, VillageYear
from tuopin.common.masking import birth_date_for_rules, mask_id
from tuopin.engine import derived, status
from tuopin.engine import snapshot as snap

from .. import choices as c
from ..models import SHOCK_FIELDS, HouseholdYear, Person, PersonYear, StatusEvent
from .region import households_to_export, regions_within


def _int(code: str | None) -> int | None:
    return int(code) if code else None


def _table(name: str, rows: list[dict]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=snap.schema_of(name))


def snapshot_tables(*, user, year: int | None = None, unmasked: bool = False, region=None,
                    years_in: tuple[int, ...] = ()) -> dict[str, pa.Table]:
    """`year` (or `years_in`, several) limits the yearly tables; neither: every year on file."""
    years = {"year": year} if year else {"year__in": years_in} if years_in else {}
    regions = regions_visible_to(user)
    if region is not None:
        regions = regions.filter(regions_within(region))
    households = households_to_export(user, region)
    in_scope = households.values("pk")
    tables = {
        "regions": _table("regions", [
            {"code": int(r["code"]), "parent_code": _int(r["parent__code"]), "name": r["name"],
             "level": LEVEL_DEPTH[r["level"]], "kind": r["kind"], "is_rural": r["is_rural"],
             "is_poor_village": r["is_poor_village"], "poor_village_since": r["poor_village_since"], "west": r["west"]}
            for r in regions.values("code", "parent__code", "name", "level", "kind", "is_rural", "is_poor_village",
                                    "poor_village_since", "west")]),
        "villages_yearly": _table("villages_yearly", [
            {**r, "village_code": int(r.pop("village__code")), "township_code": int(r.pop("village__parent__code")),
             "county_code": int(r.pop("village__parent__parent__code")), "is_poor_village": r.pop("village__is_poor_village"),
             "west": r.pop("village__west")}
            for r in VillageYear.objects.filter(village__in=regions.filter(level=Level.VILLAGE), **years).values(
                "village__code", "village__parent__code", "village__parent__parent__code", "year", "population",
                "households", "has_clinic", "has_qualified_doctor", "road_hardened", "safe_water",
                "collective_income_fen", "village__is_poor_village", "village__west")]),
    }
    place = {}
    rows = []
    for h in households.values("id", "number", "township__parent__code", "township__code", "village__code",
                               "natural_village__code", "is_registered", "attribute", "status", "identified_year",
                               "exit_year", "primary_cause", "other_causes", "cultivated_land_mu", "housing_area_m2",
                               "closed"):
        geo = {"county_code": int(h["township__parent__code"]), "township_code": int(h["township__code"]),
               "village_code": int(h["village__code"])}
        place[h["id"]] = geo
        rows.append({"household_id": h["id"], "number": h["number"], **geo,
                     "natural_village_code": _int(h["natural_village__code"]), "is_registered": h["is_registered"],
                     "attribute": int(h["attribute"]), "status": _int(h["status"]),
                     "identified_year": h["identified_year"], "exit_year": h["exit_year"],
                     "primary_cause": _int(h["primary_cause"]), "other_causes": h["other_causes"],
                     "cultivated_land_mu": float(h["cultivated_land_mu"]), "housing_area_m2": float(h["housing_area_m2"]),
                     "closed": h["closed"]})
    tables["households"] = _table("households", rows)
    note_read("registry.household", place)  # for the export's audit event (decision 1152)

    events = list(StatusEvent.objects.filter(household__in=households.values("pk")).order_by("effective_on", "id")
                  .values("id", "household_id", "kind", "year", "stage", "effective_on", "persons",
                          "related_household_id"))
    tables["status_events"] = _table("status_events", [{**e, "event_id": e.pop("id")} for e in events])

    yearly = []
    for r in HouseholdYear.objects.filter(household__in=in_scope, **years).values(
            "household_id", "year", "members", *snap.INCOME_LINES, "production_cost_fen", "net_income_fen",
            "per_capita_net_income_fen", "housing_grade", "renovation", "renovation_year", "renovation_cost_fen",
            "renovation_grade",
            "water_litres_per_day", "water_quality_ok", "water_minutes", "water_cut_days", "water_short_area",
            "food_clothing_secure", "income_expected_stable", *SHOCK_FIELDS):
        yearly.append({**r, **place[r["household_id"]]})
    status_at = _status_at_year_end(tables["status_events"], {r["year"] for r in yearly})
    for r in yearly:
        r["status"] = status_at(r["household_id"], r["year"])
    tables["households_yearly"] = _table("households_yearly", yearly)

    id_out = (lambda x: x) if unmasked else mask_id
    birth_out = (lambda x: x) if unmasked else _birth_date_for_rules()
    persons = [
        {**p, "person_id": p.pop("id"), "id_number": id_out(p["id_number"]), "birth_date": birth_out(p["birth_date"]),
         "relation": int(p["relation"]), "ethnicity": int(p["ethnicity"]), "education": _int(p["education"]),
         "school_status": _int(p["school_status"]) or 0,
         "labour_ability": int(p["labour_ability"]), "work_status": _int(p["work_status"]) or 0}
        for p in Person.objects.filter(household__in=in_scope).values(
            "id", "household_id", "number", "id_number", "name", "sex", "birth_date", "relation", "ethnicity",
            "education", "school_status", "chronic_illness", "serious_illness", "disabled", "disability_grade",
            "labour_ability", "work_status", "work_months", "active", "left_on")]
    note_read("registry.person", [p["person_id"] for p in persons])
    tables["persons"] = _table("persons", persons)
    tables["persons_yearly"] = _table("persons_yearly", [
        {**r, "household_id": r.pop("person__household_id"), "school_status": _int(r["school_status"]) or 0}
        for r in PersonYear.objects.filter(person__household__in=in_scope, **years).values(
            "person_id", "person__household_id", "year", "school_status", "basic_medical",
            "serious_illness_insurance", "medical_assistance", "family_doctor", "pension_insurance", "dibao", "tekun",
            "work_months")])
    return tables


def _birth_date_for_rules():
    # The day the school age is counted on, from the standards the folder is assessed under (derived.STANDARDS).
    month, day = (int(x) for x in standards.load(derived.STANDARDS).section("household")["school_age_on"].split("-"))
    return lambda value: birth_date_for_rules(value, school_age_on=(month, day))


def _status_at_year_end(events: pa.Table, years: set[int]):
    """status(household, Y) for the exported yearly rows, from the engine's own rule (household_status.sql)
    over the exported events, so the column and the assessment cannot disagree."""
    answer = status.at_year_end(events, years)
    kinds = dict(zip(zip(answer["household_id"].to_pylist(), answer["year"].to_pylist()),
                     answer["kind_at_end"].to_pylist()))

    def status_of(household_id: int, year: int) -> int | None:
        kind = kinds.get((household_id, year))
        return _int(c.STATUS_AFTER_EVENT[kind]) if kind else None
    return status_of


def write_parquet(*, user, out: Path, year: int | None, unmasked: bool, region=None, optional=None) -> dict:
    """`optional(tables)`: the optional tables (snap.OPTIONAL) an app above this one adds to those written."""
    tables = snapshot_tables(user=user, year=year, unmasked=unmasked, region=region)
    if optional is not None:
        tables |= optional(tables)
    manifest = snap.write_snapshot(out, tables, masked=not unmasked)
    # The per-household rules' rows for every year the folder holds, by the engine's own rule text
    # (decision 1002): `tuopin assess --data` reads them instead of running those rules.
    derived.write(out, manifest["tables"].get("households_yearly", {}).get("years", []))
    return json.loads((Path(out) / "_snapshot.json").read_text())  # with what derived.write recorded
