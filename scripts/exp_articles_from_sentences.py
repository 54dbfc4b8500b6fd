"""Experiment: genre and frames when paragraph vectors are the means of sentence vectors.

Companion of `scripts/exp_paragraph_from_sentences.py`: if the pipeline dropped its
paragraph USE pass, the article vector (mean of the paragraph vectors) would be built from
paragraph vectors that are each the unit-length mean of their sentences' vectors. Here the
article vectors are rebuilt that way (first 40 paragraphs, as the cache) and the shipped
article heads refitted on them: frames (TF-IDF + logistic USE head + network) / 3, genre
(TF-IDF + language-free USE head + style) / 3. Same 5 article folds (seed 13); reads the
cache of `scripts/exp_articles_stack.py` for the TF-IDF probabilities and the old vectors.
Also genre from the mean vector of the first 3 or 5 paragraphs only: a paragraph pass that
short would cost little.

Usage: python scripts/exp_articles_from_sentences.py [DATA]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from exp_articles_mlp import frames_f1, frames_use_head, genre_f1, genre_heads, mlp_oof
from exp_articles_stack import CACHE, load

from proplens.document import Document
from proplens.models.articles import FRAMES
from proplens.models.encoders import embed
from proplens.models.linear import assign_folds


def sentence_mean_vector(text: str, lang: str) -> np.ndarray:
    """The article vector from paragraph vectors that are means of sentence vectors."""
    doc = Document.from_text(text)
    sents = list(doc.sentences)
    vec = embed([doc.span_text(s) for s in sents], [lang] * len(sents))
    starts = np.array([s.start for s in sents])
    paras = []
    for p in list(doc.paragraphs)[:40]:
        hit = np.flatnonzero((starts >= p.start) & (starts < p.end))
        if len(hit):
            m = vec[hit].mean(axis=0)
            m[:512] /= np.linalg.norm(m[:512]) + 1e-9
            paras.append(m)
    return np.mean(paras, axis=0) if paras else embed([text[:1000]], [lang])[0]


def first_paragraphs_vector(text: str, lang: str, n: int) -> np.ndarray:
    """Mean USE vector of the first ``n`` paragraphs only (a cheap genre vector)."""
    doc = Document.from_text(text)
    paras = [doc.span_text(p) for p in list(doc.paragraphs)[:n]] or [text[:1000]]
    return embed(paras, [lang] * len(paras)).mean(axis=0)


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    c = np.load(CACHE)
    t0 = time.time()
    x_new = np.vstack([sentence_mean_vector(t, la) for t, la in zip(texts, langs, strict=True)])
    print(f"{len(ids)} articles embedded by sentence in {time.time() - t0:.0f}s", flush=True)
    y = np.array([[f in g for f in FRAMES] for g in frames], np.int8)
    heads = [("paragraph vectors (shipped)", c["x"]), ("sentence means", x_new)]
    for n in (3, 5):
        x_first = np.vstack(
            [first_paragraphs_vector(t, la, n) for t, la in zip(texts, langs, strict=True)]
        )
        pu, ps = genre_heads(x_first, texts, langs, genres, fold_of)
        genre_f1(f"first {n} paragraphs", (c["tg"] + pu + ps) / 3, ids, genres, langs)
    for name, x in heads:
        pf, m = frames_use_head(x, frames, fold_of), mlp_oof(x, y, fold_of, 256, 0.1, 200)
        frames_f1(name, (c["tf"] + pf + m) / 3, frames, langs, fold_of)
        pu, ps = genre_heads(x, texts, langs, genres, fold_of)
        genre_f1(name, (c["tg"] + pu + ps) / 3, ids, genres, langs)


if __name__ == "__main__":
    main()
