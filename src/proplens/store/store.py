"""The `Store`: writing analysed documents with their annotations, searching and counting.

Each document is written in one transaction with all its annotations, so an interrupted
run never leaves half a document, and documents are keyed by the SHA-256 of their text so
nothing is stored twice.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, and_, func, or_, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

from proplens.analysis import Analysis
from proplens.store.errors import explain
from proplens.store.schema import (
    actors,
    documents,
    failures,
    narrative_claims,
    narrative_seen,
    technique_spans,
)

#: Width of the `technique_spans.target` column.
TARGET_CHARS = 256


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class SearchHit:
    id: int
    doc_id: str
    source: str
    title: str
    lang: str | None
    published: str | None
    techniques: int
    snippet: str

    def to_dict(self) -> dict[str, Any]:
        return self.__dict__.copy()


class Store:
    """A corpus database; open it with `open_store`."""

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        self.dialect = engine.dialect.name

    def close(self) -> None:
        self.engine.dispose()

    # -- writing ---------------------------------------------------------------------------
    def id_of(self, sha256: str) -> int | None:
        """Row id of the stored document with this text hash, if any."""
        with self.engine.connect() as conn:
            row = conn.execute(select(documents.c.id).where(documents.c.sha256 == sha256)).first()
        return int(row[0]) if row else None

    def known_hashes(self) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(select(documents.c.sha256)).scalars())

    def add(
        self, analysis: Analysis, source: str = "", published: dt.datetime | None = None
    ) -> int | None:
        """Store one analysed document with all its annotations in one transaction.

        Returns the new row id, or None if a document with the same text is already stored.
        """
        doc = analysis.document
        payload = analysis.to_dict()
        title = doc.span_text(doc.paragraphs[0]) if doc.paragraphs else ""
        try:
            with self.engine.begin() as conn:
                if conn.execute(
                    select(documents.c.id).where(documents.c.sha256 == doc.sha256)
                ).first():
                    return None
                inserted = conn.execute(
                    documents.insert().values(
                        doc_id=doc.id,
                        source=source,
                        path=doc.source,
                        sha256=doc.sha256,
                        lang=doc.lang,
                        title=title[:1000],
                        text=doc.text,
                        words=doc.word_count,
                        published=published,
                        added_at=_now(),
                        genre=analysis.genre.label if analysis.genre else None,
                        model_version=model_version_of(analysis),
                        analysis=payload,
                    )
                ).inserted_primary_key
                assert inserted is not None
                row_id = int(inserted[0])
                self._insert_annotations(conn, row_id, analysis)
                if self.dialect == "sqlite":
                    conn.execute(
                        text(
                            "INSERT INTO documents_fts(rowid, title, text) "
                            "VALUES (:id, :title, :text)"
                        ),
                        {"id": row_id, "title": title, "text": doc.text},
                    )
                if doc.source:
                    conn.execute(failures.delete().where(failures.c.path == doc.source))
                return row_id
        except DBAPIError as exc:
            raise explain(exc, self.url) from exc

    def _insert_annotations(self, conn: Connection, row_id: int, analysis: Analysis) -> None:
        spans = [
            {
                "document_id": row_id,
                "start": t.start,
                "end": t.end,
                "technique": t.technique,
                "score": t.score,
                "speaker": t.speaker,
                "target": t.target[:TARGET_CHARS] if t.target else None,
            }
            for t in analysis.techniques
        ]
        if spans:
            conn.execute(technique_spans.insert(), spans)
        people = [
            {
                "document_id": row_id,
                "name": a.name,
                "type": a.type,
                "mentions": len(a.mentions),
                "stance": a.stance,
            }
            for a in analysis.actors
        ]
        if people:
            conn.execute(actors.insert(), people)

    def record_failure(self, path: str, error: str, source: str = "") -> None:
        """Remember a document that failed, for ``corpus add --retry-failed``."""
        try:
            with self.engine.begin() as conn:
                found = conn.execute(select(failures.c.id).where(failures.c.path == path)).first()
                if found:
                    conn.execute(
                        failures.update()
                        .where(failures.c.id == found[0])
                        .values(error=error, attempts=failures.c.attempts + 1, last_at=_now())
                    )
                else:
                    conn.execute(
                        failures.insert().values(
                            path=path, source=source, error=error, last_at=_now()
                        )
                    )
        except DBAPIError as exc:
            raise explain(exc, self.url) from exc

    def failed(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(failures).order_by(failures.c.id)).mappings().all()
        return [dict(r) for r in rows]

    def replace_analysis(self, row_id: int, analysis: Analysis) -> None:
        """Swap a document's annotations for a new analysis (after a model update)."""
        try:
            with self.engine.begin() as conn:
                conn.execute(
                    technique_spans.delete().where(technique_spans.c.document_id == row_id)
                )
                conn.execute(actors.delete().where(actors.c.document_id == row_id))
                # its claims change with its spans: it is assigned to the narratives again
                conn.execute(
                    narrative_claims.delete().where(narrative_claims.c.document_id == row_id)
                )
                conn.execute(narrative_seen.delete().where(narrative_seen.c.document_id == row_id))
                conn.execute(
                    documents.update()
                    .where(documents.c.id == row_id)
                    .values(
                        analysis=analysis.to_dict(),
                        model_version=model_version_of(analysis),
                        genre=analysis.genre.label if analysis.genre else None,
                        lang=analysis.document.lang,
                    )
                )
                self._insert_annotations(conn, row_id, analysis)
        except DBAPIError as exc:
            raise explain(exc, self.url) from exc

    def languages(self) -> list[str | None]:
        """The languages stored documents were analysed in (``None`` where none was set)."""
        with self.engine.connect() as conn:
            return [r[0] for r in conn.execute(select(documents.c.lang).distinct()).all()]

    def outdated(
        self, versions: Mapping[str | None, str]
    ) -> Iterator[tuple[int, str, str, str | None, str | None]]:
        """(row id, doc id, text, lang, path) of documents whose model version differs from
        the current one for their language (``versions`` maps each stored language to it)."""
        stale = [
            and_(
                documents.c.lang.is_(None) if lang is None else documents.c.lang == lang,
                documents.c.model_version != version,
            )
            for lang, version in versions.items()
        ]
        if not stale:
            return
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(
                    documents.c.id,
                    documents.c.doc_id,
                    documents.c.text,
                    documents.c.lang,
                    documents.c.path,
                )
                .where(or_(*stale))
                .order_by(documents.c.id)
            ).all()
        for r in rows:
            yield int(r[0]), r[1], r[2], r[3], r[4]

    # -- reading ---------------------------------------------------------------------------
    def count(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(documents)).scalar_one())

    def get(self, row_id: int) -> dict[str, Any] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(documents).where(documents.c.id == row_id)).mappings().first()
        return None if row is None else _plain(row)

    def search(
        self,
        query: str | None = None,
        *,
        technique: str | None = None,
        speaker: str | None = None,
        actor: str | None = None,
        source: str | None = None,
        since: dt.date | None = None,
        limit: int = 20,
        offset: int = 0,
        narrative: int | None = None,
    ) -> list[SearchHit]:
        """Full-text search combined with filters on the annotations.

        ``speaker`` is ``"author"`` (spans in the author's voice) or ``"quoted"`` (inside quotes);
        ``technique``/``speaker`` together require one span with both; ``narrative`` (a
        narrative's id, `corpus narratives`) requires a claim assigned to it.
        """
        from proplens.store.queries import search_statement

        stmt, params = search_statement(
            self.dialect, query, technique, speaker, actor, source, since, limit, offset, narrative
        )
        try:
            with self.engine.connect() as conn:
                rows = conn.execute(stmt, params).mappings().all()
        except DBAPIError as exc:
            raise explain(exc, self.url) from exc
        return [
            SearchHit(
                id=r["id"],
                doc_id=r["doc_id"],
                source=r["source"],
                title=r["title"],
                lang=r["lang"],
                published=(
                    r["published"].isoformat()
                    if isinstance(r["published"], dt.datetime)
                    else r["published"]
                ),
                techniques=int(r["n_spans"] or 0),
                snippet=_snippet(r["text"], query),
            )
            for r in rows
        ]

    def stats(self, by: str = "technique") -> dict[str, Any]:
        from proplens.store.queries import stats

        try:
            with self.engine.connect() as conn:
                return stats(conn, by)
        except DBAPIError as exc:
            raise explain(exc, self.url) from exc

    def export_rows(
        self, source: str | None = None, limit: int | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every document with its analysis (of one ``source``, the first ``limit``), oldest
        first."""
        stmt = select(documents).order_by(documents.c.id)
        if source is not None:
            stmt = stmt.where(documents.c.source == source)
        if limit is not None:
            stmt = stmt.limit(limit)
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(stmt)
            for row in result.mappings():
                yield _plain(row)


def _plain(row: Mapping[Any, Any]) -> dict[str, Any]:
    """A documents row as JSON-ready values (no tsvector, parsed analysis, ISO dates)."""
    out = {k: v for k, v in row.items() if k != "tsv"}
    if isinstance(out["analysis"], str):
        out["analysis"] = json.loads(out["analysis"])
    for key in ("published", "added_at"):
        out[key] = out[key].isoformat() if out[key] else None
    return out


def model_version_of(analysis: Analysis) -> str:
    return ";".join(f"{k}={v}" for k, v in sorted(analysis.model_versions.items())) or "none"


def _snippet(body: str, query: str | None, width: int = 160) -> str:
    flat = " ".join(body.split())
    if query:
        for word in query.split():
            pos = flat.lower().find(word.strip('"*').lower())
            if pos >= 0:
                start = max(0, pos - width // 3)
                return ("…" if start else "") + flat[start : start + width]
    return flat[:width]


def technique_names(store: Store) -> Sequence[str]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(technique_spans.c.technique).distinct()).scalars())
