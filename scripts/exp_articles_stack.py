"""Experiment: genre and frames from TF-IDF, USE article vectors and language-agnostic style
features (quotes, first/second person, questions, digits, paragraph shape), alone and
combined, with per-genre biases tuned out of fold for macro-F1. Same 5 article folds as
`proplens train articles` (seed 13). Caches the out-of-fold probabilities in build/exp/.

Usage: python scripts/exp_articles_stack.py [DATA]
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from proplens import semeval
from proplens.document import Document
from proplens.eval.metrics import macro_f1_single
from proplens.models.articles import FEATURES, FRAMES, GENRES
from proplens.models.encoders import DenseHead, embed
from proplens.models.linear import LinearTextModel, assign_folds, tune_thresholds
from proplens.models.style import style_features

LANGS = ["en", "ru", "fr", "de", "it", "pl"]
CACHE = Path("build/exp/articles_cache.npz")


def load(root: Path):
    ids, texts, langs, genres, frames = [], [], [], [], []
    for lang in LANGS:
        corpus = semeval.load_corpus(root, lang)
        for aid, text in corpus.articles.items():
            if aid in corpus.genres and aid in corpus.frames:
                ids.append(aid)
                texts.append(text)
                langs.append(corpus.lang)
                genres.append(corpus.genres[aid])
                frames.append(corpus.frames[aid])
    return ids, texts, langs, genres, frames


def build_cache(ids, texts, langs, genres, frames, fold_of):
    vectors = []
    for text, lang in zip(texts, langs, strict=True):
        doc = Document.from_text(text)
        paras = [doc.span_text(p) for p in doc.paragraphs][:40] or [text[:1000]]
        vectors.append(embed(paras, [lang] * len(paras)).mean(axis=0))
    x = np.vstack(vectors)
    tg = np.zeros((len(ids), 3), np.float32)
    tf = np.zeros((len(ids), len(FRAMES)), np.float32)
    gf = replace(FEATURES, lang_feature=False)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        m = LinearTextModel(GENRES, gf, C=4.0).fit(
            [texts[i] for i in tr], [langs[i] for i in tr], [{genres[i]} for i in tr]
        )
        tg[te] = m.predict_proba([texts[i] for i in te], [langs[i] for i in te])
        m = LinearTextModel(FRAMES, FEATURES, C=4.0).fit(
            [texts[i] for i in tr], [langs[i] for i in tr], [frames[i] for i in tr]
        )
        tf[te] = m.predict_proba([texts[i] for i in te], [langs[i] for i in te])
        print("fold", k + 1, flush=True)
    np.savez(CACHE, x=x, tg=tg, tf=tf)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    if not CACHE.exists():
        build_cache(ids, texts, langs, genres, frames, fold_of)
    c = np.load(CACHE)
    x, tg, tf = c["x"], c["tg"], c["tf"]
    s = np.vstack([style_features(t, la) for t, la in zip(texts, langs, strict=True)])
    n = len(ids)
    xs_nolang = x.copy()
    xs_nolang[:, 512:] = 0
    variants = {
        "use": xs_nolang,
        "style": s,
        "use+style": np.hstack([xs_nolang, s]),
    }
    oof = {"tfidf": tg}
    for name, feats in variants.items():
        p = np.zeros((n, 3), np.float32)
        for k in range(5):
            tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
            mu, sd = feats[tr].mean(0), feats[tr].std(0) + 1e-6
            head = DenseHead.fit(
                (feats[tr] - mu) / sd if name != "use" else feats[tr],
                [{genres[i]} for i in tr],
                GENRES,
            )
            p[te] = head.predict_proba((feats[te] - mu) / sd if name != "use" else feats[te])
        oof[name] = p
    oof["tfidf+use"] = (tg + oof["use"]) / 2
    oof["tfidf+use+style"] = (tg + oof["use+style"]) / 2
    oof["tfidf+style"] = (tg + oof["style"]) / 2
    oof["all3"] = (tg + oof["use"] + oof["style"]) / 3
    for name, probs in oof.items():
        for bias in (False, True):
            pred = {}
            for k in range(5):
                te = np.flatnonzero(fold_of == k)
                tr = np.flatnonzero(fold_of != k)
                b = (
                    tune_bias(probs[tr], [genres[i] for i in tr], [langs[i] for i in tr])
                    if bias
                    else np.zeros(3)
                )
                for i in te:
                    pred[ids[i]] = GENRES[int(np.argmax(np.log(probs[i] + 1e-9) + b))]
            scores = []
            for lang in LANGS:
                gold = {ids[i]: genres[i] for i in range(n) if langs[i] == lang}
                scores.append(
                    f"{lang} {macro_f1_single(gold, {k: pred[k] for k in gold}).value:.3f}"
                )
            print(f"genre {name:18s} bias={int(bias)}", " ".join(scores), flush=True)
    # frames: tfidf vs use head vs mean, thresholds cross-fitted
    pf = np.zeros_like(tf)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        pf[te] = DenseHead.fit(x[tr], [frames[i] for i in tr], FRAMES).predict_proba(x[te])
    for name, probs in (("tfidf", tf), ("use", pf), ("mean", (tf + pf) / 2)):
        per = {la: [0, 0, 0] for la in LANGS}
        for k in range(5):
            tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
            thr = tune_thresholds(probs[tr], [frames[i] for i in tr], FRAMES)
            for i in te:
                p = {t for j, t in enumerate(FRAMES) if probs[i, j] >= thr[t]}
                g = frames[i]
                c_ = per[langs[i]]
                c_[0] += len(p & g)
                c_[1] += len(p - g)
                c_[2] += len(g - p)
        out = []
        for la in LANGS:
            a, b_, c2 = per[la]
            out.append(f"{la} {2 * a / max(2 * a + b_ + c2, 1):.3f}")
        print(f"frames {name:6s}", " ".join(out), flush=True)


def tune_bias(probs, gold, langs):
    """Per-genre log-prior offsets that maximise the mean per-language macro-F1 (grid)."""
    best, best_b = -1.0, np.zeros(3)
    lp = np.log(probs + 1e-9)
    y = np.array([GENRES.index(g) for g in gold])
    la = np.array(langs)
    for b1 in np.arange(-1, 2.01, 0.25):
        for b2 in np.arange(-1, 3.01, 0.25):
            b = np.array([0.0, b1, b2])
            pred = np.argmax(lp + b, axis=1)
            f = np.mean([_macro(y[la == lg], pred[la == lg]) for lg in set(langs)])
            if f > best:
                best, best_b = f, b
    return best_b


def _macro(y, p):
    fs = []
    for c in range(3):
        tp = np.sum((y == c) & (p == c))
        fp = np.sum((y != c) & (p == c))
        fn = np.sum((y == c) & (p != c))
        if tp + fp + fn:
            fs.append(2 * tp / (2 * tp + fp + fn))
    return float(np.mean(fs)) if fs else 0.0


if __name__ == "__main__":
    main()
