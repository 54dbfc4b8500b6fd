"""The web server against a hostile or careless client (issue #23)."""

from __future__ import annotations

import logging

from fastapi.testclient import TestClient

from helpers import WEB_ARTICLE as ARTICLE
from proplens.web.app import LOOPBACK_NAMES, RedactToken, Settings, create_app

SECURITY_HEADERS = ("content-security-policy", "x-content-type-options")


def _secured(reply: object) -> bool:
    headers = reply.headers  # type: ignore[attr-defined]
    return all(h in headers for h in SECURITY_HEADERS)


def test_a_lone_surrogate_is_replaced_not_a_500(client: TestClient) -> None:
    body = b'{"text": "Title\\n\\nThe council met \\ud800 on Friday.", "lang": "en"}'
    reply = client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
    assert reply.status_code == 200
    assert reply.json()["document"]["chars"] == len("Title\n\nThe council met \ufffd on Friday.")
    bad_lang = b'{"text": "The council met.", "lang": "\\ud800"}'
    reply = client.post(
        "/api/documents", content=bad_lang, headers={"content-type": "application/json"}
    )
    assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["body", "lang"]


def test_error_replies_never_echo_the_input(client: TestClient) -> None:
    huge = "lorem ipsum " * 400_000  # 4.8 MB, inside the body limit
    reply = client.post("/api/analyze", json={"text": huge, "lang": "zz-not-a-code"})
    assert reply.status_code == 422 and len(reply.content) < 2_000
    assert "lorem" not in reply.text and "zz-not-a-code" not in reply.text
    reply = client.post("/api/analyze", json={"text": "Fine text.", "lang": "q" * 100_000})
    assert reply.status_code == 422 and len(reply.content) < 2_000


def test_the_api_refuses_what_it_cannot_analyse(client: TestClient) -> None:
    assert client.post("/api/analyze", json={"text": " \n\t "}).status_code == 422
    assert client.post("/api/analyze", json={"text": "Hello.", "lang": "xx"}).status_code == 422
    reply = client.post("/api/documents", json={"text": ARTICLE, "published": "not-a-date"})
    assert reply.status_code == 422 and reply.json()["detail"][0]["loc"] == ["body", "published"]
    ok = client.post("/api/analyze", json={"text": "The ferry is late.", "lang": "EN"})
    assert ok.status_code == 200 and ok.json()["document"]["lang"] == "en"


def test_a_duplicate_is_answered_before_any_analysis(web_db_url: str) -> None:
    with TestClient(create_app(Settings(db_url=web_db_url))) as c:
        first = c.post("/api/documents", json={"text": ARTICLE})
        assert first.status_code == 201
    # a server whose every analysis would time out still answers the duplicate
    slow = Settings(db_url=web_db_url, analysis_timeout_s=0.001)
    with TestClient(create_app(slow)) as c:
        again = c.post("/api/documents", json={"text": ARTICLE})
        assert again.status_code == 200 and again.json() == {**first.json(), "added": False}


def test_crlf_and_lf_are_the_same_document(client: TestClient) -> None:
    crlf = ARTICLE.replace("\n", "\r\n")
    first = client.post("/api/documents", json={"text": crlf})
    assert first.status_code == 201
    again = client.post("/api/documents", json={"text": ARTICLE})
    assert again.status_code == 200 and again.json()["sha256"] == first.json()["sha256"]
    page = client.post("/", data={"text": "Title\r\n\r\nThe ferry is late again today.\r\n"})
    assert page.status_code == 200 and "\r" not in page.text.split("<article", 1)[-1][:2000]


def test_every_error_is_json_for_the_api_and_a_page_for_a_browser(web_db_url: str) -> None:
    settings = Settings(db_url=web_db_url, token="s3cret", max_body_bytes=1_000)
    with TestClient(create_app(settings)) as c:
        denied = c.post("/api/analyze", json={"text": "hi"})
        assert denied.status_code == 401 and denied.json() == {
            "detail": "a valid token is required"
        }
        assert denied.headers["www-authenticate"].startswith("Bearer") and _secured(denied)
        page = c.get("/documents", headers={"accept": "text/html"})
        assert page.status_code == 401 and "<html" in page.text and _secured(page)
        auth = {"Authorization": "Bearer s3cret"}
        big = c.post("/api/analyze", content=b"x" * 5_000, headers=auth)
        assert big.status_code == 413 and "limit" in big.json()["detail"] and _secured(big)
        missing = c.get("/documents/999", headers={**auth, "accept": "text/html"})
        assert missing.status_code == 404 and "<html" in missing.text
        assert "no such document" in missing.text and _secured(missing)
        assert c.get("/api/documents/999", headers=auth).json() == {"detail": "no such document"}


def test_a_foreign_host_header_is_refused(web_db_url: str) -> None:
    settings = Settings(db_url=web_db_url, allowed_hosts=LOOPBACK_NAMES)
    with TestClient(create_app(settings)) as c:
        assert c.get("/healthz", headers={"host": "rebind.example:8000"}).status_code == 421
        assert c.get("/healthz", headers={"host": "127.0.0.1:8000"}).status_code == 200
        assert c.get("/healthz", headers={"host": "[::1]:8000"}).status_code == 200


def test_cross_site_posts_are_refused(client: TestClient) -> None:
    form = {"text": "Title\n\nThe ferry is late again today."}
    foreign = client.post("/", data=form, headers={"origin": "https://evil.example"})
    assert foreign.status_code == 403
    fetched = client.post("/", data=form, headers={"sec-fetch-site": "cross-site"})
    assert fetched.status_code == 403
    other_port = client.post("/", data=form, headers={"sec-fetch-site": "same-site"})
    assert other_port.status_code == 403
    same = client.post("/", data=form, headers={"origin": "http://testserver"})
    assert same.status_code == 200
    own_form = {"origin": "null", "sec-fetch-site": "same-origin"}  # what Chromium sends
    assert client.post("/", data=form, headers=own_form).status_code == 200


def test_the_token_never_reaches_the_access_log() -> None:
    record = logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", "/documents?q=x&token=s3cret", "1.1", 200), None,
    )  # fmt: skip
    assert RedactToken().filter(record)
    assert "s3cret" not in record.getMessage() and "token=***" in record.getMessage()


def test_urllib_sees_the_413_not_a_reset_connection() -> None:
    import socket
    import threading
    import time
    import urllib.error
    import urllib.request

    import httpx
    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(Settings()), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(url + "/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        body = b"x" * (11 * 1024 * 1024)  # over the 10 MB limit; urllib sends it all first
        request = urllib.request.Request(
            url + "/api/analyze", data=body, headers={"content-type": "application/json"}
        )
        try:
            urllib.request.urlopen(request, timeout=60)
            raise AssertionError("an 11 MB body was accepted")
        except urllib.error.HTTPError as exc:
            assert exc.code == 413 and b"limit" in exc.read()
            assert exc.headers["x-content-type-options"] == "nosniff"
    finally:
        server.should_exit = True


def test_a_paste_over_the_form_limit_gets_a_page_not_raw_json(client: TestClient) -> None:
    big = "The council lies. " * 70_000  # 1.2 MB: over Starlette's 1 MB form field
    page = client.post("/", data={"text": big}, headers={"accept": "text/html"})
    assert page.status_code == 413 and "<html" in page.text
    assert "upload it as a .txt file" in page.text and _secured(page)
