"""Load the standards in force for a jurisdiction: national values, overridden by the province's file,
then by the county's (files named by division-code prefix: 22.toml for Jilin, 220821.toml for Zhenlai)."""

from __future__ import annotations

import copy
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).parent / "data"


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


@dataclass(frozen=True)
class Standards:
    jurisdiction: str
    data: dict

    def poverty_line_yuan(self, year: int) -> int:
        try:
            return int(self.data["poverty_line"][str(year)]["yuan"])
        except KeyError:
            raise StandardMissing(f"no poverty line for {year} in the standards of {self.jurisdiction}") from None

    def poverty_line_fen(self, year: int) -> int:
        return self.poverty_line_yuan(year) * 100

    def line_status(self, year: int) -> str:
        return self.data["poverty_line"][str(year)].get("status", "verified")

    def years(self) -> list[int]:
        return sorted(int(y) for y in self.data["poverty_line"])

    def section(self, name: str) -> dict:
        return self.data[name]


@lru_cache(maxsize=64)
def load(jurisdiction: str = "000000", directory: str | None = None) -> Standards:
    """Standards for a 6-to-12-digit division code; `directory` replaces the shipped data (tests, a county)."""
    folder = Path(directory) if directory else DATA
    data = tomllib.loads((folder / "national.toml").read_text(encoding="utf-8"))
    code = jurisdiction[:6]
    for prefix in (code[:2], code[:4], code[:6]):
        path = folder / "overrides" / f"{prefix}.toml"
        if path.exists():
            data = _merge(data, tomllib.loads(path.read_text(encoding="utf-8")))
    return Standards(jurisdiction=code, data=data)
