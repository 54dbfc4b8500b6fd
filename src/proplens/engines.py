"""Where analyses run: in this process, in worker processes, or on Ray actors.

`proplens.api.analyse_many` picks one; every engine gives, for each document, its
`Analysis` or the one-line reason it failed, so one broken document never ends a batch.
Workers load the models once and send back analyses without their artifacts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from typing import Any

from proplens.analysis import Analysis
from proplens.api import analyse_document, get_pipeline
from proplens.document import Document

ENGINES = ("local", "ray")
#: A document and its analysis, or why it failed.
Result = tuple[Document, Analysis | str]


def _analyse_safely(doc: Document, pipeline: Sequence[str] | None) -> Result:
    try:
        return doc, analyse_document(doc, pipeline)
    except Exception as exc:  # one broken document never stops a batch
        return doc, f"analysis failed ({type(exc).__name__}: {exc})"


_WORKER_PIPELINE: tuple[str, ...] | None = None


def _init_worker(pipeline: tuple[str, ...] | None) -> None:
    """Load the models once per worker, with one BLAS thread.

    Workers already fill the cores; a BLAS pool of its own in each would oversubscribe
    them (two workers on 2 cores: 226 Russian articles/min with the default pools, 298 with
    one thread each).
    """
    from threadpoolctl import threadpool_limits

    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline
    threadpool_limits(1)
    get_pipeline(pipeline)
    warm = Document.from_text("Warm up.", lang="en")
    _analyse_safely(warm, pipeline)


def _worker_analyse(doc: Document) -> Result:
    """Analyse in a worker; the artifacts (parse, vectors) stay behind.

    The writer needs none of them, and a pickled spaCy parse is about 2.6 MB an article:
    sending it back cost each worker and the writer more than a tenth of the batch.
    """
    doc, result = _analyse_safely(doc, _WORKER_PIPELINE)
    if isinstance(result, Analysis):
        result = replace(result, artifacts={})
    return doc, result


def run_local(
    docs: Iterable[Document], pipeline: Sequence[str] | None, workers: int
) -> Iterator[Result]:
    """Analyse in this process (lazily, one document at a time), or in ``workers``
    processes (results in input order)."""
    names = tuple(pipeline) if pipeline else None
    if workers <= 1 or (isinstance(docs, Sequence) and len(docs) <= 1):
        for doc in docs:
            yield _analyse_safely(doc, names)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(names,)) as pool:
        yield from pool.map(_worker_analyse, docs, chunksize=4)


def run_ray(
    docs: Iterable[Document],
    pipeline: Sequence[str] | None,
    workers: int,
    address: str | None = None,
) -> Iterator[Result]:
    """Analyse on Ray: one actor per worker holds the loaded models; results as they finish.

    With ``address`` None a local Ray instance with ``workers`` CPUs is started; otherwise
    the existing cluster at ``address`` is joined (proplens must be installed on its nodes).
    """
    import ray
    from ray.util import ActorPool

    names = tuple(pipeline) if pipeline else None
    started = not ray.is_initialized()
    if started:
        init: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            init["address"] = address
        else:
            init["num_cpus"] = max(1, workers)
        ray.init(**init)
    try:

        @ray.remote(num_cpus=1)
        class Analyser:
            def __init__(self, pipeline: tuple[str, ...] | None) -> None:
                _init_worker(pipeline)

            def analyse(self, doc: Document) -> Result:
                return _worker_analyse(doc)

        pool = ActorPool([Analyser.remote(names) for _ in range(max(1, workers))])  # type: ignore[attr-defined]
        yield from pool.map_unordered(lambda actor, doc: actor.analyse.remote(doc), list(docs))
    finally:
        if started:
            ray.shutdown()
