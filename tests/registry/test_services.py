import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import choices as c
from tuopin.apps.registry import services
from tuopin.apps.registry.models import Household, HouseholdYear, Person, StatusEvent
from tuopin.common import idnumber


@pytest.fixture
def admin(county):
    return county["accounts"]["county_admin"]


def test_household_year_edit_derives_income_and_audits_old_and_new(county, admin):
    record = HouseholdYear.objects.get(household=county["households"][1], year=2018)
    assert record.members == 4 and record.per_capita_net_income_fen == 200_000
    updated = services.household_year_update(record=record, version=record.version, by=admin,
                                             wage_income_fen=1_000_000, production_cost_fen=200_000)
    assert updated.version == 2
    assert updated.net_income_fen == 800_000 and updated.per_capita_net_income_fen == 200_000
    event = AuditEvent.objects.get(action="update", entity="registry.householdyear")
    assert event.actor_name == "county_admin"
    assert event.changes["wage_income_fen"] == [800_000, 1_000_000]
    assert event.changes["production_cost_fen"] == [0, 200_000]


def test_stale_edit_is_refused_with_who_and_when(county, admin):
    record = HouseholdYear.objects.get(household=county["households"][0], year=2018)
    services.household_year_update(record=record, version=1, by=admin, wage_income_fen=123)
    with pytest.raises(services.StaleEdit, match=r"此记录已由 county_admin 于 .* 修改（当前为第 2 版，您编辑的是第 1 版）"):
        services.household_year_update(record=record, version=1, by=admin, wage_income_fen=456)
    assert HouseholdYear.objects.get(pk=record.pk).wage_income_fen == 123


def test_unchanged_save_writes_no_version_and_no_audit(county, admin):
    hh = county["households"][0]
    services.household_update(household=hh, version=hh.version, by=admin, phone=hh.phone)
    assert Household.objects.get(pk=hh.pk).version == 1
    assert not AuditEvent.objects.filter(action="update").exists()


def test_person_id_number_must_match_sex_and_birth_date(county, admin):
    p = Person.objects.filter(household=county["households"][0]).first()
    female = idnumber.make("220821", p.birth_date, 77, "F")
    with pytest.raises(ValidationError) as err:
        services.person_update(person=p, version=p.version, by=admin, id_number=female)
    assert "sex" in err.value.message_dict


def test_a_second_use_of_an_id_number_names_the_other_household(county, admin):
    first = Person.objects.filter(household=county["households"][0]).first()
    second = Person.objects.filter(household=county["households"][3]).first()
    with pytest.raises(ValidationError) as err:
        services.person_update(person=second, version=second.version, by=admin, id_number=first.id_number,
                               sex=first.sex, birth_date=first.birth_date)
    assert county["households"][0].number in err.value.message_dict["id_number"][0]


def test_person_id_number_normalised_on_save(county, admin):
    p = Person.objects.filter(household=county["households"][0]).first()
    raw = idnumber.make("220821", p.birth_date, 501, p.sex)
    saved = services.person_update(person=p, version=p.version, by=admin, id_number=f"  {raw.lower()} ")
    assert saved.id_number == raw


def test_death_of_the_last_member_closes_the_household(county, admin):
    hh = county["households"][0]
    members = list(hh.members.all())
    for person in members:
        services.person_leave(person=person, on=dt.date(2017, 6, 1), reason="死亡", by=admin)
    hh.refresh_from_db()
    assert hh.closed and hh.status == c.PovertyStatus.CLOSED
    event = StatusEvent.objects.get(household=hh, kind=c.EventKind.NATURAL_DECREASE)
    assert event.effective_on == dt.date(2017, 6, 1) and event.stage == c.Stage.ANNOUNCED
    with pytest.raises(ValidationError, match="已经离开本户"):
        services.person_leave(person=members[0], on=dt.date(2017, 6, 2), reason="死亡", by=admin)


def test_split_moves_members_and_records_the_event(county, admin):
    hh = county["households"][1]
    movers = list(hh.members.order_by("number"))[1:3]
    new = services.household_split(household=hh, persons=movers, head=movers[0], new_number="220821100201099",
                                   by=admin, on=dt.date(2018, 3, 1))
    assert set(new.members.values_list("pk", flat=True)) == {p.pk for p in movers}
    assert new.members.get(pk=movers[0].pk).relation == c.Relation.HEAD
    assert new.split_from == hh and new.status == hh.status
    assert StatusEvent.objects.filter(household=hh, kind=c.EventKind.SPLIT, related_household=new).exists()
    with pytest.raises(ValidationError, match="原户至少要保留一名成员"):
        services.household_split(household=hh, persons=list(hh.members.all()), head=hh.members.first(),
                                 new_number="220821100201098", by=admin, on=dt.date(2018, 3, 1))


def test_merge_moves_everyone_and_closes_the_source(county, admin):
    source, target = county["households"][0], county["households"][1]
    services.household_merge(source_household=source, into=target, by=admin, on=dt.date(2018, 5, 1))
    source.refresh_from_db()
    assert source.closed and source.merged_into == target
    assert target.members.count() == 6 and not source.members.exists()
    assert AuditEvent.objects.filter(action="merge", entity_id=str(source.pk)).exists()


def test_announced_exit_and_return_update_the_cached_status(county, admin):
    hh = county["households"][0]
    services.status_event_record(household=hh, kind=c.EventKind.EXITED, year=2018,
                                 effective_on=dt.date(2018, 12, 20), by=admin)
    hh.refresh_from_db()
    assert hh.status == c.PovertyStatus.EXITED and hh.exit_year == 2018
    services.status_event_record(household=hh, kind=c.EventKind.RETURNED, year=2019,
                                 effective_on=dt.date(2019, 8, 1), by=admin, reason="因病返贫")
    hh.refresh_from_db()
    assert hh.status == c.PovertyStatus.RETURNED
    assert StatusEvent.objects.get(household=hh, kind=c.EventKind.EXITED).persons == 2


def test_a_name_only_edit_records_no_id_number_change(county, admin):
    """The service checks and normalises the ID number on every edit; an edit that does not send it (a role that
    may not see it, or a PATCH of the name) must not record [None, number] — a change that did not happen."""
    p = Person.objects.filter(household=county["households"][0]).first()
    commander = county["accounts"]["commander"]
    services.person_update(person=p, version=p.version, by=commander, name="王新名")
    event = AuditEvent.objects.get(action="update", entity="registry.person")
    assert event.changes == {"name": [p.name, "王新名"]}
    assert p.id_number not in str(event.changes)


def test_a_stored_number_normalised_by_an_edit_is_a_real_change(county, admin):
    p = Person.objects.filter(household=county["households"][0]).first()
    with_x = next(n for n in (idnumber.make("220821", p.birth_date, k, p.sex) for k in range(2, 999))
                  if n.endswith("X") and not Person.objects.filter(id_number=n).exists())
    Person.objects.filter(pk=p.pk).update(id_number=with_x.lower())  # as an old file may have left it
    p.refresh_from_db()
    services.person_update(person=p, version=p.version, by=admin, work_months=p.work_months + 1)
    changes = AuditEvent.objects.get(action="update", entity="registry.person").changes
    assert changes["id_number"] == [with_x.lower(), with_x] and set(changes) == {"id_number", "work_months"}


@pytest.mark.parametrize("registered, after", [(False, c.PovertyStatus.NOT_REGISTERED), (True, c.PovertyStatus.EXITED)])
def test_monitoring_neither_registers_a_household_nor_exits_one_never_poor(county, admin, registered, after):
    """A 边缘易致贫户 taken under monitoring stays outside 建档立卡, and leaves monitoring as it came; an exited
    household leaves it as exited."""
    from tests import factories

    hh = factories.household(county["households"][1].village, "220821100201999", registered=registered,
                             status=c.PovertyStatus.EXITED)
    services.status_event_record(household=hh, kind=c.EventKind.MONITORING_IN, year=2021,
                                 effective_on=dt.date(2021, 5, 1), by=admin)
    hh.refresh_from_db()
    assert hh.status == c.PovertyStatus.MONITORED and hh.is_registered is registered
    services.status_event_record(household=hh, kind=c.EventKind.RISK_REMOVED, year=2022,
                                 effective_on=dt.date(2022, 1, 10), by=admin)
    hh.refresh_from_db()
    assert hh.status == after and hh.is_registered is registered and not hh.closed


def test_a_persons_yearly_record_is_edited_by_those_who_keep_yearly_records(county, admin):
    from django.core.exceptions import PermissionDenied

    from tuopin.apps.registry.models import PersonYear

    record = PersonYear.objects.filter(person__household=county["households"][0], year=2018).first()
    with pytest.raises(PermissionDenied):  # a pairing cadre does not record the facts it is scored on (1101)
        services.person_year_update(record=record, version=1, by=county["accounts"]["cadre"], basic_medical=False)
    with pytest.raises(ValidationError) as refused:
        services.person_year_update(record=record, version=1, by=admin, school_status="77")
    assert set(refused.value.message_dict) == {"school_status"}
    with pytest.raises(ValidationError):  # a column the yearly record does not let a page edit
        services.person_year_update(record=record, version=1, by=admin, person_id=1)
    updated = services.person_year_update(record=record, version=1, by=admin, basic_medical=False, school_status="30")
    assert (updated.version, updated.basic_medical, updated.school_status) == (2, False, "30")
    event = AuditEvent.objects.get(action="update", entity="registry.personyear")
    assert event.changes == {"basic_medical": [True, False], "school_status": ["", "30"]}
    with pytest.raises(services.StaleEdit):
        services.person_year_update(record=record, version=1, by=admin, dibao=True)
