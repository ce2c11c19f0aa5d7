"""`tuopin audit` (its JSON Lines in docs/data-formats.md §6) and the audit of every command run."""

import datetime as dt
import json

from tests.factories import account
from tuopin import cli
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event


def _lines(capsys):
    return [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]


def test_audit_admin_gets_json_lines_with_china_time_and_masked_numbers(db, capsys):
    auditor, cadre = account("auditor", "audit_admin"), account("cadre1", "cadre")
    audit_event(actor=cadre, action="export", summary="exported 360426199101010071 phone 13912345678")
    assert cli.main(["audit", "--as", "auditor", "--json"]) == 0
    rows = _lines(capsys)
    export = next(r for r in rows if r["action"] == "export")
    assert export["user"] == "cadre1"
    assert export["at"].endswith("+08:00") and dt.datetime.fromisoformat(export["at"])
    assert "360426199101010071" not in export["summary"] and "13912345678" not in export["summary"]
    assert auditor  # the auditor's own command run is recorded after the listing
    assert AuditEvent.objects.filter(action="command", actor=auditor).exists()


def test_birth_dates_in_changes_and_batches_are_not_shown(db, capsys):
    """They are the masked ID numbers' hidden digits (decision 1110), as a row or inside an import's batch; the
    audit administrator sees which fields changed, not their values, not even the year (decision 1151)."""
    account("auditor", "audit_admin")
    cadre = account("cadre1", "cadre")
    AuditEvent.objects.create(actor=cadre, actor_name="cadre1", action="update", entity="registry.person",
                              changes={"id_number": ["220821197005010013", "220821197108090773"],
                                       "birth_date": ["1970-05-01", "1971-08-09"]})
    AuditEvent.objects.create(actor=cadre, actor_name="cadre1", action="import", entity="registry.person",
                              batch={"persons": {"updated": {"220821100201001001": {
                                  "birth_date": ["1970-05-01", None]}}}})
    assert cli.main(["audit", "--as", "auditor", "--json"]) == 0
    rows = {r["action"]: r for r in _lines(capsys)}
    assert rows["update"]["fields"] == ["birth_date", "id_number"] and "changes" not in rows["update"]
    assert rows["import"]["batch"] == {"persons": 1}
    out = json.dumps(list(rows.values()))
    assert "1970" not in out and "1971" not in out and "0013" not in out


def test_audit_filters_by_user_and_since(db, capsys):
    account("auditor", "audit_admin")
    a, b = account("cadre1", "cadre"), account("cadre2", "cadre")
    audit_event(actor=a, action="export", summary="a")
    audit_event(actor=b, action="export", summary="b")
    assert cli.main(["audit", "--as", "auditor", "--user", "cadre2", "--json"]) == 0
    assert [r["summary"] for r in _lines(capsys)] == ["b"]
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    assert cli.main(["audit", "--as", "auditor", "--since", tomorrow, "--json"]) == 0
    assert _lines(capsys) == []


def test_other_roles_are_refused_with_exit_2(db, settings):
    account("county_admin", "county_admin")
    account("sysadmin", "system_admin")
    assert cli.main(["audit", "--json"]) == 2  # the demo default account is the county administrator
    assert cli.main(["audit", "--as", "sysadmin", "--json"]) == 2
    assert AuditEvent.objects.filter(action="access_refused", source="cli").count() == 2


def test_bad_date_is_a_usage_error(db):
    account("auditor", "audit_admin")
    assert cli.main(["audit", "--as", "auditor", "--since", "yesterday"]) == 2


def test_every_command_run_is_audited_with_its_exit_code_and_masked_arguments(db):
    account("auditor", "audit_admin")
    cli.main(["audit", "--as", "auditor", "--user", "360426199101010071"])
    event = AuditEvent.objects.filter(action="command").latest("id")
    assert event.source == "cli" and event.actor_name == "auditor"
    assert "exit 0" in event.summary and "360426199101010071" not in event.summary
    cli.main(["audit", "--as", "nobody-here"])
    assert "exit 2" in AuditEvent.objects.filter(action="command").latest("id").summary
