"""Experiment: the article's technique profile as a view for genre (subtask 1).

Opinion pieces persuade, reports mostly do not: the share of an article's paragraphs that
carry each technique says something about its genre that no language feature does. The
profile of an article is the mean and the maximum, over its paragraphs, of the technique
model's paragraph probabilities (46 numbers), taken out of fold (3 folds of
`proplens train techniques`, so no article is scored by a model that saw it). A standardised
logistic head per genre over the profile is added to the shipped genre heads (TF-IDF, USE
article vector, style), alone and averaged. Genre folds: the 5 folds of
`proplens train articles` (seed 13).

Reads build/exp/articles_cache.npz (`scripts/exp_articles_stack.py`), the paragraph caches
(`scripts/exp_paragraph_stack.py`, `scripts/exp_paragraph_context.py`) and the sentence
cache (`scripts/exp_span_offsets.py`).

Usage: python scripts/exp_genre_techniques.py [DATA]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from exp_articles_mlp import genre_f1, genre_heads
from exp_articles_stack import CACHE, load
from exp_dense_mlp import paragraph_setup

from proplens.models.articles import GENRES
from proplens.models.encoders import DenseHead
from proplens.models.linear import assign_folds
from proplens.models.training import (
    _rows_by_article,
    _sentence_max_rows,
)

warnings.filterwarnings("ignore")


def technique_profiles(root: Path) -> dict[str, np.ndarray]:
    """Article id -> mean and max of its paragraphs' out-of-fold technique probabilities."""
    e = paragraph_setup(root)
    b = np.load("build/exp/use_head_len+art.npy")
    sentences = np.load("build/exp/sentence_oof.npy")
    smax = _sentence_max_rows(e.articles, e.prows, e.srows, sentences)
    probs = (e.a + b + 0.5 * smax) / 2.5
    return {
        e.articles[i].doc.id: np.concatenate([probs[rows].mean(0), probs[rows].max(0)])
        for i, rows in _rows_by_article(e.prows).items()
    }


def profile_head_oof(prof: np.ndarray, targets, labels, fold_of: np.ndarray) -> np.ndarray:
    """Out-of-fold probabilities (5 article folds) of a standardised logistic head per
    label over the technique profiles."""
    out = np.zeros((len(prof), len(labels)), np.float32)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        head = DenseHead.fit(prof[tr], [targets[i] for i in tr], labels, standardise=True)
        out[te] = head.predict_proba(prof[te])
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres, _frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    cache = np.load(CACHE)
    x, tg = cache["x"], cache["tg"]
    profiles = technique_profiles(root)
    missing = [a for a in ids if a not in profiles]
    print(f"{len(ids)} articles with genre, {len(missing)} without paragraph labels")
    width = len(next(iter(profiles.values())))
    prof = np.vstack([profiles.get(a, np.zeros(width)) for a in ids]).astype(np.float32)
    pt = profile_head_oof(prof, [{g} for g in genres], GENRES, fold_of)
    pu, ps = genre_heads(x, texts, langs, genres, fold_of)
    genre_f1("shipped (TF-IDF+USE+style)/3", (tg + pu + ps) / 3, ids, genres, langs)
    genre_f1("techniques alone", pt, ids, genres, langs)
    genre_f1("(shipped*3+techniques)/4", (tg + pu + ps + pt) / 4, ids, genres, langs)
    genre_f1("(shipped*3+2*techniques)/5", (tg + pu + ps + 2 * pt) / 5, ids, genres, langs)


if __name__ == "__main__":
    main()
