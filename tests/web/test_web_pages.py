"""What a researcher expects of the pages: pagination, a date filter, exports (#23)."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient

from helpers import WEB_ARTICLE as ARTICLE
from proplens.web import app as web_app


def _store(client: TestClient, n: int) -> list[int]:
    ids = []
    for i in range(n):
        text = ARTICLE.replace("Northbay", f"Northbay{i}")
        if i == 0:  # a title a spreadsheet would run as a formula
            text = '=HYPERLINK("http://evil.example","click") harbour news\n\n' + text
        reply = client.post(
            "/api/documents",
            json={"text": text, "source": "planet", "published": f"2024-0{i + 1}-15"},
        )
        assert reply.status_code == 201
        ids.append(reply.json()["id"])
    return ids


def test_documents_are_paged_and_filtered_by_date(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(web_app, "PAGE_SIZE", 2)
    _store(client, 3)
    first = client.get("/documents", params={"q": "harbour"})
    assert first.text.count('href="/documents/') == 2 and 'id="next-page"' in first.text
    second = client.get("/documents", params={"q": "harbour", "page": 2})
    assert second.text.count('href="/documents/') == 1 and 'rel="prev"' in second.text
    assert 'id="next-page"' not in second.text
    recent = client.get("/documents", params={"since": "2024-02-01"})
    assert recent.text.count('href="/documents/') == 2
    assert client.get("/documents", params={"since": "yesterday"}).status_code == 422


def test_exports_of_a_search_and_of_a_document(client: TestClient) -> None:
    ids = _store(client, 2)
    listing = client.get("/documents", params={"q": "harbour"})
    assert 'href="/documents.csv?q=harbour"' in listing.text
    assert 'href="/api/documents?q=harbour&amp;limit=200"' in listing.text
    rows = list(csv.DictReader(io.StringIO(client.get("/documents.csv?q=harbour").text)))
    assert sorted(int(r["id"]) for r in rows) == sorted(ids)
    titles = {int(r["id"]): r["title"] for r in rows}
    assert titles[ids[0]].startswith("'=HYPERLINK(")  # written as text, not run
    page = client.get(f"/documents/{ids[0]}")
    assert f'href="/api/documents/{ids[0]}"' in page.text and 'id="about-scores"' in page.text
    spans_csv = client.get(f"/documents/{ids[0]}.csv")
    assert spans_csv.headers["content-type"].startswith("text/csv")
    spans = list(csv.DictReader(io.StringIO(spans_csv.text)))
    assert spans and {"start", "end", "technique", "score", "speaker", "text"} <= set(spans[0])
    assert client.get("/documents/999.csv").status_code == 404
