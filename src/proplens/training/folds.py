"""The one fold and threshold harness every ``proplens train`` command uses.

Items (articles, or groups of written variants) are dealt into folds; a model is fitted on
all folds but one and predicts the held-out one (`out_of_fold`); every threshold applied to
fold *k* is tuned on the out-of-fold predictions of the other folds (`cross_fitted`), so a
figure is measured on text and thresholds the fold never saw.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

import numpy as np
import numpy.typing as npt

from proplens.models.base import FloatArray, Inputs

IntArray = npt.NDArray[np.int64]
Log = Callable[[str], None]


class Fittable(Protocol):
    """What the harness needs of a model: the `proplens.models.base.Model` contract's
    ``fit`` and ``predict_proba``."""

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[Any]) -> Any: ...

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[Any]: ...


M = TypeVar("M", bound=Fittable)

#: The seed of the shipped models' folds, so that all held-out figures line up.
SEED = 13


def assign_folds(n: int, folds: int, seed: int = SEED) -> IntArray:
    """A fold number for each of ``n`` items: shuffled, then dealt round-robin."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    fold_of = np.empty(n, np.int64)
    for rank, i in enumerate(order):
        fold_of[i] = rank % folds
    return fold_of


def group_folds(groups: Sequence[str], folds: int, seed: int = SEED) -> IntArray:
    """A fold number for each item such that all items of a group share it (the variants
    of one written sentence, the sentences of one article)."""
    names = sorted(set(groups))
    random.Random(seed).shuffle(names)
    fold_of_group = {g: i % folds for i, g in enumerate(names)}
    return np.array([fold_of_group[g] for g in groups], dtype=np.int64)


def out_of_fold(
    make: Callable[[], M],
    inputs: Sequence[Inputs],
    targets: Sequence[Any],
    fold_of: IntArray,
    *,
    predict: Callable[[M, Sequence[Inputs]], list[Any]] | None = None,
    log: Log | None = None,
    extra: tuple[Sequence[Inputs], Sequence[Any]] = ((), ()),
) -> list[Any]:
    """Each item's prediction by a model fitted on the other folds (``make()`` gives a new
    unfitted model; ``predict`` defaults to its ``predict_proba``). ``extra`` inputs and
    targets join the training side of every fold and are never held out (analysts'
    corrections: the figures stay on the same held-out articles)."""
    out: list[Any] = [None] * len(inputs)
    folds = int(fold_of.max()) + 1 if len(fold_of) else 0
    for k in range(folds):
        if log:
            log(f"fold {k + 1}/{folds}")
        train = np.flatnonzero(fold_of != k)
        test = np.flatnonzero(fold_of == k)
        model = make().fit(
            [inputs[int(i)] for i in train] + list(extra[0]),
            [targets[int(i)] for i in train] + list(extra[1]),
        )
        held = [inputs[int(i)] for i in test]
        found = model.predict_proba(held) if predict is None else predict(model, held)
        for i, p in zip(test, found, strict=True):
            out[int(i)] = p
    return out


def cross_fitted(
    probs: FloatArray,
    targets: Sequence[set[str]],
    labels: Sequence[str],
    fold_of: IntArray,
    *,
    objective: str = "label",
) -> tuple[list[set[str]], list[dict[str, float]]]:
    """Each row's labels under thresholds tuned on the other folds' rows, and those
    thresholds fold by fold."""
    predicted: list[set[str]] = [set() for _ in targets]
    chosen = []
    for k in range(int(fold_of.max()) + 1 if len(fold_of) else 0):
        others = np.flatnonzero(fold_of != k)
        thr = tune_thresholds(
            probs[others], [targets[int(i)] for i in others], labels, objective=objective
        )
        chosen.append(thr)
        for i in np.flatnonzero(fold_of == k):
            predicted[int(i)] = {t for j, t in enumerate(labels) if probs[i, j] >= thr[t]}
    return predicted, chosen


def tune_thresholds(
    probs: FloatArray,
    targets: Sequence[set[str]],
    labels: Sequence[str],
    *,
    objective: str = "label",
) -> dict[str, float]:
    """Per-label thresholds on held-out probabilities.

    ``objective="label"`` maximises each label's own F1. ``"micro"`` then moves each
    threshold in turn (two passes of coordinate ascent) to maximise the micro-F1 pooled over
    all labels, the measure of SemEval subtasks 2 and 3: per-label F1 thresholds are set
    low for rare labels, which costs pooled precision.
    """
    if objective not in ("label", "micro"):
        raise ValueError(f"unknown threshold objective {objective!r}")
    y = np.array([[label in t for label in labels] for t in targets], dtype=bool)
    y = y.reshape(len(targets), len(labels))
    best = np.array([_best_label_threshold(probs[:, j], y[:, j]) for j in range(len(labels))])
    if objective == "micro" and len(targets):
        best = _micro_ascent(probs, y, best)
    return {label: float(best[j]) for j, label in enumerate(labels)}


_GRID = np.linspace(0.05, 0.95, 37)


def _best_label_threshold(p: FloatArray, y: npt.NDArray[np.bool_]) -> float:
    best, best_f = 0.5, -1.0
    for thr in _GRID:
        pred = p >= thr
        tp = float((pred & y).sum())
        denom = float(pred.sum() + y.sum())
        f = 2 * tp / denom if denom else 0.0
        if f > best_f:
            best, best_f = float(thr), f
    return best


def _micro_ascent(
    probs: FloatArray, y: npt.NDArray[np.bool_], start: npt.NDArray[np.float64], passes: int = 2
) -> npt.NDArray[np.float64]:
    thresholds = start.astype(np.float64)
    pred = probs >= thresholds
    tp = (pred & y).sum(axis=0).astype(np.float64)
    predicted = pred.sum(axis=0).astype(np.float64)
    gold = float(y.sum())
    for _ in range(passes):
        for j in range(probs.shape[1]):
            tp_rest, pred_rest = tp.sum() - tp[j], predicted.sum() - predicted[j]
            best = (-1.0, thresholds[j], tp[j], predicted[j])
            for thr in _GRID:
                col = probs[:, j] >= thr
                tp_j, pred_j = float((col & y[:, j]).sum()), float(col.sum())
                denom = pred_rest + pred_j + gold
                f = 2 * (tp_rest + tp_j) / denom if denom else 0.0
                if f > best[0]:
                    best = (f, float(thr), tp_j, pred_j)
            _, thresholds[j], tp[j], predicted[j] = best
    return thresholds
