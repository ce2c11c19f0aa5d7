"""Load the standards in force for a jurisdiction: national values, overridden by the province's file,
then by the county's (files named by division-code prefix: 22.toml for Jilin, 220821.toml for Zhenlai).

Yearly tables (`poverty_line`, `monitoring_line`) may end before today's year. When the files ask for it in
`[carry_forward]`, the years after the last entry up to this year take that entry's value, marked
`status = "carried"` with `carried_from` — so every year up to today has a line, and a page can say that it is
carried rather than published (decision 1250). Without that table a year after the last entry has no line.

The monitoring line begins in 2021; the years before it that have a poverty line take `[monitoring.2020]
income_line_ratio` × that year's poverty line, marked `status = "derived"` (decision 1430), so that every year
from the first data year to today has one."""

from __future__ import annotations

import copy
import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"
YEARLY_TABLES = ("poverty_line", "monitoring_line")


class StandardMissing(LookupError):
    pass


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def _carry_forward(data: dict, until: int) -> dict:
    """The yearly tables named true in [carry_forward], filled from their last entry up to `until`."""
    rules = data.get("carry_forward", {})
    for table in YEARLY_TABLES:
        entries = data.get(table)
        if not rules.get(table) or not entries:
            continue
        last = max(int(y) for y in entries)
        for year in range(last + 1, until + 1):
            entry = {k: v for k, v in entries[str(last)].items() if k not in ("status", "source", "carried_from")}
            entries[str(year)] = {**entry, "status": "carried", "carried_from": last,
                                  "source": rules.get("source", "")}
    return data


def _derive_monitoring(data: dict) -> dict:
    """The monitoring line of the years before its first entry, from the 2020 guidance's ratio."""
    lines, ratio = data.get("monitoring_line"), data.get("monitoring", {}).get("2020", {}).get("income_line_ratio")
    if not lines or not ratio:
        return data
    first = min(int(y) for y in lines)
    for year, entry in data.get("poverty_line", {}).items():
        if int(year) < first and year not in lines:
            lines[year] = {"yuan": int(ratio * int(entry["yuan"]) + 0.5), "status": "derived",
                           "derived_from": "monitoring.2020",
                           "source": f"{ratio} × the {year} poverty line ({entry['yuan']} yuan): the 2020 guidance"}
    return data


@dataclass(frozen=True)
class Standards:
    jurisdiction: str
    data: dict

    def _entry(self, table: str, year: int) -> dict:
        try:
            return self.data[table][str(year)]
        except KeyError:
            what = "poverty line" if table == "poverty_line" else "monitoring line"
            raise StandardMissing(f"no {what} for {year} in the standards of {self.jurisdiction}") from None

    def poverty_line_yuan(self, year: int) -> int:
        return int(self._entry("poverty_line", year)["yuan"])

    def poverty_line_fen(self, year: int) -> int:
        return self.poverty_line_yuan(year) * 100

    def line_status(self, year: int) -> str:
        """verified / partial / unverified / carried (the last stored line carried on, decision 1250)."""
        return self._entry("poverty_line", year).get("status", "verified")

    def line_entry(self, year: int) -> dict:
        """The poverty line's entry for the year: yuan, status, source and, when carried, carried_from."""
        return dict(self._entry("poverty_line", year))

    def monitoring_line_yuan(self, year: int) -> int:
        """防返贫监测 income line: from 2021 as stored; before, the 2020 guidance's ratio × the poverty line."""
        return int(self._entry("monitoring_line", year)["yuan"])

    def monitoring_entry(self, year: int) -> dict:
        return dict(self._entry("monitoring_line", year))

    def monitoring_line_fen(self, year: int) -> int:
        return self.monitoring_line_yuan(year) * 100

    def monitoring_criteria(self) -> dict:
        """[monitoring.criteria]: each risk criterion's figure (if any), status and source."""
        return dict(self.data.get("monitoring", {}).get("criteria", {}))

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.data["poverty_line"])

    def section(self, name: str) -> dict:
        return self.data[name]


def this_year() -> int:
    """Today's year where the server keeps its calendar (Django's time zone when configured, as the pages)."""
    from django.conf import settings

    if settings.configured:
        from django.utils import timezone

        return timezone.localdate().year
    return dt.date.today().year


def load(jurisdiction: str = "000000", directory: str | None = None) -> Standards:
    """Standards for a 6-to-12-digit division code; `directory` replaces the shipped data (tests, a county).
    Cached per year, so a running server carries the lines into a new year when it begins."""
    return _load(jurisdiction[:6], directory, this_year())


@lru_cache(maxsize=64)
def _load(code: str, directory: str | None, year: int) -> Standards:
    folder = Path(directory) if directory else DATA
    data = tomllib.loads((folder / "national.toml").read_text(encoding="utf-8"))
    for prefix in (code[:2], code[:4], code[:6]):
        path = folder / "overrides" / f"{prefix}.toml"
        if path.exists():
            data = _merge(data, tomllib.loads(path.read_text(encoding="utf-8")))
    return Standards(jurisdiction=code, data=_derive_monitoring(_carry_forward(data, year)))


def cache_clear() -> None:
    """Forget the loaded standards (tests that swap the data directory)."""
    _load.cache_clear()
