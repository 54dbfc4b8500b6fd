"""Persuasion technique spans and paragraph techniques from the shipped technique model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysers.vectors import get_paragraph_vectors, shared_sentence_vectors
from proplens.analysis import Analysis, ParagraphTechniques, TechniqueSpan
from proplens.models.techniques import load_shipped
from proplens.registry import analyser


@analyser(
    "techniques",
    requires=["paragraphs", "sentences", "tokens", "lang"],
    produces=["techniques", "paragraph_techniques"],
)
def techniques(analysis: Analysis) -> Mapping[str, Any]:
    """Find technique spans (with score and reason) and the techniques of each paragraph."""
    model = load_shipped()
    doc = analysis.document
    vectors = get_paragraph_vectors(analysis) if doc.paragraphs else None
    sentence_vectors, shared = (
        shared_sentence_vectors(analysis) if model.sentence_dense is not None else (None, {})
    )
    sentence_probs = model.sentence_probs(doc, sentence_vectors)
    per_line = model.paragraph_techniques(doc, vectors, sentence_probs)
    paragraphs = tuple(
        ParagraphTechniques(p.line, p.start, p.end, tuple(sorted(per_line.get(p.line, ()))))
        for p in doc.paragraphs
    )
    spans = tuple(
        TechniqueSpan(start, end, tech, score, reason)
        for start, end, tech, score, reason in model.spans(doc, sentence_probs)
    )
    return {
        "paragraphs": paragraphs,
        "techniques": spans,
        "model_versions": {"techniques": model.version},
        "artifacts": shared,
    }
