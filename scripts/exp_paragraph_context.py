"""Experiment: what the paragraph USE head sees besides the paragraph's own vector (subtask 3).

The USE vector of a paragraph is normalised: it says what the paragraph is about, not how
long it is, and long paragraphs carry more techniques. Neither does it see its article.
Variants of the USE head's input, each put into the shipped mix (TF-IDF + USE + 0.5 x best
sentence) / 2.5 with micro-F1 thresholds cross-fitted:

- ``len``: standardised log characters, log words and sentence count of the paragraph
  (``len2``: characters and words only);
- ``art``: the mean vector of the article's paragraphs;
- ``nbr``: the previous and the next paragraph's vectors (the article mean at the edges);
- ``bal`` (not a view): rows weighted so that every language weighs the same in the fit.

Same 3 article folds as `proplens train techniques` (seed 13); reads the caches of
`scripts/exp_paragraph_stack.py` and `scripts/exp_dense_mlp.py`.

Usage: python scripts/exp_paragraph_context.py [DATA] [VARIANT ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, report

from proplens.models.encoders import DenseHead
from proplens.models.training import (
    _rows_by_article,
    _sentence_max_rows,
    _subset,
)
from proplens.techniques import TECHNIQUES


def length_features(prows, articles) -> np.ndarray:
    """log characters, log words and sentence count of each paragraph row."""
    out = []
    for i, span in zip(prows.article, prows.spans, strict=True):
        doc = articles[i].doc
        text = doc.span_text(span)
        n_sent = sum(1 for s in doc.sentences if span.start <= s.start < span.end)
        out.append([np.log1p(len(text)), np.log1p(len(text.split())), np.log1p(n_sent)])
    x = np.array(out, np.float32)
    return (x - x.mean(0)) / (x.std(0) + 1e-6)


def article_context(vec: np.ndarray, prows) -> tuple[np.ndarray, np.ndarray]:
    """Per row: the article's mean vector, and the previous and next rows' vectors."""
    mean = np.zeros_like(vec)
    nbr = np.zeros((len(vec), 2 * vec.shape[1]), np.float32)
    for idx in _rows_by_article(prows).values():
        m = vec[idx].mean(0)
        mean[idx] = m
        prev = np.vstack([m[None], vec[idx[:-1]]])
        nxt = np.vstack([vec[idx[1:]], m[None]])
        nbr[idx] = np.hstack([prev, nxt])
    return mean, nbr


def language_weights(langs: np.ndarray) -> np.ndarray:
    """Row weights that give every language the same total weight."""
    counts = {la: np.sum(langs == la) for la in np.unique(langs)}
    w = np.array([len(langs) / (len(counts) * counts[la]) for la in langs])
    return w.astype(np.float64)


def weighted_head(x, y, weights) -> np.ndarray:
    """DenseHead's logistic regressions, fitted with row weights; returns (coef, intercept)."""
    from sklearn.linear_model import LogisticRegression

    coef = np.zeros((x.shape[1], y.shape[1]), np.float32)
    intercept = np.full(y.shape[1], -10.0, np.float32)
    for j in range(y.shape[1]):
        if 0 < y[:, j].sum() < len(y):
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=300)
            clf.fit(x, y[:, j], sample_weight=weights)
            coef[:, j], intercept[j] = clf.coef_[0], clf.intercept_[0]
    return coef, intercept


def head_oof(x: np.ndarray, prows, fold: np.ndarray, langs=None) -> np.ndarray:
    """Out-of-fold USE-head probabilities; with ``langs``, languages weigh the same."""
    out = np.zeros((len(x), len(TECHNIQUES)), np.float32)
    y = np.array([[t in tg for t in TECHNIQUES] for tg in prows.targets])
    for k in range(3):
        t0 = time.time()
        tr, te = fold != k, fold == k
        if langs is None:
            head = DenseHead.fit(x[tr], _subset(prows, tr).targets, TECHNIQUES)
            out[te] = head.predict_proba(x[te])
        else:
            coef, intercept = weighted_head(x[tr], y[tr], language_weights(langs[tr]))
            out[te] = 1 / (1 + np.exp(-(x[te] @ coef + intercept)))
        print(f"  fold {k + 1}: {time.time() - t0:.0f}s", flush=True)
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    variants = sys.argv[2:] or ["len", "art", "len+art", "nbr"]
    e = paragraph_setup(root)
    articles, prows, fold, langs = e.articles, e.prows, e.fold, e.langs
    a, b, vec = e.a, e.b, e.vec
    smax = _sentence_max_rows(articles, prows, e.srows, (e.s + e.s_use) / 2)
    lengths = length_features(prows, articles)
    mean, nbr = article_context(vec[:, :512], prows)
    views = {"len": lengths, "len2": lengths[:, :2], "art": mean, "nbr": nbr}

    report("shipped", (a + b + 0.5 * smax) / 2.5, e)
    for variant in variants:
        names = [v for v in variant.split("+") if v != "bal"]
        x = np.hstack([vec] + [views[v] for v in names])
        b2 = head_oof(x, prows, fold, langs if "bal" in variant else None)
        np.save(f"build/exp/use_head_{variant}.npy", b2)
        report(f"USE+{variant} alone", b2, e)
        report(f"mix, USE+{variant}", (a + b2 + 0.5 * smax) / 2.5, e)


if __name__ == "__main__":
    main()
