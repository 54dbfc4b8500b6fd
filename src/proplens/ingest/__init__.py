"""Readers that turn files into `Document`s: plain text, HTML, JSONL, and folders of them.

Readers never raise on bad input: they yield an `IngestError` naming the file (and
line) and the problem, so one bad file never stops a batch. Text is decoded as
UTF-8 (or ``encoding``) with newlines normalised to ``\\n``; all offsets count
characters of that text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from proplens.document import Document

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
#: JSONL fields read as the publication date, first found wins.
DATE_FIELDS = ("date", "published", "published_at")
#: Files larger than this are refused: an article is kilobytes, not tens of megabytes.
MAX_BYTES = 20 * 1024 * 1024
#: Documents longer than this are refused: a book, not an article. One of 1,300,000
#: characters takes about 2.5 minutes and 1.1 GB through the default pipeline.
MAX_CHARS = 2_000_000


@dataclass(frozen=True)
class IngestError:
    """A document that could not be read: where, and what is wrong with it."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    lang: str | None = None
    encoding: str = "utf-8"
    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS


Item = Document | IngestError


def read_paths(paths: Iterable[Path], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every document under ``paths`` (folders recursively, sorted), or an error per failure."""
    options = options or ReadOptions()
    for path in paths:
        if path.is_dir():
            files = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
            )
            if not files:
                yield IngestError(str(path), f"no {'/'.join(sorted(SUFFIXES))} files in folder")
            for file in files:
                yield from read_file(file, options, doc_id=_relative_id(file, path))
        elif path.exists():
            yield from read_file(path, options)
        else:
            yield IngestError(str(path), "no such file or folder")


def _relative_id(file: Path, root: Path) -> str:
    return str(file.relative_to(root).with_suffix(""))


def read_file(path: Path, options: ReadOptions, doc_id: str | None = None) -> Iterator[Item]:
    """The documents of one file (one, or one per JSONL line)."""
    source = str(path)
    doc_id = doc_id or path.stem
    try:
        size = path.stat().st_size
        if size > options.max_bytes:
            yield IngestError(
                source,
                f"file is {size / 2**20:.1f} MiB, over the {options.max_bytes / 2**20:g} MiB limit "
                "(--max-bytes)",
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield IngestError(source, f"cannot read file ({exc.strerror or exc})")
        return
    yield from read_bytes(data, path.name, options, source=source, doc_id=doc_id)


def read_bytes(
    data: bytes,
    name: str,
    options: ReadOptions | None = None,
    *,
    source: str | None = None,
    doc_id: str | None = None,
) -> Iterator[Item]:
    """The documents in the bytes of a file called ``name`` (a path, an upload), read by
    the reader its suffix names: JSONL (one document a line), HTML (main text), else text.
    ``source`` and ``doc_id`` default to ``name`` and its stem."""
    options = options or ReadOptions()
    source = source or name
    doc_id = doc_id or Path(name).stem or name
    for item in _read_data(data, Path(name).suffix.lower(), source, doc_id, options):
        yield _within_limit(item, options.max_chars)


def _read_data(
    data: bytes, suffix: str, source: str, doc_id: str, options: ReadOptions
) -> Iterator[Item]:
    if suffix in JSONL_SUFFIXES:
        yield from read_jsonl(data, source, options)
        return
    text = decode(data, source, options.encoding)
    if isinstance(text, IngestError):
        yield text
    elif suffix in HTML_SUFFIXES:
        yield html_to_document(text, source, doc_id, options.lang)
    else:
        yield text_to_document(text, source, doc_id, options.lang)


def _within_limit(item: Item, max_chars: int) -> Item:
    """The document, or an error when its text is longer than ``max_chars``."""
    if isinstance(item, Document) and len(item.text) > max_chars:
        return IngestError(
            item.source or item.id,
            f"text is {len(item.text):,} characters, over the {max_chars:,} limit (--max-chars);"
            " split it into parts",
        )
    return item


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str | IngestError:
    """Bytes to text, refusing empty, binary and undecodable input with a clear reason."""
    if not data.strip():
        return IngestError(source, "empty file")
    if b"\x00" in data[:8192]:
        return IngestError(source, "binary file (contains NUL bytes), not text")
    try:
        text = data.decode("utf-8-sig" if encoding.lower() in {"utf-8", "utf8"} else encoding)
    except UnicodeDecodeError as exc:
        return IngestError(
            source,
            f"not valid {encoding} at byte {exc.start}; convert the file to UTF-8 "
            f"or pass --encoding",
        )
    except LookupError:
        return IngestError(source, f"unknown encoding {encoding!r}")
    return normalise_newlines(text)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_to_document(text: str, source: str, doc_id: str, lang: str | None) -> Item:
    if not text.strip():
        return IngestError(source, "no text (only whitespace)")
    return Document.from_text(text, id=doc_id, lang=lang, source=source)


def html_to_document(html: str, source: str, doc_id: str, lang: str | None) -> Item:
    """Main text of an HTML page via trafilatura (boilerplate, scripts and styles dropped).

    The title becomes line 1, as in SemEval articles.
    """
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, include_comments=False, include_tables=False, with_metadata=True
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
    attribution. Consecutive lines are joined when, joined, they lie inside one block of
    the page; lines from different blocks stay apart.
    """
    lines = body.split("\n")
    if len(lines) < 2 or not blocks:
        return body
    page = "\x00".join(blocks)
    out = [lines[0]]
    for line in lines[1:]:
        joined = _joined(out[-1], line, page)
        if joined is None:
            out.append(line)
        else:
            out[-1] = joined
    return "\n".join(out)


def _joined(last: str, line: str, page: str) -> str | None:
    """``last`` and ``line`` as one line, with no space between them or one, when the page
    has them so inside one block; else None."""
    if not (last.strip() and line.strip()):
        return None
    for gap in ("", " "):
        if " ".join(f"{last}{gap}{line}".split()) in page:
            return f"{last.rstrip()}{gap}{line.lstrip()}"
    return None


def read_jsonl(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """One document per line; a bad line is an error for that line only."""
    text = decode(data, source, options.encoding)
    if isinstance(text, IngestError):
        yield text
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield IngestError(where, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        if not isinstance(record, dict):
            yield IngestError(where, "expected a JSON object per line")
            continue
        body = record.get(options.text_field)
        if not isinstance(body, str) or not body.strip():
            yield IngestError(where, f"no text in field {options.text_field!r}")
            continue
        doc_id = str(record.get(options.id_field, f"{Path(source).stem}-{number}"))
        lang = record.get("lang") if isinstance(record.get("lang"), str) else options.lang
        date = next((record[k] for k in DATE_FIELDS if isinstance(record.get(k), str)), None)
        yield Document.from_text(
            normalise_newlines(body), id=doc_id, lang=lang, source=where, published=date
        )
