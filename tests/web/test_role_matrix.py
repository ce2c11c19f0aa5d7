"""The role-by-role suite: every role tries every page, API endpoint and document on an object outside its
scope, and gets 403 or 404 — and nothing is written. Adding a page means adding a row to URLS.

The objects outside a role's scope ("scenes"): for the county administrator a household, task, visit, village
and paired unit of another county; for every other role those of the other war zone (建平乡: its village, its
household h4, a task owned by another unit, a visit by another cadre); for a cadre also its colleague's
household h2 in its own village. Departments and evaluators open area pages county-wide by design (decision
0601), so the region and document rows skip them; their record rows still apply.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Callable

import pytest
from django.urls import reverse

from tests.factories import household as make_household
from tests.factories import region as make_region
from tuopin.apps.accounts.models import Role
from tuopin.apps.assessment.models import WhatIfRun
from tuopin.apps.assistance.models import Assessment, Task, Visit
from tuopin.apps.fieldwork.models import ProposedChange
from tuopin.apps.geo.models import Level, VillageYear
from tuopin.apps.housing.models import HouseRenovation
from tuopin.apps.organisation.models import Cadre, CadreHouseholdPairing, Unit, UnitKind, UnitVillagePairing
from tuopin.apps.procedures.models import AreaExit

pytestmark = pytest.mark.django_db
START = dt.date(2016, 1, 1)
AREA_WIDE = (Role.DEPARTMENT, Role.EVALUATOR)


@dataclass(frozen=True)
class Target:
    name: str
    method: str  # GET / POST (form) / JSON (API POST)
    build: Callable[[dict], str]  # scene -> url
    data: dict | None = None
    regional: bool = False  # an area page: skipped for roles whose area scope is county-wide


def web(name: str, key: str, *extra) -> Callable[[dict], str]:
    return lambda s: reverse(f"web:{name}", args=[s[key].pk, *extra])


def api(path: str, key: str) -> Callable[[dict], str]:
    return lambda s: f"/api/{path}/{s[key].pk}/" if key else f"/api/{path}/"


URLS = [
    Target("household page", "GET", web("household", "household")),
    Target("household edit", "GET", web("household_edit", "household")),
    Target("household edit post", "POST", web("household_edit", "household"), {"version": 1}),
    Target("person edit", "GET", lambda s: reverse("web:person_edit", args=[s["household"].members.first().pk])),
    Target("household year edit", "GET", lambda s: reverse("web:household_year_edit",
                                                           args=[s["household"].years.first().pk])),
    Target("household file pdf", "GET", web("household_file_pdf", "household")),
    Target("visit form", "GET", web("visit_record", "household")),
    Target("visit post", "POST", web("visit_record", "household"), {"on": "2018-05-01", "found": "probe"}),
    Target("task page", "GET", web("task", "task")),
    Target("task complete", "POST", web("task_complete", "task"), {"text": "probe"}),
    Target("village page", "GET", web("region", "village"), regional=True),
    Target("notice list pdf", "GET", web("notice_list_pdf", "village", 2018), regional=True),
    Target("area report xlsx", "GET", web("area_report_xlsx", "township", 2018), regional=True),
    Target("area report pdf", "GET", web("area_report_pdf", "township", 2018), regional=True),
    Target("zone board", "GET", web("zone_board", "township")),
    Target("coverage page", "GET", lambda s: reverse("web:coverage") + f"?region={s['township'].pk}", regional=True),
    Target("wall screen", "GET", lambda s: reverse("web:wall") + f"?region={s['township'].pk}", regional=True),
    Target("wall screen data", "GET", lambda s: reverse("web:wall_data") + f"?region={s['township'].pk}",
           regional=True),
    Target("veto", "POST", web("assessment_veto", "assessment"), {"reason": "probe"}),
    Target("proposal", "POST", web("assessment_propose", "assessment"), {"text": "probe"}),
    Target("api household", "GET", api("households", "household")),
    Target("api person", "GET", lambda s: f"/api/persons/{s['household'].members.first().pk}/"),
    Target("api household patch", "PATCH", api("households", "household"), {"version": 1, "address": "probe"}),
    Target("api task", "GET", api("tasks", "task")),
    Target("api task complete", "JSON", lambda s: f"/api/tasks/{s['task'].pk}/complete/", {"text": "probe"}),
    Target("api visit", "GET", api("visits", "visit")),
    Target("api visit post", "JSON", api("visits", ""), {"household": "{household}", "found": "probe"}),
    Target("api region", "GET", lambda s: f"/api/regions/{s['village'].code}/", regional=True),
    Target("village exit page", "GET", web("area_exit", "area_exit"), regional=True),
    Target("village exit stage", "POST", web("area_exit_advance", "area_exit"),
           {"stage": "township_review", "on": "2018-11-25", "decision": "pass"}, regional=True),
    Target("village exit notice pdf", "GET", web("area_exit_notice_pdf", "area_exit"), regional=True),
    Target("renovation page", "GET", web("housing_renovation", "renovation")),
    Target("renovation stage", "POST", web("housing_stage", "renovation", "option_chosen"),
           {"version": 1, "on": "2018-04-01", "option": "reinforce"}),
    Target("inspection form", "GET", web("housing_new", "household")),
    Target("inspection post", "POST", web("housing_new", "household"),
           {"grade": "D", "on": "2018-03-01", "inspector": "probe", "floor_area_m2": "50"}),
    Target("register a family", "POST", lambda s: reverse("web:household_register"),
           {"village": "{village}", "year": "2018", "on": "2018-06-01", "housing_grade": "A", "member-TOTAL_FORMS": "1",
            "member-INITIAL_FORMS": "1", "member-0-name": "probe", "member-0-relation": "01",
            "member-0-id_number": "220821196803144109", "member-0-ethnicity": "01", "member-0-labour_ability": "1",
            "member-0-work_months": "0", "water_litres_per_day": "60", "water_minutes": "0", "water_cut_days": "0",
            "cultivated_land_mu": "0", "housing_area_m2": "0"}),
    # Field work (decision 1560): the sheets of another village, a change proposed for another household.
    Target("field sheets of a village", "GET",
           lambda s: reverse("web:field_api_households") + f"?year=2018&village={s['village'].pk}", regional=True),
    Target("proposed change review", "POST", web("field_change", "change"), {"decision": "accept", "version": 1}),
    # The what-if (decision 1601): another area's standards tried or kept, another area's kept run read.
    Target("what-if page", "GET", lambda s: reverse("web:what_if") + f"?region={s['township'].pk}", regional=True),
    Target("what-if kept", "POST", lambda s: reverse("web:what_if"),
           {"region": "{township}", "year": "2018", "poverty_line": "5000", "name": "probe", "keep": ""},
           regional=True),
    Target("kept what-if", "GET", web("what_if_run", "what_if")),
    Target("kept what-ifs compared", "GET", lambda s: reverse("web:what_if_compare") + f"?a={s['what_if'].pk}&b=today"),
]

# (role, scene) pairs: every role meets the other zone; the county admin another county; a cadre also its
# colleague's household in its own village.
SCENES = [(Role.COUNTY_ADMIN, "other_county"), *((role, "other_zone") for role in Role if role != Role.COUNTY_ADMIN),
          (Role.CADRE, "colleague")]


@pytest.fixture
def scenes(org):
    h1, h2, _h3, h4 = org["households"]
    v1, _v2, v3 = org["villages"]
    t1, t2 = org["townships"]
    # Another county of the same city, with its own household, cadre, task, visit and paired unit.
    county2 = make_region("220822000000", "通榆县", Level.COUNTY, org["county"].parent)
    town2 = make_region("220822100000", "开通镇", Level.TOWNSHIP, county2)
    village2 = make_region("220822100201", "新华村", Level.VILLAGE, town2, is_poor_village=True)
    VillageYear.objects.create(village=village2, year=2018, population=2, households=1)
    hh2 = make_household(village2, "220822100201001")
    unit2 = Unit.objects.create(name="通榆县交通局", kind=UnitKind.PARTY_GOV)
    cadre2 = Cadre.objects.create(name="外县干部", unit=unit2)
    CadreHouseholdPairing.objects.create(cadre=cadre2, household=hh2, start=START)
    UnitVillagePairing.objects.create(unit=unit2, village=village2, start=START)

    def task(household, **owner):
        return Task.objects.create(kind="rectification", title="probe target", household=household,
                                   village=household.village, year=2018, **owner)

    def assessment(unit):
        return Assessment.objects.create(period="2018", subject_kind="unit", subject_id=unit.pk, score=80,
                                         result="good", computed_result="good")

    li = org["cadre"].__class__.objects.get(name="李干部")

    def area_exit(village):
        return AreaExit.objects.create(region=village, kind="village", year=2018)

    def renovation(household):
        return HouseRenovation.objects.create(household=household, grade="D", inspected_on=dt.date(2018, 3, 1),
                                              inspector="probe", floor_area_m2=50, members=2)

    def kept(township):
        return WhatIfRun.objects.create(name="probe", year=2018, scope_code=township.code, scope_name=township.name,
                                        what_if="", summary={})

    def change(household):
        return ProposedChange.objects.create(household=household, person=household.members.first(), year=2018,
                                             field="person_year.basic_medical", current=True, proposed=False)

    return {
        "other_county": {"household": hh2, "village": village2, "township": town2,
                         "task": task(hh2, owner_unit=unit2), "assessment": assessment(unit2),
                         "visit": Visit.objects.create(household=hh2, cadre=cadre2, on=dt.date(2018, 5, 1)),
                         "area_exit": area_exit(village2), "renovation": renovation(hh2), "change": change(hh2),
                         "what_if": kept(town2)},
        "other_zone": {"household": h4, "village": v3, "township": t2, "task": task(h4, owner_unit=org["other_unit"]),
                       "assessment": assessment(org["other_unit"]),
                       "visit": Visit.objects.create(household=h4, cadre=li, on=dt.date(2018, 5, 1)),
                       "area_exit": area_exit(v3), "renovation": renovation(h4), "change": change(h4),
                       "what_if": kept(t2)},
        # The cadre's colleague 赵干部: same village, not its household; the zone's own unit for the veto rows.
        "colleague": {"household": h2, "village": v1, "township": t1, "task": task(h2, owner_cadre=org["zhao"]),
                      "assessment": assessment(org["paired_unit"]),
                      "visit": Visit.objects.create(household=h2, cadre=org["zhao"], on=dt.date(2018, 5, 1)),
                      "area_exit": None, "renovation": renovation(h2), "change": change(h2),
                      "what_if": kept(t1)},
    }


CASES = [pytest.param(role, scene, target, id=f"{role}-{scene}-{target.name}")
         for role, scene in SCENES for target in URLS
         # In scope by design, so not in the table: area pages are county-wide for departments and evaluators,
         # and the colleague's village is the cadre's own.
         if not (target.regional and (role in AREA_WIDE or scene == "colleague"))]


@pytest.mark.parametrize("role,scene,target", CASES)
def test_outside_the_scope_is_refused(client, org, scenes, role, scene, target):
    s = scenes[scene]
    client.force_login(org["accounts"][role])
    visits, writes = Visit.objects.count(), _state()
    url = target.build(s)
    if target.method == "GET":
        response = client.get(url)
    elif target.method == "POST":
        places = {"{village}": s["village"].pk, "{township}": s["township"].pk}
        response = client.post(url, {k: places.get(v, v) for k, v in (target.data or {}).items()})
    else:
        data = {k: (s["household"].pk if v == "{household}" else v) for k, v in (target.data or {}).items()}
        method = client.patch if target.method == "PATCH" else client.post
        response = method(url, data, content_type="application/json")
    assert response.status_code in (403, 404), (role, scene, target.name, response.status_code)
    assert Visit.objects.count() == visits and _state() == writes


def _state():
    """What a refused request must not change: task statuses, vetoes and proposals, household versions."""
    from tuopin.apps.registry.models import Household

    return (list(Task.objects.order_by("pk").values_list("status", flat=True)),
            list(Assessment.objects.order_by("pk").values_list("vetoed", "commander_suggestion")),
            list(Household.objects.order_by("pk").values_list("version", flat=True)),
            list(AreaExit.objects.order_by("pk").values_list("stage", flat=True)), Household.objects.count(),
            list(ProposedChange.objects.order_by("pk").values_list("status", flat=True)), WhatIfRun.objects.count())


@pytest.mark.parametrize("role", [r for r in Role if r != Role.COUNTY_ADMIN])
def test_county_board_is_the_county_office_s(client, org, role):
    client.force_login(org["accounts"][role])
    assert client.get(reverse("web:county_board")).status_code == 403


@pytest.mark.parametrize("role", [Role.EVALUATOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN])
def test_roles_without_tasks_see_no_task_list(client, org, role):
    client.force_login(org["accounts"][role])
    assert client.get(reverse("web:tasks")).status_code == 403
    assert client.get("/api/tasks/").json()["results"] == []
    assert client.get("/api/visits/").json()["results"] == []


@pytest.mark.parametrize("role,scene", SCENES, ids=[f"{r}-{s}" for r, s in SCENES])
def test_a_field_visit_outside_the_scope_is_refused(client, org, scenes, role, scene):
    """POST /field/api/visits/ answers a batch with each visit's status (decision 1560): a visit for a household
    outside the role's scope comes back refused (or the whole request 403 for a role that records no visits), and
    nothing is written."""
    import uuid

    s = scenes[scene]
    client.force_login(org["accounts"][role])
    visits, writes = Visit.objects.count(), _state()
    response = client.post(reverse("web:field_api_visits"), {"visits": [{
        "client_id": str(uuid.uuid4()), "household": s["household"].pk, "on": "2018-05-01", "answers": [
            {"question": "hardship", "value": True}]}]}, content_type="application/json")
    assert response.status_code == 403 or response.json()["results"][0]["status"] == "refused", (role, scene)
    assert Visit.objects.count() == visits and _state() == writes


@pytest.mark.parametrize("role", [Role.DEPARTMENT, Role.EVALUATOR, Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN,
                                  Role.AUDIT_ADMIN, Role.UNASSIGNED])
def test_roles_that_record_no_visits_get_no_field_forms(client, org, role):
    """The XLSForms and the import of their submissions (decisions 1570, 1571) are for the roles that record visits;
    the households an import names are checked one by one by the visit service (tests/fieldwork)."""
    client.force_login(org["accounts"][role])
    for form in ("visit", "household"):
        assert client.get(reverse("web:field_form_xlsx", args=[form])).status_code == 403
    assert client.get(reverse("web:field_forms_import")).status_code == 403
    visits = Visit.objects.count()
    assert client.post(reverse("web:field_forms_import"), {"form": "visit"}).status_code == 403
    assert Visit.objects.count() == visits


@pytest.mark.parametrize("role", list(Role))
def test_signals_are_the_county_office_s_and_the_commanders(client, org, role):
    """数字脱贫 (decision 1593): the county office and a war zone's commander read the signals page; only the county
    office runs the rules; every other role is refused both, and a refused run writes nothing."""
    from tuopin.apps.audit.models import AuditEvent

    client.force_login(org["accounts"][role])
    page = client.get(reverse("web:signals"))
    assert page.status_code == (200 if role in (Role.COUNTY_ADMIN, Role.COMMANDER) else 403), role
    if role != Role.COUNTY_ADMIN:
        runs = AuditEvent.objects.filter(action="signals_run").count()
        assert client.post(reverse("web:signals_run"), {"year": "2018"}).status_code == 403
        assert AuditEvent.objects.filter(action="signals_run").count() == runs
