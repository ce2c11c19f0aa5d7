"""Evaluation rounds: draw the sample, record what the evaluators found, compute 三率一度."""

from __future__ import annotations

import datetime as dt
import math
import random

import pyarrow as pa
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tuopin import rules, standards
from tuopin.apps.accounts.permissions import Action, require
from tuopin.apps.assessment import live_inputs
from tuopin.apps.audit.services import audit_batch, audit_change
from tuopin.apps.geo.models import Level, Region, VillageYear
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import Household, HouseholdYear, StatusEvent
from tuopin.common.versioning import locked, stamp
from tuopin.engine import duckdb_runner

from .models import EvaluationRound, Finding, SampledHousehold, SampledVillage, SampleKind


@transaction.atomic
def evaluation_round_create(*, county: Region, data_year: int, held_in: int, name: str, by, seed: int = 0,
                            villages: int | None = None, exited_per_village: int | None = None,
                            non_registered_per_village: int | None = None, source: str = "web") -> EvaluationRound:
    """Draw villages (poor villages first, as the 2018 rounds did), then exited and non-registered
    households in each; the engine's view of each sampled household in the data year is kept as the
    suggestion the evaluators check on their visit. Sizes not given come from the standards
    (`[evaluation.sample]`)."""
    require(by, Action.DRAW_EVALUATION, county)
    if county.level != Level.COUNTY:
        raise ValidationError(_("%(region)s is not a county") % {"region": county})
    if not name.strip():
        raise ValidationError({"name": _("A round needs a name.")})
    if held_in < data_year:
        raise ValidationError({"held_in": _("A round is held in or after the year of the data it evaluates.")})
    sizes = sample_sizes(county)
    villages = sizes["villages"] if villages is None else villages
    exited_per_village = sizes["exited_per_village"] if exited_per_village is None else exited_per_village
    if non_registered_per_village is None:
        non_registered_per_village = sizes["non_registered_per_village"]
    rng = random.Random(seed)
    candidates = list(Region.objects.filter(level=Level.VILLAGE, parent__parent=county).order_by("code"))
    if not candidates:
        raise ValidationError(_("%(county)s has no villages to sample.") % {"county": county})
    poor = [v for v in candidates if v.is_poor_village]
    other = [v for v in candidates if not v.is_poor_village]
    n_poor = min(len(poor), math.ceil(villages * sizes["poor_village_share"]))
    drawn = rng.sample(poor, n_poor) + rng.sample(other, min(len(other), villages - n_poor))
    round_ = EvaluationRound.objects.create(name=name, held_in=held_in, data_year=data_year, county=county,
                                           seed=seed, created_by=by)
    failing = _failing_households(data_year, county)
    exited_by_end = _exited_by(dt.date(data_year, 12, 31))
    members = dict(HouseholdYear.objects.filter(year=data_year, household__village__in=drawn)
                   .values_list("household_id", "members"))
    in_village: dict[int, list[tuple[int, bool]]] = {}
    for pk, village_id, registered in (Household.objects.filter(village__in=drawn, pk__in=members.keys())
                                       .order_by("number").values_list("pk", "village_id", "is_registered")):
        in_village.setdefault(village_id, []).append((pk, registered))
    population = dict(VillageYear.objects.filter(village__in=drawn, year=data_year)
                      .values_list("village_id", "population"))
    samples = []
    for village in sorted(drawn, key=lambda v: v.code):
        households = in_village.get(village.pk, [])
        exited = [pk for pk, _ in households if pk in exited_by_end]
        others = [pk for pk, registered in households if not registered]
        for pk in rng.sample(exited, min(len(exited), exited_per_village)):
            samples.append(SampledHousehold(round=round_, household_id=pk, kind=SampleKind.EXITED,
                                            persons=members[pk],
                                            suggested=Finding.WRONGLY_EXITED if pk in failing["any"] else Finding.OK))
        for pk in rng.sample(others, min(len(others), non_registered_per_village)):
            samples.append(SampledHousehold(round=round_, household_id=pk, kind=SampleKind.NON_REGISTERED,
                                            persons=members[pk],
                                            suggested=Finding.OMITTED if pk in failing["income"] else Finding.OK))
        registered_persons = sum(members[pk] for pk, registered in households if registered)
        SampledVillage.objects.create(round=round_, village=village, non_registered_persons=max(
            population.get(village.pk, 0) - registered_persons, 0))
    SampledHousehold.objects.bulk_create(samples)
    audit_batch(actor=by, action="evaluation_sample", entity="evaluation.evaluationround", source=source,
                batch={"round": round_.pk, "villages": [v.code for v in drawn], "households": len(samples),
                       "seed": seed},
                summary=f"{name}: {len(drawn)} villages, {len(samples)} households drawn")
    return round_


def sample_sizes(county: Region) -> dict:
    """The round's sample sizes from the county's standards."""
    spec = standards.load(county.code).data.get("evaluation", {}).get("sample", {})
    return {"villages": int(spec.get("villages", 20)),
            "poor_village_share": float(spec.get("poor_village_share", 0.7)),
            "exited_per_village": int(spec.get("exited_per_village", 15)),
            "non_registered_per_village": int(spec.get("non_registered_per_village", 10))}


def _exited_by(end: dt.date) -> set[int]:
    return set(StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, effective_on__lte=end)
               .values_list("household_id", flat=True))


def _failing_households(year: int, county: Region) -> dict[str, set[int]]:
    """Households that fail the standard in the year (any indicator) and those below the income line."""
    from tuopin.apps.assessment.services import assess

    _, result = assess(year=year, region=county)
    gaps = result.household_gaps.to_pylist()
    return {"any": {g["household_id"] for g in gaps},
            "income": {g["household_id"] for g in gaps if g["indicator"] == "income"}}


@transaction.atomic
def sample_finding_record(*, sample: SampledHousehold, finding: str, by, on: dt.date, note: str = "",
                          version: int | None = None, source: str = "web") -> SampledHousehold:
    """What the evaluators found on their visit. A 错退 or 漏评 finding opens a rectification item for the
    household's village or cadre; a finding changed back to 无问题 closes it (decision 1241). `version` is the
    one the page read: a finding saved by someone else since is refused with StaleEdit."""
    require(by, Action.RECORD_EVALUATION, sample.round)
    allowed = {SampleKind.EXITED: (Finding.OK, Finding.WRONGLY_EXITED),
               SampleKind.POOR: (Finding.OK,),
               SampleKind.NON_REGISTERED: (Finding.OK, Finding.OMITTED)}[sample.kind]
    if finding not in allowed:
        raise ValidationError(_("a %(kind)s sample can be found %(allowed)s, not “%(finding)s”")
                              % {"kind": sample.get_kind_display(), "allowed": _(" or ").join(allowed),
                                 "finding": finding})
    sample = locked(SampledHousehold, sample.pk, version)
    before = {"finding": sample.finding, "note": sample.note}
    sample.finding, sample.note, sample.checked_by, sample.checked_on = finding, note, by, on
    sample.save(update_fields=["finding", "note", "checked_by", "checked_on", *stamp(sample, by)])
    audit_change(actor=by, action="evaluation_finding", instance=sample, source=source,
                 changes={k: [before[k], getattr(sample, k)] for k in before if before[k] != getattr(sample, k)},
                 summary=f"{sample.household.number}: {sample.get_finding_display()}")
    from tuopin.apps.assistance.rectification import rectification_from_finding

    rectification_from_finding(sample=sample, by=by, source=source)
    return sample


@transaction.atomic
def round_survey_record(*, round_: EvaluationRound, surveyed: int, approving: int, by,
                        version: int | None = None, source: str = "web") -> EvaluationRound:
    require(by, Action.RECORD_EVALUATION, round_)
    if not 0 <= approving <= surveyed:
        raise ValidationError(_("Approving households must be between 0 and the number surveyed."))
    given, round_ = round_, locked(EvaluationRound, round_.pk, version)
    before = {"surveyed_households": round_.surveyed_households, "approving_households": round_.approving_households}
    round_.surveyed_households, round_.approving_households = surveyed, approving
    round_.save(update_fields=["surveyed_households", "approving_households", *stamp(round_, by)])
    audit_change(actor=by, action="evaluation_survey", instance=round_, source=source,
                 changes={k: [v, getattr(round_, k)] for k, v in before.items()}, summary=round_.name)
    given.refresh_from_db()  # the caller's object shows the survey too, as it always did
    return round_


def county_exit_result(round_: EvaluationRound) -> dict:
    """三率一度 of the round, by the rule text, with 95 % Wilson intervals for the sampled rates."""
    params = rules.parameters(standards.load(round_.county.code), round_.data_year)
    con = duckdb_runner.connect()
    duckdb_runner.register_arrow(con, live_inputs.read(year=round_.data_year, region_code=round_.county.code))
    duckdb_runner.run(con, params, year=round_.data_year, levels=("county",))
    duckdb_runner.register_arrow(con, _evaluation_tables(round_))
    row = duckdb_runner.county_exit(con, params).to_pylist()[0]
    row["passes"] = bool(row["incidence_ok"] and row["wrong_exit_ok"] and row["omission_ok"] and row["recognition_ok"])
    row["intervals"] = {
        "wrong_exit_rate": wilson(row["wrongly_exited"], row["exited_sampled"]),
        "omission_rate": wilson(row["omitted"], row["non_registered"]),
        "recognition": wilson(row["approving_households"], row["surveyed_households"]),
    }
    return row


def _evaluation_tables(round_: EvaluationRound) -> dict[str, pa.Table]:
    households = list(round_.households.values_list("kind", "finding", "persons"))
    return {
        "evaluation_rounds": pa.table({
            "round_id": [round_.pk], "county_code": [int(round_.county.code)], "west": [round_.county.west],
            "surveyed_households": [round_.surveyed_households], "approving_households": [round_.approving_households],
        }),
        "evaluation_households": pa.table({
            "round_id": [round_.pk] * len(households), "kind": [h[0] for h in households],
            "finding": [h[1] for h in households], "persons": [h[2] for h in households],
        }, schema=pa.schema([("round_id", pa.int64()), ("kind", pa.string()), ("finding", pa.string()),
                             ("persons", pa.int32())])),
        "evaluation_villages": pa.table({
            "round_id": [round_.pk] * round_.villages.count(),
            "non_registered_persons": list(round_.villages.values_list("non_registered_persons", flat=True)),
        }, schema=pa.schema([("round_id", pa.int64()), ("non_registered_persons", pa.int64())])),
    }


def wilson(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """95 % Wilson score interval of a proportion; None without observations."""
    if not n:
        return None
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return (max(0.0, centre - half), min(1.0, centre + half))
