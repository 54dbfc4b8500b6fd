"""The narratives pages and API: listing, time chart data, click-through, escaping."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from helpers import STORIES, add_story, story_corpus
from proplens.store import open_store

pytest.importorskip("sklearn")

HOSTILE = '<img src=x onerror="alert(1)"> The vaccine makers hide how many children died.'


@pytest.fixture
def narrated(web_db_url: str) -> str:
    from proplens.store.narratives import discover

    store = open_store(web_db_url)
    try:
        STORIES["vaccine"].append(HOSTILE)  # one claim carries markup, as an attacker's would
        try:
            story_corpus(store)
            add_story(store, "vaccine", 5, month=2)  # its claims: the one with markup, the first
        finally:
            STORIES["vaccine"].remove(HOSTILE)
        discover(store, min_size=3, min_documents=2)
    finally:
        store.close()
    return web_db_url


def test_pages_before_any_discovery_say_what_to_do(client: TestClient) -> None:
    page = client.get("/narratives")
    assert page.status_code == 200 and "corpus narratives discover" in page.text
    assert client.get("/api/narratives").json() == {"narratives": [], "unassigned": 0}
    assert client.get("/narratives/1").status_code == 404


def test_narratives_list_chart_data_and_click_through(narrated: str, client: TestClient) -> None:
    payload = client.get("/api/narratives").json()
    table = payload["narratives"]
    assert len(table) == 3 and payload["unassigned"] == 0
    vaccine = next(n for n in table if "vaccine" in n["label"])
    assert vaccine["by_month"]["undated"] >= 1 and vaccine["by_month"]["2024-02"] >= 1
    page = client.get("/narratives")
    assert "left out of the time chart" in page.text and "/static/narratives.js" in page.text
    assert f'href="/narratives/{vaccine["id"]}"' in page.text
    one = client.get(f"/narratives/{vaccine['id']}")
    assert one.status_code == 200
    assert "alert(1)" in one.text and "<img src=x" not in one.text  # escaped
    assert "&lt;img src=x" in one.text
    claims = client.get(f"/api/narratives/{vaccine['id']}/claims?limit=500").json()["claims"]
    assert {c["doc_id"].split("-")[0] for c in claims} == {"vaccine"}
    assert any(HOSTILE in c["text"] for c in claims)
    docs = client.get(f"/documents?narrative={vaccine['id']}")
    assert docs.status_code == 200 and "documents 1–6" in docs.text
    assert "Report vaccine" in docs.text and "Report farmland" not in docs.text
    found = client.get(f"/api/documents?narrative={vaccine['id']}&limit=100").json()["results"]
    assert {h["doc_id"].split("-")[0] for h in found} == {"vaccine"}
    assert client.get("/documents?narrative=abc").status_code == 422
    assert client.get("/api/narratives/999999/claims").status_code == 404
