"""The one data model every part of proplens shares.

A `Document` holds the original text and its segmentation (paragraphs, sentences,
word tokens) as `Span`s: character offsets into ``text`` (Python ``str`` indices,
end exclusive). Segmentation happens once, here, so analysers never re-tokenise.
Paragraphs are lines, as in SemEval-2023 Task 3: line 1 is the title.
"""

from __future__ import annotations

import hashlib
import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TypeVar

_SENTENCE_END = re.compile(
    r"""(?<=[.!?…])["'”’»)\]]*\s+(?=["'“‘«(\[]*[\w¿¡])""",
    re.UNICODE,
)
_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "e.g", "i.e", "u.s", "u.k"}
    | {"gen", "col", "lt", "sgt", "rep", "sen", "gov", "no", "nos", "fig"}
)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A half-open character range ``[start, end)`` into a document's text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"invalid span [{self.start}, {self.end})")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True)
class Paragraph(Span):
    """One non-empty line; ``line`` is its 1-based line number (the SemEval paragraph id)."""

    line: int = 0


@dataclass(frozen=True)
class Document:
    """An article: its text, identity and shared segmentation.

    Build one with `Document.from_text`; it is immutable, so annotations live beside it
    in an `Analysis`, never inside it.
    """

    text: str
    id: str = "doc"
    lang: str | None = None
    source: str | None = None
    paragraphs: tuple[Paragraph, ...] = field(default=(), repr=False)
    #: Publication date as ISO 8601 text, when the input says (JSONL field, HTML metadata).
    published: str | None = None
    #: Sentences given by the caller instead of the rule split (a training row that is one
    #: sentence, see `Document.sentence`); empty: split by `split_sentences`.
    given_sentences: tuple[Span, ...] = field(default=(), repr=False)

    @classmethod
    def from_text(
        cls,
        text: str,
        *,
        id: str = "doc",
        lang: str | None = None,
        source: str | None = None,
        published: str | None = None,
    ) -> Document:
        return cls(
            text=text,
            id=id,
            lang=lang,
            source=source,
            paragraphs=split_paragraphs(text),
            published=published,
        )

    @classmethod
    def sentence(cls, text: str, *, id: str = "doc", lang: str | None = None) -> Document:
        """A document that is one sentence, however many sentence ends the rule split would
        see in it: a training or evaluation row of a sentence classifier."""
        paragraphs = split_paragraphs(text)
        whole = (Span(paragraphs[0].start, paragraphs[-1].end),) if paragraphs else ()
        return cls(text=text, id=id, lang=lang, paragraphs=paragraphs, given_sentences=whole)

    def with_lang(self, lang: str) -> Document:
        return replace(self, lang=lang)

    def span_text(self, span: Span) -> str:
        return self.text[span.start : span.end]

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @cached_property
    def sentences(self) -> tuple[Span, ...]:
        """Sentences, never crossing a paragraph boundary (unless given, see `sentence`)."""
        if self.given_sentences:
            return self.given_sentences
        return tuple(s for p in self.paragraphs for s in split_sentences(self.text, p))

    @cached_property
    def tokens(self) -> tuple[Span, ...]:
        """Word and punctuation tokens, in text order."""
        return tuple(Span(m.start(), m.end()) for m in _TOKEN.finditer(self.text))

    @cached_property
    def words(self) -> tuple[Span, ...]:
        """The word tokens (those that begin with a letter or digit), in text order: the
        units word-level models label."""
        return tuple(t for t in self.tokens if self.text[t.start].isalnum())

    @cached_property
    def word_count(self) -> int:
        return len(self.words)

    def paragraph_at(self, offset: int) -> Paragraph | None:
        """The paragraph holding character ``offset``, if any (by bisection: analysers ask
        for every sentence or span, and a text may have tens of thousands)."""
        return _at(self.paragraphs, self._paragraph_starts, offset)

    def sentence_at(self, offset: int) -> Span | None:
        """The sentence holding character ``offset``, if any."""
        return _at(self.sentences, self._sentence_starts, offset)

    @cached_property
    def _paragraph_starts(self) -> list[int]:
        return [p.start for p in self.paragraphs]

    @cached_property
    def _sentence_starts(self) -> list[int]:
        return [s.start for s in self.sentences]


S = TypeVar("S", bound=Span)


def _at(spans: Sequence[S], starts: list[int], offset: int) -> S | None:
    """The span of ``spans`` (in text order, not overlapping) that holds ``offset``."""
    i = bisect_right(starts, offset) - 1
    return spans[i] if i >= 0 and offset < spans[i].end else None


def split_paragraphs(text: str) -> tuple[Paragraph, ...]:
    """Non-empty lines with surrounding whitespace trimmed from the span."""
    out: list[Paragraph] = []
    pos = 0
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped:
            start = pos + (len(line) - len(line.lstrip()))
            out.append(Paragraph(start, start + len(stripped), line=number))
        pos += len(line) + 1
    return tuple(out)


def split_sentences(text: str, within: Span) -> list[Span]:
    """Rule-based sentence split inside ``within``: good enough for scoring units.

    A break needs end punctuation, whitespace and a capital-ish start; common
    abbreviations ("Mr.", "U.S.") and single initials do not end a sentence.
    """
    chunk = text[within.start : within.end]
    spans: list[Span] = []
    begin = 0
    for m in _SENTENCE_END.finditer(chunk):
        before = chunk[begin : m.start()].rstrip("\"'”’»)]")
        last_word = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.split() else ""
        if last_word in _ABBREVIATIONS or (len(last_word) == 1 and last_word.isalpha()):
            continue
        end = m.start() + len(m.group(0).rstrip())
        spans.append(Span(within.start + begin, within.start + end))
        begin = m.end()
    if begin < len(chunk):
        spans.append(Span(within.start + begin, within.end))
    return [s for s in spans if text[s.start : s.end].strip()]
