"""The linkage model's data (src/tuopin/standards/data/linkage.toml) turned into Splink's settings."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from tuopin.standards.loader import DATA

COLUMNS = ("name", "sex", "birth_date", "place")


@dataclass(frozen=True)
class LinkageSettings:
    match: float
    review: float
    share_in_registry: float
    u_sampling_min_pairs: int
    u_sampling_min_rows: int
    u_sampling_max_pairs: int
    u_sampling_seed: int
    blocking: tuple[str, ...]
    comparisons: tuple[dict, ...] = field(repr=False)

    def labels(self, column: str) -> list[str]:
        """The labels of a column's non-null levels, indexed by Splink's gamma (the last level is gamma 0)."""
        levels = next(c["levels"] for c in self.comparisons if c["column"] == column)
        return [level["label"] for level in reversed(levels)]

    def splink(self, persons_in_scope: int) -> dict[str, Any]:
        """Splink's settings dictionary with the prior m and u; λ from the share of rows expected in the registry
        over the persons in scope (a roster row is one person at most)."""
        return {
            "link_type": "link_only",
            "probability_two_random_records_match": min(1.0, self.share_in_registry / max(persons_in_scope, 1)),
            "blocking_rules_to_generate_predictions": [{"blocking_rule": rule} for rule in self.blocking],
            "comparisons": [_comparison(c) for c in self.comparisons],
            "retain_matching_columns": True,
            "retain_intermediate_calculation_columns": False,
            "unique_id_column_name": "unique_id",
        }


def _comparison(spec: dict) -> dict[str, Any]:
    col = spec["column"]
    levels: list[dict[str, Any]] = [{"sql_condition": f"{col}_l IS NULL OR {col}_r IS NULL",
                                     "label_for_charts": "null", "is_null_level": True}]
    for level in spec["levels"]:
        entry = {"sql_condition": level["sql"], "label_for_charts": level["label"],
                 "m_probability": level["m"], "u_probability": level["u"]}
        if level.get("tf"):
            entry |= {"tf_adjustment_column": col, "tf_adjustment_weight": 1.0}
        levels.append(entry)
    return {"output_column_name": col, "comparison_levels": levels}


@lru_cache(maxsize=1)
def load() -> LinkageSettings:
    data = tomllib.loads((DATA / "linkage.toml").read_text(encoding="utf-8"))
    prior, decision = data["prior"], data["decision"]
    if not 0 < decision["review"] < decision["match"] <= 1:
        raise ValueError("linkage.toml: the thresholds must be 0 < review < match ≤ 1")
    return LinkageSettings(
        match=decision["match"], review=decision["review"], share_in_registry=prior["share_in_registry"],
        u_sampling_min_pairs=prior["u_sampling_min_pairs"], u_sampling_min_rows=prior["u_sampling_min_rows"],
        u_sampling_max_pairs=prior["u_sampling_max_pairs"],
        u_sampling_seed=prior["u_sampling_seed"], blocking=tuple(b["rule"] for b in data["blocking"]),
        comparisons=tuple(data["comparisons"]))
