"""The roster layouts (rosters.toml): every kind named in the import's contract, each owned by departments the
county's organisation has, the common columns first, and the loader refusing a column of an unknown type."""

import pytest

from tuopin.standards import rosters
from tuopin.synth.names import DEPARTMENTS

KINDS = ("death", "dibao", "tekun", "medical", "pension", "enrolment", "disability", "vehicle", "property", "business",
         "public_employee")


def test_every_kind_is_there_owned_by_a_department_of_the_county():
    layouts = rosters.layouts()
    assert tuple(layouts) == KINDS
    domains = {domain for _, domain in DEPARTMENTS}
    for kind, lay in layouts.items():
        assert lay.label and lay.departments and set(lay.departments) <= domains, kind
        assert tuple(c.name for c in lay.columns[:7]) == rosters.COMMON
        assert [c.name for c in lay.columns if c.required] == ["姓名", *(c.name for c in lay.own if c.required)]
    assert rosters.layout("death").column("死亡日期").required
    assert rosters.kinds_of("civil_affairs") == ["death", "dibao", "tekun"]
    assert rosters.kinds_of("statistics") == []


def test_an_unknown_column_type_is_refused(monkeypatch, tmp_path):
    (tmp_path / "rosters.toml").write_text(
        (rosters.DATA / "rosters.toml").read_text(encoding="utf-8").replace('type = "money"', 'type = "yuan"', 1),
        encoding="utf-8")
    monkeypatch.setattr(rosters, "DATA", tmp_path)
    rosters.layouts.cache_clear()
    try:
        with pytest.raises(ValueError, match="yuan"):
            rosters.layouts()
    finally:
        rosters.layouts.cache_clear()
