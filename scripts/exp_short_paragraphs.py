"""Experiment: paragraph techniques of one-paragraph documents (a post, a short note).

The paragraph USE head reads each paragraph beside its article's mean vector
(`models.techniques.paragraph_context`); in a one-paragraph document that mean is the
paragraph itself, which training never showed it. Every held-out paragraph is scored in its
article (as trained), as a document of its own (article mean = its own vector), and with the
training folds' mean of the article column instead ("neutral"), in the shipped mix
(TF-IDF + USE head + 0.5 x best sentence) / 2.5 with the micro-F1 thresholds tuned in
context on the other folds. Subtask 3 micro-F1 per language, and the share of paragraphs
given a technique. Same 3 article folds (seed 13); the sentence evidence is the shipped
out-of-fold one, read in the article (as `scripts/exp_short_documents.py` shows, a short
document's sentences are read with the neutral context, which is not redone here).

Usage: python scripts/exp_short_paragraphs.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import fold_thresholds, paragraph_setup, shipped_evidence
from exp_paragraph_context import article_context, length_features
from exp_paragraph_stack import LANGS, scores

from proplens.models.encoders import DenseHead
from proplens.models.training import _subset
from proplens.techniques import TECHNIQUES

USE = 512


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    b_shipped, smax = shipped_evidence(e)
    vec, prows = e.vec, e.prows
    lengths = length_features(prows, e.articles)
    mean, _ = article_context(vec[:, :USE], prows)
    views = {
        "in context": np.hstack([vec, mean, lengths]),
        "alone": np.hstack([vec, vec[:, :USE], lengths]),
    }
    heads = {name: np.zeros(e.y.shape, np.float32) for name in [*views, "neutral"]}
    for k in range(3):
        tr, te = e.fold != k, e.fold == k
        x = views["in context"]
        head = DenseHead.fit(x[tr], _subset(prows, tr).targets, TECHNIQUES)
        for name, v in views.items():
            heads[name][te] = head.predict_proba(v[te])
        neutral = x[tr][:, vec.shape[1] : vec.shape[1] + USE].mean(0)
        z = np.hstack([vec[te], np.repeat(neutral[None], te.sum(), 0), lengths[te]])
        heads["neutral"][te] = head.predict_proba(z)
        print(f"fold {k + 1}", flush=True)
    mixes = {name: (e.a + h + 0.5 * smax) / 2.5 for name, h in heads.items()}
    thr = fold_thresholds(mixes["in context"], e.y, e.fold)
    print("shipped head (check)", _line((e.a + b_shipped + 0.5 * smax) / 2.5 >= thr, e))
    for name, probs in mixes.items():
        print(f"{name:20s}", _line(probs >= thr, e))


def _line(pred: np.ndarray, e) -> str:
    sc = scores(pred.astype(e.y.dtype), e.y, e.langs)
    rate = pred.any(1).mean()
    avg = np.mean(list(sc.values()))
    return " ".join(f"{la} {sc[la]:.3f}" for la in LANGS) + f" avg {avg:.4f}, labelled {rate:.0%}"


if __name__ == "__main__":
    main()
