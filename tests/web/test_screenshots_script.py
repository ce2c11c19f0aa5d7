"""scripts/screenshots.py against a live server (decision 1264): it logs in as the county office from an accounts
file shaped like `tuopin demo`'s and writes the README's pictures. The test county stands in for the demo's."""

import importlib.util
import json
from pathlib import Path

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"


def _script():
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_takes_the_readme_pictures(browser, live_server, live_county, tmp_path):
    from tests.web.yearly import county_over_years

    county_over_years(live_county)
    accounts = tmp_path / "demo-accounts.json"
    accounts.write_text(json.dumps([{"role": "county_admin", "username": "county_admin", "password": PASSWORD,
                                     "totp_secret": None}]), encoding="utf-8")
    out = tmp_path / "img"
    _script().run(browser, live_server.url, accounts, out)  # what main() does after starting its own browser
    names = sorted(p.name for p in out.iterdir())
    assert names == ["accountability.png", "county.png", "dashboard.png", "household.png", "wall-1080.png",
                     "wall-2160.png"]
    for path in out.iterdir():
        data = path.read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_the_script_says_when_the_accounts_file_has_no_county_office(tmp_path):
    accounts = tmp_path / "demo-accounts.json"
    accounts.write_text(json.dumps([{"role": "cadre", "username": "cadre", "password": "x"}]), encoding="utf-8")
    with pytest.raises(SystemExit, match="no county_admin account"):
        _script().main(["--url", "http://127.0.0.1:9", "--accounts", str(accounts), "--out", str(tmp_path)])
