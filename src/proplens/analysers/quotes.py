"""Direct quotes and who says them.

Candidates: paragraphs that are one quotation (block quotes, inner marks ignored), quote-mark
pairs inside a paragraph ("...", “...”, «...», „...“; a quote may span sentences), and
dialogue dashes (— ... , — said X). Attribution, in order: a speech verb with a name right
after the quote ("..., said Anna Berg", "...", -Putin replied) or right before it
(Anna Berg said: "..."; he said in an interview: "..."; Allah said:¶"..."), then, for
English, the subject of the sentence that introduces the quote with a colon ("Putin
finished his speech with the words: ..."). Pronouns resolve to the nearest person named
before the quote. Short quoted phrases with no speaker (titles, scare quotes) are not
quotes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from proplens.analysers.parse import Parse, get_parse
from proplens.analysis import Analysis, Quote
from proplens.document import Document, Span
from proplens.registry import analyser

SPEECH_VERBS = [
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "declared",
    "declares",
    "claimed",
    "claims",
    "wrote",
    "writes",
    "asked",
    "asks",
    "insisted",
    "insists",
    "warned",
    "warns",
    "explained",
    "explains",
    "argued",
    "argues",
    "noted",
    "notes",
    "replied",
    "replies",
    "answered",
    "answers",
    "announced",
    "announces",
    "remarked",
    "remarks",
    "echoed",
    "echoes",
    "joked",
    "jokes",
    "giggled",
    "giggles",
    "laughed",
    "laughs",
    "shouted",
    "shouts",
    "exclaimed",
    "exclaims",
    "admitted",
    "admits",
    "recalled",
    "recalls",
    "continued",
    "continues",
    "concluded",
    "concludes",
    "responded",
    "responds",
    "commented",
    "comments",
    "suggested",
    "suggests",
    "stressed",
    "stresses",
    "emphasised",
    "emphasized",
    "promised",
    "promises",
    "threatened",
    "threatens",
    "quipped",
    "whispered",
    "yelled",
    "tweeted",
    "posted",
    "swore",
    "vowed",
    "described",
    "describes",
    # Russian: past (m/f/pl) and present forms; not "назвал" (names someone as much as it
    # quotes: "я назвал Саломе «...»")
    "сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "заявляет", "заявляют",
    "отметил", "отметила", "отметили", "отмечает", "написал", "написала", "написали", "пишет",
    "добавил", "добавила", "добавляет", "ответил", "ответила", "подчеркнул", "подчеркнула",
    "подчеркивает", "подчёркивает", "пояснил", "пояснила", "поясняет", "сообщил", "сообщила",
    "сообщили", "сообщает", "говорит", "говорил", "говорила", "говорят", "считает", "считают",
    "утверждает", "утверждал", "утверждала", "признал",
    "признала", "признался", "объяснил", "объяснила", "заметил", "заметила", "спросил", "спросила",
    "воскликнул", "предупредил", "предупредила",
    # French, German, Italian, Polish (multi-word forms keep their space)
    "a déclaré", "a dit", "a affirmé", "a ajouté", "a expliqué", "a souligné", "déclare",
    "affirme", "explique", "souligne", "sagte", "sagt", "erklärte", "erklärt", "betonte",
    "betont", "meinte", "schrieb", "warnte", "ha detto", "ha dichiarato", "ha affermato",
    "ha aggiunto", "ha spiegato", "afferma", "dichiara", "spiega", "powiedział",
    "powiedziała", "mówi", "stwierdził", "stwierdziła", "oświadczył", "oświadczyła",
    "dodał", "dodała", "napisał", "napisała",
]  # fmt: skip
_VERB = "(?:" + "|".join(sorted(map(re.escape, SPEECH_VERBS), key=len, reverse=True)) + ")"
_VERB_PHRASE = rf"(?:has\s+|had\s+|then\s+|also\s+|later\s+|somehow\s+|\w+ly\s+)?{_VERB}"
_CAP = r"[A-ZА-ЯЁÀ-ÝŁŚŻŹ][\w'’.-]*"
_NAME = (
    rf"(?:{_CAP}(?:\s+(?:of|de|von|van|al|bin|ibn)?\s*{_CAP}){{0,3}}"
    r"|[Hh]e|[Ss]he|[Tt]hey|[Hh]is \w+|[Hh]er \w+|[Tt]heir \w+"
    r"|the \w+(?: (?!of\b)\w+)?(?: of (?:the |a )?\w+)?|он|она|они)"
)
_PRONOUNS = {"he", "she", "they", "он", "она", "они"}
_AFTER = re.compile(
    rf"^[\s,]*[—–-]?\s*(?:(?P<v1>{_VERB})\s+(?P<n1>{_NAME})|(?P<n2>{_NAME})\s+(?P<v2>{_VERB_PHRASE}))\b"
)
_BEFORE = re.compile(
    rf"(?:(?P<n1>{_NAME})\s+(?P<v1>{_VERB_PHRASE})|(?P<v2>{_VERB})\s+(?P<n2>{_NAME}))\b"
    r"[^\"“”«»„\n]{0,90}?[:,]?\s*$"
)
_PAIRS = re.compile(r'"([^"\n]+)"|“([^”\n]+)”|«([^»\n]*(?:«[^»\n]*»[^»\n]*)*)»|„([^“”\n]+)[“”]')
_OPEN, _CLOSE = '"“«„', '"”»“'
#: The author resuming after an unclosed quote: "These words ...", "Such statements ...".
_BACK_REFERENCE = re.compile(
    r"(?<=[.!?…])\s+(?=(?:These|Those|Such|This|His|Her|Their)\s+"
    r"(?:words|remarks|statements?|comments?|phrases?|claims?)\b|(?:Эти|Такие) слова)"
)
#: A scripture or source reference closing a block quote: "(2:11-12)." or "(Al-Baqarah 11)".
_CITATION = re.compile(r"\s*\([^()]{1,40}\d[^()]{0,20}\)[.\s]*$")
_DASH_LINE = re.compile(r"^[—–-]\s*(?P<q>[^—–\n]+?)\s*(?:[,.!?]\s*)?[—–]\s*(?P<rest>.*)$")
MIN_UNATTRIBUTED_WORDS = 5

Candidate = tuple[int, int]


def candidates(doc: Document) -> list[Candidate]:
    """Quoted stretches as (start, end) of the text inside the marks."""
    text = doc.text
    found: list[Candidate] = []
    previous = ""
    paragraphs = doc.paragraphs
    resume = 0  # where pairing may start in this paragraph (after a carried-over quote)
    for index, p in enumerate(paragraphs):
        body = text[p.start : p.end]
        skip, resume = resume, 0
        introduced = previous.endswith(":")
        previous = body
        stripped = _CITATION.sub("", body).rstrip(".,;:!? ")
        if (
            len(stripped) > 2
            and stripped[0] in _OPEN
            and (introduced or (stripped[-1] in _CLOSE and _is_block(stripped)))
        ):
            end = len(stripped) - (1 if _closes_outer(stripped) else 0)
            found.append((p.start + 1, p.start + end))
            continue
        if body[0] in _OPEN and _unclosed(body):
            found.append((p.start + 1, p.start + _unclosed_end(body)))
            continue
        dash = _DASH_LINE.match(body)
        if dash:
            found.append((p.start + dash.start("q"), p.start + dash.end("q")))
            continue
        carried = _carried_over(text, body, paragraphs[index + 1 : index + 2])
        if carried:
            open_at, close_at, resume = carried
            found.append((p.start + open_at + 1, close_at))
            body = body[:open_at]
        for m in _PAIRS.finditer(body, skip):
            group = next(i for i in range(1, 5) if m.group(i) is not None)
            found.append((p.start + m.start(group), p.start + m.end(group)))
    return found


def _carried_over(text: str, body: str, following: Sequence[Span]) -> tuple[int, int, int] | None:
    """A straight quote left open at the end of a paragraph and closed in the next one:
    (opening mark in ``body``, closing offset in the text, where pairing resumes next)."""
    if body.count('"') % 2 == 0 or body.startswith('"') or not following:
        return None
    nxt = following[0]
    nbody = text[nxt.start : nxt.end]
    close = nbody.find('"')
    if close <= 0 or nbody.count('"') % 2 == 0:
        return None
    return body.rfind('"'), nxt.start + close, close + 1


def _unclosed(body: str) -> bool:
    """A paragraph opening with a quote mark that is never closed in it."""
    mark = body[0]
    if mark == '"':
        return body.count('"') % 2 == 1
    closer = {"«": "»", "“": "”", "„": "“"}[mark]
    return body.count(closer) < body.count(mark)


def _unclosed_end(body: str) -> int:
    """Where an unclosed quote ends: before the author's words that refer back to it
    ("These words ..."), else at the end of the paragraph."""
    m = _BACK_REFERENCE.search(body)
    return m.start() if m else len(body.rstrip())


def _closes_outer(stripped: str) -> bool:
    """Whether the paragraph's last mark closes its first one (not an inner quote)."""
    if stripped[-1] not in _CLOSE:
        return False
    if stripped[0] == '"':
        return stripped.count('"') % 2 == 0
    return stripped.count(stripped[0]) == sum(stripped.count(c) for c in "”»“" if c != stripped[0])


def _is_block(stripped: str) -> bool:
    """A paragraph that is one quotation: its first mark closes only at its end."""
    inner = stripped[1:-1]
    if stripped[0] == "«":
        return inner.count("«") == inner.count("»")
    # straight/curly quotes: the paragraph must not be two quotes with narration between
    closing = [m.start() for m in re.finditer(r'["”]\s*[,.]?\s+\w', inner)]
    opening_after = [m.start() for m in re.finditer(r'\s["“]\w', inner)]
    return not closing or bool(opening_after)


def attribute(doc: Document, start: int, end: int, parse: Parse) -> tuple[str, int, int] | None:
    """(speaker, start, end) for the quote ``text[start:end]``, or None."""
    text = doc.text
    close = end + 1 if end < len(text) and text[end] in _CLOSE else end
    open_ = start - 1 if start > 0 and text[start - 1] in _OPEN else start
    found = (
        _after(text, close)
        or _before(text, open_)
        or _colon_subject(parse, text, open_)
        or _opening_paragraph_speaker(doc, parse, open_)
    )
    if found and found[0].lower() in _PRONOUNS:
        person = _person_before(parse, open_)
        if person:
            return person
    return _person_inside(parse, found) if found else None


def _person_inside(parse: Parse, found: tuple[str, int, int]) -> tuple[str, int, int]:
    """The named person inside a matched speaker phrase that starts with other capitalised
    words ("Ранее Кулеба", "University of Colorado professor Carlos Franco") as that person."""
    _, start, end = found
    inside = [
        e
        for e in parse.entities
        if e.label == "PERSON" and start <= e.start and e.end <= end and e.start > start
    ]
    if not inside:
        return found
    person = max(inside, key=lambda e: (e.end, e.end - e.start))
    return person.text, person.start, person.end


def _after(text: str, pos: int) -> tuple[str, int, int] | None:
    window = text[pos : pos + 90].split("\n", 1)[0]
    m = _AFTER.match(window)
    if not m:
        return None
    key = "n1" if m.group("n1") else "n2"
    return _trimmed(m.group(key), pos + m.start(key))


def _before(text: str, pos: int) -> tuple[str, int, int] | None:
    line_start = text.rfind("\n", 0, pos) + 1
    if not text[line_start:pos].strip():  # quote opens its paragraph: look at the last one
        prev_end = len(text[:line_start].rstrip())
        if text[:prev_end].endswith(":"):
            pos = prev_end
            line_start = text.rfind("\n", 0, pos) + 1
        else:
            return None
    begin = max(line_start, pos - 160)
    window = text[begin:pos]
    best = None
    for m in _BEFORE.finditer(window):
        if not _after_preposition(window, m.start()):
            best = m
    if not best:
        return None
    key = "n1" if best.group("n1") else "n2"
    return _trimmed(best.group(key), begin + best.start(key))


_PREPOSITIONS = frozenset(
    ["in", "at", "from", "to", "of", "on", "for", "with", "by", "about", "into", "near", "than"]
)
_SPEECH_SET = frozenset(SPEECH_VERBS)


def _after_preposition(window: str, pos: int) -> bool:
    """ "... who died in Syria commented": a name right after a preposition is no speaker."""
    before = window[:pos].split()
    return bool(before) and before[-1].lower() in _PREPOSITIONS


def _colon_subject(parse: Parse, text: str, pos: int) -> tuple[str, int, int] | None:
    """English: "X ... with the words: <quote>" -> the subject X of that sentence."""
    doc = parse.spacy_doc
    if doc is None:
        return None
    before = text[:pos].rstrip()
    if not before.endswith(":"):
        return None
    sent = doc.char_span(len(before) - 1, len(before), alignment_mode="expand")
    if sent is None:
        return None
    # spaCy's sentence may run on from the line above (a title): the speaker is on the
    # colon's line
    line_start = text.rfind("\n", 0, len(before) - 1) + 1
    subjects = [
        t
        for t in sent.sent
        if line_start <= t.idx < pos and t.dep_ in ("nsubj", "nsubjpass") and t.head.idx < pos
    ]
    if not subjects:
        return None
    people = [
        t
        for t in subjects
        if any(e.label == "PERSON" and e.start <= t.idx < e.end for e in parse.entities)
    ]
    speaking = [t for t in subjects if t.head.text.lower() in _SPEECH_SET]
    # a named person first, then whoever the speech verb belongs to, then the first subject
    head = people[0] if people else speaking[-1] if speaking else subjects[0]
    parts = [t for t in head.subtree if t.idx >= line_start and not t.is_space]
    if len(parts) > 6:  # a long subject: drop its relative clauses ("who died in ...")
        clauses = {t.i for c in head.subtree if c.dep_ in ("relcl", "acl") for t in c.subtree}
        parts = [t for t in parts if t.i not in clauses]
    if len(parts) > 10:  # still long: keep its name part only
        parts = [t for t in parts if t.dep_ in ("compound", "flat") or t == head]
    start, end = min(t.idx for t in parts), max(t.idx + len(t) for t in parts)
    return doc.text[start:end], start, end


def _opening_paragraph_speaker(
    doc: Document, parse: Parse, pos: int
) -> tuple[str, int, int] | None:
    """A quote that opens its paragraph speaks for the last person the previous one named."""
    here = doc.paragraph_at(pos + 1)
    if here is None or pos > here.start:
        return None
    before = [p for p in doc.paragraphs if p.end <= here.start]
    if not before:
        return None
    people = [
        e
        for e in parse.entities
        if e.label == "PERSON" and before[-1].start <= e.start < before[-1].end
    ]
    return (people[-1].text, people[-1].start, people[-1].end) if people else None


def _person_before(parse: Parse, pos: int) -> tuple[str, int, int] | None:
    people = [e for e in parse.entities if e.label == "PERSON" and e.end <= pos]
    if not people:
        return None
    last = people[-1]
    return last.text, last.start, last.end


def _trimmed(name: str, start: int) -> tuple[str, int, int]:
    """A speaker name without the sentence's punctuation or a leading dash."""
    lead = len(name) - len(name.lstrip("-—– "))
    name = name.strip("-—– ").rstrip(".,;:")
    return name, start + lead, start + lead + len(name)


_NAME_LIKE = re.compile(r"^[A-ZА-ЯЁÀ-ÝŁŚŻŹ][^.!?,:;…]*$")


def looks_like_a_name(quoted: str) -> bool:
    """A short capitalised stretch without punctuation is a title or a name in quote marks
    («Северный поток», "The Putin Interviews"), not somebody's words."""
    return len(quoted.split()) <= 4 and bool(_NAME_LIKE.match(quoted.strip()))


_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?…:])\s*$")
_SENTENCE_AFTER = re.compile(r"[»”\"“]?\s*(?:[.!?…]|,\s*[—–-])")
_LONG_WORD = re.compile(r"[^\W\d_]{4,}")


def said_as_a_sentence(doc: Document, start: int, end: int) -> bool:
    """A quote that is a sentence of its own («Мы выполнили все обещания». / "We did it,"
    — he said) is somebody's words however short, unless written in headline case like an
    English title."""
    paragraph = doc.paragraph_at(start)
    left = doc.text[paragraph.start if paragraph else 0 : max(start - 1, 0)]
    quoted = doc.text[start:end]
    long = _LONG_WORD.findall(quoted)
    if len(long) >= 2 and sum(w[0].isupper() for w in long) > len(long) / 2:
        return False
    closes = quoted.rstrip().endswith((".", "!", "?", "…")) or bool(
        _SENTENCE_AFTER.match(doc.text, end)
    )
    return bool(_SENTENCE_BEFORE.search(left)) and closes


def find_quotes(doc: Document, parse: Parse | None = None) -> list[Quote]:
    parse = parse or Parse()
    quotes: list[Quote] = []
    for start, end in candidates(doc):
        words = len(doc.text[start:end].split())
        sentence = said_as_a_sentence(doc, start, end)
        if words < 2 or (looks_like_a_name(doc.text[start:end]) and not sentence):
            continue
        speaker = attribute(doc, start, end, parse)
        if speaker:
            quotes.append(Quote(start, end, speaker[0], speaker[1], speaker[2]))
        elif words >= MIN_UNATTRIBUTED_WORDS or sentence:
            quotes.append(Quote(start, end, None))
    return quotes


@analyser("quotes", requires=["paragraphs"], uses=["parse"], produces=["quotes"])
def quotes(analysis: Analysis) -> Mapping[str, Any]:
    """Mark direct quotes and attribute each to its speaker when one is named."""
    return {"quotes": tuple(find_quotes(analysis.document, get_parse(analysis)))}
