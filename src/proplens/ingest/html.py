"""HTML pages to `Document`s: the main text via trafilatura, with the page's own
paragraphs kept, and the markup bounded before any parser sees it."""

from __future__ import annotations

import re

from proplens.document import Document
from proplens.ingest.errors import IngestError, Item, normalise_newlines

#: Attributes one element may carry. Pages carry a handful; libxml2 and trafilatura take
#: time growing with the square of the count (100,000 attributes: over 5 minutes).
MAX_ATTRIBUTES = 1_000
#: Elements a page may hold: the longest news pages hold a few tens of thousands.
MAX_ELEMENTS = 250_000
_TAG = re.compile(r"<[A-Za-z][^<>]*")
#: Lines searched for in the page this far past the last one found (then the whole page,
#: a bounded number of times): a line is found where it follows, in linear time.
_NEAR = 20_000
_FAR_SEARCHES = 200


def markup_problem(html: str) -> str | None:
    """Why the page's markup is too costly to parse, or None: counted before parsing."""
    elements = 0
    for match in _TAG.finditer(html):
        elements += 1
        tag = match.group()
        if len(tag) > 8 * MAX_ATTRIBUTES and len(tag.split()) - 1 > MAX_ATTRIBUTES:
            return (
                f"an element with about {len(tag.split()) - 1:,} attributes at character "
                f"{match.start():,}, over the limit of {MAX_ATTRIBUTES:,}; not a web page"
            )
    if elements > MAX_ELEMENTS:
        return f"{elements:,} elements, over the limit of {MAX_ELEMENTS:,}; not a web page"
    return None


def html_to_document(html: str, source: str, doc_id: str, lang: str | None) -> Item:
    """Main text of an HTML page via trafilatura (boilerplate, scripts and styles dropped).

    The title becomes line 1, as in SemEval articles.
    """
    import trafilatura

    problem = markup_problem(html)
    if problem:
        return IngestError(source, problem)
    extracted = trafilatura.bare_extraction(
        html,
        include_comments=False,
        include_tables=False,
        with_metadata=True,
        # dates from the page's metadata, URL and time elements only: the free-text search
        # takes a footer's "Copyright 2024" for the publication date
        date_extraction_params={"extensive_search": False, "original_date": True},
    )
    body = (getattr(extracted, "text", None) or "").strip() if extracted else ""
    if not body:
        return IngestError(source, "no article text found in the HTML")
    body = join_inline_breaks(body, page_blocks(html))
    title = (getattr(extracted, "title", None) or "").strip()
    text = f"{title}\n\n{body}" if title and not body.startswith(title) else body
    date = getattr(extracted, "date", None)
    return Document.from_text(
        normalise_newlines(text), id=doc_id, lang=lang, source=source, published=date or None
    )


#: Elements whose edges end a paragraph; every other element is inline (b, a, em, span...).
BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "br",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "td",
        "th",
        "tr",
        "ul",
    ]
)
#: Elements whose text is never article text.
SKIPPED_TAGS = frozenset(["script", "style", "noscript", "template", "svg", "head", "title"])


def page_blocks(html: str) -> list[str]:
    """The page's text cut only at block elements, each block's white space squeezed.

    The reference for `join_inline_breaks`: in it, "said the <b>mayor</b>." is one line.
    """
    import lxml.html
    from lxml import etree

    try:
        root = lxml.html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return []
    pieces: list[str] = []

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag.lower() in SKIPPED_TAGS:
            return
        block = tag.lower() in BLOCK_TAGS
        if block:
            pieces.append("\n")
        if tag and element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
            if child.tail:
                pieces.append(child.tail)
        if block:
            pieces.append("\n")

    try:
        walk(root)
    except RecursionError:  # libxml2 stops at 256 levels, but hostile input is hostile
        return []
    lines = ("".join(pieces)).split("\n")
    return [squeezed for line in lines if (squeezed := " ".join(line.split()))]


def join_inline_breaks(body: str, blocks: list[str]) -> str:
    """Undo line breaks the extractor put at inline elements.

    On short pages trafilatura falls back to a dump of the page with a line per text node,
    so "said the <b>mayor</b>." becomes three lines, which breaks sentences and quote
    attribution. A line is joined to the one before when, in the page, it follows that
    line inside the same block; lines from different blocks stay apart. Each line is
    looked for just past the one before, so the work is linear in the page.
    """
    lines = body.split("\n")
    if len(lines) < 2 or not blocks:
        return body
    finder = _Finder("\x00".join(blocks))
    out = [lines[0]]
    end = finder.find(_squeezed(lines[0]))
    for line in lines[1:]:
        squeezed = _squeezed(line)
        gap = finder.continues(end, out[-1], line, squeezed) if end >= 0 else None
        if gap is None:
            out.append(line)
            end = finder.find(squeezed)
        else:
            out[-1] = f"{out[-1].rstrip()}{gap}{line.lstrip()}"
            end += len(gap) + len(squeezed)
    return "\n".join(out)


def _squeezed(text: str) -> str:
    return " ".join(text.split())


class _Finder:
    """Finds the extractor's lines in the page's blocks, in order."""

    def __init__(self, page: str) -> None:
        self.page = page
        self.cursor = 0
        self.far_searches = 0

    def find(self, squeezed: str) -> int:
        """Where ``squeezed`` ends in the page, found at or past the last line found
        (-1: not found)."""
        if not squeezed:
            return -1
        at = self.page.find(squeezed, self.cursor, self.cursor + len(squeezed) + _NEAR)
        if at < 0 and self.far_searches < _FAR_SEARCHES:
            self.far_searches += 1
            at = self.page.find(squeezed, self.cursor)
        if at < 0:
            return -1
        self.cursor = at + len(squeezed)
        return self.cursor

    def continues(self, end: int, last: str, line: str, squeezed: str) -> str | None:
        """The gap ("" or " ") with which ``line`` follows ``last`` (ending at ``end``)
        inside one block of the page, or None."""
        if not (last.strip() and squeezed):
            return None
        spaced = last[-1:].isspace() or line[:1].isspace()
        for gap in ("", " ") if not spaced else (" ",):
            if self.page.startswith(gap + squeezed, end):
                self.cursor = max(self.cursor, end + len(gap) + len(squeezed))
                return gap
        return None
