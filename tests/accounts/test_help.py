"""`tuopin`, `tuopin help` and `tuopin --help`: tuopin's own commands first, one line each with its help (in the
interface's language), then Django's and its libraries' under a heading of their own."""

from __future__ import annotations

import re

import pytest
from django.core.management import get_commands

from tuopin import cli

CJK = re.compile(r"[\u4e00-\u9fff]")


def _listing(capsys, *argv) -> str:
    assert cli.main(list(argv)) == 0
    return capsys.readouterr().out


def _sections(text: str, own_heading: str, django_heading: str) -> tuple[list[str], str]:
    before, after = text.split(django_heading)
    own = before.split(own_heading)[1].strip().splitlines()
    return own, after


@pytest.mark.parametrize("argv", [(), ("help",), ("--help",), ("-h",)])
def test_tuopins_commands_come_first_one_line_each_in_chinese(argv, capsys, monkeypatch):
    monkeypatch.delenv("TUOPIN_LANGUAGE", raising=False)
    text = _listing(capsys, *argv)
    own, rest = _sections(text, "tuopin 的命令：", "Django 及其组件的命令：")
    tuopin = sorted(n for n, app in get_commands().items() if app.startswith("tuopin.") and n != "flush")
    assert [line.split()[0] for line in own] == tuopin  # every one of them, in order, nothing else
    for line in own:
        name, _, help_text = line.strip().partition(" ")
        assert CJK.search(help_text), f"`tuopin {name}` has no Chinese one-line help: {line!r}"
    assert {"init", "import", "assess", "export", "serve"} <= {line.split()[0] for line in own}
    # Django's after them, by name: migrate, check and the project's safeguarded flush; createsuperuser is refused.
    names = set(re.split(r"[,\s]+", rest.split("\n\n")[0].strip()))
    assert {"migrate", "check", "flush", "collectstatic", "prune_db_task_results"} <= names
    assert "createsuperuser" not in text and "init" not in names


def test_the_listing_in_english(capsys, monkeypatch):
    monkeypatch.setenv("TUOPIN_LANGUAGE", "en")
    own, rest = _sections(_listing(capsys, "help"), "tuopin's commands:", "Django's commands (and its libraries'):")
    init = next(line for line in own if line.split()[0] == "init")
    assert "Start a county's empty database" in init
    assert "migrate" in rest


def test_help_for_one_command_shows_its_options(capsys):
    assert cli.main(["help", "init"]) == 0
    out = capsys.readouterr().out
    assert "--county" in out and "--divisions" in out and "--accounts-out" in out
