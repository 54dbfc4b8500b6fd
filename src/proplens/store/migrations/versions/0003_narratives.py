"""Narratives a corpus invents: clustering runs, narratives, their claims, documents read.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fk(table: str) -> sa.ForeignKey:
    return sa.ForeignKey(f"{table}.id", ondelete="CASCADE")


def upgrade() -> None:
    op.create_table(
        "narrative_runs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.DateTime, nullable=False),
        sa.Column("claims", sa.Integer, nullable=False),
        sa.Column("clustered", sa.Integer, nullable=False),
        sa.Column("params", sa.JSON, nullable=False),
    )
    op.create_table(
        "narratives",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("run_id", sa.Integer, _fk("narrative_runs"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("label", sa.String(512), nullable=False),
        sa.Column("phrases", sa.JSON, nullable=False),
        sa.Column("examples", sa.JSON, nullable=False),
        sa.Column("centroid", sa.JSON, nullable=False),
        sa.Column("radius", sa.Float, nullable=False),
    )
    op.create_index("ix_narratives_run", "narratives", ["run_id"])
    op.create_table(
        "narrative_claims",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("narrative_id", sa.Integer, _fk("narratives"), nullable=False),
        sa.Column("document_id", sa.Integer, _fk("documents"), nullable=False),
        sa.Column("start", sa.Integer, nullable=False),
        sa.Column("end", sa.Integer, nullable=False),
        sa.Column("similarity", sa.Float, nullable=False),
    )
    op.create_index("ix_narrative_claims_narrative", "narrative_claims", ["narrative_id"])
    op.create_index("ix_narrative_claims_document", "narrative_claims", ["document_id"])
    op.create_table(
        "narrative_seen",
        sa.Column("run_id", sa.Integer, _fk("narrative_runs"), primary_key=True),
        sa.Column("document_id", sa.Integer, _fk("documents"), primary_key=True),
    )


def downgrade() -> None:
    for table in ("narrative_seen", "narrative_claims", "narratives", "narrative_runs"):
        op.drop_table(table)
