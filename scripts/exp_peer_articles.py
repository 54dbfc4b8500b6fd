"""Experiment: the article issue's USE peer, rebuilt on proplens's own article folds.

The article issue quotes a peer measured on the official English dev split: frozen
multilingual USE vectors (mean of the lines and the title) + logistic regression, tuned
thresholds: genre macro-F1 0.27, frames micro-F1 0.68. Here the same recipe runs on the 5
article folds (seed 13) of `proplens train articles`, all six languages jointly, so that
proplens and the peer meet on one test set: one logistic regression per frame with
per-frame F1 thresholds cross-fitted on the other folds, and one multinomial logistic
regression for the genre (its most probable genre).

Reads the article vectors that `scripts/exp_articles_stack.py` caches
(build/exp/articles_cache.npz: 512 USE dimensions, then the language one-hot).

Usage: python scripts/exp_peer_articles.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_articles_mlp import frames_f1, genre_f1
from exp_articles_stack import CACHE, load

from proplens.models.articles import FRAMES, GENRES
from proplens.models.linear import assign_folds


def main() -> None:
    from sklearn.linear_model import LogisticRegression

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, _texts, langs, genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    x = np.load(CACHE)["x"][:, :512]
    y = np.array([[f in g for f in FRAMES] for g in frames], np.int8)
    g = np.array([GENRES.index(x) for x in genres])
    pf = np.zeros(y.shape, np.float32)
    pg = np.zeros((len(ids), len(GENRES)), np.float32)
    for k in range(5):
        tr, te = fold_of != k, fold_of == k
        for j in range(len(FRAMES)):
            if 0 < y[tr, j].sum() < tr.sum():
                clf = LogisticRegression(max_iter=1000).fit(x[tr], y[tr, j])
                pf[te, j] = clf.predict_proba(x[te])[:, 1]
        clf = LogisticRegression(max_iter=1000).fit(x[tr], g[tr])
        pg[np.ix_(te, clf.classes_)] = clf.predict_proba(x[te])
    frames_f1("peer: USE + LR, per-frame F1 thresholds", pf, frames, langs, fold_of, "label")
    frames_f1("peer: same, pooled micro-F1 thresholds", pf, frames, langs, fold_of)
    genre_f1("peer: USE + LR", pg, ids, genres, langs)


if __name__ == "__main__":
    main()
