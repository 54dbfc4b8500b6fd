"""Persuasion technique spans and paragraph techniques from the shipped technique model."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from proplens.analysers.vectors import PARAGRAPH_VECTORS, SENTENCE_VECTORS, model_inputs
from proplens.analysis import Analysis, ParagraphTechniques, TechniqueSpan
from proplens.models import base
from proplens.models.span_tagger import SHIPPED as TAGGER
from proplens.models.span_tagger import SpanTagger, shipped_tagger_langs
from proplens.models.techniques import MODEL_ENV, SHIPPED_MODEL, TechniqueModel, tagger_ranges
from proplens.registry import analyser


def technique_model() -> TechniqueModel:
    """The model in ``$PROPLENS_TECHNIQUES_MODEL`` or the packaged one, loaded once."""
    model: TechniqueModel = base.shipped(os.environ.get(MODEL_ENV) or SHIPPED_MODEL)
    return model


@analyser(
    "techniques",
    requires=["paragraphs", "sentences", "lang", PARAGRAPH_VECTORS, SENTENCE_VECTORS],
    produces=["techniques", "paragraph_techniques"],
)
def techniques(analysis: Analysis) -> Mapping[str, Any]:
    """Find technique spans (with score and reason) and the techniques of each paragraph.

    In the languages the span tagger knows, its word-level stretches replace the sentence
    spans of the sentences that hold them; it reads the sentences that some technique
    reaches its ``gate`` in (the tagger's config).
    """
    model = technique_model()
    doc = analysis.document
    inputs = model_inputs(analysis)
    probs = model.predict_proba([inputs])[0]
    per_line = model.paragraph_labels(doc, probs.paragraphs)
    versions = {"techniques": model.version}
    tagged = None
    if doc.lang in shipped_tagger_langs():
        tagger: SpanTagger = base.shipped(TAGGER)
        ranges = tagger_ranges(doc, probs.sentences, tagger.gate)
        tagged = tagger.predict([inputs], ranges=[ranges])[0]
        versions["span_tagger"] = str(tagger.config.get("version", "unknown"))
    paragraphs = tuple(
        ParagraphTechniques(p.line, p.start, p.end, tuple(sorted(per_line.get(p.line, ()))))
        for p in doc.paragraphs
    )
    spans = tuple(
        TechniqueSpan(s.start, s.end, s.technique, s.score, s.reason)
        for s in model.spans(doc, probs.sentences, tagged)
    )
    return {"paragraph_techniques": paragraphs, "techniques": spans, "model_versions": versions}
