"""The frozen-USE peer of subtask 3 on proplens's own technique folds.

Row "frozen-USE peer" of docs/models.md (techniques-linear). The recipe of the second
peer system: frozen multilingual USE paragraph vectors (no language one-hot), one logistic
regression per technique (unweighted), all languages jointly, per-technique
thresholds for each technique's own F1, cross-fitted on the other folds. It runs on the
same article folds as `proplens train techniques`, through the same harness, so the two
meet on one test set.

    python experiments/techniques/paragraph_peer.py [DATA]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import LANGS, SEED, TECHNIQUE_FOLDS, data_from_argv, show
from proplens.eval.metrics import micro_f1_sets
from proplens.models.base import FloatArray, Inputs
from proplens.techniques import TECHNIQUES
from proplens.training.folds import assign_folds, cross_fitted, out_of_fold
from proplens.training.techniques import article_inputs, load_articles

USE_DIM = 512


class UsePeer:
    """One logistic regression per technique over a paragraph's frozen USE vector."""

    def __init__(self) -> None:
        self.heads_: list[Any] = []

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[dict[int, set[str]]]) -> UsePeer:
        from sklearn.linear_model import LogisticRegression

        x, y = _rows(inputs, targets)
        self.heads_ = []
        for j in range(len(TECHNIQUES)):
            head = None
            if 0 < y[:, j].sum() < len(y):
                head = LogisticRegression(C=1.0, max_iter=500)
                head.fit(x, y[:, j])
            self.heads_.append(head)
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[FloatArray]:
        out = []
        for inp in inputs:
            x = inp.paragraphs("the USE peer")[:, :USE_DIM]
            probs = np.zeros((len(x), len(TECHNIQUES)), np.float32)
            for j, head in enumerate(self.heads_):
                if head is not None and len(x):
                    probs[:, j] = head.predict_proba(x)[:, 1]
            out.append(probs)
        return out


def _rows(
    inputs: Sequence[Inputs], targets: Sequence[dict[int, set[str]]]
) -> tuple[FloatArray, np.ndarray]:
    xs, ys = [], []
    for inp, labels in zip(inputs, targets, strict=True):
        vectors = inp.paragraphs("the USE peer")[:, :USE_DIM]
        for k, p in enumerate(inp.document.paragraphs):
            if p.line in labels:
                xs.append(vectors[k])
                ys.append([t in labels[p.line] for t in TECHNIQUES])
    return np.array(xs, np.float32), np.array(ys, bool)


def main(data: Path, langs: Sequence[str] = LANGS, limit: int | None = None) -> dict[str, float]:
    """Subtask 3 micro-F1 per language of the peer on held-out folds."""
    articles = load_articles(data, langs, limit)
    inputs = article_inputs(articles)
    targets = [a.paragraph_labels for a in articles]
    fold_of = assign_folds(len(articles), TECHNIQUE_FOLDS, SEED)
    held = out_of_fold(UsePeer, inputs, targets, fold_of)
    keys, rows, gold, row_fold = [], [], [], []
    for i, (a, probs) in enumerate(zip(articles, held, strict=True)):
        for k, p in enumerate(a.doc.paragraphs):
            if p.line in a.paragraph_labels:
                keys.append((a.doc.lang, a.doc.id, p.line))
                rows.append(probs[k])
                gold.append(a.paragraph_labels[p.line])
                row_fold.append(fold_of[i])
    predicted, _ = cross_fitted(
        np.array(rows, np.float32), gold, TECHNIQUES, np.array(row_fold, np.int64)
    )
    figures = {}
    for lang in langs:
        mine = [i for i, key in enumerate(keys) if key[0] == lang]
        gold_of = {keys[i][1:]: gold[i] for i in mine}
        predicted_of = {keys[i][1:]: predicted[i] for i in mine}
        figures[lang] = round(micro_f1_sets(gold_of, predicted_of).value, 4)
    show("frozen-USE peer, st3 micro-F1", figures)
    return figures


if __name__ == "__main__":
    main(data_from_argv())
