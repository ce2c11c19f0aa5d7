"""What the audit administrator sees (decision 1151): who, when, from which address, what and to which record —
never a personal value, on the page `/admin/audit/` and in `tuopin audit --json` alike. The values stay stored."""

import json
import re

import pytest
from django.test import Client

from tests.factories import PASSWORD
from tests.web.conftest import url
from tests.web.test_edit import person_data, year_form_data
from tuopin import cli
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.selectors import as_row
from tuopin.apps.registry.models import Person
from tuopin.common import idnumber

pytestmark = pytest.mark.django_db

ADDRESS = "10.1.2.3"


def _edits(county):
    """The county office edits a household, a member and a yearly record through the pages, from ADDRESS."""
    admin = county["accounts"]["county_admin"]
    household = county["households"][0]
    person = household.members.first()
    record = household.years.get()
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(admin)
    new_id = next(n for n in (idnumber.make("220821", person.birth_date, k, person.sex) for k in range(990, 1, -1))
                  if not Person.objects.filter(id_number=n).exists())
    assert client.post(url("household_edit", household.pk), {
        "version": "1", "attribute": household.attribute, "primary_cause": household.primary_cause,
        "other_causes": [], "phone": "13987654321", "address": "西岗村秘密三组", "cultivated_land_mu": "12.5",
        "housing_area_m2": "60"}).status_code == 302
    assert client.post(url("person_edit", person.pk),
                       person_data(person, name="赵秘密", id_number=new_id, phone="13612345678")).status_code == 302
    assert client.post(url("household_year_edit", record.pk),
                       year_form_data(record, wage_income_yuan="8765.43")).status_code == 302
    assert client.get(url("household", household.pk)).status_code == 200
    secrets = ["西岗村秘密三组", "13987654321", "987654321", "赵秘密", person.name, new_id, person.id_number,
               new_id[-4:], "13612345678", "876543", "8,765.43", household.address or "西岗村秘密三组"]
    return admin, household, person, record, [s for s in secrets if s]


def _auditor_page(county, **params) -> str:
    client = Client()
    client.force_login(county["accounts"]["audit_admin"])
    response = client.get("/admin/audit/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_audit_page_shows_who_what_where_and_which_record_but_no_value(county):
    admin, household, person, record, secrets = _edits(county)
    page = _auditor_page(county)
    for secret in secrets:
        assert secret not in page, secret
    # Who, from where, what, to which record.
    assert page.count(ADDRESS) >= 4  # three edits and the page read
    assert f'data-entity="registry.household#{household.pk}"' in page
    assert f'data-entity="registry.person#{person.pk}"' in page
    assert f'data-entity="registry.householdyear#{record.pk}"' in page
    # In words, at local time (decision 1263): the action, the record's kind, the source; no ISO stamp.
    assert "修改" in page and "农户年度信息" in page and "网页" in page and "时间（UTC+08:00）" in page
    assert '>update<' not in page and "+08:00<" not in page
    assert "address" in page and "phone" in page and "name" in page and "id_number" in page  # field names
    assert "wage_income_fen" in page
    # The read of the household's page, with the ids it read.
    assert f'data-records="registry.household">农户 (1): {household.pk}' in page
    # The values are still stored for whoever may see the record.
    stored = AuditEvent.objects.get(action="update", entity="registry.person").changes
    assert stored["name"][1] == "赵秘密"


def test_tuopin_audit_json_gives_the_same_view(county, capsys):
    _admin, household, person, _record, secrets = _edits(county)
    assert cli.main(["audit", "--as", county["accounts"]["audit_admin"].username, "--json"]) == 0
    out = capsys.readouterr().out
    rows = [json.loads(line) for line in out.splitlines()]
    # The times and the record ids are left out of the search: a time's microseconds or an id (PostgreSQL's
    # sequences run on across tests) may hold a run of the secrets' digits. The ID number's last four digits, a
    # number any id or path may hold, are looked for as a masked number shows them.
    searched = json.dumps([{k: v for k, v in r.items() if k not in ("at", "id", "entity_id", "records")}
                           for r in rows], ensure_ascii=False)
    for secret in secrets:
        if secret.isdigit() and len(secret) == 4:
            assert not re.search(rf"\*{secret}", out), secret
        else:
            assert secret not in searched, secret
    edit = next(r for r in rows if r["action"] == "update" and r["entity"] == "registry.person")
    assert edit["ip_address"] == ADDRESS and edit["user"] == "county_admin" and edit["entity_id"] == str(person.pk)
    assert set(edit["fields"]) >= {"name", "id_number", "phone"} and "changes" not in edit and edit["summary"] == ""
    read = next(r for r in rows if r["action"] == "read")
    assert read["records"]["registry.household"] == [household.pk] and read["ip_address"] == ADDRESS


def test_account_changes_keep_their_values_for_the_auditor(county):
    security = county["accounts"]["security_admin"]
    client = Client(REMOTE_ADDR="10.9.9.9")
    client.force_login(security)
    target = county["accounts"]["evaluator"]
    village = county["villages"][0]
    assert client.post(f"/admin/roles/{target.pk}/", {"role": "first_secretary",
                                                      "region": village.pk}).status_code == 302
    row = as_row(AuditEvent.objects.get(entity="accounts.user", entity_id=str(target.pk),
                                        action__in=("account_scope", "grant_personal_data")))
    assert row["changes"]["role"] == ["evaluator", "first_secretary"] and row["ip_address"] == "10.9.9.9"
    assert target.username in row["summary"]


def test_bulk_events_show_counts_not_text(county):
    from tuopin.apps.audit.services import audit_batch

    audit_batch(actor=None, action="exit:township_review", entity="registry.statusevent", source="web",
                batch={"stage": "township_review", "note": "张三家情况特殊", "by_name": "李四", "passed": True,
                       "events": [{"event": 1, "household": "220821100001"}], "year": 2018},
                summary="1 households: passed — 张三")
    row = as_row(AuditEvent.objects.get(action="exit:township_review"))
    assert row["batch"] == {"passed": True, "events": 1, "year": 2018} and row["summary"] == ""
    assert "张三" not in json.dumps(row, ensure_ascii=False) and "李四" not in json.dumps(row, ensure_ascii=False)


def test_logins_and_failures_carry_the_address(county):
    client = Client(REMOTE_ADDR="10.4.4.4")
    user = county["accounts"]["cadre"]
    client.post("/login/", {"username": user.username, "password": "wrong-password-1"})
    client.post("/login/", {"username": user.username, "password": PASSWORD})
    assert set(AuditEvent.objects.filter(action__in=("login", "login_failed")).values_list("ip_address", flat=True)) \
        == {"10.4.4.4"}


def test_filter_by_address(county):
    _edits(county)
    page = _auditor_page(county, ip_address=ADDRESS)
    assert 'data-entity="registry.person#' in page
    assert 'data-entity="registry.person#' not in _auditor_page(county, ip_address="10.0.0.99")


def test_events_written_outside_a_request_have_no_address(county):
    from tuopin.apps.audit.services import audit_event

    assert audit_event(actor=None, action="backup", summary="x", source="cli").ip_address is None


def test_the_plain_listing_names_the_address_and_fields(county, capsys):
    _edits(county)
    assert cli.main(["audit", "--as", county["accounts"]["audit_admin"].username]) == 0
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if " update " in line and "registry.person#" in line)
    assert ADDRESS in line and "fields: id_number, name, phone" in line and "赵秘密" not in out


def test_the_audit_page_speaks_chinese_at_local_time(county):
    """Codes as words, times in the county's zone (Asia/Shanghai), a code without a label shown as it is."""
    from zoneinfo import ZoneInfo

    from tuopin.apps.audit.services import audit_batch, audit_event

    audit_batch(actor=None, action="exit:township_review", entity="registry.statusevent", source="cli",
                batch={"year": 2018}, summary="")
    audit_event(actor=None, action="some_future_action", source="api", summary="")
    page = _auditor_page(county)
    event = AuditEvent.objects.get(action="exit:township_review")
    local = event.at.astimezone(ZoneInfo("Asia/Shanghai")).strftime("%Y-%m-%d %H:%M:%S")
    assert f">{local}</time>" in page
    assert "贫困户退出：乡镇审核" in page and "命令行" in page and "户状态事件" in page
    assert 'title="some_future_action">some_future_action<' in page and "接口" in page
    # The action filter lists codes by their words; filtering still goes by the code.
    assert '<option value="exit:township_review">贫困户退出：乡镇审核</option>' in page
    assert "贫困户退出：乡镇审核" in _auditor_page(county, action="exit:township_review")
    assert "贫困户退出：乡镇审核" not in _auditor_page(county, action="some_future_action").split('id="audit"')[1]
