"""The pages' figures kept up to date household by household (decision 1380): after an edit only the edited
households' rows are read and judged again, and every year's figures of the county and of each township equal
those of a full assessment from scratch.

Transactional: rows are kept only when read outside a transaction (a test's transaction would hide them)."""

import datetime as dt
import math

import pytest
from django.core.cache import cache

from tests.web.yearly import YEARS, county_over_years
from tuopin.apps.assessment import figures, increments, live_inputs
from tuopin.apps.audit.services import audit_batch
from tuopin.apps.geo.figures import village_figures_load
from tuopin.apps.geo.models import Level, Region
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services
from tuopin.apps.registry.models import Household

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def years_county(county):
    return county_over_years(county)


def _scopes():
    return list(Region.objects.filter(level__in=(Level.COUNTY, Level.TOWNSHIP)).order_by("code"))


def _every_figure() -> dict:
    return {(scope.code, year): figures.area_figures(scope, year) for scope in _scopes() for year in YEARS}


def _same(a, b, path="") -> None:
    """Equal, floats to the last few bits (a sum's order may differ between the two runs)."""
    if isinstance(a, float) or isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12), path
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _same(a[key], b[key], f"{path}/{key}")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{path}[{i}]")
    else:
        assert a == b, path


@pytest.fixture
def reads(monkeypatch):
    """Each read of the live registry the assessments make: which households and tables it asked for."""
    calls = []
    real = live_inputs.read

    def spy(**kwargs):
        calls.append(kwargs)
        return real(**kwargs)

    monkeypatch.setattr(live_inputs, "read", spy)
    return calls


def _household(number_end: str) -> Household:
    return Household.objects.get(number__endswith=number_end, village__code="220821100201")


def test_one_household_edited_is_read_again_alone_and_the_figures_equal_a_full_run(years_county, reads):
    admin = years_county["accounts"]["county_admin"]
    before = _every_figure()
    assert all(figures.area_figures(scope, 2017) for scope in _scopes())
    reads.clear()

    # Its 2017 income falls below the line (the year it exits): an income gap, one household less eligible.
    edited = _household("903")
    record = edited.years.get(year=2017)
    services.household_year_update(record=record, version=record.version, by=admin, source="cli",
                                   wage_income_fen=100_000)
    after = _every_figure()

    whole = [call for call in reads if call.get("household_ids") is None and call.get("tables") is None]
    assert whole == []  # no full read of any scope or year
    assert {tuple(call["household_ids"]) for call in reads if call.get("household_ids")} == {(edited.pk,)}
    county_code = years_county["county"].code
    assert after[(county_code, 2017)]["summary"]["households_eligible"] == \
        before[(county_code, 2017)]["summary"]["households_eligible"] - 1
    assert after[(county_code, 2016)] == before[(county_code, 2016)]

    cache.clear()
    _same(after, _every_figure())


def test_status_events_splits_members_leaving_and_village_records_equal_a_full_run(years_county, reads):
    admin = years_county["accounts"]["county_admin"]
    before = _every_figure()
    returned = _household("905")  # exited in 2017, back in poverty in 2019
    services.status_event_record(household=returned, kind=c.EventKind.RETURNED, year=2019,
                                 effective_on=dt.date(2019, 6, 1), by=admin, source="cli")
    split = _household("906")
    _head, spouse = split.members.order_by("id")
    services.household_split(household=split, persons=[spouse], new_number="220821100201999", head=spouse,
                             by=admin, on=dt.date(2019, 3, 1), source="cli")
    leaving = _household("907").members.order_by("id").last()
    services.person_leave(person=leaving, on=dt.date(2020, 2, 1), reason="迁出", by=admin, source="cli")
    # A village's 2019 record (population, doctor, collective income): no household's rows, the roll-ups only.
    village_figures_load(year=2019, by=admin, name="figures.csv", source="cli", content=(
        "乡,行政村,农村户籍人口,户数,标准化卫生室,合格村医,通硬化路,安全饮水,村集体经济收入\n"
        "建平乡,建平村,90,30,是,否,是,是,100\n").encode())
    reads.clear()
    after = _every_figure()

    assert [call for call in reads if call.get("household_ids") is None and call.get("tables") is None] == []
    new = Household.objects.get(number="220821100201999")
    county_code = years_county["county"].code
    assert after[(county_code, 2019)]["summary"]["rural_population"] != \
        before[(county_code, 2019)]["summary"]["rural_population"]
    assert after[(county_code, 2019)]["summary"]["poor_persons"] == \
        before[(county_code, 2019)]["summary"]["poor_persons"] + 2  # the returned household's two members
    assert {pk for call in reads for pk in call.get("household_ids") or ()} == {
        returned.pk, split.pk, new.pk, leaving.household_id}
    cache.clear()
    _same(after, _every_figure())


def test_a_write_that_names_no_household_runs_everything_again(years_county, reads):
    _every_figure()
    audit_batch(actor=None, action="import", entity="registry.household", batch={"rows": 3}, source="import")
    reads.clear()
    figures.area_figures(years_county["county"], 2018)
    assert [call for call in reads if call.get("household_ids") is None and call.get("tables") is None]


def test_writes_the_engine_does_not_read_keep_the_rows():
    audit_batch(actor=None, action="tasks_sync", entity="assistance.task", batch={"created": 2}, source="cli")
    audit_batch(actor=None, action="village_figures_load", entity="geo.villageyear", batch={"rows": 1}, source="cli")
    assert increments.changed_households(0, 10**9) == set()
    audit_batch(actor=None, action="load", entity="geo.region", batch={"rows": 1}, source="cli")
    with pytest.raises(increments.FullRun):
        increments.changed_households(0, 10**9)


def test_a_batch_of_household_procedures_names_its_households(county):
    from tuopin.apps.audit.marker import latest_write_id
    from tuopin.apps.procedures import procedure

    admin = county["accounts"]["county_admin"]
    start = latest_write_id()
    poor = [h for h in county["households"] if h.is_registered]
    proposal = procedure.exit_propose(household_ids=[h.pk for h in poor], year=2018, by=admin,
                                      on=dt.date(2018, 10, 1), source="cli")
    assert proposal.created
    proposed = {event.household_id for event in proposal.created}
    assert increments.changed_households(start, latest_write_id()) == proposed
    spec = procedure.PROCEDURES[c.EventKind.EXITED]
    moved = latest_write_id()
    procedure.procedure_advance_many(events=proposal.created[:1], stage=spec.order[1], by=admin,
                                     on=dt.date(2018, 10, 8), source="cli")
    assert increments.changed_households(moved, latest_write_id()) == {proposal.created[0].household_id}
