"""The signals that figures may be gamed (data/signals.toml): each kind's thresholds, its title and explanation.
Framework-free: the rules take the thresholds as parameters (`signal_<kind>_<name>`), the integrity app the texts."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache

from .loader import DATA

KINDS = ("income_bunching", "income_jump", "identical_incomes", "identical_visits", "visit_many_villages",
         "visit_before_pairing", "gap_closed_unevidenced", "edits_before_evaluation")
TEXT_KEYS = ("title", "explanation", "status")


@dataclass(frozen=True)
class Signal:
    kind: str
    title: str
    explanation: str
    thresholds: dict


@lru_cache(maxsize=1)
def _data() -> dict:
    return tomllib.loads((DATA / "signals.toml").read_text(encoding="utf-8"))


def catalogue() -> dict[str, Signal]:
    """{kind: Signal} in KINDS' order; a kind missing from the file is an error."""
    data = _data()
    missing = [k for k in KINDS if k not in data]
    if missing:
        raise ValueError(f"signals.toml lacks {', '.join(missing)}")
    return {k: Signal(kind=k, title=data[k]["title"], explanation=data[k]["explanation"],
                      thresholds={n: v for n, v in data[k].items() if n not in TEXT_KEYS}) for k in KINDS}


def parameters() -> dict[str, float | int]:
    """Every threshold as a rule parameter: signal_<kind>_<name>."""
    return {f"signal_{s.kind}_{name}": value for s in catalogue().values() for name, value in s.thresholds.items()}
