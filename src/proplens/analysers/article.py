"""Genre and framing of the whole article (SemEval-2023 subtasks 1 and 2)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from proplens.analysers.vectors import PARAGRAPH_VECTORS, SENTENCE_VECTORS, model_inputs
from proplens.analysis import Analysis, Label
from proplens.models import base
from proplens.models.articles import ArticleModel
from proplens.registry import analyser

#: What the article models read: the paragraph vectors, or the sentence vectors for a
#: model of the "sentences" view (`proplens.models.articles.VIEWS`).
READS = ["text", "lang", PARAGRAPH_VECTORS, SENTENCE_VECTORS]


@analyser("genre", requires=READS, produces=["genre"])
def genre(analysis: Analysis) -> Mapping[str, Any]:
    """Opinion, reporting or satire, with the model's probability share."""
    model: ArticleModel = base.shipped("genre")
    probs = model.predict_proba([model_inputs(analysis)])[0]
    j = int(np.argmax(probs))
    share = float(probs[j] / max(probs.sum(), 1e-9))
    return {"genre": Label(model.labels[j], share), "model_versions": {"genre": model.version}}


@analyser("frames", requires=READS, produces=["frames"])
def frames(analysis: Analysis) -> Mapping[str, Any]:
    """The SemEval frames above their tuned thresholds, most probable first."""
    model: ArticleModel = base.shipped("frames")
    probs = model.predict_proba([model_inputs(analysis)])[0]
    labels = model.labels
    found = [
        Label(labels[int(j)], float(probs[j]))
        for j in np.argsort(-probs)
        if probs[j] >= model.thresholds_.get(labels[int(j)], 0.5)
    ]
    return {"frames": tuple(found), "model_versions": {"frames": model.version}}
