"""Experiment: a larger TF-IDF vocabulary for the paragraph model (subtask 3).

The shipped paragraph model keeps the 200,000 most frequent of the ~347,000 features seen in
two or more paragraphs (word 1-2-grams and char 3-5-grams of all six languages); about 60-70%
of each language's candidates survive the cut. Here the paragraph TF-IDF model is refitted
with a larger budget and put into the shipped mix, (TF-IDF + USE + 0.5 x best sentence) / 2.5,
with micro-F1 thresholds cross-fitted. Same 3 article folds (seed 13); reads the caches of
`scripts/exp_paragraph_stack.py` and the sentence USE head (see `scripts/exp_dense_mlp.py`).

Usage: python scripts/exp_tfidf_features.py [DATA] [MAX_FEATURES ...]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, st3
from exp_paragraph_stack import LANGS

from proplens.models.linear import FeatureConfig, LinearTextModel
from proplens.models.training import (
    _sentence_max_rows,
    _subset,
)
from proplens.techniques import TECHNIQUES


def tfidf_oof(prows, fold: np.ndarray, max_features: int) -> np.ndarray:
    out = np.zeros((len(prows.texts), len(TECHNIQUES)), np.float32)
    features = FeatureConfig(max_features=max_features)
    for k in range(3):
        t0 = time.time()
        train, test = _subset(prows, fold != k), _subset(prows, fold == k)
        model = LinearTextModel(labels=TECHNIQUES, features=features, C=4.0)
        model.fit(train.texts, train.langs, train.targets)
        out[fold == k] = model.predict_proba(test.texts, test.langs)
        print(f"  {max_features} fold {k + 1}: {time.time() - t0:.0f}s", flush=True)
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    budgets = [int(x) for x in sys.argv[2:]] or [350_000]
    e = paragraph_setup(root)
    prows, fold, langs, y = e.prows, e.fold, e.langs, e.y
    smax = _sentence_max_rows(e.articles, prows, e.srows, (e.s + e.s_use) / 2)

    def show(name: str, probs: np.ndarray) -> None:
        sc = st3(probs, y, fold, langs)
        print(f"{name:34s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), flush=True)

    show("shipped, 200,000 features", (e.a + e.b + 0.5 * smax) / 2.5)
    for budget in budgets:
        a2 = tfidf_oof(prows, fold, budget)
        show(f"TF-IDF alone, {budget:,} features", a2)
        show(f"mix, {budget:,} features", (a2 + e.b + 0.5 * smax) / 2.5)


if __name__ == "__main__":
    main()
