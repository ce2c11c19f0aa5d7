"""The demo county's renovations (危房改造) written as the workflow's rows: the generator's rows
(`tuopin.synth.housing`, agreeing with the registry's renovation fields) in one bulk INSERT, one audit batch
event (decision 1523)."""

from __future__ import annotations

from tuopin.apps.housing.models import HouseRenovation
from tuopin.synth.county import Registry
from tuopin.synth.housing import COLUMNS, renovation_rows


def load_renovations(reg: Registry, *, seed: int, stamp, load) -> tuple[int, dict]:
    """Insert the rows through the build's `load(model, columns, rows)` (which audits the batch): the rows
    written and the generator's counts."""
    rows, counts = renovation_rows(reg.households, seed=seed, stamp=stamp)
    return load(HouseRenovation, COLUMNS, rows), counts
