"""Experiment: a second-level stacker over the paragraph evidence (subtask 3).

Same 3 article folds as `proplens train techniques` (seed 13). First-level out-of-fold
probabilities per paragraph: A TF-IDF paragraph model, B USE head, S the highest sentence
probability inside the paragraph (span-level evidence). The stacker is one logistic
regression per technique over their logits, the same logits of the neighbouring paragraphs
and the article mean (context), and a language one-hot; it is cross-fitted (trained on the
other folds' out-of-fold rows), and so are its thresholds. Caches level-1 in build/exp/.

Usage: python scripts/exp_paragraph_stack.py [DATA]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from proplens.models.encoders import DenseHead, embed
from proplens.models.linear import FeatureConfig, LinearTextModel, assign_folds, tune_thresholds
from proplens.models.training import _subset, load_articles, paragraph_rows, sentence_rows
from proplens.techniques import TECHNIQUES

LANGS = ["en", "ru", "fr", "de", "it", "pl"]
CACHE = Path("build/exp/paragraph_cache.npz")
T = len(TECHNIQUES)


def fit(rows):
    return LinearTextModel(labels=TECHNIQUES, features=FeatureConfig(), C=4.0).fit(
        rows.texts, rows.langs, rows.targets
    )


def build(articles, fold_of, prows, srows):
    p_fold = fold_of[np.array(prows.article)]
    s_fold = fold_of[np.array(srows.article)]
    a = np.zeros((len(prows.texts), T), np.float32)
    s = np.zeros((len(srows.texts), T), np.float32)
    b = np.zeros_like(a)
    vec = embed(prows.texts, prows.langs)
    for k in range(3):
        t0 = time.time()
        te = _subset(prows, p_fold == k)
        a[p_fold == k] = fit(_subset(prows, p_fold != k)).predict_proba(te.texts, te.langs)
        te = _subset(srows, s_fold == k)
        s[s_fold == k] = fit(_subset(srows, s_fold != k)).predict_proba(te.texts, te.langs)
        b[p_fold == k] = DenseHead.fit(
            vec[p_fold != k], _subset(prows, p_fold != k).targets, TECHNIQUES
        ).predict_proba(vec[p_fold == k])
        print(f"fold {k + 1} {time.time() - t0:.0f}s", flush=True)
    np.savez(CACHE, a=a, b=b, s=s, vec=vec)


def logit(p):
    p = np.clip(p, 1e-5, 1 - 1e-5)
    return np.log(p / (1 - p))


def scores(pred, y, langs):
    out = {}
    for la in LANGS:
        m = langs == la
        tp = np.sum(pred[m] & y[m])
        fp = np.sum(pred[m] & ~y[m])
        fn = np.sum(~pred[m] & y[m])
        out[la] = 2 * tp / max(2 * tp + fp + fn, 1)
    return out


def crossfit_thresholds(probs, y, fold, langs, per_lang=False):
    pred = np.zeros_like(y)
    targets = [set(TECHNIQUES[j] for j in np.flatnonzero(r)) for r in y]
    for k in range(3):
        tr, te = fold != k, fold == k
        thr = tune_thresholds(probs[tr], [targets[i] for i in np.flatnonzero(tr)], TECHNIQUES)
        t = np.array([thr[x] for x in TECHNIQUES])
        pred[te] = probs[te] >= t
        if per_lang:
            for la in LANGS:
                trl, tel = tr & (langs == la), te & (langs == la)
                thr_l = tune_thresholds(
                    probs[trl], [targets[i] for i in np.flatnonzero(trl)], TECHNIQUES
                )
                tl = np.array([thr_l[x] for x in TECHNIQUES])
                tl = np.where(y[trl].sum(0) >= 5, (tl + t) / 2, t)  # shrink to global
                pred[tel] = probs[tel] >= tl
    return pred


def context(z, art, para_index):
    """Previous/next paragraph logits and the article mean, per row (rows in article order)."""
    prev = np.zeros_like(z)
    nxt = np.zeros_like(z)
    mean = np.zeros_like(z)
    for a in np.unique(art):
        idx = np.flatnonzero(art == a)
        zz = z[idx]
        prev[idx[1:]] = zz[:-1]
        prev[idx[0]] = zz.mean(0)
        nxt[idx[:-1]] = zz[1:]
        nxt[idx[-1]] = zz.mean(0)
        mean[idx] = zz.mean(0)
    return prev, nxt, mean


def stack(feats_per_tech, y, fold, extra):
    from sklearn.linear_model import LogisticRegression

    out = np.zeros(y.shape, np.float32)
    for j in range(T):
        x = np.hstack([f[:, j : j + 1] for f in feats_per_tech] + [extra])
        for k in range(3):
            tr, te = fold != k, fold == k
            if 0 < y[tr, j].sum() < tr.sum():
                clf = LogisticRegression(C=0.3, class_weight="balanced", max_iter=500)
                clf.fit(x[tr], y[tr, j])
                out[te, j] = clf.predict_proba(x[te])[:, 1]
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    prows, srows = paragraph_rows(articles), sentence_rows(articles)
    if not CACHE.exists():
        build(articles, fold_of, prows, srows)
    c = np.load(CACHE)
    a, b, s = c["a"], c["b"], c["s"]
    art = np.array(prows.article)
    fold = fold_of[art]
    langs = np.array([x or "xx" for x in prows.langs])
    y = np.array([[t in tg for t in TECHNIQUES] for tg in prows.targets])
    # max sentence probability inside each paragraph
    smax = np.zeros_like(a)
    by_art: dict[int, list[int]] = {}
    for r, ai in enumerate(srows.article):
        by_art.setdefault(ai, []).append(r)
    for r, (ai, span) in enumerate(zip(prows.article, prows.spans, strict=True)):
        inside = [q for q in by_art.get(ai, []) if span.start <= srows.spans[q].start < span.end]
        if inside:
            smax[r] = s[inside].max(0)
    onehot = np.array([[la == x for x in LANGS] for la in langs], np.float32)

    def show(name, probs, per_lang=False):
        sc = scores(crossfit_thresholds(probs, y, fold, langs, per_lang), y, langs)
        print(f"{name:28s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), flush=True)

    show("A tfidf", a)
    show("B use", b)
    show("S sent-max", smax)
    show("mean(A,B) shipped", (a + b) / 2)
    show("mean(A,B) per-lang thr", (a + b) / 2, True)
    show("mean(A,B,S)", (a + b + smax) / 3)
    za, zb, zs = logit(a), logit(b), logit(smax)
    m = (za + zb) / 2
    pa, na, ma = context(m, art, None)
    show("mean(A,B)+0.3*artmean", 1 / (1 + np.exp(-(m + 0.3 * ma))))
    st = stack([za, zb, zs], y, fold, onehot)
    show("stack A,B,S", st)
    show("stack A,B,S per-lang thr", st, True)
    st2 = stack([za, zb, zs, pa, na, ma], y, fold, onehot)
    show("stack +context", st2)
    show("stack +context per-lang", st2, True)
    show("mean(stack+ctx, A,B)", (st2 + (a + b) / 2) / 2)


if __name__ == "__main__":
    main()
