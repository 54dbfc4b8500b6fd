import json
import re
from pathlib import Path

from proplens.analysis import Analysis, ParagraphTechniques, Quote, TechniqueSpan
from proplens.document import Document
from proplens.report import render, write_atomic
from proplens.report.html import render_html

HOSTILE = (
    'Title <script>alert(1)</script>\nThey said "</script><img src=x onerror=alert(2)>" & left.\n'
)


def _analysis(text: str, spans: list[tuple[int, int, str]]) -> Analysis:
    doc = Document.from_text(text, id="<b>id</b>", lang="en")
    return Analysis(
        document=doc,
        paragraph_techniques=tuple(
            ParagraphTechniques(p.line, p.start, p.end, ()) for p in doc.paragraphs
        ),
        techniques=tuple(TechniqueSpan(s, e, t, 0.8, f"reason <i>{t}</i>.") for s, e, t in spans),
        quotes=(Quote(text.index('"') + 1, text.rindex('"'), "<svg onload=x>"),)
        if '"' in text
        else (),
    )


def test_article_text_is_escaped() -> None:
    analysis = _analysis(HOSTILE, [(6, 31, "Loaded_Language"), (40, 70, "Doubt")])
    page = render_html(analysis)
    body = page.split("<body>", 1)[1]
    assert "<script>alert(1)" not in body
    assert "<img src=x" not in body
    assert "<svg onload" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    # the span data embedded as JSON cannot close its script element
    data = re.search(r'<script type="application/json" id="spans">(.*?)</script>', page, re.S)
    assert data is not None
    spans = json.loads(data.group(1))
    assert spans[0]["text"] == "<script>alert(1)</script>"
    assert spans[0]["reason"] == "reason <i>Loaded_Language</i>."


def test_overlapping_spans_become_segments_listing_every_span() -> None:
    text = "Title\nThe reckless shameful plan.\n"
    a = text.index("reckless")
    b = text.index("shameful")
    analysis = _analysis(text, [(a, b + 8, "Loaded_Language"), (b, b + 13, "Doubt")])
    page = render_html(analysis)
    marks = re.findall(r'<mark class="seg[^"]*"[^>]*data-spans="([^"]+)"[^>]*>([^<]*)</mark>', page)
    assert marks == [("0", "reckless "), ("0 1", "shameful"), ("1", " plan")]
    assert "Loaded Language" in page and "Doubt" in page  # legend


def test_quotes_are_marked_even_without_spans() -> None:
    text = 'Title\nShe said "we shall see about that" and left.\n'
    page = render_html(_analysis(text, []))
    assert '<span class="q">we shall see about that</span>' in page
    assert page.count("<script src") == 0 and "http" not in page.split("<body>")[1]


def test_render_formats_and_atomic_write(tmp_path: Path) -> None:
    analysis = _analysis("Title\nBody text here.\n", [(6, 10, "Doubt")])
    for fmt in ("json", "md", "text", "html"):
        out = tmp_path / f"r.{fmt}"
        write_atomic(out, render(analysis, fmt))
        assert out.read_text()
    assert json.loads((tmp_path / "r.json").read_text())["techniques"][0]["text"] == "Body"
    assert "\\<b\\>id\\</b\\>" in (tmp_path / "r.md").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.html", "r.json", "r.md", "r.text"]
    import os
    import stat

    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE((tmp_path / "r.json").stat().st_mode) == 0o666 & ~mask
