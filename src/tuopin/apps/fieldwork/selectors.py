"""The pre-filled visit sheets (decision 1560): every household an account may visit with what the phone shows
before the visit — members (ID numbers masked), open gaps, open tasks, policies the members should receive and do
not, the monitoring case, the last visits, and the checklist's questions with the registry's value as `seen`.

One query per kind of fact for all the households together (and one run of the gap rules and one of the policy
rules), never one per household: a first secretary's village of 500 households is a handful of queries."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import F, Window
from django.db.models.functions import RowNumber

from tuopin import standards
from tuopin.apps.accounts.scoping import (households_visible_to, proposed_changes_visible_to, tasks_visible_to,
                                          visits_visible_to)
from tuopin.apps.assessment.services import explain_households
from tuopin.apps.assistance.models import TaskStatus
from tuopin.apps.geo.models import Region
from tuopin.apps.monitoring.choices import CLOSED, Stage
from tuopin.apps.monitoring.models import MonitoringCase
from tuopin.apps.registry import choices as rc
from tuopin.apps.registry.models import Household
from tuopin.common.masking import mask_id
from tuopin.standards import policies

from . import checklist
from .checklist import Facts
from .facts import load_facts

LAST_VISITS = 3


def questions_json() -> list[dict]:
    return [q.as_json() for q in checklist.questions().values()]


def field_households(user, year: int, village: Region | None = None) -> list[dict]:
    """The sheets of every open household the account may visit (of one village when given), by number."""
    households = households_visible_to(user).filter(closed=False)
    if village is not None:
        households = households.filter(village=village)
    return _sheets(user, list(households.select_related("village").order_by("number")), year)


def visit_sheet(user, household: Household, year: int) -> dict:
    """One household's sheet; Household.DoesNotExist when the account does not reach it."""
    found = households_visible_to(user).select_related("village").get(pk=household.pk)
    return _sheets(user, [found], year)[0]


def changes_for(user):
    """The proposed changes the account reaches, newest first."""
    return proposed_changes_visible_to(user).select_related("household__village", "person", "visit__cadre",
                                                            "created_by", "reviewed_by")


def _sheets(user, households: list[Household], year: int) -> list[dict]:
    if not households:
        return []
    ids = [h.pk for h in households]
    facts = load_facts(ids, year)
    gaps = _gaps(households, year)
    tasks = _tasks(user, ids)
    cases = {hid: (pk, stage) for hid, pk, stage in MonitoringCase.objects.filter(household_id__in=ids)
             .exclude(stage__in=CLOSED).order_by("clue_on", "pk").values_list("household_id", "pk", "stage")}
    visits = _last_visits(user, ids)
    uncovered = _uncovered(households, year)
    out = []
    for h in households:
        f = facts.get(h.pk) or Facts(None, [], None, set())
        case = cases.get(h.pk)
        out.append({
            "id": h.pk, "number": h.number, "village": h.village.name, "year": f.year,
            "head": next((p.name for p in f.members if p.relation == rc.Relation.HEAD), ""),
            "members": [_member(p, f.year or year) for p in f.members],
            "gaps": gaps.get(h.pk, []),
            "tasks": tasks.get(h.pk, []),
            "policies": [row for p in f.members for row in uncovered.get(p.pk, [])],
            "monitoring": None if case is None else {"case": case[0], "stage": case[1],
                                                     "label": str(Stage(case[1]).label)},
            "visits": [{"on": v["on"].isoformat(), "found": v["found"], "done": v["done"]}
                       for v in visits.get(h.pk, [])],
            "questions": _questions(f, visits.get(h.pk, [])),
        })
    return out


def _member(p, year: int) -> dict:
    py = getattr(p, "py", None)
    return {"id": p.pk, "name": p.name, "sex": p.sex, "age": checklist.age(p.birth_date, year),
            "id_number": mask_id(p.id_number), "relation": p.relation, "health": p.health_label,
            "school_status": py.school_status if py else None,
            "in_school": (py.school_status in checklist.IN_SCHOOL) if py else None,
            "basic_medical": py.basic_medical if py else None}


def _questions(f: Facts, visits: list[dict]) -> list[dict]:
    out = []
    for q in checklist.questions().values():
        for person in (f.members if q.per == "member" else [None]):
            if not checklist.asked(q, f, person):
                continue
            entry = {"key": q.key, "person": person.pk if person is not None else None,
                     "seen": checklist.seen(q, f, person)}
            if q.key == "income_quarter":
                entry["last"] = _last_quarter(f, visits)
            out.append(entry)
    return out


def _last_quarter(f: Facts, visits: list[dict]):
    """Last quarter's figure: the previous visit's answer, else a quarter of the registry's annual net income."""
    for v in visits:
        for a in v["answers"] or []:
            if a.get("question") == "income_quarter" and a.get("value") is not None:
                return a["value"]
    if f.record is None:
        return None
    return round(f.record.net_income_fen / 100 / 4)


def _gaps(households: list[Household], year: int) -> dict[int, list[dict]]:
    if year not in standards.load(households[0].village.code).years():
        return {}
    out: dict[int, list[dict]] = {}
    for row in explain_households(household_ids=[h.pk for h in households], year=year,
                                  region_code=households[0].village.code):
        out.setdefault(row["household_id"], []).append({"indicator": row["indicator"], "reason": row["reason"]})
    return out


def _tasks(user, ids: list[int]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    rows = (tasks_visible_to(user).filter(household_id__in=ids, status=TaskStatus.OPEN)
            .order_by("due", "pk").values("household_id", "pk", "title", "kind", "template", "due"))
    for r in rows:
        out.setdefault(r["household_id"], []).append({
            "id": r["pk"], "title": r["title"], "kind": r["kind"], "template": r["template"],
            "due": r["due"].isoformat() if r["due"] else None})
    return out


def _last_visits(user, ids: list[int]) -> dict[int, list[dict]]:
    ranked = (visits_visible_to(user).filter(household_id__in=ids)
              .annotate(rank=Window(RowNumber(), partition_by=[F("household_id")], order_by=[F("on").desc(),
                                                                                              F("pk").desc()]))
              .filter(rank__lte=LAST_VISITS).order_by("household_id", "rank")
              .values("household_id", "on", "found", "done", "answers"))
    out: dict[int, list[dict]] = {}
    for r in ranked:
        out.setdefault(r["household_id"], []).append(r)
    return out


def _uncovered(households: list[Household], year: int) -> dict[int, list[dict]]:
    """{person id: [{person, policy, name}]}: the policies each member is eligible for and not covered by, from
    one run of the policy rules over the smallest area holding all the households (decision 1560)."""
    from tuopin.apps.policy import coverage

    area = _smallest_area({h.village for h in households})
    try:
        result = coverage.run(year=year, region=area, persons=True)
    except (ValidationError, standards.StandardMissing):
        return {}
    catalogue = policies.catalogue()
    out: dict[int, list[dict]] = {}
    ids = {h.pk for h in households}
    for row in result.persons.to_pylist():
        if row["eligible"] and not row["covered"] and row["household_id"] in ids:
            out.setdefault(row["person_id"], []).append({
                "person": row["person_id"], "policy": row["policy"],
                "name": catalogue[row["policy"]].name if row["policy"] in catalogue else row["policy"]})
    return out


def _smallest_area(villages: set[Region]) -> Region:
    if len(villages) == 1:
        return next(iter(villages))
    townships = {v.parent_id for v in villages}
    if len(townships) == 1:
        return Region.objects.get(pk=townships.pop())
    return Region.objects.get(pk=Region.objects.filter(pk__in=townships).values_list("parent_id", flat=True)[0])
