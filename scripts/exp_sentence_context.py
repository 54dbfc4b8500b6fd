"""Experiment: the sentence USE head with its paragraph, its article and its length beside it.

The paragraph head gained from the article's mean vector and log lengths
(`scripts/exp_paragraph_context.py`). Here the same for sentences: the USE sentence head's
input gets the mean vector of the sentence's paragraph (``par``), of its article (``art``)
and log lengths (``len``). Sentence spans are decoded as shipped (per-technique F1
thresholds, cross-fitted; lexicon spans from the CV files added unchanged) and scored with
the official SI and FLC; the best sentence also enters the paragraph mix, scored for
subtask 3.

Same 3 article folds (seed 13). Reads build/exp/sentence_oof.npy (TF-IDF + USE head, as
shipped, written by `scripts/exp_span_offsets.py`), build/exp/sent_use.npy (sentence
vectors), and the paragraph caches of `scripts/exp_paragraph_context.py`.

Usage: python scripts/exp_sentence_context.py [DATA] [VARIANT ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, st3
from exp_paragraph_context import head_oof
from exp_paragraph_stack import LANGS

from proplens.eval.metrics import span_classification, span_identification
from proplens.models.encoders import USE_DIM
from proplens.models.linear import tune_thresholds
from proplens.models.techniques import LEXICON_TECHNIQUES, paragraph_context
from proplens.models.training import (
    _sentence_max_rows,
)
from proplens.semeval import read_spans
from proplens.techniques import TECHNIQUES


def group_means(vec: np.ndarray, keys: list) -> np.ndarray:
    """Each row's mean over the rows that share its key."""
    out = np.zeros_like(vec)
    rows_of: dict = {}
    for r, key in enumerate(keys):
        rows_of.setdefault(key, []).append(r)
    for rows in rows_of.values():
        out[rows] = vec[rows].mean(0)
    return out


def context_views(svec, srows, articles):
    """Per sentence row: its paragraph's and article's mean USE vectors, its standardised
    log lengths, and its (article, paragraph line) key."""
    paragraph_of = []
    for i, span in zip(srows.article, srows.spans, strict=True):
        paras = articles[i].doc.paragraphs
        paragraph_of.append((i, next((p.line for p in paras if p.start <= span.start < p.end), 0)))
    lengths = paragraph_context(srows.texts, svec)[:, -3:]
    lengths = (lengths - lengths.mean(0)) / (lengths.std(0) + 1e-6)
    par = group_means(svec[:, :USE_DIM], paragraph_of)
    art = group_means(svec[:, :USE_DIM], list(srows.article))
    return par, art, lengths, paragraph_of


def span_scores(articles, srows, s_fold, probs) -> dict[str, tuple[float, float]]:
    """SI and FLC per language of sentence spans (plus the CV lexicon spans)."""
    thresholds = []
    for k in range(3):
        tr = s_fold != k
        thr = tune_thresholds(probs[tr], [srows.targets[i] for i in np.flatnonzero(tr)], TECHNIQUES)
        thresholds.append(np.array([thr[t] for t in TECHNIQUES]))
    pred: dict[str, list] = {la: [] for la in LANGS}
    for r, i in enumerate(srows.article):
        doc = articles[i].doc
        for j in np.flatnonzero(probs[r] >= thresholds[s_fold[r]]):
            if TECHNIQUES[j] not in LEXICON_TECHNIQUES:
                pred[doc.lang].append(
                    (doc.id, TECHNIQUES[j], srows.spans[r].start, srows.spans[r].end)
                )
    out = {}
    for la in LANGS:
        cv = Path("build/cv/techniques") / la
        gold = read_spans(cv / "gold-spans.txt")
        lex = [x for x in read_spans(cv / "pred-spans.txt") if x[1] in LEXICON_TECHNIQUES]
        out[la] = (
            span_identification(gold, pred[la] + lex).value,
            span_classification(gold, pred[la] + lex).value,
        )
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    variants = sys.argv[2:] or ["len+art", "len+par+art"]
    e = paragraph_setup(root)
    articles, prows, srows = e.articles, e.prows, e.srows
    s_fold = e.fold_of[np.array(srows.article)]
    svec = np.load("build/exp/sent_use.npy")
    shipped = np.load("build/exp/sentence_oof.npy")
    assert len(svec) == len(shipped) == len(srows.texts), "stale caches: rebuild them"
    use_plain = head_oof(svec, srows, s_fold)
    tfidf = np.clip(2 * shipped - use_plain, 0, 1)  # shipped = (TF-IDF + USE head) / 2

    a, p_fold, langs, y = e.a, e.fold, e.langs, e.y
    b = np.load("build/exp/use_head_len+art.npy")

    par, art, lengths, _ = context_views(svec, srows, articles)
    views = {"len": lengths, "par": par, "art": art}

    def show(name: str, probs: np.ndarray) -> None:
        spans = span_scores(articles, srows, s_fold, probs)
        smax = _sentence_max_rows(articles, prows, srows, probs)
        sc = st3((a + b + 0.5 * smax) / 2.5, y, p_fold, langs)
        print(
            f"{name:22s}", " ".join(f"{la} {spans[la][0]:.3f}/{spans[la][1]:.3f}" for la in LANGS)
        )
        print(f"{'  st3 mix':22s}", " ".join(f"{la} {sc[la]:.3f}" for la in LANGS), flush=True)

    show("shipped (SI/FLC)", shipped)
    for variant in variants:
        x = np.hstack([svec] + [views[v] for v in variant.split("+")])
        show(f"USE+{variant}", (tfidf + head_oof(x, srows, s_fold)) / 2)


if __name__ == "__main__":
    main()
