"""Batch analysis into the store: local, multi-process, or on Ray.

Workers only analyse; the calling process is the one writer, so SQLite stays
consistent and every document is written in its own transaction. Documents already
stored (same SHA-256 of text) are skipped before any work is done, so a run that was
interrupted picks up where it stopped.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from proplens.analysis import Analysis
from proplens.api import analyse_document, analyse_many, get_pipeline
from proplens.document import Document
from proplens.engines import ENGINES
from proplens.ingest import IngestError, ReadOptions, read_paths
from proplens.store import Store, model_version_of

Progress = Callable[[Document, Analysis | str], None]


@dataclass
class AddReport:
    added: int = 0
    skipped: int = 0
    #: Documents whose text came earlier in the same run.
    duplicates: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)

    def summary(self) -> str:
        repeated = f", {self.duplicates} repeated in the input" if self.duplicates else ""
        return (
            f"added {self.added}, skipped {self.skipped} already stored{repeated}, "
            f"failed {len(self.failed)}"
        )


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
    time_limit: float | None = None,
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
    seen: set[str] = set()
    todo: list[Document] = []
    for item in read_paths(dict.fromkeys(paths), options):
        if isinstance(item, IngestError):
            report.failed.append((item.source, item.problem))
            store.record_failure(_absolute(item.source), item.problem, source)
        elif item.sha256 in known:
            report.skipped += 1
        elif item.sha256 in seen:
            report.duplicates += 1
        else:
            seen.add(item.sha256)
            todo.append(item)
    if on_plan:
        on_plan(len(todo))
    results = analyse_many(
        todo,
        pipeline,
        engine=engine,
        workers=workers,
        ray_address=ray_address,
        time_limit=time_limit,
    )
    for doc, outcome in results:
        if isinstance(outcome, str):
            report.failed.append((doc.source or doc.id, outcome))
            store.record_failure(_absolute(doc.source or doc.id), outcome, source)
        elif store.add(outcome, source, parse_date(doc.published)) is None:
            report.skipped += 1
        else:
            report.added += 1
        if on_result:
            on_result(doc, outcome)
    return report


def _absolute(where: str) -> str:
    """A failure's place with an absolute path, so that ``--retry-failed`` finds the file
    from any folder (``file.jsonl:12`` keeps its line)."""
    head, _, tail = where.rpartition(":")
    if head and tail.isdigit() and head.lower().endswith((".jsonl", ".ndjson")):
        return f"{os.path.abspath(head)}:{tail}"
    return os.path.abspath(where)


def _failed_path(where: str) -> Path:
    """The file to re-read for a recorded failure (``file.jsonl:12`` means the file)."""
    head, _, tail = where.rpartition(":")
    if head and tail.isdigit() and head.lower().endswith((".jsonl", ".ndjson")):
        return Path(head)
    return Path(where)


def current_versions(
    langs: Iterable[str | None], pipeline: Sequence[str] | None = None
) -> dict[str | None, str]:
    """The model version a fresh analysis records, per language.

    Each language runs its own models (English alone has the span tagger), so one probe
    per stored language is the only way to tell an outdated analysis from a current one.
    """
    versions = {}
    for lang in langs:
        probe = analyse_document(Document.from_text("Version probe.", lang=lang), pipeline)
        versions[lang] = model_version_of(probe)
    return versions


def reanalyse(
    store: Store,
    *,
    pipeline: Sequence[str] | None = None,
    workers: int = 1,
    on_result: Progress | None = None,
) -> int:
    """Re-run the pipeline on documents stored by another model version; returns how many."""
    rows = list(store.outdated(current_versions(store.languages(), pipeline)))
    docs = [
        Document.from_text(text, id=doc_id, lang=lang, source=path)
        for _, doc_id, text, lang, path in rows
    ]
    ids = {doc.sha256: row[0] for doc, row in zip(docs, rows, strict=True)}
    done = 0
    for doc, outcome in analyse_many(docs, pipeline, workers=workers):
        if isinstance(outcome, Analysis):
            store.replace_analysis(ids[doc.sha256], outcome)
            done += 1
        if on_result:
            on_result(doc, outcome)
    return done
