"""The same article with its lines broken another way, every character where it was.

Users paste text broken into lines every way there is: one sentence a line, a whole
article on one line, a break after every clause. The held-out English articles of
SemEval-2023 break about one sentence a line where the training articles break by
paragraph, and a model that read paragraph lengths lost a third of its F1 there. These
copies keep every offset (a break replaces one white-space character, a join replaces
each line break by a space), so the gold spans stand as they are and each new line's
techniques are derived from them exactly as the official line labels are.
"""

from __future__ import annotations

from collections.abc import Sequence

from proplens.document import Document, Span

#: The breakings the trainer measures: as given, one sentence a line, paragraphs in pairs.
BREAKINGS = ("paragraphs", "sentences", "pairs")
#: ... and the whole article on one line, which the article models are measured on too
#: (a paragraph label has no meaning there).
ARTICLE_BREAKINGS = (*BREAKINGS, "joined")


def rebreak(doc: Document, how: str) -> str:
    """``doc``'s text with its lines broken ``how`` (one of `BREAKINGS`), same length."""
    if how == "paragraphs":
        return doc.text
    chars = list(doc.text)
    if how == "sentences":
        for before, after in zip(doc.sentences, doc.sentences[1:], strict=False):
            gap = range(before.end, after.start)
            spaces = [i for i in gap if chars[i].isspace()]
            if spaces and "\n" not in doc.text[before.end : after.start]:
                chars[spaces[0]] = "\n"
        return "".join(chars)
    if how == "pairs":
        paragraphs = doc.paragraphs
        for k in range(0, len(paragraphs) - 1, 2):
            for i in range(paragraphs[k].end, paragraphs[k + 1].start):
                if chars[i] in "\r\n":
                    chars[i] = " "
        return "".join(chars)
    if how == "joined":
        return "".join(" " if c in "\r\n" else c for c in doc.text)
    raise ValueError(f"unknown breaking {how!r} (known: {', '.join(ARTICLE_BREAKINGS)})")


def rebroken(doc: Document, how: str) -> Document:
    """`rebreak` as a document of the same id and language."""
    return Document.from_text(rebreak(doc, how), id=doc.id, lang=doc.lang, source=doc.source)


def line_labels(doc: Document, spans: Sequence[tuple[str, int, int]]) -> dict[int, set[str]]:
    """Every non-empty line's techniques: those of the gold spans that overlap it (the rule
    that gives the official subtask 3 labels from the spans: it agrees on 2,998 of the
    first 3,000 English lines, the other two being typos in the labels)."""
    return {p.line: _touching(p, spans) for p in doc.paragraphs}


def _touching(unit: Span, spans: Sequence[tuple[str, int, int]]) -> set[str]:
    return {t for t, s, e in spans if s < unit.end and e > unit.start}
