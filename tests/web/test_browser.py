"""Browser tests: Playwright driving Debian's Chromium against a live server on loopback."""

from __future__ import annotations

import shutil
import socket
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from helpers import WEB_ARTICLE

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
if not Path(CHROMIUM).exists():
    sys.stderr.write("\n*** browser tests SKIPPED: Debian's chromium is not installed ***\n")
    pytest.skip("chromium not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    import uvicorn

    from proplens.web.app import Settings, create_app

    db = tmp_path_factory.mktemp("browser") / "b.db"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(
        create_app(Settings(db_url=f"sqlite:///{db}")),
        host="127.0.0.1",
        port=port,
        log_level="warning",
    )
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if httpx.get(url + "/healthz", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.1)
    for i, (source, date) in enumerate(
        [("planet", "2024-01-10"), ("herald", "2024-02-03"), ("planet", "2024-03-15")]
    ):
        text = WEB_ARTICLE.replace("Northbay", f"Northbay {i}")
        r = httpx.post(
            url + "/api/documents",
            json={"text": text, "source": source, "published": date},
            timeout=60,
        )
        assert r.status_code == 201
    undated = httpx.post(
        url + "/api/documents",
        json={"text": WEB_ARTICLE.replace("Northbay", "Southbay"), "source": "herald"},
        timeout=60,
    )
    assert undated.status_code == 201
    yield url
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    pg = context.new_page()
    pg.problems = []  # type: ignore[attr-defined]
    pg.on("console", lambda m: m.type == "error" and pg.problems.append(m.text))  # type: ignore[attr-defined]
    pg.on("pageerror", lambda e: pg.problems.append(str(e)))  # type: ignore[attr-defined]
    yield pg
    context.close()


def test_paste_see_highlights_click_a_span(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill("#text", WEB_ARTICLE)
    page.click("#analyse")
    page.wait_for_selector("article mark.seg")
    marks = page.locator("article mark.seg")
    assert marks.count() >= 2
    assert page.locator("article .q").count() >= 1  # the quote is marked
    page.check("#allspans")  # spans below their precision threshold are plain until then
    marks.first.click()
    card = page.locator("#details .card").first
    card.wait_for()
    text = card.inner_text()
    assert any(
        t.replace("_", " ") in text
        for t in (
            "Loaded Language",
            "Name Calling-Labeling",
            "Doubt",
            "Slogans",
            "Flag Waving",
            "False Dilemma-No Choice",
            "Repetition",
            "Exaggeration-Minimisation",
            "Appeal to Fear-Prejudice",
            "Causal Oversimplification",
            "Questioning the Reputation",
        )
    )
    assert "author" in text or "Marta Olsen" in text
    assert page.problems == []  # no CSP violations, no script errors


def test_hostile_text_stays_text(server: str, page: Any) -> None:
    page.goto(server + "/")
    page.fill(
        "#text",
        "Title\n<img src=x onerror=\"document.title='pwned'\"> "
        '<script>document.title="pwned"</script> said the shameful thugs.\n',
    )
    page.click("#analyse")
    page.wait_for_selector("article")
    assert page.title() != "pwned"
    assert "<script>" in page.locator("article").inner_text()


def test_dashboard_draws_the_charts(server: str, page: Any) -> None:
    page.goto(server + "/dashboard")
    for chart in ("#chart-techniques", "#chart-time", "#chart-actors"):
        page.wait_for_selector(f"{chart} svg, {chart}.empty", timeout=20_000)
    assert page.locator("#chart-techniques svg .mark-rect path").count() >= 1
    assert page.locator("#chart-time svg").count() == 1
    assert page.problems == []
    # an undated document is counted, not plotted at the month it was stored
    assert page.inner_text("#undated").startswith("1 without a publication date")
    svg_text = "els => els.map(e => e.textContent)"
    labels = page.eval_on_selector_all("#chart-time svg text", svg_text)
    assert {"Jan 2024", "Feb 2024", "Mar 2024"} <= set(labels), labels
    # counts are whole numbers on the axis
    ticks = page.eval_on_selector_all("#chart-actors svg .role-axis-label text", svg_text)
    numbers = [t for t in ticks if t.replace(".", "").isdigit()]
    assert numbers and all(t.isdigit() for t in numbers), ticks
    # the article pages' colour of each technique, and no chart wider than its card
    colours = page.evaluate("JSON.parse(document.getElementById('technique-colours').textContent)")
    fills = page.eval_on_selector_all(
        "#chart-techniques svg .mark-rect path", "els => els.map(e => e.getAttribute('fill'))"
    )
    assert fills and all(f in colours.values() for f in fills), fills
    widths = page.eval_on_selector_all(
        "figure",
        "els => els.map(f => [f.getBoundingClientRect().width,"
        " Math.max(...[...f.querySelectorAll('svg')].map(s => s.getBoundingClientRect().width))])",
    )
    assert all(svg <= card + 1 for card, svg in widths), widths
    page.screenshot(path=str(Path(__import__("tempfile").gettempdir()) / "proplens-dashboard.png"))


def test_documents_page_and_document_view(server: str, page: Any) -> None:
    page.goto(server + "/documents?q=harbour")
    links = page.locator("table.hits a")
    assert links.count() == 4  # three dated, one undated
    links.first.click()
    page.wait_for_selector("article mark.seg")
    assert page.problems == []


def test_ten_thousand_word_article(server: str, page: Any) -> None:
    body = "\n".join(WEB_ARTICLE.splitlines()[2:]) + "\n"
    long_text = "A very long article\n" + body * (10_000 // len(body.split()) + 1)
    page.goto(server + "/")
    page.fill("#text", long_text)
    page.click("#analyse")
    page.wait_for_selector("article mark.seg", timeout=60_000)
    page.check("#allspans")
    t = time.perf_counter()
    page.locator("article mark.seg").nth(200).click()
    page.locator("#details .card").first.wait_for()
    assert time.perf_counter() - t < 2.0  # the page stays responsive


def test_api_docs_render_from_bundled_swagger_ui(server: str, page: Any) -> None:
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(server + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 5
    assert all(url.startswith(server) or url.startswith("data:") for url in requests)
    assert page.problems == []


def test_search_exports_and_date_filter(server: str, page: Any) -> None:
    page.goto(server + "/documents")
    page.fill("input[name=since]", "2024-02-01")
    page.click("button[type=submit]")
    page.wait_for_url("**since=2024-02-01**")
    # February, March and the undated one (stored today): "since" reads the date added when
    # there is no publication date, as `corpus search --since` does
    assert page.locator("table.hits a").count() == 3
    with page.expect_download() as download:
        page.click("#export-csv")
    assert download.value.suggested_filename == "proplens-search.csv"
    page.locator("table.hits a").first.click()
    page.wait_for_selector("#document-json")
    assert page.locator("#about-scores").is_visible()
    with page.expect_download() as spans:
        page.click("#document-csv")
    assert spans.value.suggested_filename.endswith(".csv")
    assert page.problems == []
