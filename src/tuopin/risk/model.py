"""The model: gradient-boosted trees (LightGBM), saved as LightGBM's own text format with a JSON card beside it
(never a pickle: a model file is data a county may receive from elsewhere). Explained per household by
LightGBM's TreeSHAP contributions: each feature's push on the household's log-odds (decision 1421)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pyarrow as pa

from .features import feature_names

# Small trees and strong regularisation: a county has a few hundred positives a year, and the score must rank
# households it has not seen (other townships, the next year), not remember the ones it has.
PARAMS = {
    "objective": "binary", "learning_rate": 0.05, "num_leaves": 15, "min_data_in_leaf": 40,
    "feature_fraction": 0.8, "bagging_fraction": 0.8, "bagging_freq": 1, "lambda_l2": 1.0,
    "verbose": -1, "seed": 7, "deterministic": True, "force_row_wise": True, "num_threads": 1,
}
ROUNDS = 300


@dataclass
class Model:
    booster: lgb.Booster
    features: list[str]
    card: dict = field(default_factory=dict)  # what it was trained on and how it validated

    def score(self, table: pa.Table) -> np.ndarray:
        """The probability of entering monitoring (or returning to poverty) next year, per row."""
        return np.asarray(self.booster.predict(matrix(table, self.features)))

    def explain(self, table: pa.Table, top: int = 3) -> list[list[tuple[str, float, float]]]:
        """Per row, the `top` features that push the score up most: (feature, its value, its push in log-odds)."""
        x = matrix(table, self.features)
        # One column per feature, then the base value.
        contributions = np.asarray(self.booster.predict(x, pred_contrib=True))[:, :-1]
        out = []
        for row, values in zip(contributions, x):
            order = np.argsort(-row)[:top]
            out.append([(self.features[i], float(values[i]), float(row[i])) for i in order if row[i] > 0])
        return out

    def save(self, path: str | Path) -> None:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        self.booster.save_model(str(path))
        path.with_suffix(".json").write_text(json.dumps({"features": self.features, **self.card}, indent=1,
                                                        ensure_ascii=False), encoding="utf-8")


def load(path: str | Path) -> Model:
    path = Path(path)
    card = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    return Model(lgb.Booster(model_file=str(path)), card.pop("features"), card)


def matrix(table: pa.Table, features: list[str]) -> np.ndarray:
    """The features as a float matrix; a missing value (no record the year before) stays NaN, which the trees
    route on its own."""
    return np.column_stack([table.column(name).to_numpy(zero_copy_only=False).astype(float) for name in features])


def train(table: pa.Table, **card) -> Model:
    features = feature_names(table)
    labels = table.column("label").to_numpy()
    data = lgb.Dataset(matrix(table, features), label=labels, feature_name=features, free_raw_data=True)
    booster = lgb.train(PARAMS, data, num_boost_round=ROUNDS)
    return Model(booster, features, {"rows": table.num_rows, "positives": int(labels.sum()), **card})

