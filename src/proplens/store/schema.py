"""Tables of the corpus store (SQLAlchemy Core), shared by SQLite and PostgreSQL.

Full-text search is dialect-specific and lives in the migrations: an FTS5 table
``documents_fts`` on SQLite, a generated ``tsvector`` column with a GIN index on
PostgreSQL.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

metadata = MetaData()

documents = Table(
    "documents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("doc_id", String(512), nullable=False),
    Column("source", String(256), nullable=False, server_default=""),
    Column("path", Text),
    Column("sha256", String(64), nullable=False, unique=True),
    Column("lang", String(8)),
    Column("title", Text, nullable=False, server_default=""),
    Column("text", Text, nullable=False),
    Column("words", Integer, nullable=False),
    Column("published", DateTime),
    Column("added_at", DateTime, nullable=False),
    Column("genre", String(32)),
    Column("model_version", String(128), nullable=False),
    Column("analysis", JSON, nullable=False),
)
Index("ix_documents_source", documents.c.source)
Index("ix_documents_published", documents.c.published)

technique_spans = Table(
    "technique_spans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("technique", String(64), nullable=False),
    Column("score", Float, nullable=False),
    Column("speaker", String(256), nullable=False),
    Column("target", String(256)),
)
Index("ix_spans_document", technique_spans.c.document_id)
Index("ix_spans_technique", technique_spans.c.technique)

actors = Table(
    "actors",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(256), nullable=False),
    Column("type", String(32), nullable=False),
    Column("mentions", Integer, nullable=False),
    Column("stance", Float),
)
Index("ix_actors_document", actors.c.document_id)
Index("ix_actors_name", actors.c.name)

failures = Table(
    "failures",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("path", Text, nullable=False, unique=True),
    Column("source", String(256), nullable=False, server_default=""),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="1"),
    Column("last_at", DateTime, nullable=False),
)

#: One import of an analyst's corrections of one document (`corpus import-labels`): the
#: annotator, the version (1, 2, ... per document and annotator) and where it came from.
#: A version with no rows in `gold_annotations` says "nothing here", which is gold too.
gold_versions = Table(
    "gold_versions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("annotator", String(256), nullable=False),
    Column("version", Integer, nullable=False),
    Column("origin", Text, nullable=False),
    Column("imported_at", DateTime, nullable=False),
)
Index("ix_gold_versions_document", gold_versions.c.document_id)

#: The annotations of a gold version: technique spans, quotes, threats (``start``/``end``
#: into the stored text) and document labels (``genre``, no offsets).
gold_annotations = Table(
    "gold_annotations",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "version_id", Integer, ForeignKey("gold_versions.id", ondelete="CASCADE"), nullable=False
    ),
    Column("kind", String(32), nullable=False),
    Column("start", Integer),
    Column("end", Integer),
    Column("label", String(128), nullable=False),
    Column("speaker", String(256)),
)
Index("ix_gold_annotations_version", gold_annotations.c.version_id)

#: One clustering of the corpus's claims (`corpus narratives discover`); the latest run is
#: the current set of narratives, and documents added later are assigned to it.
narrative_runs = Table(
    "narrative_runs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", DateTime, nullable=False),
    Column("claims", Integer, nullable=False),
    Column("clustered", Integer, nullable=False),
    Column("params", JSON, nullable=False),
)

#: A recurring claim: its key phrases, typical sentences and centroid (a unit USE vector).
narratives = Table(
    "narratives",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("run_id", Integer, ForeignKey("narrative_runs.id", ondelete="CASCADE"), nullable=False),
    Column("number", Integer, nullable=False),
    Column("label", String(512), nullable=False),
    Column("phrases", JSON, nullable=False),
    Column("examples", JSON, nullable=False),
    Column("centroid", JSON, nullable=False),
    Column("radius", Float, nullable=False),
)
Index("ix_narratives_run", narratives.c.run_id)

#: A claim-bearing sentence of a document assigned to a narrative.
narrative_claims = Table(
    "narrative_claims",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "narrative_id", Integer, ForeignKey("narratives.id", ondelete="CASCADE"), nullable=False
    ),
    Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
    Column("start", Integer, nullable=False),
    Column("end", Integer, nullable=False),
    Column("similarity", Float, nullable=False),
)
Index("ix_narrative_claims_narrative", narrative_claims.c.narrative_id)
Index("ix_narrative_claims_document", narrative_claims.c.document_id)

#: The documents a run has read (clustered or assigned), so later ones can be told apart.
narrative_seen = Table(
    "narrative_seen",
    metadata,
    Column(
        "run_id", Integer, ForeignKey("narrative_runs.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    ),
)
