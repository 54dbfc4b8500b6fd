"""The frozen-USE peer of subtasks 1 and 2 on proplens's own article folds.

Row "frozen-USE peer" of docs/models.md (genre and frames). The peer's recipe: the
article's frozen multilingual USE vector (mean of its paragraphs, no language one-hot),
one logistic regression per frame with per-frame F1 thresholds cross-fitted on the other
folds, and a multinomial logistic regression for the genre; the same 5 article folds as
`proplens train articles`, through the same harness.

    python experiments/articles/article_peer.py [DATA]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import ARTICLE_FOLDS, LANGS, SEED, data_from_argv, show
from proplens.eval.metrics import macro_f1_single, micro_f1_sets
from proplens.models.articles import FRAMES, GENRES
from proplens.models.base import FloatArray, Inputs
from proplens.training.articles import article_inputs, load_labelled
from proplens.training.folds import assign_folds, cross_fitted, out_of_fold

USE_DIM = 512


def _x(inputs: Sequence[Inputs]) -> FloatArray:
    return np.vstack([i.paragraphs("the USE peer")[:, :USE_DIM].mean(axis=0) for i in inputs])


class ArticlePeer:
    """One logistic regression per label (``multi``) or one multinomial one, over the
    article's frozen USE vector."""

    def __init__(self, labels: Sequence[str], multi: bool) -> None:
        self.labels, self.multi = tuple(labels), multi
        self.heads_: list[Any] = []

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[set[str]]) -> ArticlePeer:
        from sklearn.linear_model import LogisticRegression

        x = _x(inputs)
        if not self.multi:
            classes = [self.labels.index(next(iter(t))) for t in targets]
            self.heads_ = [LogisticRegression(max_iter=1000).fit(x, classes)]
            return self
        self.heads_ = []
        for label in self.labels:
            y = np.array([label in t for t in targets])
            self.heads_.append(
                LogisticRegression(max_iter=1000).fit(x, y) if 0 < y.sum() < len(y) else None
            )
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[FloatArray]:
        x = _x(inputs)
        probs = np.zeros((len(x), len(self.labels)), np.float32)
        if not self.multi:
            head = self.heads_[0]
            probs[:, head.classes_] = head.predict_proba(x)
        else:
            for j, head in enumerate(self.heads_):
                if head is not None:
                    probs[:, j] = head.predict_proba(x)[:, 1]
        return list(probs)


def main(data: Path, langs: Sequence[str] = LANGS, limit: int | None = None) -> dict[str, float]:
    """Genre macro-F1 and frames micro-F1 per language of the peer on held-out folds."""
    labelled = load_labelled(data, langs, limit)
    ids, langs_of, genres, frames = labelled.ids, labelled.langs, labelled.genres, labelled.frames
    inputs = article_inputs(labelled.texts, langs_of, ids)
    fold_of = assign_folds(len(ids), ARTICLE_FOLDS, SEED)
    genre_targets = [{g} for g in genres]
    pg = np.vstack(out_of_fold(lambda: ArticlePeer(GENRES, False), inputs, genre_targets, fold_of))
    pf = np.vstack(out_of_fold(lambda: ArticlePeer(FRAMES, True), inputs, frames, fold_of))
    held, _ = cross_fitted(pf, frames, FRAMES, fold_of)
    figures = {}
    for lang in langs:
        mine = [i for i, la in enumerate(langs_of) if la == lang]
        gold_g = {ids[i]: genres[i] for i in mine}
        pred_g = {ids[i]: GENRES[int(np.argmax(pg[i]))] for i in mine}
        figures[f"{lang} genre"] = round(macro_f1_single(gold_g, pred_g).value, 4)
        gold_f = {ids[i]: frames[i] for i in mine}
        figures[f"{lang} frames"] = round(
            micro_f1_sets(gold_f, {ids[i]: held[i] for i in mine}).value, 4
        )
    show("frozen-USE peer, st1 macro-F1 / st2 micro-F1", figures)
    return figures


if __name__ == "__main__":
    main(data_from_argv())
