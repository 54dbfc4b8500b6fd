"""Persuasion technique spans and paragraph techniques from the shipped technique model."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysers.vectors import PARAGRAPH_VECTORS, SENTENCE_VECTORS
from proplens.analysis import Analysis, ParagraphTechniques, TechniqueSpan
from proplens.models.span_tagger import load_shipped_tagger, shipped_tagger_langs
from proplens.models.techniques import load_shipped, tagger_ranges
from proplens.registry import analyser


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
    model = load_shipped()
    doc = analysis.document
    vectors = analysis.artifacts[PARAGRAPH_VECTORS] if doc.paragraphs else None
    sentence_vectors = analysis.artifacts[SENTENCE_VECTORS]
    sentence_probs = model.sentence_probs(doc, sentence_vectors)
    per_line = model.paragraph_techniques(doc, vectors, sentence_probs)
    tagger = load_shipped_tagger() if doc.lang in shipped_tagger_langs() else None
    tagged = None
    if tagger is not None:
        ranges = tagger_ranges(doc, sentence_probs, tagger.gate)
        tagged = tagger.spans(doc.text, ranges=ranges)
    paragraphs = tuple(
        ParagraphTechniques(p.line, p.start, p.end, tuple(sorted(per_line.get(p.line, ()))))
        for p in doc.paragraphs
    )
    spans = tuple(
        TechniqueSpan(start, end, tech, score, reason)
        for start, end, tech, score, reason in model.spans(doc, sentence_probs, tagged)
    )
    versions = {"techniques": model.version}
    if tagger is not None:
        versions["span_tagger"] = str(tagger.config.get("version", "unknown"))
    return {
        "paragraph_techniques": paragraphs,
        "techniques": spans,
        "model_versions": versions,
    }
