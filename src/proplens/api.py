"""The one entry point the CLI, the web server and batch jobs all call."""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from proplens.analysis import Analysis
from proplens.document import Document
from proplens.registry import DEFAULT_PIPELINE, Pipeline


@cache
def _pipeline(names: tuple[str, ...]) -> Pipeline:
    return Pipeline(names)


def get_pipeline(names: Sequence[str] | None = None) -> Pipeline:
    """A validated pipeline, built once per process for each list of names."""
    return _pipeline(tuple(names) if names else DEFAULT_PIPELINE)


def analyse_document(document: Document, pipeline: Sequence[str] | None = None) -> Analysis:
    return get_pipeline(pipeline)(document)


def analyse(
    text: str,
    lang: str | None = None,
    pipeline: Sequence[str] | None = None,
    *,
    id: str = "doc",
    source: str | None = None,
) -> Analysis:
    """Analyse ``text`` and return its `Analysis` (serialise with ``.to_dict()``).

    ``lang`` is an ISO 639-1 code (``"en"``, ``"ru"``...) or None to detect it;
    ``pipeline`` is a list of analyser names (default: `DEFAULT_PIPELINE`).
    """
    doc = Document.from_text(text, id=id, lang=lang, source=source)
    return analyse_document(doc, pipeline)
