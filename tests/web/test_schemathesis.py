"""Property-based run of the OpenAPI schema: no request may crash the server."""

from __future__ import annotations

from pathlib import Path

import pytest

schemathesis = pytest.importorskip("schemathesis")

from hypothesis import HealthCheck, settings  # noqa: E402

from proplens.web.app import Settings, create_app  # noqa: E402

_db = Path(__import__("tempfile").mkdtemp()) / "schema.db"
schema = schemathesis.openapi.from_asgi(
    "/openapi.json", create_app(Settings(db_url=f"sqlite:///{_db}"))
)


@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
def test_api_never_errors(case) -> None:  # type: ignore[no-untyped-def]
    response = case.call()
    assert response.status_code < 500, response.text
    case.validate_response(response)
    if response.status_code >= 400 and isinstance(case.body, dict):
        sent = [v for v in case.body.values() if isinstance(v, str) and len(v) >= 12]
        assert not any(v in response.text for v in sent), "an error reply echoes the input"
