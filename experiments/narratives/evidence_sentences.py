"""Known narratives from the sentences that carry them, found through the annotators' notes.

A fifth method (docs/models.md, "narratives"). SemEval-2025 subtask 3 gives, for some
non-Other articles, a short explanation of how the article pushes its dominant narrative.
In each training article that has one, the three sentences most similar to the
explanation (multilingual USE, language means out) are taken as carrying the article's
narratives. Sentences of Other articles (five each) carry none. A logistic head per
narrative over sentence vectors learns from them. An article's score for a narrative is
its best sentence's, alone or averaged with the article model. Sub-narratives stay the
article model's. Same 5 article folds per language; every sentence label comes from
training folds only. Thresholds per fold and language come from the other folds, and the
measure is the official samples F1.

    python experiments/narratives/evidence_sentences.py [../shared/data/semeval2025-task10]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.document import Document
from proplens.models.encoders import USE_DIM, DenseHead, centred, embed, language_means
from proplens.models.narratives import OTHER
from proplens.training.articles import article_inputs
from proplens.training.folds import out_of_fold
from proplens.training.narratives import (
    FOLDERS,
    article_model_factory,
    held_out_figures,
    language_folds,
    load_narrative_data,
)

DATA = Path("../shared/data/semeval2025-task10")
FOLDS = 5
EVIDENCE = 3
NEGATIVES = 5


def explanations(data: Path) -> dict[str, str]:
    """Article -> the annotators' explanation of its dominant narrative."""
    out = {}
    for folder in FOLDERS:
        path = data / folder / "subtask-3-annotations.txt"
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                parts = line.split("\t")
                if len(parts) >= 4 and parts[3].strip():
                    out[parts[0]] = parts[3].strip()
    return out


def main(data: Path = DATA) -> dict[str, float]:
    d = load_narrative_data(data)
    notes = explanations(data)
    inputs = article_inputs(d.texts, d.langs, d.ids)
    fold = language_folds(d.langs, FOLDS, SEED)
    sentence_vectors = []
    for text, lang in zip(d.texts, d.langs, strict=True):
        doc = Document.from_text(text, lang=lang)
        sentences = [doc.span_text(s) for s in doc.sentences] or [text[:500]]
        sentence_vectors.append(embed(sentences, [lang] * len(sentences))[:, :USE_DIM])
    rows_lang = [lg for v, lg in zip(sentence_vectors, d.langs, strict=True) for _ in v]
    means = language_means(np.vstack(sentence_vectors), rows_lang)
    sentence_vectors = [
        centred(v, [lg] * len(v), means) for v, lg in zip(sentence_vectors, d.langs, strict=True)
    ]
    note_ids = [i for i, a in enumerate(d.ids) if a in notes]
    note_langs = [d.langs[i] for i in note_ids]
    note_vectors = (
        centred(
            embed([notes[d.ids[i]] for i in note_ids], note_langs)[:, :USE_DIM], note_langs, means
        )
        if note_ids
        else np.zeros((0, USE_DIM), np.float32)
    )
    note_of = dict(zip(note_ids, note_vectors, strict=True))
    names = [n for n in d.narratives if n != OTHER]
    targets = [[d.gold[a][w] for a in d.ids] for w in (0, 1)]
    p_art = [np.array(out_of_fold(article_model_factory(labels), inputs, targets[w], fold))
             for w, labels in enumerate((d.narratives, d.subs))]  # fmt: skip
    p_sent = np.zeros_like(p_art[0])
    rng = random.Random(SEED)
    for k in range(FOLDS):
        xs, ys = [], []
        for i in range(len(d.ids)):
            if fold[i] == k:
                continue
            v = sentence_vectors[i]
            if i in note_of:
                best = np.argsort(-(v @ note_of[i]))[:EVIDENCE]
                xs += [v[j] for j in best]
                ys += [d.gold[d.ids[i]][0] - {OTHER}] * len(best)
            elif d.gold[d.ids[i]][0] == {OTHER}:
                picked = rng.sample(range(len(v)), min(NEGATIVES, len(v)))
                xs += [v[j] for j in picked]
                ys += [set()] * len(picked)
        head = DenseHead(tuple(names)).fit(np.array(xs, np.float32), ys)
        for held in (int(i) for i in np.flatnonzero(fold == k)):
            top = head.predict_proba(sentence_vectors[held]).max(axis=0)
            for j, n in enumerate(names):
                p_sent[held, d.narratives.index(n)] = top[j]
    figures: dict[str, float] = {}
    for view, p_nar in {"article": p_art[0], "sentences": p_sent,
                        "mean": (p_art[0] + p_sent) / 2}.items():  # fmt: skip
        for lang, row in held_out_figures(d, p_nar, p_art[1], fold).items():
            figures[f"{lang} {view} narratives"] = row["narratives_samples_f1"]
            figures[f"{lang} {view} sub-narratives"] = row["subnarratives_samples_f1"]
    show("narratives from evidence sentences, article folds, samples F1", figures)
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
