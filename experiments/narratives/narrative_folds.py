"""Known narratives (SemEval-2025 subtask 2) on article folds, per language, official measure.

Section "narratives" of docs/models.md. The model is proplens's article model
(`ArticleModel`: TF-IDF linear model averaged with a head over the article's multilingual
USE vector), once over the narratives and once over the sub-narratives, trained on all four
languages. An article gets the narratives over a threshold (else ``Other``) and, under each,
its sub-narratives over a second threshold (else ``NARRATIVE: Other``). Both thresholds are
chosen for each fold and language on the other folds' out-of-fold predictions of that
language, so the figures are held out. Baseline: every article ``Other``. Views: the whole
article; its paragraphs as instances (each with its article's labels, the article scored by
its best paragraph); the mean of the two. About 16 minutes on 2 cores.

    python experiments/narratives/narrative_folds.py [../shared/data/semeval2025-task10]
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.document import Document
from proplens.eval.narratives import (
    OTHER,
    Labels,
    read_narratives,
    read_taxonomy,
    score_narratives,
)
from proplens.models.articles import ArticleModel
from proplens.models.base import Inputs
from proplens.models.narratives import decide
from proplens.training.articles import article_inputs

DATA = Path("../shared/data/semeval2025-task10")
FOLDERS = {"EN": "en", "BG": "bg", "HI": "hi", "PT": "pt"}
FOLDS = 5
GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)


def main(data: Path = DATA) -> dict[str, float]:
    narratives, subs = read_taxonomy(data)
    ids, texts, langs, gold = [], [], [], {}
    for folder, lang in FOLDERS.items():
        path = data / folder / "subtask-2-annotations.txt"
        if not path.exists():
            continue
        for aid, labels in read_narratives(path).items():
            text = (data / folder / "raw-documents" / aid).read_text(encoding="utf-8")
            ids.append(aid)
            texts.append(text.replace("\r\n", "\n"))
            langs.append(lang)
            gold[aid] = labels
    inputs = article_inputs(texts, langs, ids)
    order = list(range(len(ids)))
    random.Random(SEED).shuffle(order)
    fold = np.zeros(len(ids), int)
    for lang in set(langs):  # each language dealt into the folds on its own
        mine = [i for i in order if langs[i] == lang]
        for j, i in enumerate(mine):
            fold[i] = j % FOLDS
    paragraphs = [_paragraph_inputs(inp) for inp in inputs]
    shape = {0: len(narratives), 1: len(subs)}
    probs = {
        (view, which): np.zeros((len(ids), shape[which]), np.float32)
        for view in ("article", "paragraphs")
        for which in (0, 1)
    }
    for k in range(FOLDS):
        train = [i for i in range(len(ids)) if fold[i] != k]
        test = [i for i in range(len(ids)) if fold[i] == k]
        for names, which in ((narratives, 0), (subs, 1)):
            model = ArticleModel(names)
            model.fit([inputs[i] for i in train], [gold[ids[i]][which] for i in train])
            probs["article", which][test] = np.array(model.predict_proba([inputs[i] for i in test]))
            # each paragraph carries its article's labels; an article takes, per label,
            # its most telling paragraph (a narrative is pushed in a few paragraphs)
            per = ArticleModel(names)
            per.fit(
                [p for i in train for p in paragraphs[i]],
                [gold[ids[i]][which] for i in train for _ in paragraphs[i]],
            )
            for i in test:
                rows = np.array(per.predict_proba(paragraphs[i]))
                probs["paragraphs", which][i] = rows.max(axis=0)
    figures: dict[str, float] = {}
    for view in ("article", "paragraphs", "both"):
        if view == "both":
            p_nar = (probs["article", 0] + probs["paragraphs", 0]) / 2
            p_sub = (probs["article", 1] + probs["paragraphs", 1]) / 2
        else:
            p_nar, p_sub = probs[view, 0].astype(np.float64), probs[view, 1].astype(np.float64)
        figures.update(_held_out(view, p_nar, p_sub, ids, langs, fold, gold, narratives, subs))
    show("narratives, article folds, samples F1", figures)
    return figures


def _paragraph_inputs(inp: Inputs) -> list[Inputs]:
    """An article's paragraphs as inputs of their own, with their own vectors."""
    doc, vectors = inp.document, inp.paragraph_vectors
    assert vectors is not None
    out = []
    for j, par in enumerate(doc.paragraphs):
        text = doc.span_text(par)
        out.append(
            Inputs(Document.from_text(text, lang=doc.lang), paragraph_vectors=vectors[j : j + 1])
        )
    return out or [inp]


def _held_out(
    view: str,
    p_nar: np.ndarray,
    p_sub: np.ndarray,
    ids: list[str],
    langs: list[str],
    fold: np.ndarray,
    gold: Labels,
    narratives: list[str],
    subs: list[str],
) -> dict[str, float]:
    figures: dict[str, float] = {}
    pred: Labels = {}
    for k, lang in ((k, lang) for k in range(FOLDS) for lang in sorted(set(langs))):
        # thresholds per language: English is half "Other", Bulgarian hardly any
        others = [i for i in range(len(ids)) if fold[i] != k and langs[i] == lang]
        best, best_score = (0.5, 0.5), -1.0
        for t1 in GRID:
            for t2 in GRID:
                trial = {
                    ids[i]: decide(p_nar[i], p_sub[i], narratives, subs, t1, t2) for i in others
                }
                s = score_narratives(
                    {ids[i]: gold[ids[i]] for i in others}, trial, narratives, subs
                )
                combined = s.value + s.extra["subnarratives_samples_f1"]
                if combined > best_score:
                    best, best_score = (t1, t2), combined
        for i in (i for i in range(len(ids)) if fold[i] == k and langs[i] == lang):
            pred[ids[i]] = decide(p_nar[i], p_sub[i], narratives, subs, *best)
    for lang in sorted(set(langs)):
        mine = [ids[i] for i in range(len(ids)) if langs[i] == lang]
        g = {a: gold[a] for a in mine}
        model_score = score_narratives(g, {a: pred[a] for a in mine}, narratives, subs)
        figures[f"{lang} {view} narratives"] = model_score.value
        figures[f"{lang} {view} sub-narratives"] = model_score.extra["subnarratives_samples_f1"]
        if view == "article":
            floor = score_narratives(g, {a: ({OTHER}, {OTHER}) for a in mine}, narratives, subs)
            figures[f"{lang} all-Other narratives"] = floor.value
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
