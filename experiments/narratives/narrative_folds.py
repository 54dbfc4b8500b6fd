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

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.document import Document
from proplens.models.articles import ArticleModel
from proplens.models.base import Inputs
from proplens.training.articles import article_inputs
from proplens.training.narratives import held_out_figures, language_folds, load_narrative_data

DATA = Path("../shared/data/semeval2025-task10")
FOLDS = 5


def main(data: Path = DATA) -> dict[str, float]:
    d = load_narrative_data(data)
    ids, langs, gold = d.ids, d.langs, d.gold
    inputs = article_inputs(d.texts, langs, ids)
    fold = language_folds(langs, FOLDS, SEED)  # each language dealt into the folds on its own
    paragraphs = [_paragraph_inputs(inp) for inp in inputs]
    shape = {0: len(d.narratives), 1: len(d.subs)}
    probs = {
        (view, which): np.zeros((len(ids), shape[which]), np.float32)
        for view in ("article", "paragraphs")
        for which in (0, 1)
    }
    for k in range(FOLDS):
        train = [i for i in range(len(ids)) if fold[i] != k]
        test = [i for i in range(len(ids)) if fold[i] == k]
        for names, which in ((d.narratives, 0), (d.subs, 1)):
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
        for lang, row in held_out_figures(d, p_nar, p_sub, fold).items():
            figures[f"{lang} {view} narratives"] = row["narratives_samples_f1"]
            figures[f"{lang} {view} sub-narratives"] = row["subnarratives_samples_f1"]
            if view == "article":
                figures[f"{lang} all-Other narratives"] = row["all_other_narratives_f1"]
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


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
