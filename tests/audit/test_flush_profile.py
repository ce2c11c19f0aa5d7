"""`tuopin flush` empties the database in the demo profile (the test runner and `tuopin demo --reset` rely on it)
and is refused in the production profile, exit code 3 with the reason, the audit trail untouched (decision 1153)."""

import os
import subprocess
import sys

from django.core.management import call_command

from tuopin import cli
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.audit.services import audit_event


def test_flush_is_refused_in_the_production_profile(db, settings, capsys):
    settings.ENV = "production"
    audit_event(actor=None, action="export", summary="kept")
    assert cli.main(["flush", "--no-input"]) == 3
    assert "refused in the production profile" in capsys.readouterr().err
    assert AuditEvent.objects.filter(summary="kept").exists()
    refused = AuditEvent.objects.filter(action="command").latest("id")
    assert refused.summary == "tuopin flush --no-input → exit 3"


def test_flush_empties_the_database_in_the_demo_profile(transactional_db, settings):
    assert settings.ENV == "demo"
    audit_event(actor=None, action="export", summary="gone")
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEvent.objects.exists()


def test_the_production_process_refuses_it_too(tmp_path):
    """The profile as a real deployment chooses it: TUOPIN_ENV read when the settings load."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(TUOPIN_ENV="production", TUOPIN_VAR=str(tmp_path), TUOPIN_SECRET_KEY="k" * 60,
               DJANGO_SETTINGS_MODULE="tuopin.config.settings")
    run = subprocess.run([sys.executable, "-m", "tuopin.cli", "flush", "--no-input"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 3, run.stdout + run.stderr
    assert "refused in the production profile" in run.stderr
