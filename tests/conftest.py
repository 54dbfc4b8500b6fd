"""Fixtures shared by all tests (helpers live in helpers.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import OPED, SCHEMA, make_semeval


@pytest.fixture
def oped_file(tmp_path: Path) -> Path:
    path = tmp_path / "oped.txt"
    path.write_text(OPED, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def schema() -> dict[str, object]:
    return json.loads(SCHEMA.read_text())


@pytest.fixture(scope="session")
def tiny_semeval(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_semeval(tmp_path_factory.mktemp("semeval"))


@pytest.fixture
def web_db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'web.db'}"


@pytest.fixture
def client(web_db_url: str) -> Iterator[object]:
    from fastapi.testclient import TestClient

    from proplens.web.app import Settings, create_app

    with TestClient(create_app(Settings(db_url=web_db_url))) as c:
        yield c
