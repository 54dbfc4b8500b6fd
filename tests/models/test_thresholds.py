"""Threshold tuning: per-label F1 versus pooled micro-F1."""

import numpy as np
import pytest

from proplens.training.folds import tune_thresholds


def _micro_f1(probs: np.ndarray, y: np.ndarray, thresholds: dict[str, float]) -> float:
    t = np.array([thresholds["common"], thresholds["rare"]])
    pred = probs >= t
    tp = (pred & y).sum()
    return float(2 * tp / (pred.sum() + y.sum()))


def test_micro_objective_raises_the_threshold_of_a_noisy_rare_label() -> None:
    rng = np.random.default_rng(0)
    n = 400
    common = rng.random(n) < 0.5
    rare = rng.random(n) < 0.05
    probs = np.column_stack(
        [
            np.where(common, 0.8, 0.2) + rng.normal(0, 0.05, n),  # easy, frequent
            np.where(rare, 0.35, 0.25) + rng.normal(0, 0.08, n),  # weak, rare
        ]
    ).astype(np.float32)
    y = np.column_stack([common, rare])
    targets = [{lab for lab, v in zip(("common", "rare"), row, strict=True) if v} for row in y]
    per_label = tune_thresholds(probs, targets, ("common", "rare"))
    micro = tune_thresholds(probs, targets, ("common", "rare"), objective="micro")
    assert micro["rare"] > per_label["rare"]  # the rare label stops flooding the pool
    assert _micro_f1(probs, y, micro) > _micro_f1(probs, y, per_label)
    assert micro["common"] == pytest.approx(per_label["common"], abs=0.1)


def test_label_objective_maximises_each_labels_f1() -> None:
    probs = np.array([[0.9], [0.7], [0.4], [0.2]], np.float32)
    targets = [{"a"}, {"a"}, set(), set()]
    (thr,) = tune_thresholds(probs, targets, ("a",)).values()
    assert 0.4 < thr <= 0.7
    with pytest.raises(ValueError, match="objective"):
        tune_thresholds(probs, targets, ("a",), objective="macro")
