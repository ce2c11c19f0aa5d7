"""The department rosters' kinds and layouts (data/rosters.toml), framework-free.

A layout is the common columns (姓名, 证件号码, 性别, 出生日期, 县, 乡, 行政村) followed by the kind's own; the import
matches a file's headers against these names and parses each cell by its column's type."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .loader import DATA

TYPES = ("date", "money", "text", "integer", "number", "bool")
NAME, ID, SEX, BIRTH, COUNTY, TOWNSHIP, VILLAGE = "姓名", "证件号码", "性别", "出生日期", "县", "乡", "行政村"
COMMON = (NAME, ID, SEX, BIRTH, COUNTY, TOWNSHIP, VILLAGE)


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False


@dataclass(frozen=True)
class Layout:
    kind: str
    label: str
    departments: tuple[str, ...]  # the unit domains that own (upload and read) the kind
    common: tuple[Column, ...]
    own: tuple[Column, ...]  # the kind's typed columns, kept in an entry's `extra`
    repeats: bool = False  # one person may fill several rows (vehicles, houses, businesses)

    @property
    def columns(self) -> tuple[Column, ...]:
        return self.common + self.own

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)


def _columns(raw: list[dict], where: str) -> tuple[Column, ...]:
    out = []
    for c in raw:
        if c["type"] not in TYPES:
            raise ValueError(f"rosters.toml {where}: column {c['name']} has the unknown type {c['type']!r}")
        out.append(Column(c["name"], c["type"], bool(c.get("required", False))))
    return tuple(out)


@lru_cache(maxsize=1)
def layouts() -> dict[str, Layout]:
    """{kind: Layout} in the file's order."""
    data = tomllib.loads((DATA / "rosters.toml").read_text(encoding="utf-8"))
    common = _columns(data["common"]["columns"], "common")
    if tuple(c.name for c in common) != COMMON:
        raise ValueError("rosters.toml: the common columns must be " + "、".join(COMMON))
    out = {}
    for kind, spec in data["kinds"].items():
        own = _columns(spec.get("columns", []), kind)
        clash = {c.name for c in own} & set(COMMON)
        if clash:
            raise ValueError(f"rosters.toml {kind}: {sorted(clash)} are common columns")
        out[kind] = Layout(kind, spec["label"], tuple(spec["departments"]), common, own, bool(spec.get("repeats")))
    return out


def layout(kind: str) -> Layout:
    try:
        return layouts()[kind]
    except KeyError:
        raise KeyError(f"no roster kind {kind!r}; the kinds are {', '.join(layouts())}") from None


def kinds_of(domain: str) -> list[str]:
    """The kinds a department of `domain` owns."""
    return [k for k, lay in layouts().items() if domain in lay.departments]
