"""Initial corpus schema: documents, spans, actors, failures, full-text index.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("doc_id", sa.String(512), nullable=False),
        sa.Column("source", sa.String(256), nullable=False, server_default=""),
        sa.Column("path", sa.Text),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("lang", sa.String(8)),
        sa.Column("title", sa.Text, nullable=False, server_default=""),
        sa.Column("text", sa.Text, nullable=False),
        sa.Column("words", sa.Integer, nullable=False),
        sa.Column("published", sa.DateTime),
        sa.Column("added_at", sa.DateTime, nullable=False),
        sa.Column("genre", sa.String(32)),
        sa.Column("model_version", sa.String(128), nullable=False),
        sa.Column("analysis", sa.JSON, nullable=False),
    )
    op.create_index("ix_documents_source", "documents", ["source"])
    op.create_index("ix_documents_published", "documents", ["published"])
    op.create_table(
        "technique_spans",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("technique", sa.String(64), nullable=False),
        sa.Column("score", sa.Float, nullable=False),
        sa.Column("speaker", sa.String(256), nullable=False),
        sa.Column("target", sa.String(256)),
    )
    op.create_index("ix_spans_document", "technique_spans", ["document_id"])
    op.create_index("ix_spans_technique", "technique_spans", ["technique"])
    op.create_table(
        "actors",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "document_id",
            sa.Integer,
            sa.ForeignKey("documents.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("name", sa.String(256), nullable=False),
        sa.Column("type", sa.String(32), nullable=False),
        sa.Column("mentions", sa.Integer, nullable=False),
        sa.Column("stance", sa.Float),
    )
    op.create_index("ix_actors_document", "actors", ["document_id"])
    op.create_index("ix_actors_name", "actors", ["name"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("path", sa.Text, nullable=False, unique=True),
        sa.Column("source", sa.String(256), nullable=False, server_default=""),
        sa.Column("error", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="1"),
        sa.Column("last_at", sa.DateTime, nullable=False),
    )
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE VIRTUAL TABLE documents_fts USING fts5("
            "title, text, content='documents', content_rowid='id', tokenize='unicode61')"
        )
    else:
        op.execute(
            "ALTER TABLE documents ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(to_tsvector('simple', coalesce(title, '') || ' ' || text)) STORED"
        )
        op.execute("CREATE INDEX ix_documents_tsv ON documents USING gin (tsv)")


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE documents_fts")
    for table in ("failures", "actors", "technique_spans", "documents"):
        op.drop_table(table)
