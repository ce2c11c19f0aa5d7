"""`tuopin assess --data DIR`: the same rules over a Parquet snapshot give the live figures."""

import json

from tuopin.apps.assessment import services
from tuopin.apps.registry.exchange.snapshot_export import write_parquet
from tuopin.cli import main


def test_snapshot_folder_gives_the_live_figures(county, tmp_path, capsys):
    write_parquet(user=county["accounts"]["county_admin"], out=tmp_path / "snap", year=None, unmasked=False)
    assert main(["assess", "--year", "2018", "--data", str(tmp_path / "snap"), "--json", "--level", "county"]) == 0
    from_folder = json.loads(capsys.readouterr().out)
    live, _ = services.assess(year=2018)
    assert from_folder["scope"]["level"] == "nation"
    for key in ("rural_population", "poor_persons", "households_eligible", "villages_total", "poor_villages",
                "poor_villages_meeting_exit", "gaps"):
        assert from_folder[key] == live[key], key
    assert [c["code"] for c in from_folder["counties"]] == ["220821000000"]
