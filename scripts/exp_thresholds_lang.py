"""Experiment: paragraph thresholds refined per language where a language has the data.

The shipped paragraph thresholds are one per technique, tuned for the micro-F1 pooled over
all six languages; a technique's probabilities need not mean the same in every language
(Polish name calling: recall 0.75, precision 0.41). Here each language's thresholds start
from the pooled ones and move by coordinate ascent on that language's own micro-F1, but only
for techniques with at least ``MIN`` positive paragraphs of that language in the tuning
folds, and only within ``±LIMIT`` of the pooled value, so rare cells cannot overfit.
Cross-fitted: the thresholds applied to a fold are tuned on the other two.

Reads the caches of `scripts/exp_paragraph_stack.py`, `scripts/exp_dense_mlp.py` and
`scripts/exp_paragraph_context.py` (the shipped mix: TF-IDF + USE head with length and
article context + 0.5 x best sentence, over 2.5).

Usage: python scripts/exp_thresholds_lang.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, shipped_evidence
from exp_paragraph_stack import LANGS, scores

from proplens.models.linear import _GRID, tune_thresholds
from proplens.techniques import TECHNIQUES


def refine(
    probs: np.ndarray, y: np.ndarray, start: np.ndarray, min_pos: int, limit: float
) -> np.ndarray:
    """Two passes of coordinate ascent on this language's micro-F1, near ``start``."""
    thr = start.copy()
    pred = probs >= thr
    tp = (pred & y).sum(0).astype(float)
    npred = pred.sum(0).astype(float)
    gold = float(y.sum())
    for _ in range(2):
        for j in range(y.shape[1]):
            if y[:, j].sum() < min_pos:
                continue
            tp_rest, pred_rest = tp.sum() - tp[j], npred.sum() - npred[j]
            best = (-1.0, thr[j], tp[j], npred[j])
            for t in _GRID:
                if abs(t - start[j]) > limit + 1e-9:
                    continue
                col = probs[:, j] >= t
                tj, pj = float((col & y[:, j]).sum()), float(col.sum())
                f = 2 * (tp_rest + tj) / max(pred_rest + pj + gold, 1.0)
                if f > best[0]:
                    best = (f, t, tj, pj)
            _, thr[j], tp[j], npred[j] = best
    return thr


def predict(probs, y, fold, langs, min_pos: int | None, limit: float) -> np.ndarray:  # type: ignore[no-untyped-def]
    targets = [{TECHNIQUES[j] for j in np.flatnonzero(r)} for r in y]
    pred = np.zeros_like(y)
    for k in range(3):
        tr, te = fold != k, fold == k
        pooled = tune_thresholds(
            probs[tr], [targets[i] for i in np.flatnonzero(tr)], TECHNIQUES, objective="micro"
        )
        start = np.array([pooled[t] for t in TECHNIQUES])
        for la in LANGS:
            thr = start
            if min_pos is not None:
                m = tr & (langs == la)
                thr = refine(probs[m], y[m], start, min_pos, limit)
            mt = te & (langs == la)
            pred[mt] = probs[mt] >= thr
    return pred


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    y = e.y.astype(bool)
    b, smax = shipped_evidence(e)
    mix = (e.a + b + 0.5 * smax) / 2.5
    settings: list[tuple[int | None, float]] = [(None, 0.0)]
    settings += [(m, lim) for m in (30, 60, 100) for lim in (0.05, 0.1, 0.2)]
    for min_pos, limit in settings:
        sc = scores(predict(mix, y, e.fold, e.langs, min_pos, limit), y, e.langs)
        name = "pooled (shipped)" if min_pos is None else f"min {min_pos} limit {limit}"
        avg = np.mean(list(sc.values()))
        print(f"{name:20s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), f"avg {avg:.4f}")


if __name__ == "__main__":
    main()
