"""Experiment: sentence spans of very short documents (a line or a short post).

The sentence USE head reads each sentence beside the mean vectors of its paragraph and its
article (`models.techniques.sentence_context`). Training articles have dozens of sentences,
so those means are averages of many unit vectors; in a one-sentence document both equal the
sentence's own vector, which the head never saw in training. On a short line written for the
tests ("Good news for the harbour.") the shipped head gives Doubt and Red Herring 0.96-0.97,
against 0.02-0.12 from the TF-IDF sentence model, and their mean crosses the thresholds.

Here every held-out sentence is also scored as if it were a document of its own (``alone``:
paragraph and article means = its own vector), or the first sentence of a three-sentence
document made of it and the next two of its paragraph (``three``), or of a one-paragraph
document of 5, 10 or 20 sentences of its article, and with the context
replaced by what a typical training sentence sees: the training folds' mean of the context
columns (``neutral context``, the same for both). Decisions use the per-technique
thresholds tuned in context on the other folds, as shipped; techniques of the lexicon are
left out (they have no sentence spans). Micro precision, recall and F1 over (sentence,
technique) pairs against the gold sentence labels, and the share of sentences with a span.
Same 3 article folds (seed 13).

Reads build/exp/sentence_oof.npy and sent_use.npy (see `scripts/exp_sentence_context.py`).

Usage: python scripts/exp_short_documents.py [DATA]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup
from exp_paragraph_context import head_oof
from exp_sentence_context import context_views

from proplens.models.encoders import DenseHead
from proplens.models.linear import tune_thresholds
from proplens.models.techniques import LEXICON_TECHNIQUES
from proplens.models.training import _subset
from proplens.techniques import TECHNIQUES

USE = 512
SPANNED = np.array([t not in LEXICON_TECHNIQUES for t in TECHNIQUES])


def next_rows(paragraph_of, n: int, same_paragraph: bool = True) -> list[list[int]]:
    """Each row with the next ``n - 1`` rows of its paragraph (or, without
    ``same_paragraph``, of its article; fewer at the end)."""
    out = []
    for r, key in enumerate(paragraph_of):
        rows = [r]
        for q in range(r + 1, r + n):
            if q >= len(paragraph_of):
                break
            other = paragraph_of[q]
            if (other != key) if same_paragraph else (other[0] != key[0]):
                break
            rows.append(q)
        out.append(rows)
    return out


def score(name, probs, thr, y, mask) -> None:
    pred = (probs >= thr) & SPANNED
    gold = y & SPANNED
    tp = int((pred & gold)[mask].sum())
    fp = int((pred & ~gold)[mask].sum())
    fn = int((~pred & gold)[mask].sum())
    p, r = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f = 2 * tp / max(2 * tp + fp + fn, 1)
    rate = pred[mask].any(1).mean()
    print(f"  {name:28s} P {p:.3f} R {r:.3f} F1 {f:.3f}, sentences with a span {rate:.0%}")


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    articles, srows = e.articles, e.srows
    s_fold = e.fold_of[np.array(srows.article)]
    svec = np.load("build/exp/sent_use.npy")
    shipped = np.load("build/exp/sentence_oof.npy")
    use_plain = head_oof(svec, srows, s_fold)
    tfidf = np.clip(2 * shipped - use_plain, 0, 1)  # shipped = (TF-IDF + USE head) / 2
    par, art, lengths, paragraph_of = context_views(svec, srows, articles)
    x = np.hstack([svec, par, art, lengths])
    y = np.array([[t in tg for t in TECHNIQUES] for tg in srows.targets])
    own = svec[:, :USE]
    three = np.vstack([own[g].mean(0) for g in next_rows(paragraph_of, 3)])
    views = {
        "in context (shipped)": x,
        "alone": np.hstack([svec, own, own, lengths]),
        "three": np.hstack([svec, three, three, lengths]),
    }
    for n in (5, 10, 20):  # a one-paragraph document of n sentences of the article
        mean = np.vstack([own[g].mean(0) for g in next_rows(paragraph_of, n, False)])
        views[f"{n} sentences"] = np.hstack([svec, mean, mean, lengths])
    out = {name: np.zeros(y.shape, np.float32) for name in views}
    out["neutral context"] = np.zeros(y.shape, np.float32)
    thr = np.zeros(y.shape, np.float32)
    for k in range(3):
        t0 = time.time()
        tr, te = s_fold != k, s_fold == k
        head = DenseHead.fit(x[tr], _subset(srows, tr).targets, TECHNIQUES)
        for name, v in views.items():
            out[name][te] = (tfidf[te] + head.predict_proba(v[te])) / 2
        neutral = x[tr][:, svec.shape[1] : svec.shape[1] + 2 * USE].mean(0)
        z = np.hstack([svec[te], np.repeat(neutral[None], te.sum(), 0), lengths[te]])
        out["neutral context"][te] = (tfidf[te] + head.predict_proba(z)) / 2
        print(f"fold {k + 1}: {time.time() - t0:.0f}s", flush=True)
    for k in range(3):  # once every fold has its held-out probabilities
        tr, te = s_fold != k, s_fold == k
        shipped_k = out["in context (shipped)"][tr]
        tuned = tune_thresholds(shipped_k, _subset(srows, tr).targets, TECHNIQUES)
        thr[te] = [tuned[t] for t in TECHNIQUES]
    langs = np.array([articles[i].doc.lang for i in srows.article])
    for label, mask in (("English", langs == "en"), ("all six languages", langs == langs)):
        print(label)
        for name, probs in out.items():
            score(name, probs, thr, y, mask)


if __name__ == "__main__":
    main()
