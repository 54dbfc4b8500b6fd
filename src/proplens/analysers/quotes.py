"""Direct quotes and who says them, by quotation marks and nearby speech verbs.

A first, rule-based pass: quoted stretches inside a paragraph (straight, curly,
guillemet and low-high quotes) of at least two words, attributed to a capitalised
name or pronoun next to a speech verb just before or after the quote.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from proplens.analysis import Analysis, Quote
from proplens.registry import analyser

_QUOTE = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|«([^»\n]+)»|„([^“”\n]+)[“”]')
_VERBS = (
    r"said|says|say|told|tells|added|adds|stated|states|declared|declares|claimed|claims|"
    r"wrote|writes|asked|asks|insisted|insists|warned|warns|explained|explains|argued|argues|"
    r"noted|notes|replied|replies|announced|announces|remarked|remarks|according to|"
    r"сказал|сказала|заявил|заявила|отметил|отметила|написал|написала"
)
_NAME = (
    r"(?:[A-ZА-ЯЁ][\w'’.-]*(?:\s+(?:of|de|von|van|al|bin)?\s*[A-ZА-ЯЁ][\w'’.-]*){0,3}"
    r"|he|she|they|He|She|They|his \w+|her \w+|the \w+(?: \w+)?)"
)
_AFTER = re.compile(
    rf"^[\s,.!?—–-]*(?:(?P<v1>{_VERBS})\s+(?P<n1>{_NAME})|(?P<n2>{_NAME})\s+(?P<v2>{_VERBS}))"
)
_BEFORE = re.compile(
    rf"(?:(?P<n1>{_NAME})\s+(?:has\s+|had\s+)?(?P<v1>{_VERBS})|(?P<v2>{_VERBS})\s+(?P<n2>{_NAME}))"
    r"[^\"“«„]{0,30}?[:,]?\s*$"
)
MIN_WORDS = 2


def find_quotes(text: str) -> list[Quote]:
    quotes: list[Quote] = []
    for m in _QUOTE.finditer(text):
        group = next(i for i in range(1, 5) if m.group(i) is not None)
        inner = m.group(group)
        if len(inner.split()) < MIN_WORDS:
            continue
        start, end = m.start(group), m.end(group)
        speaker = _speaker_after(text, m.end()) or _speaker_before(text, m.start())
        if speaker:
            name, s0, s1 = speaker
            quotes.append(Quote(start, end, name, s0, s1))
        else:
            quotes.append(Quote(start, end, None))
    return quotes


def _speaker_after(text: str, pos: int) -> tuple[str, int, int] | None:
    window = text[pos : pos + 80].split("\n", 1)[0]
    m = _AFTER.match(window)
    if not m:
        return None
    key = "n1" if m.group("n1") else "n2"
    return _trimmed(m.group(key), pos + m.start(key))


def _speaker_before(text: str, pos: int) -> tuple[str, int, int] | None:
    line_start = text.rfind("\n", 0, pos) + 1
    begin = max(line_start, pos - 100)
    m = _BEFORE.search(text[begin:pos])
    if not m:
        return None
    key = "n1" if m.group("n1") else "n2"
    return _trimmed(m.group(key), begin + m.start(key))


def _trimmed(name: str, start: int) -> tuple[str, int, int]:
    """A speaker name without the sentence's closing punctuation."""
    name = name.rstrip(".,;:")
    return name, start, start + len(name)


@analyser("quotes", requires=["paragraphs"], produces=["quotes"])
def quotes(analysis: Analysis) -> Mapping[str, Any]:
    """Mark direct quotes and attribute each to a nearby speaker when one is named."""
    return {"quotes": tuple(find_quotes(analysis.document.text))}
