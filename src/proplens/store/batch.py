"""Batch analysis into the store: local, multi-process, or on Ray.

Workers only analyse; the calling process is the one writer, so SQLite stays
consistent and every document is written in its own transaction. Documents already
stored (same SHA-256 of text) are skipped before any work is done, so a run that was
interrupted picks up where it stopped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from proplens.analysis import Analysis
from proplens.api import analyse_document, get_pipeline
from proplens.document import Document
from proplens.ingest import IngestError, ReadOptions, read_paths
from proplens.store import Store, model_version_of

ENGINES = ("local", "ray")
Result = tuple[Document, Analysis | str]
Progress = Callable[[Document, Analysis | str], None]


@dataclass
class AddReport:
    added: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"added {self.added}, skipped {self.skipped} already stored, failed {len(self.failed)}"
        )


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

    from proplens.models.span_tagger import THREADS_ENV

    global _WORKER_PIPELINE
    _WORKER_PIPELINE = pipeline
    threadpool_limits(1)
    os.environ[THREADS_ENV] = "1"
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
    docs: Sequence[Document], pipeline: Sequence[str] | None, workers: int
) -> Iterator[Result]:
    """Analyse in this process, or in ``workers`` processes (results in input order)."""
    names = tuple(pipeline) if pipeline else None
    if workers <= 1 or len(docs) <= 1:
        for doc in docs:
            yield _analyse_safely(doc, names)
        return
    with ProcessPoolExecutor(workers, initializer=_init_worker, initargs=(names,)) as pool:
        yield from pool.map(_worker_analyse, docs, chunksize=4)


def run_ray(
    docs: Sequence[Document],
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


def parse_date(value: str | None) -> dt.datetime | None:
    """ISO dates and datetimes; anything else is ignored rather than guessed."""
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.astimezone(dt.UTC).replace(tzinfo=None) if parsed.tzinfo else parsed


def add_paths(
    store: Store,
    paths: Iterable[Path],
    *,
    options: ReadOptions | None = None,
    source: str = "",
    engine: str = "local",
    workers: int = 1,
    ray_address: str | None = None,
    pipeline: Sequence[str] | None = None,
    retry_failed: bool = False,
    on_result: Progress | None = None,
    on_plan: Callable[[int], None] | None = None,
) -> AddReport:
    """Read, analyse and store documents; see `AddReport` for what happened."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}; choose one of {', '.join(ENGINES)}")
    get_pipeline(pipeline)  # fail on a bad pipeline before reading anything
    paths = list(paths)
    if retry_failed:
        paths += [_failed_path(f["path"]) for f in store.failed()]
    report = AddReport()
    known = store.known_hashes()
    todo: list[Document] = []
    for item in read_paths(dict.fromkeys(paths), options):
        if isinstance(item, IngestError):
            report.failed.append((item.source, item.problem))
            store.record_failure(item.source, item.problem, source)
        elif item.sha256 in known:
            report.skipped += 1
        else:
            known.add(item.sha256)
            todo.append(item)
    if on_plan:
        on_plan(len(todo))
    results = (
        run_ray(todo, pipeline, workers, ray_address)
        if engine == "ray"
        else run_local(todo, pipeline, workers)
    )
    for doc, outcome in results:
        if isinstance(outcome, str):
            report.failed.append((doc.source or doc.id, outcome))
            store.record_failure(doc.source or doc.id, outcome, source)
        elif store.add(outcome, source, parse_date(doc.published)) is None:
            report.skipped += 1
        else:
            report.added += 1
        if on_result:
            on_result(doc, outcome)
    return report


def _failed_path(where: str) -> Path:
    """The file to re-read for a recorded failure (``file.jsonl:12`` means the file)."""
    head, _, tail = where.rpartition(":")
    if head and tail.isdigit() and head.lower().endswith((".jsonl", ".ndjson")):
        return Path(head)
    return Path(where)


def reanalyse(
    store: Store,
    *,
    pipeline: Sequence[str] | None = None,
    workers: int = 1,
    on_result: Progress | None = None,
) -> int:
    """Re-run the pipeline on documents stored by another model version; returns how many."""
    probe = analyse_document(Document.from_text("Version probe.", lang="en"), pipeline)
    current = model_version_of(probe)
    rows = list(store.outdated(current))
    docs = [
        Document.from_text(text, id=doc_id, lang=lang, source=path)
        for _, doc_id, text, lang, path in rows
    ]
    ids = {doc.sha256: row[0] for doc, row in zip(docs, rows, strict=True)}
    done = 0
    for doc, outcome in run_local(docs, pipeline, workers):
        if isinstance(outcome, Analysis):
            store.replace_analysis(ids[doc.sha256], outcome)
            done += 1
        if on_result:
            on_result(doc, outcome)
    return done
