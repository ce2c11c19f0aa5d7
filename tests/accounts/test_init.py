"""`tuopin init`: an empty database becomes a county with its divisions, the three administrators and the county
office's account, first passwords in an owner-only file; the accounts must change them; a database already
initialised, or unusable input, is refused with exit 3 and the reason in the interface's language."""

from __future__ import annotations

import json
import stat

import pytest

from tuopin import cli
from tuopin.apps.accounts.models import Role, User
from tuopin.apps.audit.models import AuditEvent
from tuopin.apps.geo.models import Region
from tuopin.apps.registry.models import Household

pytestmark = pytest.mark.django_db

INITIAL = {"system_admin", "security_admin", "audit_admin", "county_admin"}


@pytest.fixture(autouse=True)
def _var_in_tmp(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    monkeypatch.delenv("TUOPIN_LANGUAGE", raising=False)
    # `cli.main` closes no connection here (the test's transaction stays open): see tests/exchange/conftest.py.
    from django.db import connections

    monkeypatch.setattr(connections, "close_all", lambda: None)


def _accounts(path):
    return {row["username"]: row for row in json.loads(path.read_text(encoding="utf-8"))}


def test_init_loads_the_county_and_creates_four_accounts_with_private_first_passwords(tmp_path, capsys):
    assert cli.main(["init", "--county", "220821"]) == 0
    out = capsys.readouterr().out
    path = tmp_path / "var" / "initial-accounts.json"
    assert str(path) in out and "已初始化" in out  # Chinese by default
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    rows = _accounts(path)
    assert set(rows) == INITIAL
    for username, row in rows.items():
        assert set(row) == {"role", "username", "password", "totp_secret", "scope"}
        assert row["role"] == username and row["totp_secret"] is None and len(row["password"]) >= 16
        user = User.objects.get(username=username)
        assert user.role == username and user.check_password(row["password"]) and user.must_change_password
        assert not user.totp_secret and not user.is_superuser
    assert len({row["password"] for row in rows.values()}) == 4
    county = Region.objects.get(code="220821000000")
    assert User.objects.get(username="county_admin").region == county
    assert all(User.objects.get(username=u).region is None for u in INITIAL - {"county_admin"})
    assert Region.objects.filter(level="village").count() == 141 and Region.objects.count() == 155
    # Audited: the divisions as a batch, each account, and the initialisation naming them (never a password).
    init = AuditEvent.objects.get(action="county_init")
    assert init.batch["county"] == "220821000000" and sorted(init.batch["usernames"]) == sorted(INITIAL)
    assert AuditEvent.objects.filter(action="account_create", source="cli").count() == 4
    assert AuditEvent.objects.filter(action="regions_load", batch__created=155).exists()
    assert AuditEvent.objects.filter(action="command", summary__startswith="tuopin init").exists()
    everything = json.dumps(list(AuditEvent.objects.values("summary", "batch", "changes")), ensure_ascii=False)
    assert not any(row["password"] in everything for row in rows.values())


def test_a_second_init_is_refused_with_exit_3_and_changes_nothing(tmp_path, capsys, monkeypatch):
    out = tmp_path / "first.json"
    assert cli.main(["init", "--county", "220821000000", "--accounts-out", str(out)]) == 0
    first = out.read_text(encoding="utf-8")
    capsys.readouterr()
    assert cli.main(["init", "--county", "220821", "--accounts-out", str(out)]) == 3
    assert "已经初始化" in capsys.readouterr().err
    monkeypatch.setenv("TUOPIN_LANGUAGE", "en")
    assert cli.main(["init", "--county", "220821", "--out", str(out)]) == 3
    assert "already initialised: it holds 4 account(s)" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == first  # the passwords that work are still the ones in the file
    assert User.objects.count() == 4 and AuditEvent.objects.filter(action="county_init").count() == 1


def test_a_database_holding_data_but_no_account_is_refused(county, capsys):
    # The small county has households and one county of regions; no initial accounts.
    User.objects.all().delete()
    assert Household.objects.exists()
    assert cli.main(["init", "--county", "220821"]) == 3
    assert "已有数据" in capsys.readouterr().err
    assert not User.objects.exists()


def test_another_county_from_its_own_division_file(tmp_path, capsys):
    divisions = tmp_path / "522634-leishan.csv"
    divisions.write_text(
        "code,name,level,parent_code,kind,is_rural,is_poor_village,poor_village_since,west\n"
        "520000000000,贵州省,province,,省,1,0,,1\n"
        "522600000000,黔东南苗族侗族自治州,city,520000000000,自治州,1,0,,1\n"
        "522634000000,雷山县,county,522600000000,县,1,0,,1\n"
        "522634100000,丹江镇,township,522634000000,镇,1,0,,1\n"
        "522634100201,甲村,village,522634100000,行政村,1,1,2014,1\n"
        "522634100202,乙村,village,522634100000,行政村,1,0,,1\n", encoding="utf-8")
    out = tmp_path / "accounts.json"
    assert cli.main(["init", "--county", "522634", "--divisions", str(divisions), "--accounts-out", str(out)]) == 0
    assert set(_accounts(out)) == INITIAL
    village = Region.objects.get(code="522634100201")
    assert village.is_poor_village and village.poor_village_since == 2014 and village.west
    assert User.objects.get(username="county_admin").region.name == "雷山县"


@pytest.mark.parametrize("args, reason", [
    (["--county", "220800"], "不是县级区划代码"),             # a city's code
    (["--county", "2208219"], "不是县级区划代码"),
    (["--county", "130102"], "没有随程序提供"),               # no packaged file, no --divisions
    (["--county", "130102", "--divisions", "DIVISIONS"], "中没有县 130102000000"),
    (["--county", "220821", "--divisions", "MISSING"], "文件不存在"),
])
def test_unusable_input_is_refused_with_the_reason(args, reason, tmp_path, capsys):
    from tuopin.apps.geo.data import ZHENLAI

    args = [str(ZHENLAI) if a == "DIVISIONS" else str(tmp_path / "none.csv") if a == "MISSING" else a for a in args]
    assert cli.main(["init", *args]) == 3
    assert reason in capsys.readouterr().err
    assert not User.objects.exists() and not Region.objects.exists()


def test_an_unwritable_accounts_file_leaves_no_account(tmp_path, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    assert cli.main(["init", "--county", "220821", "--accounts-out", str(blocker / "accounts.json")]) == 3
    assert "无法写入账号文件" in capsys.readouterr().err
    assert not User.objects.exists() and not Region.objects.exists()  # one transaction: nothing half-made


def test_then_import_works_as_the_county_office_account(tmp_path, capsys):
    from tests.exchange.helpers import household_rows, write_xlsx

    assert cli.main(["init", "--county", "220821"]) == 0
    rows = household_rows(2, village=("镇赉镇", "三家子屯村"))
    path = write_xlsx(tmp_path / "persons.xlsx", rows)
    assert cli.main(["import", str(path), "--year", "2020", "--as", "county_admin"]) == 0, capsys.readouterr().err
    assert Household.objects.filter(village__name="三家子屯村").count() == 2


def test_createsuperuser_points_to_init(capsys):
    assert cli.main(["createsuperuser", "--noinput", "--username", "root"]) == 3
    assert "tuopin init --county" in capsys.readouterr().err
    assert not User.objects.filter(role__in=[Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN]).exists()
