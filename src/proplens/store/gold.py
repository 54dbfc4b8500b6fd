"""Gold annotations in the store: analysts' corrections, versioned and attributed.

Gold never touches proplens's own predictions (the ``technique_spans`` and ``analysis``
of a document): each import of one annotator's work on one document is a new *version*
(1, 2, ... per document and annotator) with its own rows, so an earlier correction can
always be read again. The gold of a document is its most recently imported version.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DBAPIError

from proplens.store.errors import explain
from proplens.store.schema import documents, gold_annotations, gold_versions
from proplens.store.store import Store

#: Kinds of gold annotation: spans (``start``/``end`` into the stored text) and labels.
SPAN_KINDS = ("technique", "quote", "speaker", "threat")
LABEL_KINDS = ("genre",)


@dataclass(frozen=True)
class GoldAnnotation:
    kind: str
    label: str
    start: int | None = None
    end: int | None = None
    #: For a quote: the speaker's name as the analyst gave it.
    speaker: str | None = None


@dataclass(frozen=True)
class GoldVersion:
    document_id: int
    annotator: str
    version: int
    origin: str
    imported_at: dt.datetime
    annotations: tuple[GoldAnnotation, ...]

    def spans(self, kind: str) -> list[GoldAnnotation]:
        return [a for a in self.annotations if a.kind == kind]

    def label(self, kind: str) -> str | None:
        found = [a.label for a in self.annotations if a.kind == kind]
        return found[0] if found else None


@dataclass(frozen=True)
class GoldDraft:
    """One annotator's work on one stored document, before it is written."""

    document_id: int
    annotator: str
    origin: str
    annotations: tuple[GoldAnnotation, ...]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def add_gold(store: Store, drafts: Sequence[GoldDraft]) -> list[int | None]:
    """Write every draft as a new version, all in one transaction; a draft whose origin
    (the same task and annotation, as last updated) is already stored for its document is
    skipped (``None``), so importing one export twice adds nothing."""
    written: list[int | None] = []
    try:
        with store.engine.begin() as conn:
            for d in drafts:
                seen = conn.execute(
                    select(gold_versions.c.id).where(
                        gold_versions.c.document_id == d.document_id,
                        gold_versions.c.origin == d.origin,
                    )
                ).first()
                if seen:
                    written.append(None)
                    continue
                last = conn.execute(
                    select(func.max(gold_versions.c.version)).where(
                        gold_versions.c.document_id == d.document_id,
                        gold_versions.c.annotator == d.annotator,
                    )
                ).scalar_one()
                version = int(last or 0) + 1
                inserted = conn.execute(
                    gold_versions.insert().values(
                        document_id=d.document_id,
                        annotator=d.annotator[:256],
                        version=version,
                        origin=d.origin,
                        imported_at=_now(),
                    )
                ).inserted_primary_key
                assert inserted is not None
                rows = [
                    {
                        "version_id": int(inserted[0]),
                        "kind": a.kind,
                        "start": a.start,
                        "end": a.end,
                        "label": a.label,
                        "speaker": a.speaker[:256] if a.speaker else None,
                    }
                    for a in d.annotations
                ]
                if rows:
                    conn.execute(gold_annotations.insert(), rows)
                written.append(version)
    except DBAPIError as exc:
        raise explain(exc, store.url) from exc
    return written


def gold_versions_of(store: Store, document_id: int) -> list[GoldVersion]:
    """Every stored version of a document, oldest first."""
    return _read(store, [gold_versions.c.document_id == document_id])


def latest_gold(store: Store, annotator: str | None = None) -> list[GoldVersion]:
    """The gold of every document that has some: its most recently imported version (of
    ``annotator``'s, when given), ordered by document."""
    where = [] if annotator is None else [gold_versions.c.annotator == annotator]
    latest: dict[int, GoldVersion] = {}
    for v in _read(store, where):
        latest[v.document_id] = v  # rows come oldest first, so the last one wins
    return [latest[k] for k in sorted(latest)]


def _read(store: Store, where: Sequence[Any]) -> list[GoldVersion]:
    stmt = select(gold_versions).order_by(gold_versions.c.imported_at, gold_versions.c.id)
    for clause in where:
        stmt = stmt.where(clause)
    with store.engine.connect() as conn:
        heads = conn.execute(stmt).mappings().all()
        ids = [h["id"] for h in heads]
        rows = (
            conn.execute(
                select(gold_annotations)
                .where(gold_annotations.c.version_id.in_(ids))
                .order_by(gold_annotations.c.id)
            )
            .mappings()
            .all()
            if ids
            else []
        )
    by_version: dict[int, list[GoldAnnotation]] = {}
    for r in rows:
        by_version.setdefault(r["version_id"], []).append(
            GoldAnnotation(r["kind"], r["label"], r["start"], r["end"], r["speaker"])
        )
    return [
        GoldVersion(
            document_id=h["document_id"],
            annotator=h["annotator"],
            version=h["version"],
            origin=h["origin"],
            imported_at=h["imported_at"],
            annotations=tuple(by_version.get(h["id"], [])),
        )
        for h in heads
    ]


def document_of(store: Store, sha256: str | None, row_id: object) -> int | None:
    """The stored document a task points at: by the hash of its text, or by row id for a
    task that carries no hash."""
    with store.engine.connect() as conn:
        if sha256:
            found = conn.execute(
                select(documents.c.id).where(documents.c.sha256 == str(sha256))
            ).first()
            if found:
                return int(found[0])
        elif isinstance(row_id, int) and not isinstance(row_id, bool):
            found = conn.execute(select(documents.c.id).where(documents.c.id == row_id)).first()
            if found:
                return int(found[0])
    return None
