"""Division data files (统计用区划代码): one CSV per county, read without Django.

Columns: code, name, level, parent_code, kind, is_rural, is_poor_village, poor_village_since, west (the last five
optional). Parents come before their children (the file is sorted by code, and codes nest). The layout is
documented in docs/data-formats.md ("The division file").
"""

from __future__ import annotations

import csv
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
ZHENLAI = DATA_DIR / "220821-zhenlai.csv"  # 镇赉县: 11 rural townships, 141 villages (names synthetic)

COLUMNS = ("code", "name", "level", "parent_code", "kind", "is_rural", "is_poor_village", "poor_village_since")
LEVELS = ("province", "city", "county", "township", "village", "natural_village")


class DivisionFileError(ValueError):
    """The file is not a usable division file; the message names the line."""


def _flag(value: str) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "是")


def read_divisions(path: str | Path = ZHENLAI) -> list[dict]:
    """Rows as dicts with typed values, checked: 12-digit unique codes, known levels, parents listed first."""
    rows, seen = [], set()
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        missing = [c for c in ("code", "name", "level", "parent_code") if c not in (reader.fieldnames or ())]
        if missing:
            raise DivisionFileError(f"{path}: missing columns {', '.join(missing)}")
        for line, raw in enumerate(reader, start=2):
            code, parent = raw["code"].strip(), (raw.get("parent_code") or "").strip()
            if len(code) != 12 or not code.isdigit():
                raise DivisionFileError(f"{path}:{line}: code {code!r} is not 12 digits")
            if code in seen:
                raise DivisionFileError(f"{path}:{line}: code {code} appears twice")
            level = raw["level"].strip()
            if level not in LEVELS:
                raise DivisionFileError(f"{path}:{line}: unknown level {level!r}")
            if parent and parent not in seen:
                raise DivisionFileError(f"{path}:{line}: parent {parent} is not listed before {code}")
            since = (raw.get("poor_village_since") or "").strip()
            seen.add(code)
            rows.append({
                "code": code, "name": raw["name"].strip(), "level": level, "parent_code": parent,
                "kind": (raw.get("kind") or "").strip(), "is_rural": _flag(raw.get("is_rural", "1")),
                "is_poor_village": _flag(raw.get("is_poor_village", "0")),
                "poor_village_since": int(since) if since else None,
                "west": _flag(raw.get("west") or "0"),
            })
    return rows
