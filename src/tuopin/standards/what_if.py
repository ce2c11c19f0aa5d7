"""A what-if file: the standards' own keys, overriding any of them for one run and never stored (decision 1580).

Checked against the standards it overrides — the loaded files are the schema: every key must be one they
have (a yearly table may take a new year), with a value of the same kind (a number for a number, a list of the
same kind of items, a table for a table). `[meta]` is refused: a what-if cannot change whose standards they are.

`[budget]` is the one table a what-if has that the standards do not: budget lines, amounts in yuan added to
the households' incomes of the year before the rules judge them (decision 1600; `budget`).
"""

from __future__ import annotations

import copy
import tomllib
from pathlib import Path

from .loader import YEARLY_TABLES, Standards, _derive_monitoring, _merge


class WhatIfError(ValueError):
    """Every refusal of a what-if file, each naming the file, the key and the reason."""

    def __init__(self, errors: list[str]):
        super().__init__("; ".join(errors))
        self.errors = errors


def read(path: str | Path) -> dict:
    """A what-if file's tables, or WhatIfError naming the file when it is not TOML."""
    path = Path(path)
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise WhatIfError([f"{path}: cannot be read: {exc.strerror}"]) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WhatIfError([f"{path}: not a TOML file: {exc}"]) from None


def loads(text: str, *, where: str = "what-if") -> dict:
    """A what-if's tables from its TOML text (a page's text field), or WhatIfError naming `where`."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise WhatIfError([f"{where}: not TOML: {exc}"]) from None


def merged(*overs: dict) -> dict:
    """The what-ifs one over the other (the later's keys win, tables merged at every depth)."""
    out: dict = {}
    for over in overs:
        out = _merge(out, copy.deepcopy(over))
    return out


def dumps(over: dict) -> str:
    """A what-if as TOML text that `loads` reads back equal: tables of numbers, strings, booleans and lists of
    them (what a what-if holds)."""
    def value(v) -> str:
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return repr(v)
        if isinstance(v, str):
            return '"' + v.replace("\\", "\\\\").replace('"', '\\"') + '"'
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        raise TypeError(f"a what-if holds no {type(v).__name__}")

    lines: list[str] = []

    def table(path: tuple[str, ...], t: dict) -> None:
        scalars = {k: v for k, v in t.items() if not isinstance(v, dict)}
        if path and (scalars or not t):
            lines.append(f"[{'.'.join(path)}]")
        lines.extend(f"{k} = {value(v)}" for k, v in scalars.items())
        for k, v in t.items():
            if isinstance(v, dict):
                table((*path, k), v)

    table((), over)
    return "\n".join(lines) + "\n"


def _kind(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _check(base: dict, over: dict, path: tuple[str, ...], where: str, errors: list[str]) -> None:
    for key, value in over.items():
        here = (*path, key)
        name = ".".join(here)
        if not path and key == "meta":
            errors.append(f"{where}: {name}: [meta] names the jurisdiction and cannot be changed by a what-if")
            continue
        if key not in base:
            if len(path) == 1 and path[0] in YEARLY_TABLES and key.isdigit() and len(key) == 4 \
                    and isinstance(value, dict) and base:
                # a new year of a yearly table: the same keys as the table's other years
                _check(next(iter(base.values())), value, here, where, errors)
                continue
            errors.append(f"{where}: {name}: unknown key (the standards have no such key)")
            continue
        old = base[key]
        if _kind(old) != _kind(value):
            errors.append(f"{where}: {name}: must be {_kind(old)} like the standard's, not {_kind(value)}")
        elif isinstance(old, dict):
            _check(old, value, here, where, errors)
        elif isinstance(old, list) and old and value:
            want = {_kind(v) for v in old}
            wrong = [v for v in value if _kind(v) not in want]
            if wrong:
                errors.append(f"{where}: {name}: items must be {' or '.join(sorted(want))}, not {wrong[0]!r}")
            elif len(old) == 2 and all(_kind(v) == "a number" for v in old) and len(value) != 2:
                errors.append(f"{where}: {name}: must be a pair like the standard's {old!r}")


# The budget lines a what-if may set under [budget], in yuan (decision 1600; tuopin.engine.what_if.BUDGET_LINES).
BUDGET_LINES = {
    "dibao_per_person": "yuan a year added per person on 低保",
    "subsidy_per_person": "yuan a year per member of each household poor at the year's end",
    "dividend_without_labour": "yuan a year per household poor at the year's end with no member able to work",
}
BUDGET_MAX_YUAN = 1_000_000


def budget(over: dict, *, where: str = "what-if") -> dict[str, int]:
    """The what-if's [budget] lines in fen ({} without the table); WhatIfError naming `where`, the key and the
    reason for a line that is not one of BUDGET_LINES or not an amount of yuan from 0 to BUDGET_MAX_YUAN with
    at most two decimals."""
    table = over.get("budget", {})
    if not isinstance(table, dict):
        raise WhatIfError([f"{where}: budget: must be a table of budget lines, not {_kind(table)}"])
    errors, out = [], {}
    for key, value in table.items():
        name = f"budget.{key}"
        if key not in BUDGET_LINES:
            errors.append(f"{where}: {name}: unknown budget line (the lines are {', '.join(BUDGET_LINES)})")
        elif _kind(value) != "a number":
            errors.append(f"{where}: {name}: must be a number of yuan, not {_kind(value)}")
        elif not 0 <= value <= BUDGET_MAX_YUAN or round(value * 100) != round(value * 100, 6):
            errors.append(f"{where}: {name}: must be yuan from 0 to {BUDGET_MAX_YUAN:,} with at most two decimals, "
                          f"not {value!r}")
        else:
            out[key] = round(value * 100)
    if errors:
        raise WhatIfError(errors)
    return out


def changed_keys(over: dict, path: tuple[str, ...] = ()) -> list[str]:
    """The dotted keys a what-if sets, in its order."""
    out: list[str] = []
    for key, value in over.items():
        if isinstance(value, dict) and value:
            out.extend(changed_keys(value, (*path, key)))
        else:
            out.append(".".join((*path, key)))
    return out


def apply(base: Standards, over: dict, *, where: str = "what-if") -> Standards:
    """The standards with the what-if's values in place of theirs; WhatIfError naming `where` (the file), the
    key and the reason for every key refused. Nothing of `base` changes."""
    errors: list[str] = []
    lines = over.get("budget")
    over = {k: v for k, v in over.items() if k != "budget"}  # checked by `budget`, not a standard
    _check(base.data, over, (), where, errors)
    if not over and not lines:
        errors.append(f"{where}: changes no standard (the file is empty)")
    try:
        budget({"budget": lines or {}}, where=where)
    except WhatIfError as exc:
        errors.extend(exc.errors)
    if errors:
        raise WhatIfError(errors)
    data = _merge(copy.deepcopy(base.data), over)
    # A monitoring line derived from a year's poverty line (loader, decision 1430) follows the what-if's line,
    # unless the what-if sets that year's monitoring line itself.
    lines, own = data.get("monitoring_line", {}), over.get("monitoring_line", {})
    for year in [y for y, entry in lines.items() if entry.get("status") == "derived" and y not in own]:
        del lines[year]
    return Standards(jurisdiction=base.jurisdiction, data=_derive_monitoring(data))
