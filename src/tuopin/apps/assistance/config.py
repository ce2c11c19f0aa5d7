"""The accountability tables that are data, not code: the gap routing, the "4+4" templates, the scoring.

Each is a TOML file shipped in `data/`, overridden per province or county by `data/overrides/<prefix>.toml`
(a `[routing]`, `[templates]` or `[scoring]` table in it), merged the way the standards are. A directory
given in `TUOPIN_ACCOUNTABILITY_DATA` (or the `directory` argument) replaces the shipped folder.
"""

from __future__ import annotations

import copy
import os
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from tuopin import rules

DATA = Path(__file__).parent / "data"
OWNER_KINDS = ("cadre", "paired_unit", "township", "work_team")
_DEPARTMENT = re.compile(r"^department:[a-z_]+$")


def _merge(base: dict, over: dict) -> dict:
    out = copy.deepcopy(base)
    for key, value in over.items():
        out[key] = _merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def _load(name: str, jurisdiction: str, directory: str | None) -> dict:
    folder = Path(directory or os.environ.get("TUOPIN_ACCOUNTABILITY_DATA") or DATA)
    data = tomllib.loads((folder / f"{name}.toml").read_text(encoding="utf-8"))
    code = (jurisdiction or "")[:6]
    for prefix in dict.fromkeys(p for p in (code[:2], code[:4], code[:6]) if p):
        path = folder / "overrides" / f"{prefix}.toml"
        if path.exists():
            data = _merge(data, tomllib.loads(path.read_text(encoding="utf-8")).get(name, {}))
    return data


@dataclass(frozen=True)
class Route:
    indicator: str
    label: str
    owners: tuple[str, ...]
    due_in_days: int


@lru_cache(maxsize=32)
def routing(jurisdiction: str = "", directory: str | None = None) -> dict[str, Route]:
    """indicator → Route. Refuses a table naming an unknown indicator or owner."""
    data = _load("routing", jurisdiction, directory)
    default_due = int(data.get("defaults", {}).get("due_in_days", 30))
    routes = {}
    for indicator, spec in data.get("indicators", {}).items():
        if indicator not in rules.INDICATORS:
            raise ImproperlyConfigured(f"routing: unknown indicator {indicator!r} "
                                       f"(known: {', '.join(rules.INDICATORS)})")
        routes[indicator] = _route(indicator, spec, (), default_due, where=indicator)
    return routes


def _route(name: str, spec: dict, owners: tuple[str, ...], due: int, *, where: str, label: str = "") -> Route:
    """One route of the table, its owners and days checked; `owners`, `due` and `label` are the defaults."""
    owners = tuple(spec.get("owners", owners))
    for owner in owners:
        if owner not in OWNER_KINDS and not _DEPARTMENT.match(owner):
            raise ImproperlyConfigured(f"routing: {where}: unknown owner {owner!r}")
    due = int(spec.get("due_in_days", due))
    if due < 1:
        raise ImproperlyConfigured(f"routing: {where}: due_in_days must be at least 1")
    return Route(name, spec.get("label", label or name), owners, due)


@lru_cache(maxsize=32)
def rectification_route(jurisdiction: str = "", directory: str | None = None) -> Route:
    """The routing of rectification items (问题整改): owners tried in order, the first one found takes it."""
    spec = _load("routing", jurisdiction, directory).get("rectification", {})
    return _route("rectification", spec, ("cadre", "work_team", "paired_unit", "township"), 30,
                  where="rectification", label="问题整改")


@lru_cache(maxsize=32)
def monitoring_routes(jurisdiction: str = "", directory: str | None = None) -> dict[str, Route]:
    """A monitoring case's assistance measures (防返贫 帮扶措施): measure kind → owners tried in order, days."""
    data = _load("routing", jurisdiction, directory).get("monitoring", {})
    default_due = int(data.get("due_in_days", 30))
    routes = {}
    for kind, spec in data.get("measures", {}).items():
        routes[kind] = _route(kind, spec, (), default_due, where=f"monitoring.measures.{kind}")
    return routes


@lru_cache(maxsize=32)
def templates(jurisdiction: str = "", directory: str | None = None) -> dict[str, dict]:
    """{"unit": {"due": "12-31", "items": {code: title}}, "cadre": {…}}."""
    data = _load("templates", jurisdiction, directory)
    out = {}
    for kind in ("unit", "cadre"):
        spec = dict(data.get(kind, {}))
        due = spec.pop("due", "12-31")
        if not re.match(r"^\d\d-\d\d$", due):
            raise ImproperlyConfigured(f"templates: {kind}.due must be MM-DD, not {due!r}")
        out[kind] = {"due": due, "items": spec}
    return out


@lru_cache(maxsize=32)
def scoring(jurisdiction: str = "", directory: str | None = None) -> dict:
    data = _load("scoring", jurisdiction, directory)
    weights = data["weights"]
    if any(float(w) < 0 for w in weights.values()) or not sum(float(w) for w in weights.values()):
        raise ImproperlyConfigured("scoring: weights are non-negative and not all zero")
    grades = data["grades"]
    if not float(grades["excellent"]) >= float(grades["good"]) >= float(grades["pass"]):
        raise ImproperlyConfigured("scoring: grades must satisfy excellent ≥ good ≥ pass")
    return data
