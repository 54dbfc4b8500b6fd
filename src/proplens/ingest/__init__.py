"""Readers that turn files into `Document`s: plain text, HTML, JSONL, and folders of them.

Readers never raise on bad input: they yield an `IngestError` naming the file (and
line) and the problem, so one bad file never stops a batch. Only regular files are read
(a FIFO, a device or a link to one is refused by its kind, before it is opened for
reading), never more than ``max_bytes`` of them. Text is decoded from the encoding its
byte-order mark names, else UTF-8 (or ``encoding``), with newlines normalised to ``\\n``;
all offsets count characters of that text.
"""

from __future__ import annotations

import codecs
import errno
import json
import os
import stat
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from proplens.document import Document
from proplens.ingest.errors import (
    IngestError,
    Item,
    display_path,
    normalise_newlines,
    storable,
)
from proplens.ingest.html import html_to_document, join_inline_breaks, page_blocks
from proplens.limits import TimeLimitExceeded, time_limit

__all__ = [
    "DATE_FIELDS",
    "HTML_SUFFIXES",
    "JSONL_SUFFIXES",
    "MAX_BYTES",
    "MAX_CHARS",
    "MAX_SENTENCES",
    "SUFFIXES",
    "TEXT_SUFFIXES",
    "IngestError",
    "Item",
    "ReadOptions",
    "decode",
    "html_to_document",
    "join_inline_breaks",
    "page_blocks",
    "read_bytes",
    "read_file",
    "read_jsonl",
    "read_paths",
    "size_problem",
]

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm", ".xhtml"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | JSONL_SUFFIXES
#: JSONL fields read as the publication date, first found wins.
DATE_FIELDS = ("date", "published", "published_at")
#: Files larger than this are refused: an article is kilobytes, not tens of megabytes.
MAX_BYTES = 20 * 1024 * 1024
#: Documents longer than this are refused: a book, not an article (see
#: benchmarks/RESULTS.md for what the longest cost).
MAX_CHARS = 2_000_000
#: Most sentences in one document: memory grows with every sentence (its vectors), about
#: 12 KB each, so this bounds one analysis near 1.5 GB whatever the text ("Lie. " 400,000
#: times is inside MAX_CHARS and would take 4-5 GB). An article has hundreds.
MAX_SENTENCES = 100_000
#: Seconds one HTML page's extraction may take before it is stopped.
READ_TIME_LIMIT = 120.0
#: Byte-order marks and the codec each names (UTF-32 first: its LE mark begins like UTF-16's).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class ReadOptions:
    text_field: str = "text"
    id_field: str = "id"
    lang: str | None = None
    encoding: str = "utf-8"
    max_bytes: int = MAX_BYTES
    max_chars: int = MAX_CHARS
    max_sentences: int = MAX_SENTENCES
    #: Seconds an HTML page's extraction may take (None: no limit).
    time_limit: float | None = READ_TIME_LIMIT
    #: Told, once, of an input still being read after `slow_after` seconds.
    on_slow: Callable[[str], None] | None = None
    slow_after: float = 10.0


def read_paths(paths: Iterable[Path], options: ReadOptions | None = None) -> Iterator[Item]:
    """Every document under ``paths`` (folders recursively, sorted), or an error per failure,
    one input at a time."""
    options = options or ReadOptions()
    for path in paths:
        if path.is_dir():
            yield from _read_folder(path, options)
        elif os.path.lexists(path):
            yield from read_file(path, options)
        else:
            yield IngestError(display_path(path), "no such file or folder")


def _read_folder(root: Path, options: ReadOptions) -> Iterator[Item]:
    """The documents of the files under ``root`` whose suffix proplens reads; links to
    folders are not followed, unreadable folders are errors."""
    unreadable: list[IngestError] = []

    def note(exc: OSError) -> None:
        where = display_path(exc.filename or root)
        unreadable.append(IngestError(where, f"cannot read folder ({exc.strerror or exc})"))

    files = sorted(
        Path(folder, name)
        for folder, _, names in os.walk(root, onerror=note)
        for name in names
        if Path(name).suffix.lower() in SUFFIXES
    )
    yield from unreadable
    if not files and not unreadable:
        yield IngestError(display_path(root), f"no {'/'.join(sorted(SUFFIXES))} files in folder")
    for file in files:
        yield from read_file(file, options, doc_id=_relative_id(file, root))


def _relative_id(file: Path, root: Path) -> str:
    return display_path(file.relative_to(root).with_suffix(""))


def read_file(path: Path, options: ReadOptions, doc_id: str | None = None) -> Iterator[Item]:
    """The documents of one file (one, or one per JSONL line)."""
    source = display_path(path)
    data = _read_regular(path, options.max_bytes)
    if isinstance(data, str):
        yield IngestError(source, data)
        return
    yield from read_bytes(
        data, display_path(path.name), options, source=source,
        doc_id=doc_id or display_path(path.stem),
    )  # fmt: skip


def _read_regular(path: Path, max_bytes: int) -> bytes | str:
    """The bytes of a regular file of at most ``max_bytes``, or why not.

    The file is opened without blocking and checked by its descriptor, so a FIFO or a
    device (or a link to one) is refused before a byte is read, however it got there.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        return _open_problem(path, exc)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return f"not a regular file ({_kind(info.st_mode)}); only files are read"
        if info.st_size > max_bytes:
            return _too_big(info.st_size, max_bytes)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(max_bytes + 1)
    except OSError as exc:
        return f"cannot read file ({exc.strerror or exc})"
    finally:
        os.close(fd)
    return _too_big(len(data), max_bytes) if len(data) > max_bytes else data


def _open_problem(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop (a link that leads back to itself)"
    if exc.errno == errno.ENOENT and path.is_symlink():
        return f"broken symbolic link (to {display_path(os.readlink(path))}, which does not exist)"
    return f"cannot read file ({exc.strerror or exc})"


def _kind(mode: int) -> str:
    kinds = (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")


def _too_big(size: int, max_bytes: int) -> str:
    return f"file is {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:g} MiB limit (--max-bytes)"


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
        yield _within_limit(item, options.max_chars, options.max_sentences)


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
        yield _extract_html(text, source, doc_id, options)
    else:
        yield text_to_document(text, source, doc_id, options.lang)


def _extract_html(text: str, source: str, doc_id: str, options: ReadOptions) -> Item:
    """`html_to_document` within the read time limit."""
    try:
        with time_limit(
            options.time_limit,
            f"{source}: extracting the page's text",
            slow_after=options.slow_after,
            on_slow=options.on_slow,
        ):
            return html_to_document(text, source, doc_id, options.lang)
    except TimeLimitExceeded:
        return IngestError(
            source, f"extracting the page's text took over {options.time_limit:g} s; stopped"
        )
    except RecursionError:
        return IngestError(source, "markup nested too deeply to extract")


def _within_limit(item: Item, max_chars: int, max_sentences: int = MAX_SENTENCES) -> Item:
    """The document, or an error when its text is longer than ``max_chars`` or has more
    than ``max_sentences`` sentences."""
    if not isinstance(item, Document):
        return item
    problem = size_problem(item, max_chars, max_sentences)
    return IngestError(item.source or item.id, problem) if problem else item


def size_problem(doc: Document, max_chars: int, max_sentences: int = MAX_SENTENCES) -> str | None:
    """Why a document is too large to analyse, or None."""
    if len(doc.text) > max_chars:
        return (
            f"text is {len(doc.text):,} characters, over the {max_chars:,} limit (--max-chars);"
            " split it into parts"
        )
    if len(doc.sentences) > max_sentences:
        return (
            f"text has {len(doc.sentences):,} sentences, over the {max_sentences:,} limit "
            "(memory grows with every sentence); split it into parts"
        )
    return None


def decode(data: bytes, source: str, encoding: str = "utf-8") -> str | IngestError:
    """Bytes to text, refusing empty, binary and undecodable input with a clear reason.

    A byte-order mark names the encoding (UTF-8, UTF-16, UTF-32); without one, ``encoding``
    does. Binary is told from text after decoding, so UTF-16 text is not binary.
    """
    if not data:
        return IngestError(source, "empty file")
    bom = next((codec for mark, codec in _BOMS if data.startswith(mark)), None)
    codec = bom or (
        "utf-8-sig" if encoding.lower().replace("_", "-") in {"utf-8", "utf8"} else encoding
    )
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if bom is None and b"\x00" in data[:8192]:
            return _binary(source)
        return IngestError(
            source,
            f"not valid {codec.removesuffix('-sig')} at byte {exc.start}; convert the file to "
            "UTF-8 or pass --encoding",
        )
    except LookupError:
        return IngestError(source, f"unknown encoding {encoding!r}")
    if "\x00" in text:
        return _binary(source)
    if not text.strip():
        return IngestError(source, "empty file")
    return normalise_newlines(text)


def _binary(source: str) -> IngestError:
    return IngestError(
        source,
        "binary file (contains NUL bytes), not text; for UTF-16 or UTF-32 text without a "
        "byte-order mark pass --encoding utf-16 (or utf-32)",
    )


def text_to_document(text: str, source: str, doc_id: str, lang: str | None) -> Item:
    if not text.strip():
        return IngestError(source, "no text (only whitespace)")
    return Document.from_text(text, id=doc_id, lang=lang, source=source)


def read_jsonl(data: bytes, source: str, options: ReadOptions) -> Iterator[Item]:
    """One document per line; a bad line is an error for that line only, whatever is
    wrong with it."""
    text = decode(data, source, options.encoding)
    if isinstance(text, IngestError):
        yield text
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            yield _jsonl_document(line, where, f"{Path(source).stem}-{number}", options)
        except Exception as exc:  # a line never ends the file, whatever it holds
            yield IngestError(where, f"cannot read this line ({type(exc).__name__}: {exc})"[:300])


def _jsonl_document(line: str, where: str, default_id: str, options: ReadOptions) -> Item:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return IngestError(
            where, f"malformed JSON ({exc.msg.removesuffix(' at')} at column {exc.colno})"
        )
    except RecursionError:
        return IngestError(where, "malformed JSON (nested too deeply)")
    except ValueError as exc:  # e.g. an integer of more than 4,300 digits
        return IngestError(where, f"malformed JSON ({str(exc).split(';')[0][:120]})")
    if not isinstance(record, dict):
        return IngestError(where, "expected a JSON object per line")
    body = record.get(options.text_field)
    if not isinstance(body, str) or not body.strip():
        return IngestError(where, f"no text in field {options.text_field!r}")
    raw_id = record.get(options.id_field, default_id)
    if not isinstance(raw_id, (str, int, float)) or isinstance(raw_id, bool):
        return IngestError(where, f"field {options.id_field!r} must be a string or a number")
    lang = record.get("lang") if isinstance(record.get("lang"), str) else options.lang
    date = next((record[k] for k in DATE_FIELDS if isinstance(record.get(k), str)), None)
    return Document.from_text(
        storable(normalise_newlines(body)),
        id=storable(str(raw_id)),
        lang=storable(lang) if lang else None,
        source=where,
        published=storable(date) if date else None,
    )
