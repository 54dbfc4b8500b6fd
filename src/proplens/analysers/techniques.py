"""Persuasion technique spans and paragraph techniques from the shipped word-level model."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from proplens.analysers.vectors import SENTENCE_VECTORS, WORD_VECTORS, model_inputs
from proplens.analysis import Analysis, ParagraphTechniques, TechniqueSpan
from proplens.models import base
from proplens.models.encoders import TECHNIQUES_MODEL_ENV
from proplens.models.technique_words import SHIPPED_MODEL, WordTechniqueModel
from proplens.registry import analyser

#: Environment variable naming another model folder to use instead of the packaged one
#: (the vectors step then reads that model's word projection).
MODEL_ENV = TECHNIQUES_MODEL_ENV


def technique_model() -> WordTechniqueModel:
    """The model in ``$PROPLENS_TECHNIQUES_MODEL`` or the packaged one, loaded once."""
    model: WordTechniqueModel = base.shipped(os.environ.get(MODEL_ENV) or SHIPPED_MODEL)
    return model


@analyser(
    "techniques",
    requires=["paragraphs", "sentences", "lang", SENTENCE_VECTORS, WORD_VECTORS],
    produces=["techniques", "paragraph_techniques"],
)
def techniques(analysis: Analysis) -> Mapping[str, Any]:
    """Find technique spans (calibrated score, reason, shown by default or not) and the
    techniques of each paragraph, from the probabilities of every word and sentence."""
    model = technique_model()
    doc = analysis.document
    probs = model.predict_proba([model_inputs(analysis)])[0]
    per_line = model.paragraph_labels(doc, probs.paragraphs)
    paragraphs = tuple(
        ParagraphTechniques(p.line, p.start, p.end, tuple(sorted(per_line.get(p.line, ()))))
        for p in doc.paragraphs
    )
    spans = tuple(
        TechniqueSpan(
            s.start, s.end, s.technique, s.score, s.reason, shown=model.shown(s.technique, s.score)
        )
        for s in model.spans(doc, probs)
    )
    return {
        "paragraph_techniques": paragraphs,
        "techniques": spans,
        "model_versions": {"techniques": model.version},
    }
