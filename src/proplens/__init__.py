"""proplens: find, span by span, how news and opinion articles try to persuade.

>>> import proplens
>>> analysis = proplens.analyse("They are traitors. Everyone knows it.", lang="en")
>>> analysis.to_dict()["schema"]
'proplens/analysis@1'
"""

from __future__ import annotations

__version__ = "0.1.0"

from proplens.analysis import Analysis
from proplens.api import analyse, analyse_document, get_pipeline
from proplens.document import Document, Span

__all__ = [
    "Analysis",
    "Document",
    "Span",
    "__version__",
    "analyse",
    "analyse_document",
    "get_pipeline",
]
