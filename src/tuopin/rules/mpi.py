"""Alkire–Foster parameters: indicator weights and the poverty cut-off k, checked before any rule sees them.

Weights and k are numbers rendered as SQL literals; the indicator names travel as data (`mpi_weights`), so a
name read from a CSV header never becomes SQL text. Values may be written as decimals or fractions ("1/3")
so that the standards can say exactly what they mean.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from fractions import Fraction

TOLERANCE = 1e-9  # weights must sum to 1 within this; a unit is poor when its score ≥ k − this (mpi_scores.sql)


class ParameterError(ValueError):
    """Weights or k the method cannot use; `problems` lists every one, not only the first."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def number(text, what: str) -> float:
    """A finite number from a decimal, an integer or a fraction ("1/3")."""
    if isinstance(text, bool):
        raise ValueError(f"{what}: {text!r} is not a number")
    if isinstance(text, (int, float)):
        value = float(text)
    else:
        try:
            value = float(Fraction(str(text).strip()))
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{what}: {text!r} is not a number") from None
    if not math.isfinite(value):
        raise ValueError(f"{what}: {text!r} is not a finite number")
    return value


def parse_weights(spec: str) -> dict[str, float]:
    """`'a=0.4,b=0.3,…'` as {indicator: weight}, checked (see `check`)."""
    problems, weights = [], {}
    for part in spec.split(","):
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            problems.append(f"--weights: {part.strip()!r} is not NAME=WEIGHT")
            continue
        if name in weights:
            problems.append(f"--weights: {name!r} is given twice")
            continue
        try:
            weights[name] = number(value, f"--weights {name}")
        except ValueError as exc:
            problems.append(str(exc))
    if problems:
        raise ParameterError(problems)
    return weights


def check(weights: Mapping[str, object], k: object, *, where: str = "") -> tuple[dict[str, float], float]:
    """Weights as floats (each > 0, summing to 1 ± 1e-9) and k as a float in (0, 1]; ParameterError otherwise."""
    problems, out = [], {}
    prefix = f"{where}: " if where else ""
    for name, value in weights.items():
        try:
            out[name] = number(value, f"{prefix}weight of {name}")
        except ValueError as exc:
            problems.append(str(exc))
            continue
        if out[name] <= 0:
            problems.append(f"{prefix}weight of {name} is {out[name]:g}: every weight must be above 0")
    if not weights:
        problems.append(f"{prefix}no indicator weights")
    elif len(out) == len(weights) and abs(math.fsum(out.values()) - 1.0) > TOLERANCE:
        problems.append(f"{prefix}the weights sum to {math.fsum(out.values())!r}, not 1")
    try:
        cut = number(k, f"{prefix}k")
        if not 0 < cut <= 1:
            problems.append(f"{prefix}k is {cut:g}: it must be above 0 and at most 1")
    except ValueError as exc:
        problems.append(str(exc))
        cut = math.nan
    if problems:
        raise ParameterError(problems)
    return out, cut
