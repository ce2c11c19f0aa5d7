"""TUOPIN_ENV=production: Django's deploy checks pass with no warning, static files are collected and served
by whitenoise, and every response carries HSTS and the Content-Security-Policy.

The production profile is chosen when settings load, so these run in a child process.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TUOPIN = ROOT / ".venv" / "bin" / "tuopin"


@pytest.fixture
def production_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TUOPIN_", "DJANGO_"))}
    env.pop("DATABASE_URL", None)
    env.update(TUOPIN_ENV="production", TUOPIN_VAR=str(tmp_path / "var"),
               TUOPIN_SECRET_KEY="a-long-random-production-key-" + "x7Qp2Lm9" * 6,
               TUOPIN_ALLOWED_HOSTS="tuopin.example.gov.cn")
    return env


def test_check_deploy_passes_with_no_warning(production_env):
    run = subprocess.run([str(TUOPIN), "check", "--deploy", "--fail-level", "WARNING"], env=production_env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_check_deploy_warns_in_the_demo_profile(production_env):
    # The same check on the demo profile is not clean: the test above would fail without the production settings.
    env = dict(production_env, TUOPIN_ENV="demo")
    run = subprocess.run([str(TUOPIN), "check", "--deploy", "--fail-level", "WARNING"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert run.returncode != 0
    assert "security.W004" in run.stderr + run.stdout  # no HSTS


PROBE = """
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
call_command("collectstatic", interactive=False, verbosity=0)
c = Client(HTTP_HOST="tuopin.example.gov.cn", HTTP_X_FORWARDED_PROTO="https")
out = {}
for path in ("/static/web/site.js", "/login/", "/api/docs/"):
    r = c.get(path, secure=True)
    out[path] = {"status": r.status_code, "csp": r.get("Content-Security-Policy", ""),
                 "hsts": r.get("Strict-Transport-Security", ""), "cc": r.get("Cache-Control", "")}
r = Client(HTTP_HOST="tuopin.example.gov.cn").get("/login/")
out["plain-http"] = {"status": r.status_code, "location": r.get("Location", "")}
print(json.dumps(out))
"""


def test_production_serves_collected_static_files_with_security_headers(production_env):
    env = dict(production_env, DJANGO_SETTINGS_MODULE="tuopin.config.settings")
    run = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    out = json.loads(run.stdout.strip().splitlines()[-1])
    static = out["/static/web/site.js"]
    assert static["status"] == 200
    assert (Path(production_env["TUOPIN_VAR"]) / "static" / "web" / "site.js").exists()
    assert "max-age=31536000" in out["/login/"]["hsts"]
    for path in ("/static/web/site.js", "/login/"):
        assert "script-src 'self'" in out[path]["csp"]
        assert "unsafe-inline" not in out[path]["csp"]
    assert out["plain-http"]["status"] == 301 and out["plain-http"]["location"].startswith("https://")
