"""`tuopin assess --what-if FILE` (decision 1580): a what-if's standards beside today's, nothing stored."""

import json

import pytest

from tuopin import standards
from tuopin.apps.assessment.models import AssessmentRun
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.registry.exchange.snapshot_export import write_parquet
from tuopin.apps.registry.models import Household, HouseholdYear, StatusEvent
from tuopin.cli import main
from tuopin.standards import what_if

RAISED = "[poverty_line.2018]\nyuan = 100000\n"


def test_a_what_if_overrides_the_standards_it_names_and_leaves_them_unchanged():
    today = standards.load("220821")
    changed = what_if.apply(today, {"poverty_line": {"2018": {"yuan": 5000}}, "water": {"trip_minutes": 30},
                                    "mpi": {"k": "1/2"}, "household": {"compulsory_school_age": [6, 17]}})
    assert changed.poverty_line_yuan(2018) == 5000 and today.poverty_line_yuan(2018) == 3535
    assert changed.section("water")["trip_minutes"] == 30 and changed.section("water")["litres_per_person_day"] == 35
    assert changed.section("mpi")["k"] == "1/2" and changed.section("household")["compulsory_school_age"] == [6, 17]
    # the county's own override stays where the what-if says nothing
    assert changed.section("village_exit")["collective_income_yuan_at_least"] == 50000
    # the 2018 monitoring line is derived from the poverty line (1.5 ×): it follows the what-if's line
    assert today.monitoring_line_yuan(2018) == 5303 and changed.monitoring_line_yuan(2018) == 7500
    assert changed.monitoring_line_yuan(2021) == today.monitoring_line_yuan(2021)
    assert what_if.changed_keys({"poverty_line": {"2018": {"yuan": 1}}, "mpi": {"k": "1/2"}}) == [
        "poverty_line.2018.yuan", "mpi.k"]


def test_unknown_keys_wrong_kinds_and_meta_are_refused_naming_file_and_key():
    with pytest.raises(what_if.WhatIfError) as refused:
        what_if.apply(standards.load("220821"), {
            "meta": {"name": "x"}, "water": {"trip_minute": 3, "trip_minutes": "thirty"},
            "household": {"compulsory_school_age": [6]}, "village_exit": {"facts": [1]}, "budget": {"x": 1}},
            where="raise.toml")
    assert refused.value.errors == [
        "raise.toml: meta: [meta] names the jurisdiction and cannot be changed by a what-if",
        "raise.toml: water.trip_minute: unknown key (the standards have no such key)",
        "raise.toml: water.trip_minutes: must be a number like the standard's, not a string",
        "raise.toml: household.compulsory_school_age: must be a pair like the standard's [6, 15]",
        "raise.toml: village_exit.facts: items must be a string, not 1",
        ("raise.toml: budget.x: unknown budget line (the lines are dibao_per_person, subsidy_per_person, "
         "dividend_without_labour)")]
    with pytest.raises(what_if.WhatIfError, match="empty"):
        what_if.apply(standards.load("220821"), {}, where="empty.toml")


def test_a_file_that_is_not_toml_is_refused_naming_it(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[poverty_line\n", encoding="utf-8")
    with pytest.raises(what_if.WhatIfError, match=r"bad\.toml: not a TOML file"):
        what_if.read(path)


def _registry_state():
    return (list(Household.objects.order_by("pk").values()), list(HouseholdYear.objects.order_by("pk").values()),
            list(StatusEvent.objects.order_by("pk").values()), AssessmentRun.objects.count())


def test_live_what_if_lists_the_households_a_raised_line_moves_and_stores_nothing(county, tmp_path, capsys):
    path = tmp_path / "raise.toml"
    path.write_text(RAISED, encoding="utf-8")
    before, audited = _registry_state(), list(AuditEvent.objects.values_list("pk", flat=True))
    assert main(["assess", "--year", "2018", "--what-if", str(path), "--json",
                 "--as", county["accounts"]["county_admin"].username]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _registry_state() == before
    # the one event is the command's own record (every command is audited): it names the what-if file
    [event] = AuditEvent.objects.exclude(pk__in=audited)
    assert event.action == "command" and f"--what-if {path}" in event.summary and event.actor_name == "county_admin"
    # today's figures as `assess` gives them; the what-if's beside them
    assert out["poor_persons"] == 8 and out["households_eligible"] == 2 and out["gaps"]["income"] == 1
    assert "pv" in out and "funds" in out
    assert out["what_if"]["households_eligible"] == 0 and out["what_if"]["gaps"]["income"] == 3
    d = out["delta"]
    assert d["changed"] == ["poverty_line.2018.yuan"]
    assert d["scope"]["households_eligible"] == -2 and d["scope"]["poor_persons"] == 0
    # h2's four persons are income-poor today; h1, h3 and h4 (two persons each) would be too
    assert d["scope"]["fgt"]["p0"] == pytest.approx(6 / 14)
    assert d["households"]["income_poor"] == {"becomes": 3, "stops": 0}
    # h1 and h4 (eligible today) would no longer meet the standard; every household is income-poor at 100,000
    h1, h4 = county["households"][0], county["households"][3]
    stops = {m["number"] for m in d["households"]["moved"] if m["standing"] == "eligible"}
    assert stops == {h1.number, h4.number}
    assert d["households"]["eligible"] == {"becomes": 0, "stops": 2}
    # the new candidates move as the summary's count of them
    monitored = d["households"]["monitored"]
    assert monitored["becomes"] - monitored["stops"] == d["scope"]["monitoring"]["candidates"]
    assert [t["households_eligible"] for t in d["townships"]] == [
        a["households_eligible"] - b["households_eligible"] for a, b in zip(out["what_if"]["townships"],
                                                                            out["townships"])]


def test_snapshot_what_if_gives_the_live_delta_counts(county, tmp_path, capsys):
    write_parquet(user=county["accounts"]["county_admin"], out=tmp_path / "snap", year=None, unmasked=False)
    path = tmp_path / "raise.toml"
    path.write_text(RAISED, encoding="utf-8")
    assert main(["assess", "--year", "2018", "--data", str(tmp_path / "snap"), "--what-if", str(path), "--json",
                 "--level", "county"]) == 0
    out = json.loads(capsys.readouterr().out)
    d = out["delta"]
    assert out["scope"]["level"] == "nation" and d["scope"]["households_eligible"] == -2
    assert d["households"]["eligible"] == {"becomes": 0, "stops": 2}
    assert "moved" not in d["households"]  # a snapshot's households are counted, not listed
    assert [c["code"] for c in d["counties"]] == ["220821000000"]


def test_a_refused_what_if_names_the_file_and_key(county, tmp_path, capsys):
    path = tmp_path / "typo.toml"
    path.write_text("[water]\ntrip_minute = 30\n", encoding="utf-8")
    code = main(["assess", "--year", "2018", "--what-if", str(path), "--as", county["accounts"]["county_admin"].username])
    assert code != 0
    assert f"{path}: water.trip_minute: unknown key" in capsys.readouterr().err


def test_the_plain_output_gives_both_and_the_movement(county, tmp_path, capsys):
    path = tmp_path / "raise.toml"
    path.write_text(RAISED, encoding="utf-8")
    assert main(["assess", "--year", "2018", "--what-if", str(path),
                 "--as", county["accounts"]["county_admin"].username]) == 0
    out = capsys.readouterr().out
    assert "poverty_line.2018.yuan" in out and out.count("rural population 14") == 2  # today and the what-if
    assert "eligible +0 / -2" in out and "income_poor +3 / -0" in out


def test_a_what_if_saves_nothing_and_runs_on_duckdb_only(county, tmp_path, capsys):
    path = tmp_path / "raise.toml"
    path.write_text(RAISED, encoding="utf-8")
    assert main(["assess", "--year", "2018", "--what-if", str(path), "--save",
                 "--as", county["accounts"]["county_admin"].username]) == 2
    assert AssessmentRun.objects.count() == 0


def test_a_what_if_kept_by_name_holds_its_file_and_figures_and_is_audited(county, tmp_path, capsys):
    from tuopin.apps.assessment.models import WhatIfRun

    path = tmp_path / "raise.toml"
    path.write_text(RAISED, encoding="utf-8")
    before = _registry_state()
    admin = county["accounts"]["county_admin"].username
    assert main(["assess", "--year", "2018", "--what-if", str(path), "--save-as", "line 100k", "--json",
                 "--as", admin]) == 0
    out = json.loads(capsys.readouterr().out)
    run = WhatIfRun.objects.get()
    assert out["saved"] == {"id": run.pk, "name": "line 100k"}
    assert (run.what_if, run.year, run.scope_code, run.created_by.username) == (RAISED, 2018, "220821000000", admin)
    assert run.summary["delta"]["households"]["eligible"] == {"becomes": 0, "stops": 2}
    assert _registry_state() == before  # the registry and the assessment runs as they were
    event = AuditEvent.objects.get(action="what_if_save")
    assert event.entity_id == str(run.pk) and "line 100k (poverty_line.2018.yuan)" in event.summary
    # the same name for the same area and year is refused; the kept run stays as it was
    assert main(["assess", "--year", "2018", "--what-if", str(path), "--save-as", "line 100k", "--as", admin]) == 3
    assert "line 100k" in capsys.readouterr().err and WhatIfRun.objects.count() == 1


BUDGET = "[budget]\nsubsidy_per_person = 2000\ndividend_without_labour = 500.5\ndibao_per_person = 100\n"


def _budget_county(county):
    from tuopin.apps.registry import choices as c
    from tuopin.apps.registry.models import Person, PersonYear

    h1, h2, h3, h4 = county["households"]
    # one of h2's four on 低保; no one of h4 able to work
    PersonYear.objects.filter(person=Person.objects.filter(household=h2).order_by("pk").first(), year=2018).update(dibao=True)
    Person.objects.filter(household=h4).update(labour_ability=c.LabourAbility.NONE)
    return h2


def test_budget_lines_move_incomes_before_the_rules_and_say_what_they_cost(county, tmp_path, capsys):
    h2 = _budget_county(county)
    path = tmp_path / "subsidy.toml"
    path.write_text(BUDGET, encoding="utf-8")
    before = _registry_state()
    assert main(["assess", "--year", "2018", "--what-if", str(path), "--json",
                 "--as", county["accounts"]["county_admin"].username]) == 0
    out = json.loads(capsys.readouterr().out)
    assert _registry_state() == before
    d = out["delta"]
    assert d["changed"] == ["budget.subsidy_per_person", "budget.dividend_without_labour", "budget.dibao_per_person"]
    # the subsidy goes to every member of the three poor households (h1, h2, h4: 8 persons), the dividend to h4
    # alone (no one able to work), 低保's rise to h2's one person on it; h3 (not registered) gets nothing
    assert d["budget"] == {"lines": {"dibao_per_person": {"households": 1, "yuan": 100.0},
                                     "subsidy_per_person": {"households": 3, "yuan": 16000.0},
                                     "dividend_without_labour": {"households": 1, "yuan": 500.5}},
                           "households": 3, "yuan": 16600.5}
    # h2 (2,000 yuan a person, under the 3,535 line) rises above it: no longer income-poor, and eligible to exit
    assert d["households"]["income_poor"] == {"becomes": 0, "stops": 1}
    assert d["households"]["eligible"] == {"becomes": 1, "stops": 0}
    assert {(m["number"], m["standing"], m["change"]) for m in d["households"]["moved"]} == {
        (h2.number, "income_poor", "stops"), (h2.number, "eligible", "becomes")}
    assert d["scope"]["gaps"]["income"] == -1 and out["what_if"]["households_eligible"] == 3
    assert d["scope"]["poor_persons"] == 0  # status comes from the announced events, not from income


def test_the_snapshot_what_if_takes_the_budget_as_the_live_one(county, tmp_path, capsys):
    _budget_county(county)
    write_parquet(user=county["accounts"]["county_admin"], out=tmp_path / "snap", year=None, unmasked=False)
    path = tmp_path / "subsidy.toml"
    path.write_text(BUDGET, encoding="utf-8")
    assert main(["assess", "--year", "2018", "--data", str(tmp_path / "snap"), "--what-if", str(path), "--json",
                 "--level", "county"]) == 0
    d = json.loads(capsys.readouterr().out)["delta"]
    assert d["budget"]["yuan"] == 16600.5 and d["budget"]["households"] == 3
    assert d["households"]["eligible"] == {"becomes": 1, "stops": 0}
    assert d["households"]["income_poor"] == {"becomes": 0, "stops": 1}


def test_a_budget_line_is_checked_like_a_standard():
    with pytest.raises(what_if.WhatIfError) as refused:
        what_if.apply(standards.load("220821"), {"budget": {"subsidy_per_person": "300", "dibao": 1,
                                                            "dividend_without_labour": -5}}, where="b.toml")
    assert refused.value.errors == [
        "b.toml: budget.subsidy_per_person: must be a number of yuan, not a string",
        ("b.toml: budget.dibao: unknown budget line (the lines are dibao_per_person, subsidy_per_person, "
         "dividend_without_labour)"),
        "b.toml: budget.dividend_without_labour: must be yuan from 0 to 1,000,000 with at most two decimals, not -5"]
    # a file of budget lines only changes no standard
    today = standards.load("220821")
    assert what_if.apply(today, {"budget": {"subsidy_per_person": 1}}).data == today.data
    assert what_if.budget({"budget": {"subsidy_per_person": 12.34}}) == {"subsidy_per_person": 1234}


def test_kept_what_ifs_are_compared_from_what_was_kept(county, tmp_path, capsys):
    admin = county["accounts"]["county_admin"].username
    for name, text in (("line 100k", RAISED), ("water 30", "[water]\ntrip_minutes = 30\n")):
        path = tmp_path / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        assert main(["assess", "--year", "2018", "--what-if", str(path), "--save-as", name, "--as", admin]) == 0
    capsys.readouterr()
    assert main(["assess", "--year", "2018", "--what-if-compare", "line 100k", "water 30", "--json",
                 "--as", admin]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["a"]["name"], out["b"]["name"], out["scope"]["code"]) == ("line 100k", "water 30", "220821000000")
    # the raised line leaves no household eligible, the looser water limit the two of today: second less first
    assert out["figures"]["a"]["households_eligible"] == 0 and out["figures"]["b"]["households_eligible"] == 2
    assert out["difference"]["scope"]["households_eligible"] == 2
    assert {t["name"]: t["households_eligible"] for t in out["difference"]["townships"]} == {"镇赉镇": 1, "建平乡": 1}
    # one name: the run beside the today's figures kept with it
    assert main(["assess", "--year", "2018", "--what-if-compare", "line 100k", "--json", "--as", admin]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["a"] == {"today": True, "of": "line 100k"} and out["difference"]["scope"]["households_eligible"] == -2
    # a name not kept is named; three names, or an account that may not try what-ifs, are refused
    assert main(["assess", "--year", "2018", "--what-if-compare", "line 100k", "line 5k", "--as", admin]) == 3
    assert "line 5k" in capsys.readouterr().err
    assert main(["assess", "--year", "2018", "--what-if-compare", "a", "b", "c", "--as", admin]) == 2
    assert main(["assess", "--year", "2018", "--what-if-compare", "line 100k",
                 "--as", county["accounts"]["evaluator"].username]) == 2


def test_a_live_what_if_keeps_the_inputs_until_the_next_write(county, monkeypatch):
    from tuopin.apps.assessment import live_inputs
    from tuopin.apps.assessment import what_if as live_what_if
    from tuopin.apps.audit.services import audit_event

    reads = []
    real = live_inputs.read
    monkeypatch.setattr(live_inputs, "read", lambda **kw: reads.append(kw) or real(**kw))
    region = county["county"]
    first = live_what_if.assess_live(year=2018, region=region, over={"poverty_line": {"2018": {"yuan": 100000}}},
                                     where="a")
    second = live_what_if.assess_live(year=2018, region=region, over={"water": {"trip_minutes": 30}}, where="b")
    assert len(reads) == 1  # the second try read nothing and ran today's rules no more
    assert first["households_eligible"] == second["households_eligible"] == 2
    assert first["what_if"]["households_eligible"] == 0 and second["what_if"]["households_eligible"] == 2
    # a write (h2's income raised to 5,000 yuan a person, audited as every write is): the next what-if reads again
    record = HouseholdYear.objects.get(household=county["households"][1], year=2018)
    record.wage_income_fen = 5000 * 100 * 4
    record.compute_income()
    record.save()
    audit_event(actor=None, action="update", entity="registry.householdyear", entity_id=str(record.pk),
                source="test", summary="income")
    third = live_what_if.assess_live(year=2018, region=region, over={"water": {"trip_minutes": 30}}, where="c")
    assert len(reads) == 2 and third["households_eligible"] == 3 and third["what_if"]["households_eligible"] == 3
