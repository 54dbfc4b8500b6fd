"""Experiment: NB-weighted logistic regression (Wang and Manning 2012, "NBSVM") for the
paragraph TF-IDF model (subtask 3).

Each technique's classifier reads the TF-IDF row scaled feature by feature with the
naive-Bayes log-count ratio r = log((p / |p|) / (q / |q|)), p and q the smoothed feature sums
over the paragraphs with and without the technique. Since w . (r * x) = (w * r) . x, the
scaling folds into the weights: inference is unchanged, only training differs. The refitted
TF-IDF model is put into the shipped mix, (TF-IDF + USE + 0.5 x best sentence) / 2.5, with
micro-F1 thresholds cross-fitted. Same 3 article folds (seed 13); reads the caches of
`scripts/exp_paragraph_stack.py` and `scripts/exp_paragraph_context.py`.

Also, with PLAIN=1 in the environment, the plain TF-IDF LR (as shipped, C 4 balanced) with
other C values, and with UNWEIGHTED=1 without class weights: how the shipped TF-IDF head's
settings fare in the mix.

Usage: python scripts/exp_nblr.py [DATA] [C ...]
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, report, shipped_evidence

from proplens.models.linear import FeatureConfig, featurize, tfidf_vectorizer
from proplens.techniques import TECHNIQUES


def nb_ratio(x, y: np.ndarray, alpha: float = 1.0) -> np.ndarray:
    """The naive-Bayes log-count ratio of every feature for one binary label."""
    p = alpha + np.asarray(x[y].sum(0)).ravel()
    q = alpha + np.asarray(x[~y].sum(0)).ravel()
    return np.log((p / p.sum()) / (q / q.sum())).astype(np.float32)


def nblr_oof(
    docs,
    y: np.ndarray,
    fold: np.ndarray,
    cs: list[float],
    nb: bool = True,
    weight: str | None = "balanced",
) -> dict[float, np.ndarray]:
    """Out-of-fold probabilities of (NB-weighted, when ``nb``) LR for each C in ``cs``."""
    from sklearn.linear_model import LogisticRegression

    config = FeatureConfig()
    out = {c: np.zeros(y.shape, np.float32) for c in cs}
    for k in range(3):
        t0 = time.time()
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        vec = tfidf_vectorizer(config)
        xtr = vec.fit_transform([docs[i] for i in tr])
        xte = vec.transform([docs[i] for i in te])
        for j in range(len(TECHNIQUES)):
            yj = y[tr, j]
            if not 0 < yj.sum() < len(yj):
                continue
            a, b = xtr, xte
            if nb:
                r = nb_ratio(xtr, yj)
                a, b = xtr.multiply(r).tocsr(), xte.multiply(r).tocsr()
            for c in cs:
                clf = LogisticRegression(C=c, solver="liblinear", class_weight=weight)
                clf.fit(a, yj)
                out[c][te, j] = clf.predict_proba(b)[:, 1]
        print(f"  fold {k + 1}: {time.time() - t0:.0f}s", flush=True)
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    cs = [float(x) for x in sys.argv[2:]] or [1.0, 4.0]
    e = paragraph_setup(root)
    b, smax = shipped_evidence(e)
    report("TF-IDF alone (shipped)", e.a, e, 30)
    report("shipped mix", (e.a + b + 0.5 * smax) / 2.5, e, 30)
    config = FeatureConfig()
    docs = [featurize(t, la, config) for t, la in zip(e.prows.texts, e.prows.langs, strict=True)]
    nb = os.environ.get("PLAIN") != "1"
    weight = None if os.environ.get("UNWEIGHTED") == "1" else "balanced"
    name = "NB-LR" if nb else f"LR {weight or 'unweighted'}"
    for c, a2 in nblr_oof(docs, e.y, e.fold, cs, nb, weight).items():
        report(f"{name} alone, C {c:g}", a2, e, 30)
        report(f"mix with {name}, C {c:g}", (a2 + b + 0.5 * smax) / 2.5, e, 30)
        if nb:
            report(
                f"mix, mean of LR and NB-LR, C {c:g}",
                ((e.a + a2) / 2 + b + 0.5 * smax) / 2.5,
                e,
                30,
            )


if __name__ == "__main__":
    main()
