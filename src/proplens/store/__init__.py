"""The corpus store: analysed documents with their annotations, searchable, in SQL.

One code path for SQLite (the default, ``sqlite:///proplens.db``) and PostgreSQL
(``postgresql://...``) through SQLAlchemy Core; the schema is created and upgraded by
Alembic migrations when the store is opened (`connect`). The `Store` (`store`) writes each
document in one transaction; `queries` holds the searches and counts, `batch` the runs
that analyse and store many documents, `export` the file formats.
"""

from __future__ import annotations

from proplens.analysis import AUTHOR
from proplens.store.connect import DEFAULT_URL, normalise_url, open_store, upgrade
from proplens.store.errors import StoreError, explain, redact
from proplens.store.store import SearchHit, Store, model_version_of, technique_names

__all__ = [
    "AUTHOR",
    "DEFAULT_URL",
    "SearchHit",
    "Store",
    "StoreError",
    "explain",
    "model_version_of",
    "normalise_url",
    "open_store",
    "redact",
    "technique_names",
    "upgrade",
]
