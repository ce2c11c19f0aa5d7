"""The current rosters as the policy rules read them: the year's of every kind, the death rosters of earlier years,
the rows that prove a person (matched by ID number or likeness and not rejected, or confirmed on review)."""

import datetime as dt

import pyarrow.parquet as pq

from tuopin.apps.policy import coverage
from tuopin.apps.policy.models import Roster, RosterEntry


def _entry(roster, row, person=None, **kw):
    return RosterEntry.objects.create(roster=roster, row=row, name=f"r{row}", person=person, **kw)


def test_roster_rows_prove_persons_and_make_the_roster_the_basis(covered_county):
    h1, h2, _, h4 = covered_county["households"]
    head1, head2, head4 = (h.members.get(relation="01") for h in (h1, h2, h4))
    dibao = Roster.objects.create(kind="dibao", year=2018, filename="dibao.xlsx")
    Roster.objects.create(kind="medical", year=2018, filename="old.xlsx", current=False)  # a replaced version
    death = Roster.objects.create(kind="death", year=2017, filename="death.xlsx")
    _entry(dibao, 2, head2, how="id")
    _entry(dibao, 3, head1, how="review")  # awaiting its reviewer: proves nothing
    _entry(dibao, 4, head4, how="review", review="confirmed")
    _entry(dibao, 5, head1, how="likeness", review="rejected")
    _entry(dibao, 6, how="none")
    _entry(death, 2, head1, how="likeness", extra={"死亡日期": "2017-05-01"})
    rows = coverage.roster_rows(2018, covered_county["county"])
    assert sorted(rows, key=repr) == sorted([(2018, "dibao", None, None, None), (2018, "dibao", head2.pk, None, None),
                                             (2018, "dibao", head4.pk, None, None),
                                             (2017, "death", head1.pk, dt.date(2017, 5, 1), None)], key=repr)
    assert coverage.roster_rows(2018, covered_county["townships"][1]) == [
        (2018, "dibao", None, None, None), (2018, "dibao", head4.pk, None, None)]  # 建平乡's persons only

    result = coverage.run(year=2018, region=covered_county["county"])
    summary = coverage.summary(result, covered_county["county"])
    by_code = {p["code"]: p for p in summary["policies"]}
    assert result.bases["dibao"] == "roster" and result.bases["basic_medical"] == "registry"
    # h2's head eligible and listed; h4's head listed but not 低保 (attribute 一般): covered, not eligible
    assert (by_code["dibao"]["covered"], by_code["dibao"]["covered_not_eligible"]) == (1, 1)
    assert summary["signals"]["deceased_registered"] == 1


def test_the_parquet_export_writes_the_rosters_as_matched_scoped_as_the_export(covered_county, tmp_path):
    from django.core.management import call_command

    from tuopin.apps.audit.models import AuditEvent

    h1, h2, _, h4 = covered_county["households"]
    head1, head2, head4 = (h.members.get(relation="01") for h in (h1, h2, h4))
    dibao = Roster.objects.create(kind="dibao", year=2018, filename="dibao.xlsx")
    _entry(dibao, 2, head2, how="id")
    _entry(dibao, 3, head1, how="review")  # awaiting its reviewer: not written
    _entry(dibao, 4, head4, how="review", review="confirmed")
    _entry(Roster.objects.create(kind="death", year=2017, filename="death.xlsx"), 2, head1, how="likeness",
           extra={"死亡日期": "2017-05-01"})
    out = tmp_path / "county"
    call_command("export", "--format", "parquet", "--out", str(out), "--year", "2018", "--as", "county_admin")
    written = pq.read_table(out / "roster_matches").to_pylist()
    assert sorted((r["year"], r["kind"], r["person_id"], r["died_on"]) for r in written if r["person_id"]) == [
        (2017, "death", head1.pk, dt.date(2017, 5, 1)), (2018, "dibao", head2.pk, None),
        (2018, "dibao", head4.pk, None)]
    assert {(r["year"], r["kind"]) for r in written if r["person_id"] is None} == {(2018, "dibao")}
    # The folder's coverage is the live one: the roster is the 低保's basis there too.
    live = {p["code"]: p for p in coverage.summary(coverage.run(year=2018, region=covered_county["county"]),
                                                   covered_county["county"])["policies"]}
    folder = {p["code"]: p for p in coverage.from_folder(str(out), year=2018)["policies"]}
    assert folder["dibao"] == live["dibao"] and folder["dibao"]["covered"] == 1
    event = AuditEvent.objects.filter(action="export").latest("pk")
    assert "policy.rosterentry" in event.batch  # the rows read, in the export's own audit event

    township = tmp_path / "township"  # 建平乡: h4's head alone
    call_command("export", "--format", "parquet", "--out", str(township), "--year", "2018", "--region",
                 covered_county["townships"][1].code, "--as", "county_admin")
    assert [r["person_id"] for r in pq.read_table(township / "roster_matches").to_pylist()
            if r["person_id"]] == [head4.pk]
    cadre = tmp_path / "cadre"  # a village's cadre sees no roster: the folder has none
    call_command("export", "--format", "parquet", "--out", str(cadre), "--year", "2018", "--as", "cadre")
    assert not (cadre / "roster_matches").exists() and (cadre / "persons").is_dir()
