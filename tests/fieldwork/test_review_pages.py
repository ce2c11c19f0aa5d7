"""The review pages: the list with the registry's value now, accept (written and audited), reject, a conflict
refused, and the links from the household page and the first secretary's village (decision 1561)."""

import uuid

from django.urls import reverse

from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.fieldwork.models import ChangeStatus
from tuopin.apps.fieldwork.services import Answer, visit_submit
from tuopin.apps.registry.models import PersonYear

from .conftest import ON


def _change(field):
    return visit_submit(by=field["accounts"]["cadre"], household=field["households"][0], on=ON,
                        client_id=uuid.uuid4(),
                        answers=[Answer("insurance_card", False, person=field["head"].pk, seen=True)]).proposals[0]


def test_the_first_secretary_accepts_a_change(client, field):
    change = _change(field)
    client.force_login(field["accounts"]["first_secretary"])
    page = client.get(reverse("web:field_changes"))
    assert page.status_code == 200 and f'data-change="{change.pk}"' in page.content.decode()
    response = client.post(reverse("web:field_change", args=[change.pk]),
                           {"decision": "accept", "version": change.version, "note": "核实"})
    assert response.status_code == 302
    change.refresh_from_db()
    assert change.status == ChangeStatus.ACCEPTED
    assert PersonYear.objects.get(person=field["head"], year=2018).basic_medical is False
    assert AuditEvent.objects.filter(entity="registry.personyear", action="update", actor_name="first_secretary").exists()


def test_a_conflict_is_shown_and_its_accept_refused(client, field):
    change = _change(field)
    PersonYear.objects.filter(person=field["head"], year=2018).update(basic_medical=False)
    client.force_login(field["accounts"]["first_secretary"])
    html = client.get(reverse("web:field_changes")).content.decode()
    assert 'class="conflict"' in html and 'value="accept"' not in html
    response = client.post(reverse("web:field_change", args=[change.pk]),
                           {"decision": "accept", "version": change.version}, follow=True)
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING and "系统登记已被修改" in response.content.decode()
    client.post(reverse("web:field_change", args=[change.pk]),
                {"decision": "reject", "version": change.version, "note": "已更新"})
    change.refresh_from_db()
    assert change.status == ChangeStatus.REJECTED and change.note == "已更新"


def test_the_review_is_linked_from_the_household_and_the_village(client, field):
    _change(field)
    client.force_login(field["accounts"]["first_secretary"])
    changes = reverse("web:field_changes")
    assert changes in client.get(reverse("web:household", args=[field["households"][0].pk])).content.decode()
    assert changes in client.get(reverse("web:region", args=[field["villages"][0].pk])).content.decode()
    client.force_login(field["accounts"]["cadre"])
    assert changes not in client.get(reverse("web:household", args=[field["households"][0].pk])).content.decode()


def test_who_opens_the_review(client, field):
    change = _change(field)
    for role in ("cadre", "commander", "department", "evaluator", "system_admin"):
        client.force_login(field["accounts"][role])
        assert client.get(reverse("web:field_changes")).status_code == 403, role
        assert client.post(reverse("web:field_change", args=[change.pk]),
                           {"decision": "accept", "version": change.version}).status_code in (403, 404), role
    change.refresh_from_db()
    assert change.status == ChangeStatus.PENDING


def test_the_list_reads_the_registry_in_a_fixed_number_of_queries(client, field):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(field["accounts"]["first_secretary"])
    _change(field)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("web:field_changes")).status_code == 200
        return len(queries)

    one = count()
    h2 = field["households"][1]
    for member in h2.members.all():
        visit_submit(by=field["accounts"]["zhao"], household=h2, on=ON, client_id=uuid.uuid4(),
                     answers=[Answer("insurance_card", False, person=member.pk, seen=True)])
    assert count() == one
