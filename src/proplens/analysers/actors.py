"""Actors named in the text, merged across mentions, with the author's stance towards each.

Mentions are the parse's entities (people, organisations, places, groups). They merge by
a key: a person's surname ("Vladimir Putin", "Putin", "Putin's" -> putin), other names by
their lowercased form without articles; Russian words in their dictionary form (pymorphy2,
which natasha ships: "Грузии", "Грузию" -> грузия).

Stance, in [-1, 1], is how the *author* treats the actor: only mentions in the author's
own voice count (not those inside quotes). Each mention scores the tone of the words
around it and tied to it by the parse (VADER, English; elsewhere, where no lexicon ships,
the sentence's sentiment from `models.sentiment`, VADER carried into the multilingual
sentence vectors), the attacks there (an attacking
technique span whose target is this actor, name calling most) and an
in-group cue ("our brothers", "we Muslims"). Negative words about
harm done to the actor (it is the object or passive subject) do not count against it, and
the tone is read against the article's usual tone, so that in a text about war the victims
and the author's own side are not scored as attacked.

Each attacking span (name calling, loaded language, doubt...) is aimed at an actor (see
`assign_targets`); the analyser hands those targets on as ``attack_targets`` and the
``attribution`` step writes them on the spans.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from proplens.analysers.attribution import ATTACK_TARGETS, speaker_of
from proplens.analysers.parse import Entity, get_parse
from proplens.analysers.vectors import SENTENCE_VECTORS, model_inputs
from proplens.analysis import AUTHOR, Actor, Analysis, Quote, TechniqueSpan
from proplens.document import Document, Span
from proplens.models import base
from proplens.models.sentiment import SentimentHead, vader_score
from proplens.registry import analyser

ATTACKS = frozenset(
    {
        "Name_Calling-Labeling", "Loaded_Language", "Questioning_the_Reputation", "Doubt",
        "Appeal_to_Hypocrisy", "Guilt_by_Association", "Appeal_to_Fear-Prejudice",
    }
)  # fmt: skip
STRONG_ATTACKS = frozenset({"Name_Calling-Labeling", "Questioning_the_Reputation"})
TYPES = {"PERSON": "person", "ORG": "organisation", "LOC": "place", "NORP": "group"}
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_RU_ENDING = re.compile(r"(?:ого|ему|ым|ом|ой|ая|ую|а|у|е|ы|ю|я)$")
_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


@dataclass
class _Group:
    mentions: list[Entity]

    @property
    def name(self) -> str:
        """The longest form, in the dictionary form when one was used ("Грузия", not
        "Грузии"), else the most frequent."""
        forms = Counter(_clean(m.text) for m in self.mentions)
        person = self.type == "person"
        best = max(
            forms, key=lambda f: (len(f.split()), _in_dictionary_form(f, person), forms[f], len(f))
        )
        if " " in best or person or _in_dictionary_form(best, person) or best.isupper():
            return best
        return _ru_lemma(best, False).capitalize()  # one word, never written so: "Украине"

    @property
    def type(self) -> str:
        return TYPES[Counter(m.label for m in self.mentions).most_common(1)[0][0]]


def _clean(text: str) -> str:
    if text.count("(") != text.count(")"):  # "the Union (USSR": cut at the open bracket
        text = text.split("(", 1)[0]
    text = text.strip(" \t\n\"'“”«»()[],.;:")
    return _POSSESSIVE.sub("", text).strip()


@cache
def _morph() -> Any:
    from natasha import MorphVocab  # pymorphy2 and its Russian dictionary, shipped offline

    return MorphVocab()


def _is_russian(name: str) -> bool:
    return any("а" <= c <= "я" or c == "ё" for c in name.lower())


@cache
def _ru_lemma(word: str, person: bool) -> str:
    """A Russian word's dictionary form, lowercased ("Грузии" -> "грузия"). A surname the
    dictionary does not know ("Токаева" reads as a woman's first name) loses its case
    ending instead."""
    word = word.lower()
    parses = _morph().parse(word)
    if person:
        surnames = [p for p in parses if "Surn" in p.tag]
        return surnames[0].normal_form if surnames else _strip_ending(word)
    return str(parses[0].normal_form) if parses else word


def _strip_ending(word: str) -> str:
    return _RU_ENDING.sub("", word) if len(word) > 4 else word


def _in_dictionary_form(form: str, person: bool) -> bool:
    """Whether a Russian name is written in its dictionary form (other scripts: always)."""
    if not _is_russian(form):
        return True
    words = form.lower().split()
    if person:  # the surname decides
        return _ru_lemma(words[-1], True) == words[-1]
    return all(_ru_lemma(w, False) == w for w in words)


def actor_key(entity: Entity) -> str:
    """The merge key of a mention: a person's surname, else the name without articles;
    Russian words in their dictionary form, so case forms merge."""
    name = _ARTICLE.sub("", _clean(entity.text)).lower()
    person = entity.label == "PERSON"
    if person and name:
        name = name.split()[-1]
    if _is_russian(name):
        name = " ".join(_ru_lemma(w, person) for w in name.split())
    elif entity.label == "NORP" and name.endswith("s") and len(name) > 4:
        name = name[:-1]  # Catholics -> catholic, Kazakhs -> kazakh
    return f"{entity.label}:{name}"


def group_mentions(entities: Sequence[Entity]) -> dict[str, _Group]:
    """Mentions grouped by key; a one-word name that is a known person's surname joins that
    person whatever its entity label (spaCy often calls a lone surname an ORG); the same
    name under two other labels is one actor; an acronym joins the name it abbreviates."""
    groups: dict[str, _Group] = {}
    for e in entities:
        if not _clean(e.text):
            continue
        groups.setdefault(actor_key(e), _Group([])).mentions.append(e)
    for key in [k for k in groups if not k.startswith("PERSON:")]:
        person = "PERSON:" + key.split(":", 1)[1]
        if person in groups and " " not in key:
            groups[person].mentions.extend(groups.pop(key).mentions)
    _merge_same_names(groups)
    _merge_acronyms(groups)
    return groups


def _merge_same_names(groups: dict[str, _Group]) -> None:
    """ "Kazakh" tagged once as a group and once as an organisation: one actor, kept under
    the label with the most mentions."""
    by_name: dict[str, list[str]] = {}
    for key in groups:
        name = key.split(":", 1)[1]
        if name.endswith("s") and len(name) > 4:  # "Kazakhs" as a person, "Kazakh" as a group
            name = name[:-1]
        by_name.setdefault(name, []).append(key)
    for keys in by_name.values():
        if len(keys) > 1:
            keys.sort(key=lambda k: -len(groups[k].mentions))
            for other in keys[1:]:
                groups[keys[0]].mentions.extend(groups.pop(other).mentions)


_ACRONYM = re.compile(r"^[A-ZА-ЯЁ]{2,6}$")
_ACRONYM_SKIP = frozenset({"of", "the", "and", "for", "de", "la", "и"})


def _initials(name: str) -> str:
    return "".join(w[0] for w in name.split() if w.lower() not in _ACRONYM_SKIP).upper()


def _merge_acronyms(groups: dict[str, _Group]) -> None:
    """ "CSTO" joins "the Collective Security Treaty Organization" when both are named."""
    long_names = {
        _initials(_ARTICLE.sub("", g.name)): key
        for key, g in groups.items()
        if len(g.name.split()) >= 2
    }
    for key in list(groups):
        name = groups[key].name
        target = long_names.get(name) if _ACRONYM.match(name) else None
        if target and target != key and target in groups:
            groups[target].mentions.extend(groups.pop(key).mentions)


def sentiment(text: str, lang: str | None) -> float:
    """Sentence sentiment in [-1, 1] (VADER for English; 0 where no lexicon exists)."""
    return vader_score(text) if lang == "en" else 0.0


WINDOW_WORDS = 6


def _window(text: str, m: Entity, sent: Span) -> str:
    """The mention with up to WINDOW_WORDS words each side, inside its sentence: the words
    aimed at the actor, not the mood of the whole sentence."""
    left = text[sent.start : m.start].split()[-WINDOW_WORDS:]
    right = text[m.end : sent.end].split()[:WINDOW_WORDS]
    return " ".join([*left, text[m.start : m.end], *right])


def _said_about(spacy_doc: Any, m: Entity) -> str:
    """English: the words the syntax ties to a mention: its own modifiers and, when it is a
    subject, its predicate (verb, complement, object) ("Putin frightens the Russians")."""
    span = spacy_doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return ""
    root = span.root
    words = [t.text for t in root.children if t.dep_ in ("amod", "appos", "acl", "relcl")]
    if root.dep_ in ("nsubj", "nsubjpass"):
        verb = root.head
        words.append(verb.text)
        words += [
            w.text
            for c in verb.children
            if c.dep_ in ("attr", "acomp", "dobj", "xcomp", "oprd", "advmod")
            for w in c.subtree
        ]
    return " ".join(words)


def _in_quote(start: int, quotes: Sequence[Quote]) -> bool:
    return any(q.start <= start < q.end for q in quotes)


def assign_targets(
    doc: Document,
    techniques: Sequence[TechniqueSpan],
    groups: dict[str, _Group],
    spacy_doc: Any = None,
    quotes: Sequence[Quote] = (),
) -> tuple[TechniqueSpan, ...]:
    """Aim each attacking span at an actor.

    With an English parse: an actor inside the span, else in the noun phrase the span
    modifies ("corrupt Hale regime"), else the subject of the clause ("Hale has become
    an accomplice"). Without one: the nearest actor in the sentence, for short spans only.
    """
    mentions = [(m, g.name) for g in groups.values() for m in g.mentions]
    out = []
    for t in techniques:
        target = None
        if t.technique in ATTACKS:
            a, b = _reach(doc, t, quotes)
            near = [(m, name) for m, name in mentions if a <= m.start and m.end <= b]
            if spacy_doc is not None:
                target = _syntactic_target(spacy_doc, doc.text, t, near)
            elif len(doc.text[t.start : t.end].split()) <= SHORT_SPAN_WORDS:
                target = _nearest_target(doc, t, near)
        out.append(replace(t, target=target))
    return tuple(out)


def _reach(doc: Document, t: TechniqueSpan, quotes: Sequence[Quote]) -> tuple[int, int]:
    """Where a span's target may be named: its own sentences and, inside a quote, the
    quote alone, since the one who says "a disgrace" is not the one it is aimed at."""
    first, last = doc.sentence_at(t.start), doc.sentence_at(max(t.start, t.end - 1))
    a = first.start if first else t.start
    b = last.end if last else t.end
    for q in quotes:
        if q.start <= t.start < q.end:
            return max(a, q.start), min(b, q.end)
    return a, b


SHORT_SPAN_WORDS = 4
_MODIFIER_DEPS = frozenset({"amod", "compound", "advmod", "det", "poss", "nummod", "conj", "cc"})
_SUBJECT_DEPS = ("nsubj", "nsubjpass")


def _mention_in(start: int, end: int, mentions: Sequence[tuple[Entity, str]]) -> str | None:
    inside = [(m.start, name) for m, name in mentions if start <= m.start and m.end <= end]
    return min(inside)[1] if inside else None


def _syntactic_target(
    spacy_doc: Any, text: str, t: TechniqueSpan, mentions: Sequence[tuple[Entity, str]]
) -> str | None:
    # ``text`` is the document text the parse was made from: ``spacy_doc.text`` would
    # rebuild the whole string from its tokens on every call.
    if len(text[t.start : t.end].split()) <= SHORT_SPAN_WORDS:
        own = _mention_in(t.start, t.end, mentions)
        if own:
            return own
    span = spacy_doc.char_span(t.start, t.end, alignment_mode="expand")
    if span is None:
        return None
    token = span.root
    owner = _owner_in_phrase(token, mentions)
    if owner:
        return owner
    while token.dep_ in _MODIFIER_DEPS and token.head is not token:
        token = token.head
        found = _mention_in(*_core_phrase(token), mentions)
        if found:
            return found
    for _ in range(6):  # climb to the governing clause and take its subject
        subjects = [c for c in token.children if c.dep_ in _SUBJECT_DEPS]
        for subj in subjects:
            found = _mention_in(*_core_phrase(subj), mentions)
            if found:
                return found
        if token.head is token:
            break
        token = token.head
    return None


#: Clauses hanging off a noun: they name other actors than the noun phrase itself ("the
#: empire, having lost its army in Norland, ..." is not about Norland).
_CLAUSE_DEPS = frozenset({"relcl", "acl", "advcl", "conj", "cc", "punct", "parataxis"})


def _core_phrase(token: Any) -> tuple[int, int]:
    """Character range of a phrase without the clauses attached to it nor the places it is
    set in ("the bloody occupation in Norland" is not aimed at Norland)."""
    kept = [token] + [
        t
        for c in token.children
        if c.dep_ not in _CLAUSE_DEPS and not (c.dep_ == "prep" and c.lower_ in _SETTING_PREPS)
        for t in c.subtree
    ]
    return min(t.idx for t in kept), max(t.idx + len(t) for t in kept)


_OWNER_DEPS = frozenset({"poss", "compound", "nmod"})


def _owner_in_phrase(token: Any, mentions: Sequence[tuple[Entity, str]]) -> str | None:
    """An actor that owns or names the span's own noun ("Stone's unfunny joke", "the Hale
    regime"), before looking further up the sentence."""
    for child in token.children:
        if child.dep_ in _OWNER_DEPS:
            found = _mention_in(
                child.left_edge.idx, child.right_edge.idx + len(child.right_edge), mentions
            )
            if found:
                return found
    return None


def _nearest_target(
    doc: Document, t: TechniqueSpan, mentions: Sequence[tuple[Entity, str]]
) -> str | None:
    sent = doc.sentence_at(t.start)
    if sent is None:
        return None
    near = [(_distance(t, m), name) for m, name in mentions if sent.start <= m.start < sent.end]
    return min(near)[1] if near else None


def _distance(t: TechniqueSpan, m: Entity) -> int:
    if m.start < t.end and t.start < m.end:
        return 0
    return m.start - t.end if m.start >= t.end else t.start - m.end


#: Dependency roles of a mention that suffers the action ("the villagers were shelled",
#: "troops attacked the villagers"): the negative words describe what is done to it.
PATIENT_ROLES = frozenset({"nsubjpass", "dobj"})
_PATIENT_PREPS = frozenset({"against", "on", "upon"})
#: Entity labels of places, and the prepositions that make a place the setting of a clause
#: ("lost its army in Norland", "troops from Vosk").
_PLACE_LABELS = frozenset({"GPE", "LOC"})
_SETTING_PREPS = frozenset({"in", "into", "inside", "at", "from", "across", "throughout", "within"})
#: First-person plural words that mark the author's own side ("our brothers", "we Muslims").
_WE = frozenset({"we", "our", "us", "ours"})
#: Mentions needed before the article's tone is taken as a baseline.
BASELINE_MIN_MENTIONS = 8


@dataclass(frozen=True)
class MentionScore:
    """One author-voice mention: the tone of the words around it, attacks, in-group cue."""

    tone: float
    attack: float
    ingroup: float


_ENDS_QUESTION = re.compile(r"\s*[?!]")
_FOLLOWED_BY_COMMA = re.compile(r"\s*,(?!\s*(?:who|which|whose|the|a|an)\b)")
_YOU_BEFORE = re.compile(r"\byou\s*,$", re.IGNORECASE)
_ONE_WORD_BEFORE = re.compile(r"^\W*\w+\s*,$")


def is_vocative(text: str, m: Entity, sent: Span) -> bool:
    """A name the author addresses: "..., Hale?", "And you, Hale, will answer",
    "Well, Hale, ..."; not a list ("Ardia, Beltra and Corvo") or an apposition."""
    before = text[sent.start : m.start].rstrip()
    if not before.endswith(","):
        return False
    if _ENDS_QUESTION.match(text, m.end):
        return True
    return bool(
        _FOLLOWED_BY_COMMA.match(text, m.end)
        and (_YOU_BEFORE.search(before) or _ONE_WORD_BEFORE.match(before))
    )


def _not_judged(spacy_doc: Any, m: Entity) -> bool:
    """Whether the words around a mention tell what is done to it ("troops attacked the
    villagers", "the war against the villagers") or, for a place, what happens there
    ("lost its army in Norland"), rather than what the author thinks of it."""
    span = spacy_doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return False
    root = span.root
    if root.dep_ in PATIENT_ROLES:
        return True
    if root.dep_ != "pobj":
        return False
    prep = root.head.lower_
    return prep in _PATIENT_PREPS or (m.label in _PLACE_LABELS and prep in _SETTING_PREPS)


def _ingroup(text: str, m: Entity, sent: Span) -> float:
    """0.4 when a first-person plural word stands right next to the mention."""
    left = re.findall(r"\w+", text[max(sent.start, m.start - 40) : m.start].lower())[-2:]
    right = re.findall(r"\w+", text[m.end : min(sent.end, m.end + 40)].lower())[:2]
    return 0.4 if _WE & set(left + right) else 0.0


def mention_scores(
    doc: Document,
    group: _Group,
    name: str,
    techniques: Sequence[TechniqueSpan],
    quotes: Sequence[Quote],
    spacy_doc: Any = None,
    sentence_sentiment: Mapping[int, float] | None = None,
) -> list[MentionScore]:
    """Scores of the actor's mentions in the author's own voice, one per sentence.

    ``sentence_sentiment`` (sentence start -> sentiment) stands in for the word-level
    lexicon in languages that have none.
    """
    out = []
    seen: set[int] = set()
    for m in group.mentions:
        if _in_quote(m.start, quotes):
            continue
        sent = doc.sentence_at(m.start)
        if sent is None or sent.start in seen:
            continue
        seen.add(sent.start)
        aimed = [
            t
            for t in techniques
            if t.speaker == AUTHOR
            and t.technique in ATTACKS
            and t.target == name
            and sent.start <= t.start < sent.end
        ]
        tone = _tone(doc, m, sent, spacy_doc, sentence_sentiment)
        attack = -sum(_attack_weight(t) for t in aimed)
        out.append(MentionScore(tone, attack, _ingroup(doc.text, m, sent)))
    return out


def _tone(
    doc: Document,
    m: Entity,
    sent: Span,
    spacy_doc: Any,
    sentence_sentiment: Mapping[int, float] | None,
) -> float:
    """The tone of the words about one mention."""
    if sentence_sentiment is not None:
        # no lexicon for this language: the sentence's learned sentiment is all there is
        return 0.5 * sentence_sentiment.get(sent.start, 0.0)
    tone = 0.3 * sentiment(_window(doc.text, m, sent), doc.lang)
    if is_vocative(doc.text, m, sent):
        # "Is it not hard to kill your own people, Hale?": the sentence is said to it
        tone += 0.5 * sentiment(doc.span_text(sent), doc.lang)
    elif spacy_doc is not None:
        tone += 0.5 * sentiment(_said_about(spacy_doc, m), doc.lang)
        if _not_judged(spacy_doc, m):
            tone = max(tone, 0.0)
    return tone


#: A fear appeal often names the people said to be in danger ("will our brothers
#: survive?"), not the ones it attacks, so it weighs least.
WEAK_ATTACKS = frozenset({"Appeal_to_Fear-Prejudice"})


def _attack_weight(t: TechniqueSpan) -> float:
    """Name calling and attacks on reputation weigh most, fear appeals least."""
    if t.technique in STRONG_ATTACKS:
        return 0.8
    return 0.2 if t.technique in WEAK_ATTACKS else 0.5


def _sentence_sentiment(analysis: Analysis) -> dict[int, float] | None:
    """Sentence start -> learned sentiment, from the ``vectors`` step's sentence vectors
    (None when that step did not run or the head is not built)."""
    inputs = model_inputs(analysis)
    sentences = analysis.document.sentences
    if not sentences or inputs.sentence_vectors is None or not base.available("sentiment"):
        return None
    head: SentimentHead = base.shipped("sentiment")
    values = head.predict_proba([inputs])[0]
    return {s.start: float(v) for s, v in zip(sentences, values, strict=True)}


def article_baseline(scores: Sequence[MentionScore]) -> float:
    """The article's usual tone around any actor, when it is negative: a text about war is
    dark around everyone, so stance is read against that (0 for short texts)."""
    if len(scores) < BASELINE_MIN_MENTIONS:
        return 0.0
    return min(0.0, sum(x.tone for x in scores) / len(scores))


def stance(scores: Sequence[MentionScore], baseline: float = 0.0) -> float | None:
    """The author's stance towards one actor from its mention scores, None if there are none."""
    if not scores:
        return None
    total = sum(x.tone - baseline + x.attack + x.ingroup for x in scores)
    # sum / sqrt(n): one clear attack is not washed out by many neutral mentions
    return round(math.tanh(1.5 * total / math.sqrt(len(scores))), 3)


@analyser(
    "actors",
    requires=["parse"],
    uses=["techniques", "quotes", SENTENCE_VECTORS],
    produces=["actors", ATTACK_TARGETS],
)
def actors(analysis: Analysis) -> Mapping[str, Any]:
    """People, organisations, places and groups; the author's stance; targets of attacks."""
    doc = analysis.document
    parse = get_parse(analysis)
    groups = group_mentions(parse.entities)
    aimed = assign_targets(doc, analysis.techniques, groups, parse.spacy_doc, analysis.quotes)
    voiced = tuple(replace(t, speaker=speaker_of(t, analysis.quotes)) for t in aimed)
    learned = _sentence_sentiment(analysis) if groups and doc.lang != "en" else None
    scores = {
        key: mention_scores(doc, g, g.name, voiced, analysis.quotes, parse.spacy_doc, learned)
        for key, g in groups.items()
    }
    baseline = article_baseline([x for per_actor in scores.values() for x in per_actor])
    found = []
    for key, group in groups.items():
        mentions = tuple(sorted({(m.start, m.end) for m in group.mentions}))
        found.append(Actor(group.name, group.type, mentions, stance(scores[key], baseline)))
    found.sort(key=lambda a: (-len(a.mentions), a.name))
    return {"actors": tuple(found), ATTACK_TARGETS: tuple(t.target for t in aimed)}


__all__ = [
    "ATTACKS",
    "actor_key",
    "actors",
    "assign_targets",
    "group_mentions",
    "is_vocative",
    "sentiment",
]
