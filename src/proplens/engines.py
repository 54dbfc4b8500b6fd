"""Where analyses run: in this process, in worker processes, or on Ray actors.

`proplens.api.analyse_many` picks one; every engine gives, for each document, its
`Analysis` or the one-line reason it failed, so one broken document never ends a batch.
Workers load the models once and send back analyses without their artifacts.
"""

from __future__ import annotations

import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from proplens.analysis import Analysis
from proplens.api import analyse_document, get_pipeline
from proplens.document import Document
from proplens.limits import TimeLimitExceeded, time_limit

ENGINES = ("local", "ray")
#: A document and its analysis, or why it failed.
Result = tuple[Document, Analysis | str]


def _analyse_safely(
    doc: Document, pipeline: Sequence[str] | None, limit: float | None = None
) -> Result:
    try:
        with time_limit(limit, "analysis"):
            return doc, analyse_document(doc, pipeline)
    except TimeLimitExceeded:
        return doc, f"analysis took over {limit:g} s and was stopped (--time-limit)"
    except Exception as exc:  # one broken document never stops a batch
        return doc, f"analysis failed ({type(exc).__name__}: {exc})"


_WORKER_PIPELINE: tuple[str, ...] | None = None
_WORKER_LIMIT: float | None = None


def _init_worker(pipeline: tuple[str, ...] | None, limit: float | None = None) -> None:
    """Load the models once per worker, with one BLAS thread.

    Workers already fill the cores; a BLAS pool of its own in each would oversubscribe
    them (two workers on 2 cores: 226 Russian articles/min with the default pools, 298 with
    one thread each).
    """
    from threadpoolctl import threadpool_limits

    global _WORKER_PIPELINE, _WORKER_LIMIT
    _WORKER_PIPELINE, _WORKER_LIMIT = pipeline, limit
    _die_with_parent()
    threadpool_limits(1)
    get_pipeline(pipeline)
    warm = Document.from_text("Warm up.", lang="en")
    _analyse_safely(warm, pipeline)


def _worker_analyse(doc: Document) -> Result:
    """Analyse in a worker; the artifacts (parse, vectors) stay behind.

    The writer needs none of them, and a pickled spaCy parse is about 2.6 MB an article:
    sending it back cost each worker and the writer more than a tenth of the batch.
    """
    doc, result = _analyse_safely(doc, _WORKER_PIPELINE, _WORKER_LIMIT)
    if isinstance(result, Analysis):
        result = replace(result, artifacts={})
    return doc, result


def _die_with_parent() -> None:
    """End this worker when the process that started it is gone (killed with SIGKILL, it
    cannot say so): a watcher thread sees the worker handed to another parent."""
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="proplens-parent-watch", daemon=True).start()


def run_local(
    docs: Iterable[Document],
    pipeline: Sequence[str] | None,
    workers: int,
    time_limit: float | None = None,
) -> Iterator[Result]:
    """Analyse in this process (lazily, one document at a time), or in ``workers``
    processes (results in input order, the input read a few documents ahead). Each
    document may take ``time_limit`` seconds."""
    names = tuple(pipeline) if pipeline else None
    if workers <= 1 or (isinstance(docs, Sequence) and len(docs) <= 1):
        for doc in docs:
            yield _analyse_safely(doc, names, time_limit)
        return
    with ProcessPoolExecutor(
        workers, initializer=_init_worker, initargs=(names, time_limit)
    ) as pool:
        yield from _in_order(pool, docs, ahead=4 * workers)


def _in_order(pool: ProcessPoolExecutor, docs: Iterable[Document], ahead: int) -> Iterator[Result]:
    """`pool.map` that reads its input only ``ahead`` documents before the results (map
    reads it all first: a folder would be read whole before the first report)."""
    pending: deque[Future[Result]] = deque()
    for doc in docs:
        pending.append(pool.submit(_worker_analyse, doc))
        if len(pending) >= ahead:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def run_ray(
    docs: Iterable[Document],
    pipeline: Sequence[str] | None,
    workers: int,
    address: str | None = None,
    time_limit: float | None = None,
) -> Iterator[Result]:
    """Analyse on Ray: one actor per worker holds the loaded models; results as they finish.

    With ``address`` None a local Ray instance with ``workers`` CPUs is started; otherwise
    the existing cluster at ``address`` is joined (proplens must be installed on its nodes).
    """
    names = tuple(pipeline) if pipeline else None
    with ray_session(workers, address) as ray:
        from ray.util import ActorPool

        @ray.remote(num_cpus=1)
        class Analyser:
            def __init__(self, pipeline: tuple[str, ...] | None, limit: float | None) -> None:
                _init_worker(pipeline, limit)

            def analyse(self, doc: Document) -> Result:
                return _worker_analyse(doc)

        pool = ActorPool([Analyser.remote(names, time_limit) for _ in range(max(1, workers))])  # type: ignore[attr-defined]
        yield from pool.map_unordered(lambda actor, doc: actor.analyse.remote(doc), list(docs))


@contextmanager
def ray_session(workers: int, address: str | None = None) -> Iterator[Any]:
    """The ``ray`` module, initialised: a local instance with ``workers`` CPUs, or the
    cluster at ``address``; one this call started is shut down at the end (one already
    running is left as it is)."""
    ray = require_ray()
    started = not ray.is_initialized()
    if started:
        init: dict[str, Any] = {"include_dashboard": False, "log_to_driver": False}
        if address:
            init["address"] = address
        else:
            init["num_cpus"] = max(1, workers)
        ray.init(**init)
    try:
        yield ray
    finally:
        if started:
            ray.shutdown()


class MissingExtra(RuntimeError):
    """An optional part of proplens is not installed; the message says how to get it."""


def require_ray() -> Any:
    try:
        import ray
    except ModuleNotFoundError:
        raise MissingExtra(
            "the Ray engine needs the 'ray' extra: .venv/bin/pip install -e '.[ray]'"
        ) from None
    return ray
