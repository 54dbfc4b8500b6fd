"""Databases for the store tests: a SQLite file, and a real PostgreSQL server on loopback.

PostgreSQL: ``$PROPLENS_TEST_PG_URL`` if set, else a throw-away cluster started here with
``initdb``/``pg_ctl`` (as the ``postgres`` user when running as root). If no server can
be started the PostgreSQL tests are skipped, and the reason is printed loudly.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_postgres() -> tuple[str, list[str]] | str:
    """(url, stop command) or the reason it could not start."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        return "initdb/pg_ctl not found (install Debian's postgresql package)"
    prefix: list[str] = []
    if os.geteuid() == 0:
        runuser = shutil.which("runuser")
        if not runuser:
            return "running as root and runuser is missing"
        prefix = [runuser, "-u", "postgres", "--"]
    base = Path(tempfile.mkdtemp(prefix="proplens-pg-"))
    data, sock = base / "data", base / "sock"
    sock.mkdir()
    if prefix:
        shutil.chown(base, "postgres")
        shutil.chown(sock, "postgres")
        base.chmod(0o755)
    port = _free_port()
    try:
        subprocess.run(
            [*prefix, initdb, "-D", str(data), "-U", "proplens", "--auth=trust", "-E", "UTF8"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-w", "-l", str(base / "log"), "-o",
             f"-h 127.0.0.1 -p {port} -k {sock} -F", "start"],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        return f"could not start PostgreSQL: {exc} {detail.decode(errors='replace')[-300:]}"
    url = f"postgresql://proplens@127.0.0.1:{port}/postgres"
    return url, [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"]


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    url = os.environ.get("PROPLENS_TEST_PG_URL")
    if url:
        yield url
        return
    started = _start_postgres()
    if isinstance(started, str):
        message = f"\n*** PostgreSQL tests SKIPPED: {started} ***\n"
        sys.stderr.write(message)
        pytest.skip(message)
    url, stop = started
    try:
        yield url
    finally:
        subprocess.run(stop, capture_output=True, timeout=60)


@pytest.fixture
def pg_url(pg_server: str) -> Iterator[str]:
    """A fresh, empty database on the test server for each test."""
    import uuid

    import psycopg

    name = f"t_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield pg_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(pg_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'corpus.db'}"
    return str(request.getfixturevalue("pg_url"))
