"""Each village's yearly record: its rural registered population (the incidence denominator, always above
its registered persons) and the facts a poor village's exit is judged on.

Population = the village's registered persons ÷ a share (`REGISTERED_SHARE` ± 40 %), never at or below its
registered persons: ≈ 770 million rural persons for 30 M households, so ≈ 2 % poor at the end of 2018. The facts
improve each year, poor villages starting behind. Written last, from the registered persons counted per village."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from tuopin.engine.snapshot import VILLAGES_YEARLY

from .geography import Geography

# Registered persons as a share of a village's rural population (poor villages, others): with about 100
# million registered persons this gives a rural population near the 2013 figure (≈ 770 million).
REGISTERED_SHARE = (0.28, 0.08)


def base_population(geo: Geography, registered_persons: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    share = np.where(geo.poor_village, REGISTERED_SHARE[0], REGISTERED_SHARE[1]) * rng.uniform(0.6, 1.4, geo.villages)
    population = np.ceil(registered_persons / share).astype(np.int64)
    empty = registered_persons == 0
    population[empty] = rng.integers(600, 2500, empty.sum())
    return np.maximum(population, registered_persons + rng.integers(20, 200, geo.villages))


def yearly(geo: Geography, base: np.ndarray, registered_persons: np.ndarray, year: int,
           rng: np.random.Generator) -> pa.Table:
    """The village facts improve year by year; poor villages start behind."""
    n = geo.villages
    drift = 1.0 - 0.008 * (year - 2018)            # the rural population shrinks slowly
    population = np.maximum(np.round(base * drift).astype(np.int64), registered_persons + 1)
    progress = min(1.0, 0.55 + 0.09 * (year - 2014))
    ok = np.where(geo.poor_village, progress, 0.97)

    def fact(extra=0.0):
        return rng.random(n) < np.minimum(ok + extra, 0.995)

    income = np.where(rng.random(n) < np.where(geo.poor_village, progress, 0.9),
                      rng.integers(5_000, 300_000, n) * 100, 0)
    return pa.table({
        "village_code": geo.village_code, "township_code": geo.township_code, "county_code": geo.county_code,
        "population": population.astype(np.int32), "households": np.maximum(1, population // 3.1).astype(np.int32),
        "has_clinic": fact(0.05), "has_qualified_doctor": fact(), "road_hardened": fact(0.08),
        "safe_water": fact(0.03), "collective_income_fen": income.astype(np.int64),
        "is_poor_village": geo.poor_village, "west": geo.west,
    }, schema=VILLAGES_YEARLY)
