"""Out-of-time validation in held-out townships: train on the years up to t in two townships of three, score
year t + 1's households in the third, and compare with the rules' own candidates of the same year.

What is reported for each test year (docs/benchmarks.md keeps the figures):
- `auc`: ROC AUC of the score against next year's entries into monitoring (or returns); `auc_logistic`, a
  logistic regression on the same features, the published anchor's kind of model;
- `top_decile_capture`: the share of next year's entries found in the tenth of households with the highest score;
- `rule_candidates`, `rule_capture`: how many households the rules flagged at the end of the year, and the share
  of next year's entries among them; `score_capture_at_rule_size`: the score's share with a list as long.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from . import model as m

HELD_OUT_EVERY = 3  # every third township (by code) is held out of training


def held_out(table: pa.Table) -> tuple[pa.Table, pa.Table]:
    """(rows of training townships, rows of held-out townships)."""
    codes = sorted(set(table.column("township_code").to_pylist()))
    test = pa.array([c for k, c in enumerate(codes) if k % HELD_OUT_EVERY == HELD_OUT_EVERY - 1],
                    table.schema.field("township_code").type)
    mask = pc.is_in(table.column("township_code"), value_set=test)
    return table.filter(pc.invert(mask)), table.filter(mask)


def capture(labels: np.ndarray, chosen: np.ndarray) -> float:
    """The share of the positives among the chosen rows."""
    positives = labels.sum()
    return float(labels[chosen].sum() / positives) if positives else 0.0


def top(scores: np.ndarray, n: int) -> np.ndarray:
    chosen = np.zeros(len(scores), dtype=bool)
    chosen[np.argsort(-scores, kind="stable")[:n]] = True
    return chosen


def validate(table: pa.Table, test_years: list[int],
             candidates: Callable[[int], set[int]] | None = None) -> list[dict]:
    """`table`: features of every year (features.features). `candidates(year)`: the household ids the rules
    flagged at the end of `year`, for the comparison."""
    train_part, test_part = held_out(table)
    reports = []
    for year in test_years:
        before = train_part.filter(pc.less(train_part.column("year"), year))
        now = test_part.filter(pc.equal(test_part.column("year"), year))
        labels = now.column("label").to_numpy()
        if before.num_rows == 0 or labels.sum() == 0 or labels.sum() == len(labels):
            continue
        model = m.train(before)
        scores = model.score(now)
        logistic = make_pipeline(SimpleImputer(strategy="median"), StandardScaler(),
                                 LogisticRegression(max_iter=2000))
        x_before = m.matrix(before, model.features)
        logistic.fit(x_before, before.column("label").to_numpy())
        report = {
            "test_year": year, "trained_on_years": sorted(set(before.column("year").to_pylist())),
            "train_rows": before.num_rows, "train_positives": int(before.column("label").to_numpy().sum()),
            "test_rows": now.num_rows, "test_positives": int(labels.sum()),
            "auc": float(roc_auc_score(labels, scores)),
            "auc_logistic": float(roc_auc_score(labels, logistic.predict_proba(m.matrix(now, model.features))[:, 1])),
            "top_decile_capture": capture(labels, top(scores, max(1, len(scores) // 10))),
        }
        if candidates is not None:
            flagged = candidates(year)
            chosen = np.array([h in flagged for h in now.column("household_id").to_pylist()], dtype=bool)
            report |= {"rule_candidates": int(chosen.sum()), "rule_capture": capture(labels, chosen),
                       "score_capture_at_rule_size": capture(labels, top(scores, int(chosen.sum())))}
        reports.append(report)
    return reports
