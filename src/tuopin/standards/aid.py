"""The aid kinds and their paying departments, and the demo's standard amounts (data/aid.toml).

Framework-free: the aid app reads the kinds' owners from here, the demo county's generator the amounts."""

from __future__ import annotations

import tomllib
from functools import lru_cache

from .loader import DATA

MARKS = ("verified", "partial", "unverified")


@lru_cache(maxsize=1)
def aid_data() -> dict:
    return tomllib.loads((DATA / "aid.toml").read_text(encoding="utf-8"))


def aid_kinds() -> dict[str, dict]:
    """{kind code: {name, area, departments, …, status, source}} in the file's order."""
    return dict(aid_data()["kinds"])


def kind_departments(kind: str) -> tuple[str, ...]:
    """The department domains that pay `kind` (a department records only the kinds its domain pays)."""
    return tuple(aid_kinds()[kind]["departments"])


def demo_education() -> dict:
    return dict(aid_data()["demo"]["education"])
