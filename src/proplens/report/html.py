"""A self-contained HTML report: the article with technique spans highlighted, like Prta.

Overlapping spans are cut into segments at every span boundary; each segment knows
all spans covering it, is coloured by the innermost one and underlined once per
extra layer. Clicking a segment lists every span covering it with technique, score,
speaker and reason. Article text only ever enters the page through `html.escape`
or as JSON with ``<``, ``>`` and ``&`` escaped, so hostile text stays text.
"""

from __future__ import annotations

import html
import json
from importlib.resources import files
from itertools import pairwise
from typing import Any

from proplens.analysis import AUTHOR, Analysis, TechniqueSpan
from proplens.techniques import TECHNIQUES, catalogue


def colour(technique: str) -> str:
    """A stable, distinct pastel per technique."""
    i = TECHNIQUES.index(technique) if technique in TECHNIQUES else len(technique)
    hue = (i * 360 * 7 // 23) % 360
    return f"hsl({hue} 85% {78 if i % 2 else 84}%)"


def css_class(technique: str) -> str:
    """Colour class of a technique (classes, not style attributes, keep pages CSP-clean)."""
    return f"t{TECHNIQUES.index(technique)}" if technique in TECHNIQUES else "tx"


def technique_css() -> str:
    rules = [f".{css_class(t)}{{background:{colour(t)}}}" for t in TECHNIQUES]
    return "\n".join([*rules, ".tx{background:#ddd}"])


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def script_json(data: Any) -> str:
    """JSON safe to place inside a <script> element."""
    raw = json.dumps(data, ensure_ascii=False)
    return raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _segments(
    start: int, end: int, spans: list[tuple[int, TechniqueSpan]], extra_cuts: list[int]
) -> list[tuple[int, int, list[int]]]:
    """Cut ``[start, end)`` at span (and quote) boundaries; each piece lists its spans."""
    cuts = {start, end} | {c for c in extra_cuts if start < c < end}
    for _, t in spans:
        cuts.update(c for c in (t.start, t.end) if start < c < end)
    out = []
    for a, b in pairwise(sorted(cuts)):
        covering = [i for i, t in spans if t.start < b and a < t.end]
        out.append((a, b, covering))
    return out


def _paragraph_html(analysis: Analysis, start: int, end: int, quotes: list[tuple[int, int]]) -> str:
    text = analysis.document.text
    spans = [(i, t) for i, t in enumerate(analysis.techniques) if t.start < end and start < t.end]
    pieces = []
    quote_cuts = [c for q in quotes for c in q]
    for a, b, covering in _segments(start, end, spans, quote_cuts):
        chunk = _e(text[a:b])
        in_quote = any(q0 <= a and b <= q1 for q0, q1 in quotes)
        if not covering:
            pieces.append(f'<span class="q">{chunk}</span>' if in_quote else chunk)
            continue
        inner = min(
            covering, key=lambda i: analysis.techniques[i].end - analysis.techniques[i].start
        )
        names = sorted({analysis.techniques[i].technique for i in covering})
        classes = "seg q" if in_quote else "seg"
        if not any(analysis.techniques[i].shown for i in covering):
            classes += " low"  # highlighted only when the reader asks for every span
        layers = min(len(covering), 4)
        pieces.append(
            f'<mark class="{classes} l{layers} {css_class(analysis.techniques[inner].technique)}" '
            f'tabindex="0" data-spans="{" ".join(map(str, covering))}" '
            f'title="{_e(", ".join(names))}">{chunk}</mark>'
        )
    return "".join(pieces)


def _side_panel(analysis: Analysis) -> str:
    genre = (
        f"{_e(analysis.genre.label)} ({analysis.genre.score:.2f})"
        if analysis.genre
        else "not analysed"
    )
    frames = ", ".join(f"{_e(f.label)} ({f.score:.2f})" for f in analysis.frames) or "not analysed"
    actors = (
        "".join(
            f"<li>{_e(a.name)} <small>{_e(a.type)}</small> "
            f"{'' if a.stance is None else f'stance {a.stance:+.2f}'}</li>"
            for a in analysis.actors
        )
        or "<li>none found</li>"
    )
    threats = (
        "".join(
            f"<li><b>{_e(t.severity)}</b> {_e(analysis.document.text[t.start : t.end][:160])}"
            f"{f' <small>→ {_e(t.target)}</small>' if t.target else ''}"
            f"{f' <small>(quoting {_e(t.speaker)})</small>' if t.speaker != AUTHOR else ''}"
            f"{f'<br><small>{_e(t.reason)}</small>' if t.reason else ''}</li>"
            for t in analysis.threats
        )
        or "<li>none found</li>"
    )
    quotes = (
        "".join(
            f"<li>{_e(q.speaker or 'unattributed')}: "
            f"“{_e(analysis.document.text[q.start : q.end][:120])}”</li>"
            for q in analysis.quotes
        )
        or "<li>none found</li>"
    )
    return (
        f"<h2>Article</h2><p>Genre: {genre}</p><p>Frames: {frames}</p>"
        f"<h2>Narratives</h2><ul>{_narratives(analysis)}</ul>"
        f"<h2>Quotes</h2><ul>{quotes}</ul><h2>Actors</h2><ul>{actors}</ul>"
        f"<h2>Threats</h2><ul>{threats}</ul>"
    )


def _narratives(analysis: Analysis) -> str:
    """Each known narrative with its sub-narratives and the sentences that carry it."""
    if "narratives" not in analysis.timings_ms:
        return "<li>not analysed</li>"
    text = analysis.document.text
    items = []
    for n in analysis.narratives:
        subs = ", ".join(f"{_e(x.label.split(': ')[-1])} ({x.score:.2f})" for x in n.subnarratives)
        said = "".join(f"<li>“{_e(text[a:b][:160])}”</li>" for a, b in n.sentences)
        items.append(
            f"<li><b>{_e(n.label)}</b> ({n.score:.2f})"
            f"{f'<br><small>{subs}</small>' if subs else ''}"
            f"{f'<ul class=evidence>{said}</ul>' if said else ''}</li>"
        )
    return "".join(items) or "<li>none of the known narratives</li>"


def _legend(analysis: Analysis) -> str:
    present = sorted({t.technique for t in analysis.techniques})
    counts = {n: sum(1 for t in analysis.techniques if t.technique == n) for n in present}
    rows = []
    for name, tech in sorted(catalogue().items(), key=lambda kv: (kv[0] not in present, kv[0])):
        n = counts.get(name, 0)
        label = _e(name.replace("_", " "))
        rows.append(
            f'<li class="{"on" if n else "off"}">'
            f'<span class="sw {css_class(name)}"></span>'
            f"<b>{label}</b> <small>×{n}</small>"
            f"<div>{_e(tech.definition)} <i>e.g. “{_e(tech.example)}”</i></div></li>"
        )
    return "<h2>Techniques</h2><ul class=legend>" + "".join(rows) + "</ul>"


def article_html(analysis: Analysis) -> str:
    """The article's paragraphs with highlighted spans and per-paragraph technique badges."""
    doc = analysis.document
    quotes = [(q.start, q.end) for q in analysis.quotes]
    labels = {p.id: p.techniques for p in analysis.paragraph_techniques}
    out = []
    for p in doc.paragraphs:
        badges = "".join(f'<span class="badge">{_e(t)}</span>' for t in labels.get(p.line, ()))
        body = _paragraph_html(analysis, p.start, p.end, quotes)
        tag = "h1" if p.line == 1 else "p"
        out.append(f'<{tag} id="line-{p.line}">{body}<span class="badges">{badges}</span></{tag}>')
    return "".join(out)


def spans_json(analysis: Analysis) -> str:
    """The spans as JSON for a ``<script type="application/json">`` block (safe to embed)."""
    text = analysis.document.text
    return script_json(
        [
            {
                "technique": t.technique,
                "score": round(t.score, 3),
                "speaker": t.speaker,
                "target": t.target,
                "reason": t.reason,
                "shown": t.shown,
                "text": text[t.start : t.end],
            }
            for t in analysis.techniques
        ]
    )


def _switch(analysis: Analysis) -> str:
    """The switch between the spans shown by default and every span found."""
    hidden = sum(1 for t in analysis.techniques if not t.shown)
    if not hidden:
        return ""
    shown = len(analysis.techniques) - hidden
    return (
        f'<p class="switch"><label><input type="checkbox" id="allspans"> show all '
        f"{len(analysis.techniques)} spans</label><br><small>{shown} shown by default: "
        "those whose technique was right at least 60% of the time at that score on "
        f"held-out articles; {hidden} less certain.</small></p>"
    )


def panels_html(analysis: Analysis) -> str:
    """Details box, the all-spans switch, article-level panel and the technique legend."""
    return (
        '<div id="details"><h2>Details</h2><p>Click a highlighted passage.</p></div>'
        + _switch(analysis)
        + _side_panel(analysis)
        + _legend(analysis)
    )


def render_html(analysis: Analysis) -> str:
    """A standalone, self-contained report page (styles and script inline, nothing fetched)."""
    doc = analysis.document
    asset = files("proplens.report")
    css = asset.joinpath("report.css").read_text("utf-8") + technique_css()
    js = asset.joinpath("report.js").read_text("utf-8")
    return f"""<!doctype html>
<html lang="{_e(doc.lang or "und")}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>proplens: {_e(doc.id)}</title><style>{css}</style></head>
<body><header><b>proplens</b> report · {_e(doc.id)} · {_e(doc.lang or "?")} ·
{doc.word_count} words · {sum(t.shown for t in analysis.techniques)} technique spans shown
of {len(analysis.techniques)}</header>
<main><article>{article_html(analysis)}</article>
<aside>{panels_html(analysis)}</aside></main>
<script type="application/json" id="spans">{spans_json(analysis)}</script>
<script>{js}</script></body></html>
"""
