"""Plain-text and Markdown reports: the spans in reading order, with scores and reasons."""

from __future__ import annotations

from collections import Counter

from proplens.analysis import Analysis


def _summary(analysis: Analysis) -> list[str]:
    doc = analysis.document
    counts = Counter(t.technique for t in analysis.techniques)
    top = ", ".join(f"{name} ×{n}" for name, n in counts.most_common(5)) or "none"
    return [
        f"document: {doc.id}  lang: {doc.lang}  words: {doc.word_count}",
        f"technique spans: {len(analysis.techniques)} ({top})",
        f"quotes: {len(analysis.quotes)}",
    ]


def render_text(analysis: Analysis) -> str:
    text = analysis.document.text
    lines = _summary(analysis)
    for t in analysis.techniques:
        snippet = " ".join(text[t.start : t.end].split())
        snippet = snippet if len(snippet) <= 90 else snippet[:87] + "..."
        lines.append(f"[{t.start}:{t.end}] {t.technique} ({t.score:.2f}, {t.speaker}): {snippet}")
    return "\n".join(lines) + "\n"


def _md_escape(s: str) -> str:
    for ch in "\\`*_[]<>|#":
        s = s.replace(ch, "\\" + ch)
    return s


def render_markdown(analysis: Analysis) -> str:
    text = analysis.document.text
    out = [f"# proplens report: {_md_escape(analysis.document.id)}", ""]
    out += [f"- {_md_escape(line)}" for line in _summary(analysis)]
    out += [
        "",
        "| offsets | technique | score | speaker | text | reason |",
        "|---|---|---|---|---|---|",
    ]
    for t in analysis.techniques:
        snippet = _md_escape(" ".join(text[t.start : t.end].split())[:120])
        out.append(
            f"| {t.start}-{t.end} | {t.technique} | {t.score:.2f} | {_md_escape(t.speaker)} "
            f"| {snippet} | {_md_escape(t.reason)} |"
        )
    out += ["", "## Paragraphs", ""]
    for p in analysis.paragraph_techniques:
        if p.techniques:
            out.append(f"- line {p.id}: {', '.join(p.techniques)}")
    return "\n".join(out) + "\n"
