"""Genre and framing of the whole article (SemEval-2023 subtasks 1 and 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from proplens.analysers.vectors import PARAGRAPH_VECTORS, paragraph_vectors
from proplens.analysis import Analysis, Label
from proplens.models.articles import load_article_model, predict_genre
from proplens.registry import analyser


@analyser("genre", requires=["text", "lang", PARAGRAPH_VECTORS], produces=["genre"])
def genre(analysis: Analysis) -> Mapping[str, Any]:
    """Opinion, reporting or satire, with the model's probability share."""
    model = load_article_model("genre")
    doc = analysis.document
    label, score = predict_genre(model, doc.text, doc.lang, paragraph_vectors(analysis))
    return {
        "genre": Label(label, score),
        "model_versions": {"genre": model.info.get("version", "")},
    }


@analyser("frames", requires=["text", "lang", PARAGRAPH_VECTORS], produces=["frames"])
def frames(analysis: Analysis) -> Mapping[str, Any]:
    """The SemEval frames above their tuned thresholds, most probable first."""
    model = load_article_model("frames")
    doc = analysis.document
    probs = model.predict_proba(doc.text, doc.lang, paragraph_vectors(analysis))
    found = [
        Label(label, float(probs[j]))
        for j in np.argsort(-probs)
        for label in [model.labels[int(j)]]
        if probs[j] >= model.thresholds_.get(label, 0.5)
    ]
    return {"frames": tuple(found), "model_versions": {"frames": model.info.get("version", "")}}
