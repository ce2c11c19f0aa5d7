"""The assessment rules: SQL text written once, run by every engine, explained from the same text.

Each file in `sql/` is one SELECT over the snapshot tables (see `tuopin.engine.snapshot`) and over the
results of the files before it, named after the file. `${name}` placeholders are filled with literals from
the standards in force (never from user input). The dialect is a small, ANSI-leaning subset of DuckDB's
that sqlglot transpiles to Spark: CTEs, CASE, COALESCE, window ROW_NUMBER, UNION ALL, CAST, YEAR/MONTH/DAY.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from string import Template

from tuopin.standards import Standards, policies

SQL_DIR = Path(__file__).parent / "sql"

# Household rules, in the order they run; each result is a table named after its file.
HOUSEHOLD_RULES = ("household_status", "household_person_facts", "household_gaps", "household_result", "exits",
                   "village_households", "village_result")
# The rules that yield one household's gaps and result (the live registry's narrowed runs use these).
GAP_RULES = ("household_status", "household_person_facts", "household_gaps", "household_result")
# Rules whose rows are per household and read only the snapshot's own tables and the rules before them: a
# snapshot may carry their output already computed, under the hash of the rendered texts
# (tuopin.engine.derived, decision 1002). In the order they run.
DERIVED_RULES = ("household_status", "household_person_facts", "household_gaps", "household_result", "exits",
                 "mpi_scores", "monitoring_candidates", "monitoring_result")
# Each village's sums over those rows, which the roll-ups read: a snapshot carries it derived too, by partition
# of households (a village split between two has a row in each, which its readers add up).
PER_VILLAGE_RULES = ("village_households", "village_monitoring")
# 监测预警 (monitoring after exit): the reasons per household, the kind proposed per household, each village's
# sums; run after the others (last in the run order, so that the derived tables of a folder written before them
# keep their hashes), then rolled up per area level by MONITORING_AREA_RULE (decision 1433).
MONITORING_RULES = ("monitoring_candidates", "monitoring_result", "village_monitoring")
MONITORING_AREA_RULE = "area_monitoring"
MONITORING_KINDS = ("unstable", "marginal", "sudden")
# Criteria codes in the order pages list them; gap_<indicator> for the gaps again (household_gaps' indicators).
MONITORING_CRITERIA = ("income_low", "income_fall", "rigid_spending", "disaster_loss", "business_failed",
                       "labourer_lost", "gap_food_clothing", "gap_education", "gap_medical", "gap_housing",
                       "gap_water")
# Needs an evaluation round's tables and the county roll-up (area_county).
COUNTY_EXIT_RULE = "county_exit"
# Alkire–Foster over the registry, after the household rules: the weights, units and deprivations (views over
# the household results), then each unit's score (a table); `MPI_AREA_RULE` runs per area level like `fgt`.
# `tuopin mpi` registers its own mpi_units / mpi_deprivations / mpi_weights and runs the same two files.
MPI_INPUT_RULES = ("mpi_weights", "mpi_units", "mpi_deprivations")
MPI_SCORE_RULE = "mpi_scores"
MPI_AREA_RULE = "mpi"

# 倒查正推 (every policy to every eligible person): run by tuopin.engine.coverage after household_status, in this
# order, then rolled up per area level by COVERAGE_AREA_RULE. The policies are standards/data/policies.toml's.
COVERAGE_RULES = ("policy_basis", "policy_eligible", "policy_coverage", "policy_signals", "policy_village")
COVERAGE_AREA_RULE = "policy_area"
SIGNAL_KINDS = ("deceased_registered", "deceased_paid", "vehicle", "property", "business", "public_employee")

# Signals that figures may be gamed (数字脱贫, decision 1590): one rule per kind (signal_<kind>.sql) over the tables
# the integrity app reads from the live database (signal_incomes, signal_exits, signal_visits, signal_pairings,
# signal_gap_tasks, signal_edits; tuopin.engine.signals declares them), each yielding one row per household or
# visit behind a finding; thresholds from standards/data/signals.toml (`signal_parameters`). DuckDB only.
SIGNAL_RULES = ("signal_income_bunching", "signal_income_jump", "signal_identical_incomes", "signal_identical_visits",
                "signal_visit_many_villages", "signal_visit_before_pairing", "signal_gap_closed_unevidenced",
                "signal_edits_before_evaluation")

# Area keys: the code of the area a village belongs to, as an integer expression over village_result.
AREA_KEYS = {
    "village": "village_code",
    "township": "township_code",
    "county": "county_code",
    "city": "CAST(FLOOR(county_code / 100000000) AS BIGINT) * 100000000",
    "province": "CAST(FLOOR(county_code / 10000000000) AS BIGINT) * 10000000000",
    "nation": "CAST(0 AS BIGINT)",
}
INDICATORS = ("income", "food_clothing", "education", "medical", "housing", "water")


def text(name: str) -> str:
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def literal(value) -> str:
    """A parameter as an SQL literal. Only numbers, dates and tuples of them: rules take no user text."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return f"DATE '{value.isoformat()}'"
    if isinstance(value, (tuple, list)):
        if all(isinstance(v, str) for v in value):
            if not all(v.replace("_", "").isalnum() for v in value):
                raise ValueError(f"rule parameter values must be plain codes: {value!r}")
            return "(" + ", ".join(f"'{v}'" for v in value) + ")"
        return "(" + ", ".join(literal(v) for v in value) + ")"
    raise TypeError(f"unsupported rule parameter: {value!r}")


def year_parameters(year: int) -> dict:
    """The parameters that depend on the year alone (the status rule needs no others)."""
    return {"year": year, "year_start": dt.date(year, 1, 1), "year_end": dt.date(year, 12, 31),
            "previous_year_end": dt.date(year - 1, 12, 31)}


def parameters(standards: Standards, year: int) -> dict[str, str]:
    household = standards.section("household")
    water = standards.section("water")
    village = standards.section("village_exit")
    county = standards.section("county_exit")
    month, day = (int(x) for x in household["school_age_on"].split("-"))
    values = {
        **year_parameters(year),
        "line_fen": standards.poverty_line_fen(year),
        "line_yuan": standards.poverty_line_yuan(year),
        "school_age_min": household["compulsory_school_age"][0],
        "school_age_max": household["compulsory_school_age"][1],
        "school_age_on": month * 100 + day,
        # The same ages as a birth-date range (a plain date comparison, pushed into the Parquet scan):
        # aged at least min on the day when born on or before it min years earlier, at most max when born
        # after the day max + 1 years earlier.
        "school_born_from": dt.date(year - household["compulsory_school_age"][1] - 1, month, day)
        + dt.timedelta(days=1),
        "school_born_to": dt.date(year - household["compulsory_school_age"][0], month, day),
        "school_ok_codes": tuple(household["school_ok_codes"]),
        "safe_housing_grades": tuple(household["safe_housing_grades"]),
        "water_from_year": household["water_from_year"],
        "water_litres": water["litres_per_person_day"],
        "water_litres_short": water["litres_per_person_day_water_short"],
        "water_minutes": water["trip_minutes"],
        "water_cut_days": water["cut_days_per_year"],
        "village_incidence": village["incidence_below"],
        "village_incidence_west": village["incidence_below_west"],
        "collective_income_min_fen": int(village["collective_income_yuan_at_least"] * 100),
        "county_incidence": county["comprehensive_incidence_below"],
        "county_incidence_west": county["comprehensive_incidence_below_west"],
        "wrong_exit_rate": county["wrong_exit_rate_below"],
        "omission_rate": county["omission_rate_below"],
        "recognition": county["recognition_at_least"],
        **mpi_parameters(standards),
        **monitoring_parameters(standards, year),
        **policies.ages(),
    }
    return {k: literal(v) for k, v in values.items()}


def mpi_parameters(standards: Standards) -> dict[str, float]:
    """k and one weight per indicator of the registry's Alkire–Foster measure ([mpi] in the standards)."""
    from . import mpi

    section = standards.section("mpi")
    weights = section["weights"]
    if set(weights) != set(INDICATORS):
        raise mpi.ParameterError([(f"standards of {standards.jurisdiction}: [mpi.weights] must name exactly "
                                   f"{', '.join(INDICATORS)}")])
    weights, k = mpi.check(weights, section["k"], where=f"standards of {standards.jurisdiction}, [mpi]")
    return {"mpi_k": k, **{f"mpi_weight_{name}": weights[name] for name in INDICATORS}}


def monitoring_parameters(standards: Standards, year: int) -> dict:
    """The monitoring line of the year and the figures of [monitoring.criteria] (decision 1431)."""
    criteria = standards.monitoring_criteria()
    gaps = tuple(criteria["gaps"]["indicators"])
    if not set(gaps) <= set(INDICATORS) - {"income"}:
        raise ValueError(f"standards of {standards.jurisdiction}: [monitoring.criteria.gaps] names an indicator "
                         f"other than {', '.join(INDICATORS[1:])}: {gaps}")
    return {"monitoring_line_fen": standards.monitoring_line_fen(year),
            "monitoring_line_yuan": standards.monitoring_line_yuan(year),
            "income_fall_percent": int(criteria["income_fall"]["percent"]),
            "disaster_loss_percent": int(criteria["disaster_loss"]["percent"]),
            "monitoring_gap_indicators": gaps}


def placeholders(name: str) -> list[str]:
    """The parameters a rule's text names, sorted."""
    return sorted({m.group("named") or m.group("braced") for m in Template.pattern.finditer(text(name))
                   if m.group("named") or m.group("braced")})


def render(name: str, params: dict[str, str], *, area: str | None = None) -> str:
    values = dict(params)
    if area is not None:
        values["area_key"] = AREA_KEYS[area]
    return Template(text(name)).substitute(values)


def signal_parameters(standards: Standards, year: int) -> dict[str, str]:
    """The signal rules' parameters: the year, its poverty line and every threshold of signals.toml."""
    from tuopin.standards import signals

    values = {**year_parameters(year), "line_fen": standards.poverty_line_fen(year), **signals.parameters()}
    return {k: literal(v) for k, v in values.items()}
