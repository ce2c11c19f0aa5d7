"""No ID-number oracle (decision 1103): an account that may not see ID numbers cannot find a masked number by
trying the ~33 candidates its masked form and year of birth leave, through the form, the API or the import."""

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from tests.exchange.helpers import household_rows, write_xlsx
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry import services
from tuopin.apps.registry.id_refusals import ACTION
from tuopin.apps.registry.models import Person
from tuopin.apps.registry.validation import ID_TAKEN_ELSEWHERE
from tuopin.common import idnumber


def _refusal(fn) -> str:
    with pytest.raises(ValidationError) as err:
        fn()
    return err.value.message_dict["id_number"][0]


def test_a_clash_inside_the_area_names_nobody_to_a_masked_editor(county):
    # Both households in the commander's zone: named, the clash would tell the commander the other's number.
    mine, theirs = county["households"][0].members.first(), county["households"][1].members.first()
    commander = county["accounts"]["commander"]
    message = _refusal(lambda: services.person_update(person=mine, version=mine.version, by=commander,
                                                      id_number=theirs.id_number))
    assert message == str(ID_TAKEN_ELSEWHERE) and theirs.name not in message
    assert AuditEvent.objects.filter(action=ACTION, actor=commander).count() == 1  # kept after the rollback


@override_settings(ID_REFUSALS_LIMIT=3)
def test_after_the_limit_every_new_number_is_refused_alike(county):
    mine, target = county["households"][0].members.first(), county["households"][1].members.first()
    commander = county["accounts"]["commander"]
    for _ in range(3):  # three refusals: the real number tried three times (a probe that found it)
        _refusal(lambda: services.person_update(person=mine, version=mine.version, by=commander,
                                                id_number=target.id_number))
    # Now an unregistered, valid number gets the same answer as the registered one: nothing more to learn.
    free = idnumber.make("220821", mine.birth_date, 991, mine.sex)
    assert not Person.objects.filter(id_number=free).exists()
    assert _refusal(lambda: services.person_update(person=mine, version=mine.version, by=commander,
                                                   id_number=free)) == str(ID_TAKEN_ELSEWHERE)
    assert AuditEvent.objects.filter(action=ACTION, actor=commander).count() == 4
    # Edits that do not write a new number go on; the county office, which sees numbers, is not limited.
    services.person_update(person=mine, version=mine.version, by=commander, name="王新名")
    mine.refresh_from_db()
    services.person_update(person=mine, version=mine.version, by=county["accounts"]["county_admin"], id_number=free)


def test_the_api_gives_the_same_answer_for_a_registered_and_an_over_limit_number(api, county, settings):
    settings.ID_REFUSALS_LIMIT = 1
    mine, theirs = county["households"][0].members.first(), county["households"][3].members.first()
    client = api("commander")
    first = client.patch(f"/api/persons/{mine.pk}/", {"version": 1, "id_number": theirs.id_number}, format="json")
    free = idnumber.make("220821", mine.birth_date, 992, mine.sex)
    second = client.patch(f"/api/persons/{mine.pk}/", {"version": 1, "id_number": free}, format="json")
    assert first.status_code == second.status_code == 400
    assert first.json()["id_number"] == second.json()["id_number"] == [str(ID_TAKEN_ELSEWHERE)]


def test_the_import_counts_its_refusals_and_names_nobody(county, tmp_path, settings, capsys):
    from tuopin.cli import main

    settings.ID_REFUSALS_LIMIT = 2
    theirs = county["households"][1].members.first()
    rows = household_rows(1, members=1)
    rows[0]["证件号码"] = theirs.id_number
    path = write_xlsx(tmp_path / "probe.xlsx", rows)
    assert main(["import", str(path), "--year", "2018", "--as", "commander"]) == 3
    commander = county["accounts"]["commander"]
    assert AuditEvent.objects.filter(action=ACTION, actor=commander).count() == 1
    err = capsys.readouterr().err
    assert str(ID_TAKEN_ELSEWHERE) in err and theirs.household.number not in err and theirs.name not in err
    # Over the limit, a file with only free numbers is refused in the same words.
    main(["import", str(path), "--year", "2018", "--as", "commander"])
    free_rows = household_rows(1, members=1)
    assert main(["import", str(write_xlsx(tmp_path / "free.xlsx", free_rows)), "--year", "2018",
                 "--as", "commander"]) == 3
    assert AuditEvent.objects.filter(action=ACTION, actor=commander).count() == 3
