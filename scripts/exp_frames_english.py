"""Experiment: English frames from models trained on English alone, beside the joint ones.

The shipped frame models are trained on all six languages at once (with a language
feature). Annotators of each language may use the frames differently; 426 English articles
may be enough for English-only heads. Here a TF-IDF model and a logistic USE head are trained
on the English articles of the other folds only and averaged with the shipped mix (TF-IDF,
USE head and network, joint), scored on English with thresholds cross-fitted on English.
Same 5 article folds as `proplens train articles` (seed 13); reads the caches of
`scripts/exp_articles_stack.py` and `scripts/exp_articles_mlp.py`.

Usage: python scripts/exp_frames_english.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_articles_mlp import frames_use_head
from exp_articles_stack import CACHE, load

from proplens.models.articles import FEATURES, FRAMES
from proplens.models.encoders import DenseHead
from proplens.models.linear import LinearTextModel, assign_folds, tune_thresholds


def english_f1(probs, frames, fold_of) -> float:  # type: ignore[no-untyped-def]
    """Micro-F1 over the rows given, thresholds cross-fitted on the other folds' rows."""
    tp = fp = fn = 0
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        thr = tune_thresholds(probs[tr], [frames[i] for i in tr], FRAMES, objective="micro")
        for i in te:
            p = {t for j, t in enumerate(FRAMES) if probs[i, j] >= thr[t]}
            tp, fp, fn = tp + len(p & frames[i]), fp + len(p - frames[i]), fn + len(frames[i] - p)
    return 2 * tp / max(2 * tp + fp + fn, 1)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, _genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    c = np.load(CACHE)
    x, tf = c["x"], c["tf"]
    mlp = np.load("build/exp/frames_mlp_oof.npy")  # scripts/exp_articles_mlp.py
    shipped = (tf + frames_use_head(x, frames, fold_of) + mlp) / 3
    en = np.flatnonzero(np.array(langs) == "en")
    tf_en = np.zeros((len(en), len(FRAMES)), np.float32)
    use_en = np.zeros_like(tf_en)
    f_en, fr_en = fold_of[en], [frames[i] for i in en]
    for k in range(5):
        tr, te = en[f_en != k], en[f_en == k]
        m = LinearTextModel(FRAMES, FEATURES, C=4.0).fit(
            [texts[i] for i in tr], ["en"] * len(tr), [frames[i] for i in tr]
        )
        tf_en[f_en == k] = m.predict_proba([texts[i] for i in te], ["en"] * len(te))
        head = DenseHead.fit(x[tr], [frames[i] for i in tr], FRAMES)
        use_en[f_en == k] = head.predict_proba(x[te])
    base = shipped[en]
    for name, probs in [
        ("shipped (joint)", base),
        ("TF-IDF English only", tf_en),
        ("USE head English only", use_en),
        ("shipped + TF-IDF en, /4", (3 * base + tf_en) / 4),
        ("shipped + USE en, /4", (3 * base + use_en) / 4),
        ("shipped + both en, /5", (3 * base + tf_en + use_en) / 5),
        ("shipped + both en, /2 each", (base + (tf_en + use_en) / 2) / 2),
    ]:
        print(f"{name:28s} en {english_f1(probs, fr_en, f_en):.3f}", flush=True)


if __name__ == "__main__":
    main()
