"""Every URL pattern of the project, with odd parameters, as every role and anonymous: never a 5xx.

The walk iterates Django's resolver, so a new page or endpoint is walked without being listed here (a URL name
missing from `_real_values` is tried with pk 1). Each path parameter gets a real value of the small county and
odd ones: a non-number where the pattern lets one through, 0, -1, numbers beyond 64 bits, years before the
registry (2013), after the standards file (2021, this year) and in the future. Query strings carry odd years,
pages and every filter; every URL is POSTed odd form bodies (the field names of the project's forms and
serializers) and every API detail is PATCHed them. A refusal (4xx) is the expected answer; a 5xx is a failure,
listed with its request.

- `test_no_url_answers_a_server_error[role]`: one test per role and anonymous — every pattern's real paths, the
  odd years and filters the views read, the bodies the views read (a POST the view does not read is sent once).
- `test_every_odd_value_as_the_county_office`: every odd value in every path and query parameter (an API list's
  filters one by one) and every kind of odd body, as the county office: the widest scope, whose queries all run
  where an empty scope would not query at all. Odd ids in a page's path do not depend on the role: the `<id:…>`
  converter refuses them before any view runs.

The client keeps nothing of a response but its status (no template instrumentation), sessions live in signed
cookies and PDFs are not laid out (their HTML is rendered): a walk of several thousand requests stays within a
few seconds of CPU per role.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from itertools import islice
from urllib.parse import urlencode

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from tuopin.apps.accounts.models import Role
from tuopin.apps.assistance.models import Assessment, Task, Visit
from tuopin.apps.evaluation.services import evaluation_round_create
from tuopin.apps.fieldwork.models import ProposedChange
from tuopin.apps.registry import choices as c
from tuopin.apps.registry.models import NoticeObjection, ProcedureStep, StatusEvent

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond a signed 64-bit integer
THIS_YEAR = str(timezone.localdate().year)
ALL_IDS = ("abc", "0", "-1", HUGE, "9223372036854775808", "²")
# Years before the registry (2013), after the standards file (2021, this year), in the future, and not years.
ALL_YEARS = ("abc", "0", "-1", HUGE, "2013", "2021", THIS_YEAR, "2030", "99999", "", "²", "2018.5")
ALL_VALUES = ("abc", "0", "-1", HUGE, "", "²", "a\x00b")
# What every role's walk sends (the rest differ from these only in ways the parsers treat alike).
ROLE_IDS = ("0", HUGE)
ROLE_YEARS = ("abc", HUGE, "2013", THIS_YEAR, "2030")
ROLE_VALUES = ("abc", HUGE, "a\x00b")

# Query parameters the pages read (request.GET), by URL name; every other URL gets one odd `year` and `page`.
PAGE_QUERIES = {
    "web:home": ("page",),
    "web:region": ("year", "page"),
    "web:region_trend": ("year",),
    "web:household": ("year",),
    "web:procedures": ("year",),
    "web:identification_procedures": ("year", "q"),
    "web:return_procedures": ("year", "q"),
    "web:village_exits": ("year",),
    "web:county_exits": ("year",),
    "web:tasks": ("status", "overdue", "indicator", "owner", "page"),
    "web:zone_board": ("year", "period"),
    "web:county_board": ("period",),
    "web:admin_audit": ("user", "action", "entity", "since", "until", "page"),
    "web:login": ("next",),
    "web:evaluation_round": ("village", "pending", "page"),
    "web:rectification_list": ("source", "status", "page"),
    "web:household_register": ("year", "rows"),
    "web:village_figures": ("year",),
    "web:org_cadres": ("q",),
    "web:org_items": ("level",),
    "web:org_team_new": ("village",),
    "web:village_figures_template": ("year",),
    "web:aid": ("township", "year"),
    "web:coverage": ("year", "region", "policy", "page"),
    "web:signals": ("year",),
    "web:wall": ("region",),
    "web:wall_data": ("year", "region"),
    "web:campaign": ("on", "township"),
    "web:housing_find": ("number",),
    "web:roster": ("how", "page"),
    "web:field": ("year",),
    "web:field_api_households": ("year", "village"),
    "web:field_changes": ("status", "household", "page"),
    "web:what_if": ("region",),
    "web:what_if_compare": ("a", "b"),
}
API_PAGING = ("limit", "offset", "format")


def _real_values(org, extra) -> dict[str, list[dict]]:
    """For each URL name, the real path values to start from (a URL not listed gets pk 1)."""
    h1, h2, _h3, _h4 = org["households"]
    v1 = org["villages"][0]
    t1 = org["townships"][0]
    county = org["county"]
    person, record = h1.members.first(), h1.years.first()
    accounts = org["accounts"]
    households = [{"pk": h1.pk}, {"pk": h2.pk}]
    return {
        "web:admin_account_disable": [{"pk": accounts["evaluator"].pk}],
        "web:admin_role_edit": [{"pk": accounts["evaluator"].pk}],
        "web:region": [{"pk": county.pk}, {"pk": t1.pk}, {"pk": v1.pk}],
        "web:region_trend": [{"pk": county.pk}, {"pk": t1.pk}],
        "web:household": households,
        "web:household_edit": households,
        "web:household_file_pdf": households[:1],
        "web:visit_record": households,
        "web:person_edit": [{"pk": person.pk}],
        "web:household_year_edit": [{"pk": record.pk}],
        "web:area_report_xlsx": [{"pk": county.pk, "year": 2018}],
        "web:area_report_pdf": [{"pk": t1.pk, "year": 2018}],
        "web:notice_list_pdf": [{"pk": v1.pk, "year": 2018}],
        "web:procedure_event": [{"pk": extra["event"].pk}],
        "web:objection_record": [{"pk": extra["event"].pk}],
        "web:objection_resolve": [{"pk": extra["event"].pk, "objection_pk": extra["objection"].pk}],
        "web:area_exit": [{"pk": extra["area_exit"].pk}],
        "web:area_exit_advance": [{"pk": extra["area_exit"].pk}],
        "web:area_exit_notice_pdf": [{"pk": extra["area_exit"].pk}],
        "web:area_objection_record": [{"pk": extra["area_exit"].pk}],
        "web:task": [{"pk": extra["task"].pk}],
        "web:task_complete": [{"pk": extra["task"].pk}],
        "web:zone_board": [{"pk": t1.pk}],
        "web:assessment_propose": [{"pk": extra["assessment"].pk}],
        "web:assessment_veto": [{"pk": extra["assessment"].pk}],
        "web:evaluation_round": [{"pk": extra["round"].pk}],
        "web:evaluation_survey": [{"pk": extra["round"].pk}],
        "web:evaluation_export": [{"pk": extra["round"].pk}],
        "web:evaluation_finding": [{"pk": extra["round"].pk, "sample_pk": extra["round"].households.first().pk}],
        "web:rectification_reopen": [{"pk": extra["task"].pk}],
        **{name: [{"pk": extra["campaign"].pk}] for name in ("web:campaign", "web:campaign_log", "web:campaign_target",
                                                             "web:campaign_participant")},
        "web:campaign_participant_remove": [{"pk": extra["campaign"].pk, "participant": extra["participant"].pk}],
        "web:campaign_log_correct": [{"pk": extra["campaign"].pk, "log": extra["log"].pk}],
        "web:roster": [{"pk": extra["roster"].pk}],
        "web:field_change": [{"pk": extra["change"].pk}],
        "web:what_if_run": [{"pk": extra["what_if"].pk}],
        "web:roster_template": [{"kind": "death"}, {"kind": "public_employee"}],
        "web:field_form_xlsx": [{"form": "visit"}, {"form": "household"}],
        "api:region-detail": [{"code": county.code}, {"code": v1.code}],
        "api:household-detail": households,
        "api:household-events": households,
        "api:person-detail": [{"pk": person.pk}],
        "api:household-year-detail": [{"pk": record.pk}],
        "api:person-year-detail": [{"pk": person.years.first().pk}],
        "api:task-detail": [{"pk": extra["task"].pk}],
        "api:task-complete": [{"pk": extra["task"].pk}],
        "api:visit-detail": [{"pk": extra["visit"].pk}],
    }


# --- the resolver, as URL templates ---------------------------------------------------------------------------

_ROUTE_PARAM = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


def _regex_template(regex: str) -> str:
    """`^households/(?P<pk>[^/.]+)\\.(?P<format>[a-z0-9]+)/?$` → `households/{pk}.{format}/`."""
    out, i = [], 0
    regex = regex.removeprefix("^").removesuffix("$").removesuffix("\\Z")
    while i < len(regex):
        if regex.startswith("(?P<", i):
            end = regex.index(">", i)
            name, depth, j = regex[i + 4:end], 1, end + 1
            while depth:
                depth += {"(": 1, ")": -1}.get(regex[j], 0) if regex[j - 1] != "\\" else 0
                j += 1
            out.append("{" + name + "}")
            i = j
        elif regex[i] == "\\":
            out.append(regex[i + 1])
            i += 2
        elif regex.startswith("/?", i):
            out.append("/")
            i += 2
        else:
            out.append(regex[i])
            i += 1
    return "".join(out)


def _template(pattern) -> str:
    route = getattr(pattern.pattern, "_route", None)
    if route is not None:
        return _ROUTE_PARAM.sub(lambda m: "{" + m["name"] + "}", route)
    return _regex_template(pattern.pattern.regex.pattern)


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name, URL template, the view's callback) for every pattern the project answers."""
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from url_patterns(p, prefix + _template(p), ns)
        elif isinstance(p, URLPattern):
            yield f"{namespace}{p.name}" if p.name else "", prefix + _template(p), p.callback


# A parameter with no real value: a record id 1, the small county's data year, JSON, the county's code, every kind.
DEFAULTS = {"year": 2018, "format": "json", "code": "220821000000", "kind": "all", "stage": "works", "form": "visit"}


def _fill(template: str, values: dict) -> str:
    return "/" + re.sub(r"{(\w+)}", lambda m: str(values.get(m[1], DEFAULTS.get(m[1], 1))), template)


def _api_filters(callback) -> tuple[str, ...]:
    cls = getattr(callback, "cls", None)
    return tuple(p.name for p in getattr(cls, "filter_params", ()))


# --- odd bodies -------------------------------------------------------------------------------------------------

def _form_field_names() -> set[str]:
    """Every field name of the project's forms and serializers: the names an odd body fills."""
    from django import forms
    from rest_framework import serializers

    import tuopin.api.accountability  # import the modules that declare them
    import tuopin.api.edits
    import tuopin.web.evaluation_forms
    import tuopin.web.forms
    import tuopin.web.registration_forms
    import tuopin.web.task_forms
    import tuopin.web.views.administration
    import tuopin.web.views.what_if  # noqa: F401

    names: set[str] = set()

    def walk(cls):
        for sub in cls.__subclasses__():
            if sub.__module__.startswith("tuopin."):
                names.update(getattr(sub, "base_fields", {}) or {})
                names.update(getattr(sub, "_declared_fields", {}) or {})
                meta = getattr(sub, "Meta", None)
                fields = getattr(meta, "fields", ())
                if isinstance(fields, (list, tuple)):
                    names.update(fields)
            walk(sub)

    walk(forms.BaseForm)
    walk(serializers.BaseSerializer)
    names.discard("photo")  # a file field: a string in a multipart body is no file, nothing odd to add
    return names | {"household", "event", "decision", "stage", "year", "next", "language", "code"}


# Plausible values for the fields that are not ids, so that a body gets past the form to the ids it names.
PLAUSIBLE = {"year": "2018", "on": "2018-10-20", "ends_on": "2018-10-27", "received_on": "2018-10-13",
             "due": "2018-12-01", "follow_up_due": "2018-12-01", "since": "2018-01-01", "until": "2018-12-31",
             "stage": "democratic_review", "decision": "pass", "by_name": "probe", "note": "probe", "text": "probe",
             "reason": "probe", "content": "probe", "resolution": "probe", "found": "probe", "done": "probe"}


def _bodies(names: set[str], *, every: bool) -> list[dict]:
    """Odd form bodies: every field odd; or the plausible fields plausible and every other field (the ids) odd;
    or everything plausible but the year. Four kinds for every role's walk, all (`every`) for the county office."""
    names = sorted(names)

    def odd(value, year):
        return {n: (year if "year" in n else value) for n in names}

    def ids(value):
        return {n: PLAUSIBLE.get(n, value) for n in names}

    def year(value):
        return {n: value if n == "year" else PLAUSIBLE.get(n, "1") for n in names}

    # "²" is a digit to str.isdigit() but not to int(): it finds both a missing check and a wrong one.
    bodies = [odd("abc", "abc"), ids("²"), ids(HUGE), year("2030")]
    return bodies + [odd(HUGE, "0"), ids("abc"), ids("0"), year("2013")] if every else bodies


# --- the walk ----------------------------------------------------------------------------------------------------

@pytest.fixture
def walk_county(org):
    """The organisation plus an open exit procedure with an objection, a task, a visit and an assessment."""
    h1, h2 = org["households"][:2]
    event = StatusEvent.objects.create(household=h1, kind=c.EventKind.EXITED, year=2018, stage=c.Stage.PUBLIC_NOTICE,
                                       effective_on=dt.date(2018, 10, 20), persons=2)
    step = ProcedureStep.objects.create(event=event, stage=c.Stage.PUBLIC_NOTICE, on=dt.date(2018, 10, 12),
                                        ends_on=dt.date(2018, 10, 18), by_name="西岗村委会")
    objection = NoticeObjection.objects.create(step=step, received_on=dt.date(2018, 10, 13), content="probe")
    task = Task.objects.create(kind="rectification", title="probe", household=h2, village=h2.village, year=2018,
                               owner_unit=org["paired_unit"])
    visit = Visit.objects.create(household=h2, cadre=org["zhao"], on=dt.date(2018, 5, 1))
    assessment = Assessment.objects.create(period="2018", subject_kind="unit", subject_id=org["paired_unit"].pk,
                                           score=80, result="good", computed_result="good")
    round_ = evaluation_round_create(county=org["county"], data_year=2018, held_in=2019, name="probe", by=None,
                                     villages=3)
    from tuopin.apps.procedures.models import AreaExit

    area_exit = AreaExit.objects.create(region=org["villages"][0], kind="village", year=2018)
    from tuopin.apps.campaigns import services as campaigns

    campaign = campaigns.campaign_create(by=None, name="probe", start=dt.date(2018, 4, 10), end=dt.date(2018, 7, 18))
    campaigns.target_set(campaign=campaign, by=None, village=org["villages"][0], kind="visits_made", count=5)
    participant = campaigns.participant_add(campaign=campaign, by=None, unit=org["paired_unit"])
    log = campaigns.progress_record(campaign=campaign, by=None, village=org["villages"][0], day=dt.date(2018, 4, 11),
                                    kind="visits_made", count=1)
    return {**org, "extra": {"event": event, "objection": objection, "task": task, "visit": visit,
                             "assessment": assessment, "round": round_, "area_exit": area_exit,
                             "campaign": campaign, "participant": participant, "log": log, "roster": _roster(h2),
                             "change": ProposedChange.objects.create(
                                 household=h2, person=h2.members.first(), year=2018, field="person_year.basic_medical",
                                 current=True, proposed=False),
                             "what_if": _what_if(org)}}


def _what_if(org):
    """A kept what-if of the county (the line raised), as the page keeps one."""
    from tuopin.apps.assessment import what_if

    summary = what_if.assess_live(year=2018, region=org["county"], over={"poverty_line": {"2018": {"yuan": 9000}}},
                                  where="walk")
    return what_if.save(name="walk", text="[poverty_line.2018]\nyuan = 9000\n", summary=summary, by=None)


def _roster(household):
    import tempfile
    from pathlib import Path

    from tuopin.apps.policy.roster_import import roster_import

    person = household.members.first()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roster.csv"
        path.write_text(f"姓名,证件号码,死亡日期\n{person.name},{person.id_number},2018-05-01\n无号,,2018-05-02\n",
                        encoding="utf-8")
        return roster_import(path, kind="death", year=2018, by=None).roster


def _params(template: str) -> list[str]:
    return re.findall(r"{(\w+)}", template)


def _odd_paths(template: str, start: dict, ids, years) -> list[str]:
    """The template with one parameter at a time replaced by each odd value, the others real."""
    out = []
    for param in _params(template):
        odd = years if param == "year" else ("xml",) if param == "format" else ids
        out += [_fill(template, {**start, param: value}) for value in odd]
    return out


def _queries(name: str, callback, *, years, values, every_filter: bool) -> list[str]:
    """Odd query strings for one URL: the years and filters its view reads; an API list's filters one by one
    (`every_filter`) or all at once."""
    own = PAGE_QUERIES.get(name, ())
    out = [urlencode({"year": "abc", "page": HUGE})] if "year" not in own else []
    for param in own:
        out += [urlencode({param: v}) for v in (years if param == "year" else values)]
    if name.endswith("-list"):
        params = _api_filters(callback) + API_PAGING
        if every_filter:
            out += [urlencode({p: v}) for p in params for v in (years if "year" in p else values)]
        else:
            out += [urlencode({p: v for p in params}) for v in values]
    return out


class WalkClient(Client):
    """The test client without its template instrumentation (it copies every template's context): the walk looks
    at the status only. Exceptions become the 500 a browser would get."""

    def __init__(self):
        super().__init__(raise_request_exception=False)

    def request(self, **request):
        response = self.handler(self._base_environ(**request))
        if response.cookies:
            self.cookies.update(response.cookies)
        return response


@pytest.fixture
def walk_settings(settings, monkeypatch):
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
    # Documents are built from their templates as usual, but not laid out: WeasyPrint's layout takes most of a
    # second a file and does not look at the parameters (tests/web/test_documents.py checks the PDFs themselves).
    monkeypatch.setattr("weasyprint.HTML.write_pdf", lambda self, *args, **kwargs: b"%PDF-1.7 not laid out")
    quiet = logging.getLogger("django.request")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # a 4xx is the expected answer: no warning line for each
    yield settings
    quiet.setLevel(level)


def _send(client, method: str, path: str, body):
    if method == "GET":
        return client.get(path)
    if method == "PATCH":
        return client.patch(path, body, content_type="application/json")
    return client.post(path, body)


class Walk:
    """Sends requests, keeps the 5xx; a POST or PATCH body the view did not read is not followed by the others."""

    def __init__(self, client):
        self.client, self.failures, self.sent = client, [], 0

    def get(self, path: str):
        return self._one("GET", path, None)

    def bodies(self, method: str, path: str, bodies: list[dict]) -> None:
        for body in bodies:
            response = self._one(method, path, body)
            if not getattr(response.wsgi_request, "_read_started", False):
                return  # refused or ignored before the body was read: another body changes nothing

    def _one(self, method, path, body):
        response = _send(self.client, method, path, body)
        self.sent += 1
        if response.status_code >= 500:
            self.failures.append(f"{response.status_code} {method} {path!r} {_short(body)}")
        return response

    def check(self, at_least: int) -> None:
        assert self.sent >= at_least
        assert not self.failures, (f"{len(self.failures)} of {self.sent} requests failed:\n"
                                   + "\n".join(islice(self.failures, 80)))


def _short(body) -> str:
    if not body:
        return ""
    return f"(body of {', '.join(map(repr, sorted(set(map(str, body.values())))))})"


def _is_document(response) -> bool:
    return response.get("Content-Disposition", "").startswith("attachment")


ROLES = [*Role.values, "anonymous"]


@pytest.mark.parametrize("role", ROLES)
def test_no_url_answers_a_server_error(walk_county, walk_settings, role):
    client = WalkClient()
    if role != "anonymous":
        client.force_login(walk_county["accounts"][role])
    walk, real = Walk(client), _real_values(walk_county, walk_county["extra"])
    bodies = _bodies(_form_field_names(), every=False)
    for name, template, callback in url_patterns():
        starts = _starts(name, template, real)
        suffixed = "{format}" in template  # DRF's format-suffix twin of a pattern: its real path is enough
        answers = [walk.get(_fill(template, start)) for start in starts]
        if suffixed:
            continue
        for path in _odd_paths(template, starts[0], ROLE_IDS, ROLE_YEARS):
            walk.get(path)
        if any(_is_document(a) for a in answers):
            continue  # a document is built from its path alone: no query string or body changes it
        first = _fill(template, starts[0])
        for query in _queries(name, callback, years=ROLE_YEARS, values=ROLE_VALUES, every_filter=False):
            walk.get(f"{first}?{query}")
        if name == "web:logout":
            continue  # POSTed last: it ends the session
        for start in starts:
            walk.bodies("POST", _fill(template, start), bodies)
            if name.startswith("api:") and _params(template):
                walk.bodies("PATCH", _fill(template, start), bodies)
    walk.bodies("POST", "/logout/", [{}])
    walk.check(at_least=300)


def test_every_odd_value_as_the_county_office(walk_county, walk_settings):
    """Every odd value in every path parameter (GET and a POST), in every query parameter (an API list's filters
    one by one) and every kind of odd body, as the account whose queries all run."""
    client = WalkClient()
    client.force_login(walk_county["accounts"]["county_admin"])
    walk, real = Walk(client), _real_values(walk_county, walk_county["extra"])
    bodies = _bodies(_form_field_names(), every=True)
    for name, template, callback in url_patterns():
        if name == "web:logout" or "{format}" in template:
            continue
        start = _starts(name, template, real)[0]
        for path in _odd_paths(template, start, ALL_IDS, ALL_YEARS):
            walk.get(path)
            walk.bodies("POST", path, bodies[:1])
        first = _fill(template, start)
        if _is_document(walk.get(first)):
            continue
        for query in _queries(name, callback, years=ALL_YEARS, values=ALL_VALUES, every_filter=True):
            walk.get(f"{first}?{query}")
        walk.bodies("POST", first, bodies)
        if name.startswith("api:") and _params(template):
            walk.bodies("PATCH", first, bodies)
    walk.check(at_least=300)


def _starts(name: str, template: str, real: dict) -> list[dict]:
    """The real values a pattern's walk starts from; a pattern not in `_real_values` gets DEFAULTS."""
    return real.get(name) or [{}]


def test_the_walk_covers_every_pattern():
    """The resolver gives the walk every page, endpoint and document, and the templates resolve."""
    from django.urls import resolve

    names = {name for name, _template, _callback in url_patterns()}
    assert {"web:procedures", "web:area_report_pdf", "api:household-list", "api:task-complete",
            "set_language"} <= names
    for name, template, _callback in url_patterns():
        path = _fill(template, {"kind": "death"} if name == "web:roster_template" else {})  # a kind of roster, not `all`
        assert resolve(path).url_name == name.rpartition(":")[2], (name, path)
