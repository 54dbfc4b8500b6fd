"""Experiment: a small multi-label MLP over USE vectors instead of (or beside) the per-label
logistic heads, for paragraphs (subtask 3) and sentences (spans).

Same 3 article folds as `proplens train techniques` (seed 13). Reads the level-1 caches that
`scripts/exp_paragraph_stack.py` writes (build/exp/paragraph_cache.npz: TF-IDF and USE-head
out-of-fold probabilities, paragraph vectors) and the sentence vectors and USE-head
out-of-fold probabilities in build/exp/sent_use.npy and sent_use_oof.npy. Paragraph scores
combine as shipped, (TF-IDF + USE + 0.5 x best sentence) / 2.5, with micro-F1 thresholds
cross-fitted on the other folds.

Usage: python scripts/exp_dense_mlp.py [DATA]
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from exp_paragraph_stack import LANGS, scores

from proplens.models.linear import assign_folds, tune_thresholds
from proplens.models.training import (
    _sentence_max_rows,
    load_articles,
    paragraph_rows,
    sentence_rows,
)
from proplens.techniques import TECHNIQUES


@dataclass
class Setup:
    """What the paragraph experiments share: the articles, the 3 article folds (seed 13),
    the rows, and the cached level-1 out-of-fold evidence (A TF-IDF, B USE head, S TF-IDF
    sentences, S_USE the sentence USE head, vec the paragraph vectors)."""

    articles: list[Any]
    fold_of: np.ndarray
    prows: Any
    srows: Any
    a: np.ndarray
    b: np.ndarray
    s: np.ndarray
    vec: np.ndarray
    s_use: np.ndarray
    fold: np.ndarray  # of each paragraph row
    langs: np.ndarray  # of each paragraph row
    y: np.ndarray  # paragraph targets, rows x TECHNIQUES


def paragraph_setup(root: Path) -> Setup:
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    prows, srows = paragraph_rows(articles), sentence_rows(articles)
    c = np.load("build/exp/paragraph_cache.npz")  # scripts/exp_paragraph_stack.py
    return Setup(
        articles,
        fold_of,
        prows,
        srows,
        c["a"],
        c["b"],
        c["s"],
        c["vec"],
        np.load("build/exp/sent_use_oof.npy"),
        fold_of[np.array(prows.article)],
        np.array([x or "xx" for x in prows.langs]),
        np.array([[t in tg for t in TECHNIQUES] for tg in prows.targets]),
    )


def mlp_oof(x: np.ndarray, y: np.ndarray, fold: np.ndarray, hidden: int, seed: int = 0):
    from sklearn.neural_network import MLPClassifier

    out = np.zeros(y.shape, np.float32)
    for k in range(3):
        tr, te = fold != k, fold == k
        clf = MLPClassifier(
            hidden_layer_sizes=(hidden,),
            alpha=1e-3,
            batch_size=256,
            learning_rate_init=1e-3,
            max_iter=60,
            early_stopping=True,
            n_iter_no_change=5,
            random_state=seed,
        )
        clf.fit(x[tr], y[tr])
        out[te] = clf.predict_proba(x[te])
    return out


def fold_thresholds(probs, y, fold, objective="micro"):
    """Each row's per-technique thresholds, tuned on the other two folds' rows."""
    targets = [set(TECHNIQUES[j] for j in np.flatnonzero(r)) for r in y]
    thr = np.zeros_like(probs)
    for k in range(3):
        tr = fold != k
        tuned = tune_thresholds(
            probs[tr], [targets[i] for i in np.flatnonzero(tr)], TECHNIQUES, objective=objective
        )
        thr[fold == k] = [tuned[x] for x in TECHNIQUES]
    return thr


def crossfit(probs, y, fold, objective="micro"):
    """Predictions with per-technique thresholds tuned on the other two folds' rows."""
    return (probs >= fold_thresholds(probs, y, fold, objective)).astype(y.dtype)


def shipped_evidence(e: Setup) -> tuple[np.ndarray, np.ndarray]:
    """The shipped paragraph mix's USE head (with its context) and best-sentence evidence,
    out of fold: the shipped scores are (e.a + b + 0.5 smax) / 2.5."""
    smax = _sentence_max_rows(e.articles, e.prows, e.srows, (e.s + e.s_use) / 2)
    b = np.load("build/exp/use_head_len+art.npy")  # scripts/exp_paragraph_context.py
    return b, smax


def st3(probs, y, fold, langs):
    return scores(crossfit(probs, y, fold), y, langs)


def report(name: str, probs: np.ndarray, e: Setup, width: int = 24) -> None:
    """Print the cross-fitted subtask 3 micro-F1 per language of ``probs`` and their mean."""
    sc = st3(probs, e.y, e.fold, e.langs)
    avg = np.mean(list(sc.values()))
    print(f"{name:{width}s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), f"avg {avg:.4f}")


def main() -> None:
    from threadpoolctl import threadpool_limits

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    articles, prows, srows, fold, langs, y = e.articles, e.prows, e.srows, e.fold, e.langs, e.y
    a, b, s, vec, s_use = e.a, e.b, e.s, e.vec, e.s_use

    def show(name, probs):
        sc = st3(probs, y, fold, langs)
        print(f"{name:34s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), flush=True)

    smax = _sentence_max_rows(articles, prows, srows, (s + s_use) / 2)
    show("shipped next: (A+B+0.5S)/2.5", (a + b + 0.5 * smax) / 2.5)
    with threadpool_limits(1):
        for hidden in (256, 512):
            t0 = time.time()
            m = mlp_oof(vec, y.astype(np.int8), fold, hidden)
            print(f"MLP {hidden} paragraphs: {time.time() - t0:.0f}s", flush=True)
            show(f"M{hidden} alone", m)
            show(f"(A+M{hidden}+0.5S)/2.5", (a + m + 0.5 * smax) / 2.5)
            show(f"(A+B+M{hidden}+0.5S)/3.5", (a + b + m + 0.5 * smax) / 3.5)


if __name__ == "__main__":
    main()
