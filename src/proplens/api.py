"""The one entry point the CLI, the web server and batch jobs all call."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
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


def analyse_many(
    documents: Iterable[Document],
    pipeline: Sequence[str] | None = None,
    *,
    engine: str = "local",
    workers: int = 1,
    ray_address: str | None = None,
    time_limit: float | None = None,
) -> Iterator[tuple[Document, Analysis | str]]:
    """Analyse every document; each comes back with its `Analysis`, or with the one-line
    reason it failed (a document that breaks an analyser never stops the others).

    ``engine="local"`` runs in this process (``workers=1``, lazily: results come as the
    input is read) or in ``workers`` processes; ``"ray"`` on Ray actors (a local instance,
    or the cluster at ``ray_address``). Results come in input order, except on Ray.
    A document whose analysis takes over ``time_limit`` seconds is stopped and fails.
    """
    from proplens import engines

    if engine not in engines.ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(engines.ENGINES)}")
    if engine == "ray":
        engines.require_ray()  # before the first document: the error is about the set-up
        return engines.run_ray(documents, pipeline, workers, ray_address, time_limit)
    return engines.run_local(documents, pipeline, workers, time_limit)
