"""Assessments: the formula as data, the commander's proposal and veto, reports per cadre and unit."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tuopin.apps.assistance import config
from tuopin.apps.assistance.models import Assessment, Task
from tuopin.apps.assistance.scoring import (assessment_propose, assessment_veto, assessments_compute, cadre_report,
                                            period_range, score_of, unit_report)
from tuopin.apps.assistance.selectors import assessment_history
from tuopin.apps.assistance.tasks import tasks_generate_templates

PERIOD = "2018"


def test_periods():
    assert period_range("2018") == (dt.date(2018, 1, 1), dt.date(2018, 12, 31))
    assert period_range("2018H1") == (dt.date(2018, 1, 1), dt.date(2018, 6, 30))
    assert period_range("2018Q4") == (dt.date(2018, 10, 1), dt.date(2018, 12, 31))
    with pytest.raises(ValidationError):
        period_range("2018H3")


def test_the_formula_uses_the_weights_that_apply():
    cfg = config.scoring()
    counts = {"due": 4, "on_time": 3, "overdue": 1, "accountable": 4, "gap_tasks": 0, "gaps_closed": 0,
              "visits": 2, "visits_expected": 4.0}
    score, rates = score_of(counts, cfg)
    # on_time 0.75 × 40 + visits 0.5 × 30, over the 70 points that apply, minus 0.5 a percent for 1 of 4 overdue
    assert rates == {"on_time": 0.75, "visits": 0.5}
    assert score == round(100 * (0.75 * 40 + 0.5 * 30) / 70 - 12.5, 1)
    assert score_of({k: 0 for k in counts}, cfg) == (None, {})


def test_the_overdue_penalty_follows_the_share_not_the_count():
    """Sixteen overdue tasks cost a township answering for two thousand less than one costs a cadre with four."""
    cfg = config.scoring()
    township = {"due": 2000, "on_time": 1984, "overdue": 16, "accountable": 2000, "gap_tasks": 0, "gaps_closed": 0,
                "visits": 0, "visits_expected": 0.0}
    assert score_of(township, cfg)[0] == round(100 * 1984 / 2000 - 0.5 * 0.8, 1)
    lax = {**township, "on_time": 1000, "overdue": 1000}  # half overdue: the penalty stops at its maximum
    assert score_of(lax, cfg)[0] == round(100 * 1000 / 2000 - 20, 1)


@pytest.fixture
def scored(org):
    """Every 4+4 task of 2018: h1's cadre did all on time; the paired unit finished one, late."""
    admin = org["accounts"]["county_admin"]
    tasks_generate_templates(year=2018, by=admin, on=dt.date(2018, 1, 2))
    Task.objects.filter(owner_cadre=org["cadre"]).update(status="done", closed_on=dt.date(2018, 11, 1))
    Task.objects.filter(owner_unit=org["paired_unit"], template="industry").update(status="done",
                                                                                   closed_on=dt.date(2019, 2, 1))
    assessments_compute(period=PERIOD, by=admin)
    return org


def unit_assessment(org):
    return Assessment.objects.get(period=PERIOD, subject_kind="unit", subject_id=org["paired_unit"].pk)


def test_scores_per_cadre_unit_team_and_township(scored):
    kinds = set(Assessment.objects.values_list("subject_kind", flat=True))
    assert kinds == {"cadre", "unit", "work_team", "township"}
    cadre = Assessment.objects.get(subject_kind="cadre", subject_id=scored["cadre"].pk)
    unit = unit_assessment(scored)
    assert cadre.components["on_time"] == 4 and cadre.components["due"] == 4
    assert unit.components["due"] == 8 and unit.components["on_time"] == 0  # two villages, nothing on time
    assert float(cadre.score) > float(unit.score)
    assert unit.result == unit.computed_result


def test_a_commanders_veto_caps_the_unit_at_fail_and_the_history_shows_who_and_why(scored):
    commander = scored["accounts"]["commander"]
    a = unit_assessment(scored)
    Assessment.objects.filter(pk=a.pk).update(score=95, result="excellent", computed_result="excellent")
    assessment_propose(assessment=a, text="包村工作扎实，建议评为良好", by=commander)
    vetoed = assessment_veto(assessment=a, reason="产业项目未落实，群众反映强烈", by=commander)
    assert (vetoed.result, vetoed.computed_result, vetoed.vetoed_by) == ("fail", "excellent", commander)
    history = [(e.kind, e.by_name, e.note, e.result_before, e.result_after) for e in assessment_history(vetoed)]
    assert history[-2:] == [("proposal", "commander", "包村工作扎实，建议评为良好", "excellent", "excellent"),
                            ("veto", "commander", "产业项目未落实，群众反映强烈", "excellent", "fail")]
    # Recomputing keeps the veto.
    assessments_compute(period=PERIOD, by=scored["accounts"]["county_admin"])
    assert unit_assessment(scored).result == "fail"
    row = next(r for r in unit_report(period=PERIOD) if r["unit_id"] == scored["paired_unit"].pk)
    assert (row["result"], row["vetoed_by"], row["veto_reason"]) == ("fail", "commander", "产业项目未落实，群众反映强烈")


def test_only_a_commander_of_the_zone_or_the_county_office_vetoes(scored):
    a = unit_assessment(scored)
    for name in ("other_commander", "first_secretary", "cadre", "department", "evaluator", "zhao"):
        with pytest.raises(PermissionDenied):
            assessment_veto(assessment=a, reason="不合格", by=scored["accounts"][name])
    a.refresh_from_db()
    assert not a.vetoed and not a.events.filter(kind="veto").exists()
    # The unit paired in 建平乡 is the other commander's to veto, not this one's.
    other = Assessment.objects.get(subject_kind="unit", subject_id=scored["other_unit"].pk)
    with pytest.raises(PermissionDenied):
        assessment_veto(assessment=other, reason="x", by=scored["accounts"]["commander"])
    assessment_veto(assessment=other, reason="驻村不在岗", by=scored["accounts"]["other_commander"])
    # A cadre's assessment is not the commander's to veto; a veto needs a reason.
    cadre = Assessment.objects.get(subject_kind="cadre", subject_id=scored["cadre"].pk)
    with pytest.raises(ValidationError):
        assessment_veto(assessment=cadre, reason="x", by=scored["accounts"]["county_admin"])
    with pytest.raises(ValidationError):
        assessment_veto(assessment=a, reason=" ", by=scored["accounts"]["commander"])


def test_the_commander_as_a_cadre_named_in_the_war_zone_may_veto(scored):
    from tests.factories import account

    leader = account("leader", "cadre", cadre=scored["leader"])  # the county leader in charge of 镇赉镇
    team = Assessment.objects.get(subject_kind="work_team", subject_id=scored["team"].pk)
    assert assessment_veto(assessment=team, reason="工作队长期不在岗", by=leader).result == "fail"


def test_cadre_report_rows(scored):
    rows = cadre_report(period=PERIOD)
    top = rows[0]
    assert (top["cadre"], top["unit"], top["tasks_due"], top["on_time"]) == ("王干部", "县教育局", 4, 4)
    assert {r["cadre"] for r in rows} >= {"王干部", "赵干部", "李干部"}


def test_responsibility_list_items_count_for_their_owner_and_township(org):
    """Items of the six-level lists feed the scores (decision 1224): one done by its deadline, one left open past
    it; the owning unit and the township answer for both."""
    import datetime as dt

    from tuopin.apps.assistance.models import Level, ResponsibilityItem
    from tuopin.apps.assistance.scoring import gather

    v1, t1 = org["villages"][0], org["townships"][0]
    unit = org["paired_unit"]
    ResponsibilityItem.objects.create(level=Level.PAIRED_UNIT, region=v1, owner_unit=unit, content="产业项目到户",
                                      deadline=dt.date(2018, 6, 30), status="done", completed_on=dt.date(2018, 6, 1))
    ResponsibilityItem.objects.create(level=Level.PAIRED_UNIT, region=v1, owner_unit=unit, content="危房改造",
                                      deadline=dt.date(2018, 9, 30))
    ResponsibilityItem.objects.create(level=Level.TOWNSHIP_LEADER, region=t1, owner_cadre=org["leader"],
                                      content="督导", deadline=dt.date(2019, 3, 1))  # another year: not counted
    counts = gather("2018")
    c = counts[("unit", unit.pk)]
    assert (c["items_due"], c["items_on_time"]) == (2, 1)
    assert c["overdue"] >= 1
    assert counts[("township", t1.pk)]["items_due"] == 2
    assert counts[("cadre", org["leader"].pk)]["items_due"] == 0


def test_equal_scores_are_ranked_by_the_work_behind_them():
    """Many cadres reach 100: fewer overdue first, then on-time rate, gaps closed, visits — not the name."""
    from tuopin.apps.assistance.scoring import rank_key

    def row(name, score=100.0, overdue=0, on_time=4, due=4, closed=2, gaps=2, visits=4, expected=4.0):
        return {"cadre": name, "score": score, "overdue": overdue, "on_time": on_time, "tasks_due": due,
                "gaps_closed": closed, "gap_tasks": gaps, "visits": visits, "visits_expected": expected}

    rows = [row("阿一", overdue=1), row("阿二", visits=9), row("阿三"), row("阿四", on_time=3),
            row("阿五", score=99.0, visits=20), row("阿六", visits=9, due=8, on_time=8)]
    assert [r["cadre"] for r in sorted(rows, key=lambda r: (*rank_key(r), r["cadre"]))] == [
        "阿六", "阿二", "阿三", "阿四", "阿一", "阿五"]
