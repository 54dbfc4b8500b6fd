"""Known narratives (SemEval-2025 Task 10 subtask 2) of the whole article, and the
sentences that carry each."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from proplens.analysers.vectors import PARAGRAPH_VECTORS, SENTENCE_VECTORS, model_inputs
from proplens.analysis import Analysis, Label, Narrative
from proplens.document import Document
from proplens.models import base
from proplens.models.articles import ArticleModel
from proplens.models.base import Inputs
from proplens.models.narratives import decide, thresholds_for
from proplens.registry import analyser

#: Sentences shown for each narrative.
EVIDENCE = 3


@analyser(
    "narratives",
    requires=["text", "lang", PARAGRAPH_VECTORS, SENTENCE_VECTORS],
    produces=["narratives"],
)
def narratives(analysis: Analysis) -> Mapping[str, Any]:
    """The narratives over the language's threshold, each with its sub-narratives and the
    sentences the narrative model scores highest for it."""
    top: ArticleModel = base.shipped("narratives")
    sub: ArticleModel = base.shipped("subnarratives")
    inputs = model_inputs(analysis)
    p_nar = top.predict_proba([inputs])[0]
    p_sub = sub.predict_proba([inputs])[0]
    t1, t2 = thresholds_for(top.info, analysis.document.lang)
    chosen, subs = decide(p_nar, p_sub, top.labels, sub.labels, t1, t2)
    found = []
    if chosen != {"Other"}:
        per_sentence = _sentence_probs(top, analysis)
        for j in np.argsort(-p_nar):
            name = top.labels[int(j)]
            if name not in chosen:
                continue
            under = tuple(
                Label(s, float(p_sub[sub.labels.index(s)]))
                for s in sorted(subs, key=lambda s: -p_sub[sub.labels.index(s)])
                if s.startswith(name + ": ") and s in sub.labels
            )
            found.append(
                Narrative(name, float(p_nar[j]), under, _evidence(analysis, per_sentence, int(j)))
            )
    versions = {"narratives": top.version}
    return {"narratives": tuple(found), "model_versions": versions}


def _sentence_probs(model: ArticleModel, analysis: Analysis) -> np.ndarray:
    """The narrative model's probabilities for each sentence read as an article of its own."""
    doc = analysis.document
    vectors = analysis.artifacts.get(SENTENCE_VECTORS)
    if vectors is None or not doc.sentences:
        return np.zeros((0, len(model.labels)), np.float32)
    rows = [
        Inputs(
            Document.from_text(doc.span_text(s), lang=doc.lang),
            paragraph_vectors=vectors[i : i + 1],
        )
        for i, s in enumerate(doc.sentences)
    ]
    return np.array(model.predict_proba(rows))


def _evidence(analysis: Analysis, probs: np.ndarray, j: int) -> tuple[tuple[int, int], ...]:
    if not len(probs):
        return ()
    sentences = analysis.document.sentences
    best = np.argsort(-probs[:, j], kind="stable")[:EVIDENCE]
    return tuple((sentences[int(i)].start, sentences[int(i)].end) for i in best)
