"""Experiment: multilingual USE article vectors for genre (subtask 1), alone and averaged with
the shipped TF-IDF genre model. Same 5 article folds as `proplens train articles` (seed 13).

Usage: python scripts/exp_genre_ensemble.py [DATA]  (about 10 minutes on 2 cores)
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from proplens import semeval
from proplens.document import Document
from proplens.eval.metrics import macro_f1_single
from proplens.models.articles import FEATURES, GENRES
from proplens.models.encoders import DenseHead, embed
from proplens.models.linear import LinearTextModel, assign_folds

LANGS = ["en", "ru", "fr", "de", "it", "pl"]


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, texts, langs, genres = [], [], [], []
    for lang in LANGS:
        corpus = semeval.load_corpus(root, lang)
        for aid, text in corpus.articles.items():
            if aid in corpus.genres and aid in corpus.frames:
                ids.append(aid)
                texts.append(text)
                langs.append(corpus.lang)
                genres.append(corpus.genres[aid])
    fold_of = assign_folds(len(ids), 5, 13)
    # article vector: mean of its paragraph vectors (title included)
    vectors = []
    for text, lang in zip(texts, langs, strict=True):
        doc = Document.from_text(text)
        paras = [doc.span_text(p) for p in doc.paragraphs][:40] or [text[:1000]]
        vectors.append(embed(paras, [lang] * len(paras)).mean(axis=0))
    x = np.vstack(vectors)
    a = np.zeros((len(ids), 3), np.float32)
    b = np.zeros((len(ids), 3), np.float32)
    features = replace(FEATURES, lang_feature=False)
    for k in range(5):
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        model = LinearTextModel(GENRES, features, C=4.0).fit(
            [texts[i] for i in tr], [langs[i] for i in tr], [{genres[i]} for i in tr]
        )
        a[te] = model.predict_proba([texts[i] for i in te], [langs[i] for i in te])
        x_tr = x[tr].copy()
        x_tr[:, 512:] = 0  # no language feature for genre either
        x_te = x[te].copy()
        x_te[:, 512:] = 0
        b[te] = DenseHead.fit(x_tr, [{genres[i]} for i in tr], GENRES).predict_proba(x_te)
        print(f"fold {k + 1}", flush=True)
    for name, probs in (("A tfidf", a), ("B use", b), ("C mean", (a + b) / 2)):
        pred = {ids[i]: GENRES[int(np.argmax(probs[i]))] for i in range(len(ids))}
        scores = []
        for lang in LANGS:
            gold = {ids[i]: genres[i] for i in range(len(ids)) if langs[i] == lang}
            scores.append(f"{lang} {macro_f1_single(gold, {k: pred[k] for k in gold}).value:.3f}")
        print(name, " ".join(scores), flush=True)


if __name__ == "__main__":
    main()
