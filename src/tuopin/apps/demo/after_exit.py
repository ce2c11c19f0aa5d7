"""The demo county after its exit (四个不摘), so that the after-exit page has a believable record to check:

- the county's exit (贫困县摘帽) on its 2018 data, through the area procedure's services: applied in January 2019,
  the city's review, the province's verification resting on the 2019 third-party evaluation round, the public
  notice, announced in August 2019;
- the county's funds (资金) 2016–2025 and its projects (`demo/projects.py`): kept up after the exit (decision 1504);
- what slackens after an exit, as the check should find it: two work teams withdrawn in mid-2020 with none sent
  in their place, one village's paired unit gone in a reorganisation, and, for a few exited households, medical
  assistance and the family-doctor contract lapsed in their 2020 records for members still at home.

Household pairings stay whole: every open registered household keeps its cadre (the demo's own rule). Chosen from
the seed, written in bulk with one audit batch per kind, like the rest of the demo.
"""

from __future__ import annotations

import datetime as dt
import random

from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.organisation.models import UnitVillagePairing, WorkTeam, WorkTeamMember
from tuopin.apps.procedures import area_procedure as area
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import PersonYear, StatusEvent

TEAMS_WITHDRAWN_ON = dt.date(2020, 6, 30)
UNIT_GONE_ON = dt.date(2020, 9, 30)
LAPSED_YEAR = 2020
LAPSED_SHARE = 0.005  # of the exited households whose members had medical assistance in their exit year


def after_exit_story(*, seed: int) -> dict:
    """Write the years after the exit; returns what was written. Call after the evaluation round."""
    rng = random.Random(f"{seed}:after-exit")
    county = Region.objects.get(level=Level.COUNTY)
    counts = {"county_exit": _county_exit(county), "funds": _funds(seed)}
    counts["work_teams_withdrawn"] = _withdraw_teams(rng, seed)
    counts["unit_pairings_ended"] = _end_unit_pairing(rng, seed)
    counts["households_with_policies_lapsed"] = _lapse_policies(rng, seed)
    return counts


def _county_exit(county: Region) -> int:
    from tuopin.apps.evaluation.models import EvaluationRound

    round_ = EvaluationRound.objects.get(county=county, data_year=2018)
    case = area.area_exit_propose(region=county, year=2018, by=None, on=dt.date(2019, 1, 10), source="demo",
                                  by_name="镇赉县人民政府")
    for stage, on, extra in (("city_review", dt.date(2019, 1, 25), {"by_name": "白城市扶贫开发领导小组"}),
                             ("province_verification", dt.date(2019, 7, 30),
                              {"by_name": "吉林省扶贫开发领导小组", "evaluation_round": round_}),
                             ("public_notice", dt.date(2019, 8, 5),
                              {"by_name": "吉林省人民政府", "ends_on": dt.date(2019, 8, 9)}),
                             ("announced", dt.date(2019, 8, 20), {"by_name": "吉林省人民政府"})):
        area.area_exit_advance(procedure=case, stage=stage, by=None, on=on, source="demo", **extra)
    return 1


def _funds(seed: int) -> int:
    from .projects import load_funds_and_projects

    return load_funds_and_projects(seed=seed)["funds"]


def _withdraw_teams(rng: random.Random, seed: int) -> int:
    """Two teams of villages that were never poor (the demo's first secretary account works in a poor one)."""
    teams = list(WorkTeam.objects.filter(village__is_poor_village=False, end__isnull=True).order_by("pk")
                 .values_list("pk", flat=True))
    chosen = sorted(rng.sample(teams, min(2, len(teams))))
    WorkTeam.objects.filter(pk__in=chosen).update(end=TEAMS_WITHDRAWN_ON)
    WorkTeamMember.objects.filter(team_id__in=chosen, end__isnull=True).update(end=TEAMS_WITHDRAWN_ON)
    audit_batch(actor=None, action="demo_build", entity="organisation.workteam", source="demo",
                batch={"seed": seed, "ended": chosen, "on": str(TEAMS_WITHDRAWN_ON)},
                summary=f"demo county (seed {seed}): {len(chosen)} work teams withdrawn after the exit")
    return len(chosen)


def _end_unit_pairing(rng: random.Random, seed: int) -> int:
    """A village with one paired unit loses it (the unit merged away) and none takes over."""
    single = [pk for pk, n in _pairings_per_village().items() if n == 1]
    if not single:
        return 0
    village = rng.choice(sorted(single))
    ended = list(UnitVillagePairing.objects.filter(village_id=village, end__isnull=True).values_list("pk", flat=True))
    UnitVillagePairing.objects.filter(pk__in=ended).update(end=UNIT_GONE_ON)
    audit_batch(actor=None, action="demo_build", entity="organisation.unitvillagepairing", source="demo",
                batch={"seed": seed, "ended": ended, "on": str(UNIT_GONE_ON)},
                summary=f"demo county (seed {seed}): a village's paired unit ended after the exit")
    return len(ended)


def _pairings_per_village() -> dict[int, int]:
    from django.db.models import Count

    return dict(UnitVillagePairing.objects.filter(end__isnull=True, village__is_poor_village=False)
                .values("village_id").annotate(n=Count("pk")).values_list("village_id", "n"))


def _lapse_policies(rng: random.Random, seed: int) -> int:
    exited = StatusEvent.objects.filter(kind=c.EventKind.EXITED, stage=c.Stage.ANNOUNCED, year__lt=LAPSED_YEAR)
    exits = dict(exited.values_list("household_id", "year"))
    assisted = sorted({h for h, y in PersonYear.objects.filter(medical_assistance=True, person__active=True,
                                                               person__household__in=exited.values("household_id"))
                       .values_list("person__household_id", "year") if exits.get(h) == y})
    chosen = sorted(rng.sample(assisted, max(1, round(len(assisted) * LAPSED_SHARE)))) if assisted else []
    rows = PersonYear.objects.filter(year=LAPSED_YEAR, person__household_id__in=chosen, person__active=True)
    n = rows.update(medical_assistance=False, family_doctor=False)
    audit_batch(actor=None, action="demo_build", entity="registry.personyear", source="demo",
                batch={"seed": seed, "year": LAPSED_YEAR, "households": chosen, "rows": n},
                summary=f"demo county (seed {seed}): medical assistance and the family doctor lapsed in {LAPSED_YEAR} "
                        f"for {len(chosen)} exited households")
    return len(chosen)
