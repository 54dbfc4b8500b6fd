"""REST API and pages through FastAPI's test client."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from helpers import WEB_ARTICLE as ARTICLE
from helpers import validate
from proplens.web.app import Settings, create_app, is_loopback


def test_analyze_returns_the_analysis_schema(client: TestClient, schema: dict[str, Any]) -> None:
    r = client.post("/api/analyze", json={"text": ARTICLE, "lang": "en"})
    assert r.status_code == 200
    validate(r.json(), schema)
    assert r.json()["techniques"]
    assert "script-src 'self'" in r.headers["content-security-policy"]
    assert "unsafe-inline" not in r.headers["content-security-policy"]


def test_analyze_rejects_empty_text(client: TestClient) -> None:
    assert client.post("/api/analyze", json={"text": ""}).status_code == 422
    assert client.post("/api/analyze", content=b"{not json").status_code == 422


def test_documents_store_search_get_stats(client: TestClient) -> None:
    r = client.post(
        "/api/documents", json={"text": ARTICLE, "source": "planet", "published": "2024-05-01"}
    )
    assert r.status_code == 201
    doc_id = r.json()["id"]
    again = client.post("/api/documents", json={"text": ARTICLE, "source": "planet"})
    assert again.status_code == 200 and again.json() == {**r.json(), "added": False}
    hits = client.get("/api/documents", params={"q": "harbour"}).json()["results"]
    assert [h["id"] for h in hits] == [doc_id]
    assert client.get("/api/documents", params={"q": "zeppelin"}).json() == {"results": []}
    doc = client.get(f"/api/documents/{doc_id}").json()
    assert doc["source"] == "planet" and doc["analysis"]["schema"] == "proplens/analysis@1"
    assert doc["published"].startswith("2024-05-01")
    assert client.get("/api/documents/999").status_code == 404
    stats = client.get("/api/stats").json()
    assert stats["documents"] == 1 and stats["rows"]
    assert client.get("/api/stats", params={"by": "nonsense"}).status_code == 422
    page = client.get(f"/documents/{doc_id}")
    assert page.status_code == 200 and "Marta Olsen" in page.text
    listing = client.get("/documents", params={"q": "harbour"})
    assert f'href="/documents/{doc_id}"' in listing.text


def test_hostile_text_is_escaped_everywhere(client: TestClient) -> None:
    evil = (
        "Title <script>alert(1)</script>\n"
        '"<img src=x onerror=alert(2)> said it," said <b>Eve</b>.\n'
    )
    page = client.post("/", data={"text": evil})
    assert page.status_code == 200
    assert "<script>alert(1)" not in page.text and "<img src=x" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    r = client.post("/api/documents", json={"text": evil, "source": "<svg onload=x>"})
    listing = client.get("/documents")
    assert "<svg onload" not in listing.text and "&lt;svg onload=x&gt;" in listing.text
    doc = client.get(f"/documents/{r.json()['id']}")
    assert "<script>alert(1)" not in doc.text


def test_upload_html_file(client: TestClient) -> None:
    body = " ".join(["The reckless council betrayed the town again."] * 10)
    html = (
        "<html><head><title>Council</title><script>x()</script></head><body><article>"
        f"<p>{body}</p><p>{body}</p></article></body></html>"
    )
    page = client.post("/", files={"file": ("page.html", html.encode(), "text/html")})
    assert page.status_code == 200 and "betrayed the town" in page.text and "x()" not in page.text
    bad = client.post("/", files={"file": ("bin.txt", b"\x00\x01", "text/plain")})
    assert bad.status_code == 422 and "binary file" in bad.text


def test_body_over_the_limit_gets_413(web_db_url: str) -> None:
    with TestClient(create_app(Settings(db_url=web_db_url, max_body_bytes=1000))) as c:
        assert c.post("/api/analyze", json={"text": "x" * 5000}).status_code == 413
        assert c.post("/api/analyze", json={"text": "short text here"}).status_code == 200


def test_text_over_the_character_limit_gets_413(web_db_url: str) -> None:
    with TestClient(create_app(Settings(db_url=web_db_url, max_chars=40))) as c:
        too_long = c.post("/api/analyze", json={"text": "The ferry is late again. " * 4})
        assert too_long.status_code == 413 and "over the 40 limit" in too_long.text
        page = c.post("/", data={"text": "The ferry is late again. " * 4})
        assert page.status_code == 422 and "over the 40 limit" in page.text
        assert c.post("/api/analyze", json={"text": "The ferry is late."}).status_code == 200


def test_an_analysis_past_the_limit_is_stopped_and_frees_its_slot(web_db_url: str) -> None:
    settings = Settings(
        db_url=web_db_url, analysis_timeout_s=1.0, max_concurrent=1, max_chars=2_000_000
    )
    long_text = "Title\n\n" + "The council lies to us again and again. " * 6000
    with TestClient(create_app(settings)) as c:
        assert c.post("/api/analyze", json={"text": "The ferry is late."}).status_code == 200
        for _ in range(2):  # the second waits for the worker that replaces the first
            reply = c.post("/api/analyze", json={"text": long_text})
            assert reply.status_code == 504 and "stopped" in reply.json()["detail"]
        started = time.monotonic()
        assert c.post("/api/analyze", json={"text": "The ferry is late."}).status_code == 200
        # a thread would still hold the only slot for the long text's whole analysis (about
        # 20 s); a stopped worker is replaced by a fork of one that has the models loaded
        assert time.monotonic() - started < 5


def test_token_required_when_configured(web_db_url: str) -> None:
    with TestClient(create_app(Settings(db_url=web_db_url, token="s3cret"))) as c:
        assert c.get("/").status_code == 401
        assert c.post("/api/analyze", json={"text": "hi"}).status_code == 401
        ok = c.post(
            "/api/analyze", json={"text": "hi there"}, headers={"Authorization": "Bearer s3cret"}
        )
        assert ok.status_code == 200
        assert c.get("/", params={"token": "wrong"}).status_code == 401
        first = c.get("/", params={"token": "s3cret"})
        assert first.status_code == 200 and "proplens_token" in first.headers["set-cookie"]
        assert c.get("/documents").status_code == 200  # the cookie carries the token


def test_loopback_detection() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5")


def test_serve_refuses_public_bind_without_token(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from proplens.cli import main

    monkeypatch.delenv("PROPLENS_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "without a token" in result.output


def test_openapi_documents_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert {"/api/analyze", "/api/documents", "/api/documents/{doc_id}", "/api/stats"} <= set(
        spec["paths"]
    )
    assert client.get("/docs").status_code == 200
