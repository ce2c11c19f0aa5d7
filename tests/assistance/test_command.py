"""`tuopin tasks sync --year Y`: county administrator only, prints the counts."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from tuopin.apps.assistance.models import Task


def test_tasks_sync_prints_created_closed_reopened(org):
    out = io.StringIO()
    call_command("tasks", "sync", "--year", "2018", "--as", "county_admin", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert (data["created"], data["closed"], data["reopened"]) == (4, 0, 0)
    out = io.StringIO()
    call_command("tasks", "sync", "--year", "2018", "--as", "county_admin", stdout=out)
    assert "created: 0" in out.getvalue() and "closed: 0" in out.getvalue() and "reopened: 0" in out.getvalue()


@pytest.mark.parametrize("role", ["commander", "cadre", "department", "system_admin"])
def test_only_the_county_administrator_syncs(org, role):
    with pytest.raises(CommandError) as exc:
        call_command("tasks", "sync", "--year", "2018", "--as", role)
    assert exc.value.returncode == 3 and not Task.objects.exists()


def test_templates_and_scores_from_the_command(org):
    out = io.StringIO()
    call_command("tasks", "templates", "--year", "2018", "--as", "county_admin", "--json", stdout=out)
    assert json.loads(out.getvalue()) == {"year": 2018, "unit4": 12, "cadre4": 12}
    out = io.StringIO()
    call_command("tasks", "score", "--period", "2018", "--as", "county_admin", "--json", stdout=out)
    assert json.loads(out.getvalue())["created"] > 0
    with pytest.raises(CommandError) as exc:
        call_command("tasks", "score", "--period", "2018H3", "--as", "county_admin")
    assert exc.value.returncode == 3
