"""docs/deploy.md, followed: the commands between its `walk` markers, read out of the document's code blocks and
run in order through `tuopin.cli.main` on an empty database — start the county, log in and change the password as
the document says, import a person-level file, load the year's village figures, assess — then the result checked.
Changing a command in the document changes what this test runs, so the document cannot drift from the code."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.exchange.helpers import household_rows, write_xlsx
from tuopin import cli
from tuopin.apps.accounts.models import User
from tuopin.apps.geo.models import Region, VillageYear
from tuopin.apps.registry.models import Household

DEPLOY = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
TOWNSHIP, POOR_VILLAGE, OTHER_VILLAGE = "镇赉镇", "三家子屯村", "大岗泡村"  # from the packaged division data


def walk_commands() -> list[list[str]]:
    """The `tuopin …` lines of the sh code blocks between the walk markers, as argument lists."""
    text = DEPLOY.read_text(encoding="utf-8")
    walk = text.split("<!-- walk: from here -->")[1].split("<!-- walk: to here -->")[0]
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", walk, re.S):
        for line in block.splitlines():
            line = line.split("  #")[0].strip()
            words = shlex.split(line)
            if words and Path(words[0]).name == "tuopin":
                commands.append(words[1:])
    return commands


def _registry_file(folder: Path, name: str, year: int) -> Path:
    """The national layout: three poor households (one below the income line) and two that exited."""
    rows = (household_rows(2, village=(TOWNSHIP, POOR_VILLAGE))
            + household_rows(1, start=2, income="2500", village=(TOWNSHIP, POOR_VILLAGE))
            + household_rows(2, start=3, status="已脱贫", income="9000", village=(TOWNSHIP, OTHER_VILLAGE)))
    return write_xlsx(folder / name, rows)


def _figures_file(folder: Path, name: str) -> Path:
    path = folder / name
    path.write_text("乡,行政村,农村户籍人口,户数,标准化卫生室,合格村医,通硬化路,安全饮水,村集体经济收入\n"
                    f"{TOWNSHIP},{POOR_VILLAGE},1200,410,是,是,是,是,52000\n"
                    f"{TOWNSHIP},{OTHER_VILLAGE},800,260,是,是,是,是,0\n", encoding="utf-8")
    return path


def test_the_document_walks_through_init_import_and_assessment():
    commands = walk_commands()
    assert [c[0] for c in commands] == ["init", "import", "regions", "assess"]
    assert commands[0][1:3] == ["--county", "220821"]
    assert all("--as" in c and c[c.index("--as") + 1] == "county_admin" for c in commands[1:])


@pytest.fixture
def empty_database(transactional_db, settings, tmp_path, monkeypatch):
    """A database with the tables and nothing in them, as after `createdb` (init applies the migrations itself)."""
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)
    monkeypatch.delenv("TUOPIN_LANGUAGE", raising=False)
    settings.VAR_DIR = tmp_path / "var"
    assert not User.objects.exists() and not Region.objects.exists()


def test_following_deploy_md_from_an_empty_database(empty_database, client, tmp_path, capsys):
    files = tmp_path / "srv"
    files.mkdir()
    made = {}
    outputs = []
    for command in walk_commands():
        args = []
        for word in command:
            if word.endswith((".xlsx", ".csv")):  # the document's example files, made here with its names
                name = Path(word).name
                made[name] = (_registry_file(files, name, 2020) if name.endswith(".xlsx")
                              else _figures_file(files, name))
                word = str(made[name])
            args.append(word)
        code = cli.main(args)
        captured = capsys.readouterr()
        assert code == 0, f"tuopin {' '.join(args)} → exit {code}\n{captured.err}"
        outputs.append(captured.out)
        if args[0] == "init":
            _first_login_as_the_document_says(client, tmp_path / "var" / "initial-accounts.json")
    assert len(made) == 2  # the person-level file and the village figures

    # The result: the county, its households, its village figures and the assessment of the year.
    assert Household.objects.count() == 5 and VillageYear.objects.filter(year=2020).count() == 2
    assessment = outputs[-1]
    assert "镇赉县 2020" in assessment and "2,000" in assessment  # rural population: the two villages' figures
    summary = json.loads(_run(capsys, "assess", "--year", "2020", "--as", "county_admin", "--json"))
    assert summary["scope"]["code"] == "220821000000" and summary["rural_population"] == 2000
    assert summary["poor_persons"] == 6 and summary["incidence"] == pytest.approx(6 / 2000)
    assert summary["households_exited"] == 2


def _run(capsys, *args) -> str:
    assert cli.main(list(args)) == 0
    return capsys.readouterr().out


def _first_login_as_the_document_says(client, accounts_file: Path):
    """"log in as county_admin with the password from the file. The first page asks for a new password …"."""
    password = {r["username"]: r["password"] for r in json.loads(accounts_file.read_text("utf-8"))}["county_admin"]
    response = client.post("/login/", {"username": "county_admin", "password": password})
    assert response.status_code == 302 and response.url == "/account/password/"
    assert client.get("/").url == "/account/password/"  # no other page opens
    new = "Yellow-river-2026!"
    response = client.post("/account/password/", {"old_password": password, "new_password1": new,
                                                  "new_password2": new})
    assert response.status_code == 302 and response.url == "/"
    assert client.get("/", follow=True).status_code == 200
    assert not User.objects.get(username="county_admin").must_change_password
