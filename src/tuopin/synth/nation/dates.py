"""Dates as numpy day numbers (days since 1970-01-01, Arrow's date32)."""

from __future__ import annotations

import numpy as np


def jan1(year) -> np.ndarray:
    return (np.asarray(year, dtype=np.int64) - 1970).astype("datetime64[Y]").astype("datetime64[D]").astype(np.int64)


def in_year(year, first_day: int, last_day: int, rng: np.random.Generator) -> np.ndarray:
    """A day of `year` between day-of-year first_day and last_day (0-based, inclusive), drawn uniformly."""
    year = np.asarray(year)
    return jan1(year) + rng.integers(first_day, last_day + 1, size=year.shape)


def dec31(year: int) -> int:
    return int(jan1(year + 1)) - 1
