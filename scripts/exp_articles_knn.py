"""Experiment: frames (and genre) from the labels of the most similar training articles.

Articles about the same events share frames, and the training set holds many articles per
event. A k-nearest-neighbour vote over cosine similarity of the USE article vectors (any
language; similarity weighted) is a view the linear heads lack. Scored alone and averaged
with the shipped three heads (TF-IDF, logistic USE head, MLP). Same 5 article folds as
`proplens train articles` (seed 13); reads the cache of `scripts/exp_articles_stack.py` and
the MLP's out-of-fold probabilities from `scripts/exp_articles_mlp.py` when cached.

Usage: python scripts/exp_articles_knn.py [DATA]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from exp_articles_mlp import frames_f1, frames_use_head, genre_f1, genre_heads, mlp_oof
from exp_articles_stack import CACHE, load

from proplens.models.articles import FRAMES, GENRES
from proplens.models.encoders import without_language
from proplens.models.linear import assign_folds

warnings.filterwarnings("ignore")
MLP_CACHE = Path("build/exp/frames_mlp_oof.npy")


def knn_oof(x: np.ndarray, y: np.ndarray, fold_of: np.ndarray, k: int, power: float) -> np.ndarray:
    """Similarity-weighted label shares of the k most similar articles of the other folds."""
    unit = x / np.linalg.norm(x, axis=1, keepdims=True)
    out = np.zeros(y.shape, np.float32)
    for f in range(5):
        tr, te = np.flatnonzero(fold_of != f), np.flatnonzero(fold_of == f)
        sim = unit[te] @ unit[tr].T
        top = np.argsort(-sim, axis=1)[:, :k]
        w = np.clip(np.take_along_axis(sim, top, axis=1), 0, None) ** power
        out[te] = (w[:, :, None] * y[tr][top]).sum(axis=1) / np.maximum(w.sum(axis=1), 1e-9)[
            :, None
        ]
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    cache = np.load(CACHE)
    x, tf, tg = cache["x"], cache["tf"], cache["tg"]
    y = np.array([[f in g for f in FRAMES] for g in frames], np.float32)
    pf = frames_use_head(x, frames, fold_of)
    if MLP_CACHE.exists():
        m = np.load(MLP_CACHE)
    else:
        m = mlp_oof(x, y.astype(np.int8), fold_of, 256, 0.1, 200)
        np.save(MLP_CACHE, m)
    shipped = (tf + pf + m) / 3
    frames_f1("shipped (TF-IDF+LR+MLP)/3", shipped, frames, langs, fold_of)
    xu = without_language(x)[:, :512]
    for k, power in ((10, 1.0), (25, 1.0), (25, 4.0), (50, 4.0)):
        nn = knn_oof(xu, y, fold_of, k, power)
        frames_f1(f"kNN k={k} p={power}", nn, frames, langs, fold_of)
        frames_f1("  (shipped*3+kNN)/4", (3 * shipped + nn) / 4, frames, langs, fold_of)
        frames_f1("  (shipped*3+2kNN)/5", (3 * shipped + 2 * nn) / 5, frames, langs, fold_of)
    pu, ps = genre_heads(x, texts, langs, genres, fold_of)
    genre_shipped = (tg + pu + ps) / 3
    genre_f1("shipped (TF-IDF+USE+style)/3", genre_shipped, ids, genres, langs)
    yg = np.eye(3, dtype=np.float32)[[GENRES.index(g) for g in genres]]
    for k in (10, 25):
        nn = knn_oof(xu, yg, fold_of, k, 4.0)
        genre_f1(f"  (shipped*3+kNN {k})/4", (3 * genre_shipped + nn) / 4, ids, genres, langs)


if __name__ == "__main__":
    main()
