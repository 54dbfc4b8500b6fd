"""Experiment: a one-hidden-layer network over the article's USE vector, for frames and for
genre, alone and averaged with the shipped heads. Same 5 article folds as
`proplens train articles` (seed 13); reads the cache of `scripts/exp_articles_stack.py`
(build/exp/articles_cache.npz: article vectors, TF-IDF out-of-fold probabilities).

Usage: python scripts/exp_articles_mlp.py [DATA]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from exp_articles_stack import CACHE, LANGS, load

from proplens.eval.metrics import macro_f1_single
from proplens.models.articles import FRAMES, GENRES
from proplens.models.encoders import DenseHead, without_language
from proplens.models.linear import assign_folds, tune_thresholds
from proplens.models.style import style_features

warnings.filterwarnings("ignore")


def mlp_oof(x, y, fold_of, hidden, alpha, max_iter, seeds=3):
    from sklearn.neural_network import MLPClassifier

    out = np.zeros(y.shape, np.float32)
    for k in range(5):
        tr, te = fold_of != k, fold_of == k
        for seed in range(seeds):
            net = MLPClassifier(
                hidden_layer_sizes=(hidden,),
                alpha=alpha,
                max_iter=max_iter,
                batch_size=64,
                random_state=seed,
            ).fit(x[tr], y[tr])
            out[te] += net.predict_proba(x[te]) / seeds
    return out


def frames_f1(name, probs, frames, langs, fold_of, objective="micro"):
    per = {la: [0, 0, 0] for la in LANGS}
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        thr = tune_thresholds(probs[tr], [frames[i] for i in tr], FRAMES, objective=objective)
        for i in te:
            p = {t for j, t in enumerate(FRAMES) if probs[i, j] >= thr[t]}
            c = per[langs[i]]
            c[0] += len(p & frames[i])
            c[1] += len(p - frames[i])
            c[2] += len(frames[i] - p)
    f1 = " ".join(f"{la} {2 * a / max(2 * a + b + c, 1):.3f}" for la, (a, b, c) in per.items())
    print(f"frames {name:28s} {f1}", flush=True)


def genre_f1(name, probs, ids, genres, langs):
    pred = {ids[i]: GENRES[int(np.argmax(probs[i]))] for i in range(len(ids))}
    out = []
    for lang in LANGS:
        gold = {ids[i]: genres[i] for i in range(len(ids)) if langs[i] == lang}
        out.append(f"{lang} {macro_f1_single(gold, {k: pred[k] for k in gold}).value:.3f}")
    print(f"genre  {name:28s}", " ".join(out), flush=True)


def frames_use_head(x, frames, fold_of):
    """Out-of-fold probabilities of the shipped logistic USE head for frames."""
    out = np.zeros((len(frames), len(FRAMES)), np.float32)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        out[te] = DenseHead.fit(x[tr], [frames[i] for i in tr], FRAMES).predict_proba(x[te])
    return out


def genre_heads(x, texts, langs, genres, fold_of):
    """Out-of-fold probabilities of the shipped genre USE head (language-free vectors) and
    style head."""
    xg = without_language(x)
    s = np.vstack([style_features(t, la) for t, la in zip(texts, langs, strict=True)])
    pu = np.zeros((len(genres), len(GENRES)), np.float32)
    ps = np.zeros_like(pu)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        targets = [{genres[i]} for i in tr]
        pu[te] = DenseHead.fit(xg[tr], targets, GENRES).predict_proba(xg[te])
        ps[te] = DenseHead.fit(s[tr], targets, GENRES, standardise=True).predict_proba(s[te])
    return pu, ps


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    cache = np.load(CACHE)  # run scripts/exp_articles_stack.py first
    x, tf, tg = cache["x"], cache["tf"], cache["tg"]
    y = np.array([[f in g for f in FRAMES] for g in frames], np.int8)
    pf = frames_use_head(x, frames, fold_of)
    frames_f1("shipped (TF-IDF+LR)/2", (tf + pf) / 2, frames, langs, fold_of)
    for hidden, alpha, it in ((256, 0.01, 100), (256, 0.1, 200), (512, 0.03, 100)):
        m = mlp_oof(x, y, fold_of, hidden, alpha, it)
        frames_f1(f"MLP {hidden} a={alpha}", m, frames, langs, fold_of)
        frames_f1("  (TF-IDF+LR+MLP)/3", (tf + pf + m) / 3, frames, langs, fold_of)
        frames_f1("  (TF-IDF+MLP)/2", (tf + m) / 2, frames, langs, fold_of)
    pu, ps = genre_heads(x, texts, langs, genres, fold_of)
    xg = without_language(x)
    genre_f1("shipped (TF-IDF+USE+style)/3", (tg + pu + ps) / 3, ids, genres, langs)
    yg = np.eye(3, dtype=np.int8)[[GENRES.index(g) for g in genres]]
    for alpha in (0.1, 1.0):
        m = mlp_oof(xg, yg, fold_of, 256, alpha, 200)
        genre_f1(f"MLP 256 a={alpha}", m, ids, genres, langs)
        genre_f1("  (shipped*3+MLP)/4", (tg + pu + ps + m) / 4, ids, genres, langs)


if __name__ == "__main__":
    main()
