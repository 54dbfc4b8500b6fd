"""Experiment: span identification (SI) with a token tagger instead of sentence-long spans.

Each word token is labelled "inside some gold technique span" or not; features are the
word and its neighbours (±2), neighbouring bigrams, the lexicon-free shape of the token, and
the highest technique probability of its sentence from the sentence model (out of fold,
from the paragraph-stack cache). One logistic regression over hashed features; tokens above
a threshold (tuned on the other folds) become spans, runs joined across one-token gaps.
Same 3 article folds (seed 13). Scored with the official SI definition.

Usage: python scripts/exp_token_tagger.py  (after scripts/exp_paragraph_stack.py built its cache)
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from proplens.eval.metrics import span_identification
from proplens.models.linear import assign_folds
from proplens.models.techniques import word_tokens
from proplens.models.training import load_articles, sentence_rows

LANGS = ["en", "ru", "fr", "de", "it", "pl"]


def token_features(doc, words, sent_prob):
    low = [doc.text[w.start : w.end].lower() for w in words]
    out = []
    n = len(words)
    for i in range(n):
        f = [f"w={low[i]}"]
        for d in (-2, -1, 1, 2):
            j = i + d
            f.append(f"w{d}={low[j] if 0 <= j < n else '<s>'}")
        f.append(f"b-={low[i - 1] if i else '<s>'}_{low[i]}")
        f.append(f"b+={low[i]}_{low[i + 1] if i + 1 < n else '</s>'}")
        tok = doc.text[words[i].start : words[i].end]
        f.append(f"cap={tok[:1].isupper()}")
        f.append(f"len={min(len(tok), 12) // 3}")
        p = sent_prob[i]
        f.append(f"sp={min(int(p * 10), 9)}")
        f.append(f"sp={min(int(p * 10), 9)}_w={low[i]}")
        out.append(f)
    return out


def main() -> None:
    root = Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    srows = sentence_rows(articles)
    s = np.load("build/exp/paragraph_cache.npz")["s"]
    smax = s.max(axis=1)
    rows_of: dict[int, list[int]] = {}
    for r, i in enumerate(srows.article):
        rows_of.setdefault(i, []).append(r)
    feats, ys, art_of, tok_spans = [], [], [], []
    t0 = time.time()
    for i, a in enumerate(articles):
        doc = a.doc
        words = word_tokens(doc)
        sents = list(doc.sentences)
        rows = rows_of.get(i, [])
        starts = [x.start for x in sents]
        import bisect

        sp = []
        for w in words:
            k = bisect.bisect_right(starts, w.start) - 1
            sp.append(float(smax[rows[k]]) if 0 <= k < len(rows) else 0.0)
        gold = [(st, en) for _, st, en in a.spans]
        for w, f in zip(words, token_features(doc, words, sp), strict=True):
            feats.append(f)
            ys.append(any(st <= w.start and w.end <= en for st, en in gold))
            art_of.append(i)
            tok_spans.append((w.start, w.end))
    print(f"{len(ys)} tokens, {np.mean(ys):.3f} inside spans, {time.time() - t0:.0f}s", flush=True)
    x = FeatureHasher(n_features=2**20, input_type="string", alternate_sign=False).transform(feats)
    y = np.array(ys)
    art = np.array(art_of)
    fold = fold_of[art]
    prob = np.zeros(len(y), np.float32)
    for k in range(3):
        clf = LogisticRegression(C=0.5, max_iter=300, solver="liblinear")
        clf.fit(x[fold != k], y[fold != k])
        prob[fold == k] = clf.predict_proba(x[fold == k])[:, 1]
        print(f"fold {k + 1} {time.time() - t0:.0f}s", flush=True)
    np.save("build/exp/token_prob.npy", prob)
    np.array([articles[i].doc.lang for i in art])
    for thr in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5):
        pred_by_art: dict[int, list[tuple[int, int]]] = {}
        sel = prob >= thr
        for r in np.flatnonzero(sel):
            pred_by_art.setdefault(int(art[r]), []).append(tok_spans[r])
        out = []
        for la in LANGS:
            ids = {i for i, a in enumerate(articles) if a.doc.lang == la}
            gold = [(str(i), t, s_, e) for i in ids for t, s_, e in articles[i].spans]
            pred = []
            for i in ids:
                toks = sorted(pred_by_art.get(i, []))
                merged: list[list[int]] = []
                for s_, e in toks:
                    if merged and s_ - merged[-1][1] <= 3:  # join across spaces/punctuation
                        merged[-1][1] = e
                    else:
                        merged.append([s_, e])
                pred += [(str(i), "x", s_, e) for s_, e in merged]
            sc = span_identification(gold, pred)
            out.append(f"{la} {sc.value:.3f}(P{sc.precision:.2f} R{sc.recall:.2f})")
        print(f"thr {thr}", " ".join(out), flush=True)


if __name__ == "__main__":
    main()
