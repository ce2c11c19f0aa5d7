"""The restore drill: build the small county → backup → a fresh empty database → restore → the same tables,
row counts and checksums, the audit trail intact plus one "restored from <sha256>" event."""

import io
import json
import tarfile

import pytest


@pytest.fixture(scope="module")
def backed_up(make_module_site, tmp_path_factory):
    """The origin and its backup, built once per test worker that runs these tests (half a minute each time). No test
    changes the origin but for the audit events of the commands it refuses."""
    site = make_module_site("origin")
    site.build()
    site.before = site.summary()
    out = tmp_path_factory.mktemp("backup") / "county.tpbak"
    run = site.tuopin("backup", "--as", "system_admin", "--out", str(out))
    assert run.returncode == 0, run.stderr
    return site, out


def test_backup_then_restore_into_an_empty_database_gives_back_every_row(backed_up, make_site):
    origin, out = backed_up
    before = origin.before
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    assert manifest["tables"]["registry_household"]["rows"] == 4
    assert manifest["evidence"] == [{"path": "visits/2018/photo-1.jpg", "size": 1150,
                                     "sha256": manifest["evidence"][0]["sha256"]}]
    with tarfile.open(out) as tar:
        assert {"manifest.json", manifest["data_file"], "evidence/visits/2018/photo-1.jpg"} <= set(tar.getnames())

    fresh = make_site("restored")
    run = fresh.tuopin("restore", str(out), "--as", "system_admin")
    assert run.returncode == 0, run.stderr
    assert f"restored from {manifest['sha256']}" in run.stdout
    after = fresh.summary()

    for table, figures in manifest["tables"].items():
        if table == "audit_auditevent":
            continue  # the restore adds its own event, checked below
        assert after["tables"][table] == figures, table
    # The audit trail as it stood at the backup comes back unchanged, then the restore's own event.
    assert after["audit"][:len(before["audit"])] == before["audit"]
    assert f"restored from {manifest['sha256']}" in after["audit"][len(before["audit"]):]
    for table, figures in before["tables"].items():
        if table != "audit_auditevent":
            assert after["tables"][table] == figures, table
    assert (fresh.var / "evidence" / "visits" / "2018" / "photo-1.jpg").read_bytes() == \
        (origin.var / "evidence" / "visits" / "2018" / "photo-1.jpg").read_bytes()


def test_restore_refuses_a_database_that_is_not_empty(backed_up):
    origin, out = backed_up
    before = origin.summary()
    run = origin.tuopin("restore", str(out), "--as", "system_admin")
    assert run.returncode == 3
    assert "not empty" in run.stderr and out.name in run.stderr
    after = origin.summary()
    # Nothing changed but the audit trail, which records the refused command.
    assert {t: f for t, f in after["tables"].items() if t != "audit_auditevent"} == \
        {t: f for t, f in before["tables"].items() if t != "audit_auditevent"}
    assert after["audit"][:len(before["audit"])] == before["audit"]


def test_restore_refuses_a_damaged_backup_and_writes_nothing(backed_up, make_site, tmp_path):
    _, out = backed_up
    damaged = tmp_path / "damaged.tpbak"
    with tarfile.open(out) as src, tarfile.open(damaged, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()
            if member.name.startswith("database."):
                data = data[:-100] + b"\0" * 100
            dst.addfile(member, io.BytesIO(data))
    fresh = make_site("damaged")
    run = fresh.tuopin("restore", str(damaged), "--as", "system_admin")
    assert run.returncode == 3
    assert "sha256" in run.stderr
    assert all(f["rows"] == 0 for t, f in fresh.summary()["tables"].items() if t != "audit_auditevent")


def test_only_the_system_administrator_backs_up_and_restores(backed_up, make_site, tmp_path):
    origin, out = backed_up
    run = origin.tuopin("backup", "--as", "county_admin", "--out", str(tmp_path / "x.tpbak"))
    assert run.returncode == 3 and "only the system administrator" in run.stderr
    assert not (tmp_path / "x.tpbak").exists()
    fresh = make_site("someone")
    run = fresh.tuopin("restore", str(out), "--as", "county_admin")
    assert run.returncode == 3 and "not an active system administrator" in run.stderr
