"""Planted signals (数字脱贫, decision 1595): a few cases of each kind the signal rules look for, written into the
demo county after its build, chosen from the seed (the same seed plants the same cases). The planting never moves
a household to the other side of the poverty line, so the county's incidence and exits stay the seed's:

- income_bunching (2017): the township with the most exits of 2017 — 10 % of its exits (at least 6), those of the
  lowest incomes, lifted "just over" the line: their 2017 per-capita income set within 0.5–4.5 % above the line.
- income_jump (2017): 3 households exited in 2017 elsewhere, income ≥ 1.65 × the line and ≥ 1.3 × 2016's, whose 2018
  income is set to 0.7 × 2017's (still ≥ 1.05 × the 2018 line).
- identical_incomes (2017): 5 households of one village, each ≥ 1.6 × the 2017 line, given one and the same income
  (2 × the line and 37 fen).
- identical_visits (2017): 6 visits of 6 households of one township given one long text, word for word.
- visit_many_villages (2017): one cadre with visits on 12 June 2017 in 5 villages of its township.
- visit_before_pairing (2015): 3 visits by a household's paired cadre dated 20 days before their pairing began.
- gap_closed_unevidenced (2017): 3 gap tasks reported done in 2017 whose evidence is left blank.
- edits_before_evaluation (2018): 4 households of one village whose 2018 records were edited (audit events)
  3 days before the 2019 evaluation round drew its sample.

`plant(seed)` returns what it planted by kind: the year, the households, cadres, visits and tasks — what a test and
`benchmarks/signals.py` check the findings against. Income changes go into the wage line and the derived totals
move with it; the changed rows' versions move like any edit."""

from __future__ import annotations

import datetime as dt
import json
import math
import random

from django.db import connection
from django.db.models import F

from tuopin import standards
from tuopin.apps.assistance.models import Task, TaskEvidence, TaskStatus, Visit
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.evaluation.models import EvaluationRound
from tuopin.apps.integrity.inputs import round_day
from tuopin.apps.organisation.models import CadreHouseholdPairing
from tuopin.apps.registry.bulk import insert_rows
from tuopin.apps.registry.models import HouseholdYear, StatusEvent

YEAR = 2017
COPIED_TEXT = "入户走访了解家庭收入情况，宣传扶贫政策，帮助解决生产生活实际困难，群众满意"


def _line(year: int) -> int:
    return standards.load().poverty_line_fen(year)


def _set_income(record: HouseholdYear, per_capita: int) -> None:
    """The record's per-capita income made `per_capita`: the wage line moves by the difference."""
    delta = per_capita * record.members - record.net_income_fen
    record.wage_income_fen += delta
    record.compute_income()
    HouseholdYear.objects.filter(pk=record.pk).update(
        wage_income_fen=record.wage_income_fen, net_income_fen=record.net_income_fen,
        per_capita_net_income_fen=record.per_capita_net_income_fen, version=F("version") + 1)


def plant(seed: int) -> dict:
    rng = random.Random(seed * 1009 + 1590)
    planted: dict[str, dict] = {}
    used: set[int] = set()
    line = _line(YEAR)
    exits = list(StatusEvent.objects.filter(kind="exited", stage="announced", effective_on__year=YEAR)
                 .order_by("household_id").values_list("household_id", "household__village__parent_id"))
    records = {r.household_id: r for r in HouseholdYear.objects.filter(year=YEAR, household_id__in=[h for h, _ in exits])}

    # income_bunching: the township with the most exits
    by_township: dict[int, list[int]] = {}
    for h, t in exits:
        if h in records and records[h].per_capita_net_income_fen >= line:
            by_township.setdefault(t, []).append(h)
    if by_township:
        township = max(sorted(by_township), key=lambda t: len(by_township[t]))
        ranked = sorted(by_township[township], key=lambda h: (records[h].per_capita_net_income_fen, h))
        moved = ranked[:max(6, math.ceil(0.1 * len(ranked)))]
        for h in moved:
            _set_income(records[h], int(line * (1 + rng.uniform(0.005, 0.045))))
        used.update(by_township[township])
        planted["income_bunching"] = {"year": YEAR, "households": moved, "township": township}

    # income_jump
    line_next = _line(YEAR + 1)
    before = dict(HouseholdYear.objects.filter(year=YEAR - 1, household_id__in=list(records))
                  .values_list("household_id", "per_capita_net_income_fen"))
    after = {r.household_id: r for r in HouseholdYear.objects.filter(year=YEAR + 1, household_id__in=list(records))}
    candidates = [h for h, _ in exits if h not in used and h in before and h in after
                  and records[h].per_capita_net_income_fen >= 1.65 * line
                  and records[h].per_capita_net_income_fen >= 1.3 * before[h] > 0
                  and 0.7 * records[h].per_capita_net_income_fen >= 1.05 * line_next]
    jumped = sorted(rng.sample(candidates, min(3, len(candidates))))
    for h in jumped:
        _set_income(after[h], int(0.7 * records[h].per_capita_net_income_fen))
    used.update(jumped)
    planted["income_jump"] = {"year": YEAR, "households": jumped}

    # identical_incomes: 5 households of one village, each well above the line
    rich: dict[int, list[HouseholdYear]] = {}
    for r in HouseholdYear.objects.filter(year=YEAR, per_capita_net_income_fen__gte=int(1.6 * line)) \
            .exclude(household_id__in=used).select_related("household").order_by("household_id"):
        rich.setdefault(r.household.village_id, []).append(r)
    villages = sorted(v for v, rows in rich.items() if len(rows) >= 6)
    if villages:
        chosen = rich[rng.choice(villages)]
        same = rng.sample(chosen, 5)
        for r in same:
            _set_income(r, 2 * line + 37)
        planted["identical_incomes"] = {"year": YEAR, "households": sorted(r.household_id for r in same)}
        used.update(r.household_id for r in same)

    # identical_visits: one text for 6 households of one township
    visits = list(Visit.objects.filter(on__year=YEAR).exclude(household_id__in=used)
                  .order_by("pk").values_list("pk", "household_id", "household__village__parent_id"))
    by_township_visits: dict[int, dict[int, int]] = {}
    for pk, h, t in visits:
        by_township_visits.setdefault(t, {}).setdefault(h, pk)
    townships = sorted(t for t, hs in by_township_visits.items() if len(hs) >= 6)
    if townships:
        chosen_visits = by_township_visits[rng.choice(townships)]
        households = sorted(rng.sample(sorted(chosen_visits), 6))
        ids = [chosen_visits[h] for h in households]
        Visit.objects.filter(pk__in=ids).update(found=COPIED_TEXT, done="")
        planted["identical_visits"] = {"year": YEAR, "households": households, "visits": ids}
        used.update(households)

    # visit_many_villages: one cadre, one day, five villages of its township
    day = dt.date(YEAR, 6, 12)
    pairings = list(CadreHouseholdPairing.objects.filter(end__isnull=True).exclude(household_id__in=used)
                    .order_by("pk").values_list("cadre_id", "household_id", "household__village_id",
                                                "household__village__parent_id"))
    cadres = sorted({c for c, *_ in pairings})
    rng.shuffle(cadres)
    for cadre in cadres:
        township = next(t for c, _, _, t in pairings if c == cadre)
        others: dict[int, int] = {}
        for _, h, v, t in pairings:
            if t == township and h not in used:
                others.setdefault(v, h)
        if len(others) >= 5:
            chosen_h = [others[v] for v in sorted(others)[:5]]
            start = (Visit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
            insert_rows(Visit, ("id", "household", "cadre", "on", "found", "done", "trip", "source", "answers"),
                        [(start + i + 1, h, cadre, day, "走访", "", "", "web", "[]") for i, h in enumerate(chosen_h)])
            _reset_sequence(Visit)
            ids = list(Visit.objects.filter(pk__gt=start).values_list("pk", flat=True))
            planted["visit_many_villages"] = {"year": YEAR, "households": chosen_h, "cadres": [cadre], "visits": ids,
                                              "day": day.isoformat()}
            used.update(chosen_h)
            break

    # visit_before_pairing: three visits dated 20 days before the pairing began
    early = [p for p in CadreHouseholdPairing.objects.exclude(household_id__in=used).order_by("pk")
             .values_list("cadre_id", "household_id", "start")]
    chosen_p = sorted(rng.sample(early, min(3, len(early))))
    start = (Visit.objects.order_by("-pk").values_list("pk", flat=True).first() or 0)
    insert_rows(Visit, ("id", "household", "cadre", "on", "found", "done", "trip", "source", "answers"),
                [(start + i + 1, h, c, s - dt.timedelta(days=20), "了解家庭情况", "", "", "web", "[]")
                 for i, (c, h, s) in enumerate(chosen_p)])
    _reset_sequence(Visit)
    before_year = (chosen_p[0][2] - dt.timedelta(days=20)).year if chosen_p else YEAR
    planted["visit_before_pairing"] = {"year": before_year, "households": [h for _, h, _ in chosen_p],
                                       "cadres": sorted({c for c, _, _ in chosen_p}),
                                       "visits": list(Visit.objects.filter(pk__gt=start).values_list("pk", flat=True))}
    used.update(h for _, h, _ in chosen_p)

    # gap_closed_unevidenced: three done gap tasks of the year, their evidence left blank
    done = list(Task.objects.filter(kind="gap", status=TaskStatus.DONE, closed_on__year=YEAR)
                .exclude(household_id__in=used).order_by("pk").values_list("pk", "household_id"))
    blank = sorted(rng.sample(done, min(3, len(done))))
    TaskEvidence.objects.filter(task_id__in=[t for t, _ in blank]).update(text="", photo="")
    planted["gap_closed_unevidenced"] = {"year": YEAR, "households": [h for _, h in blank],
                                         "tasks": [t for t, _ in blank]}
    used.update(h for _, h in blank)

    # edits_before_evaluation: four households of one village edited three days before the round
    round_ = EvaluationRound.objects.order_by("pk").first()
    if round_ is not None:
        data_year = round_.data_year
        yearly = list(HouseholdYear.objects.filter(year=data_year).exclude(household_id__in=used)
                      .order_by("household_id").values_list("pk", "household_id", "household__village_id",
                                                            "wage_income_fen"))
        by_village: dict[int, list[tuple]] = {}
        for row in yearly:
            by_village.setdefault(row[2], []).append(row)
        candidates_v = sorted(v for v, rows in by_village.items() if len(rows) >= 4)
        if candidates_v:
            rows = rng.sample(by_village[rng.choice(candidates_v)], 4)
            at = connection.ops.adapt_datetimefield_value(round_.created_at - dt.timedelta(days=3))
            insert_rows(AuditEvent, ("at", "actor_name", "action", "entity", "entity_id", "changes", "batch",
                                     "source", "summary"),
                        [(at, "demo", "update", "registry.householdyear", str(pk),
                          json.dumps({"wage_income_fen": [wage, wage]}), "{}", "web",
                          f"{data_year}年度信息修改") for pk, _, _, wage in rows])
            planted["edits_before_evaluation"] = {"year": data_year, "households": sorted(h for _, h, _, _ in rows),
                                                  "round": round_.pk, "round_on": round_day(round_).isoformat()}
    audit_batch(actor=None, action="demo_plant_signals", entity="integrity.finding", source="demo",
                batch={"seed": seed, "planted": planted},
                summary=f"demo county (seed {seed}): signals planted, {len(planted)} kinds (decision 1595)")
    return planted


def _reset_sequence(model) -> None:
    from tuopin.apps.registry.bulk import reset_sequences

    reset_sequences(model)


def score(planted: dict, findings) -> dict[str, tuple[bool, int]]:
    """{kind: (the planted case found?, false alarms)}: a finding of a kind finds the planted case of that kind when
    it is of the case's year and shares a household or a cadre with it; every other finding is a false alarm. Used
    by tests/integrity and benchmarks/signals.py."""
    from tuopin.standards.signals import KINDS

    out = {}
    for kind in KINDS:
        case = planted.get(kind)
        mine = [f for f in findings if f.kind == kind]
        hits = [f for f in mine if case and f.year == case["year"] and (
            set(f.households) & set(case["households"]) or set(f.cadres) & set(case.get("cadres", [])))]
        out[kind] = (bool(case) and bool(hits), len(mine) - len(hits))
    return out
