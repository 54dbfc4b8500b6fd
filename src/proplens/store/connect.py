"""Opening a store: the URL, the engine, SQLite's settings and the Alembic migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, OperationalError

from proplens.store.errors import StoreError, explain, redact
from proplens.store.store import Store

DEFAULT_URL = "sqlite:///proplens.db"


def normalise_url(url: str) -> str:
    """Use psycopg 3 for ``postgresql://`` URLs."""
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def _sqlite_pragmas(dbapi_connection: Any, _: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def open_store(url: str = DEFAULT_URL, *, migrate: bool = True) -> Store:
    """Connect and bring the schema up to date (Alembic ``upgrade head``)."""
    real = normalise_url(url)
    if real.startswith("sqlite:///"):
        folder = Path(real[len("sqlite:///") :]).parent
        if str(folder) not in ("", ".") and not folder.exists():
            raise StoreError(f"database {url}: folder {folder} does not exist")
    try:
        engine = create_engine(real, pool_pre_ping=True)
    except Exception as exc:  # bad URL, missing driver
        raise StoreError(f"database {redact(url)}: {exc}") from exc
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    store = Store(engine, url)
    if migrate:
        try:
            upgrade(engine)
        except (OperationalError, DBAPIError) as exc:
            engine.dispose()
            raise explain(exc, url) from exc
    return store


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
