"""Veiled calls by historical analogy: a past armed struggle held up against the present.

An extremist text seldom says "take up arms". It tells how people once answered an
occupation with an uprising, then says the parallels are apt, or asks whether people will
"this time" meekly submit. No single sentence threatens anyone, so the sentence detector
cannot see it (`docs/models.md`, threats across two sentences). These rules read sentences
in order within a paragraph:

- a **precedent**: a sentence that tells of a past armed struggle (uprising, jihad, took up
  arms...), or, weaker, of how a people "back then" answered or rose against something;
- followed, in one of the next two sentences, by a **parallel** to the present ("the
  parallels are apt", "history repeats itself") or a **shaming question** about submitting
  ("will they this time meekly allow...?");
- and the passage is about rule by others (occupiers, an empire, being annexed or
  swallowed): that is what makes "they rose then" a call to rise now.

A named armed struggle with a parallel or a shaming question is a veiled call; a weak
precedent counts only with a shaming question, which supplies the call. A precedent by
peaceful means (a strike, a petition) is none, and a follow-up that draws a peaceful lesson
("history must not repeat itself", "talks") ends it. English only: the word lists are
English.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_STRUGGLE = re.compile(
    r"\b(jihad|uprisings?|insurrections?|rebellions?|revolts?|insurgency|guerrill\w*|"
    r"partisans?|holy war|armed (struggle|resistance|revolt|uprising|rebellion)|"
    r"rebelled|revolted|(took|take|taking) up arms|rose up in arms|rose in revolt|"
    r"war of (liberation|independence)|resistance movement|"
    r"fought (back|the (invaders?|occupiers?|occupation)))\b",
    re.IGNORECASE,
)
_PAST = re.compile(
    r"\b(back then|at that time|in those days|in \d{3,4}|\w+ (years|decades|centuries) ago|"
    r"our (fathers|grandfathers|forefathers|ancestors)|once)\b",
    re.IGNORECASE,
)
_ANSWERED = re.compile(
    r"\b(responded|answered|replied|rose|resisted|stood up|struck back)\b", re.IGNORECASE
)
_PARALLEL = re.compile(
    r"\b(parallels?( with [\w' ]{1,30}?)? (is|are|was|were) (quite |very |so |all too |only too "
    r"|now |painfully |strikingly )?(apt|obvious|clear|striking|plain|unmistakable|evident)|"
    r"history (is )?repeat(s|ing)( itself)?|(something similar|the same thing) is happening "
    r"(today|now|again)|nothing has changed)\b",
    re.IGNORECASE,
)
#: The past means were peaceful: a strike or a petition is no precedent of armed struggle.
_PEACEFUL = re.compile(
    r"\b(strikes?|petitions?|boycotts?|ballot|vot(e|es|ed|ing)|elections?|lawsuits?|courts?|"
    r"march(es)?|protests?|demonstrations?|sit-ins?|peaceful\w*)\b",
    re.IGNORECASE,
)
#: The analogy is about rule by others: occupation, conquest, absorption.
_OCCUPATION = re.compile(
    r"\b(occup\w+|invad\w+|invasion|empires?|imperial\w*|conque\w+|colon(ial|ists?|ised|ized)|"
    r"foreign\w*|tyran\w+|masters?|rulers?|regimes?|troops|garrisons?|governors?|crown|yoke|"
    r"oppress\w*|puppets?|annex\w*|absorb\w*|swallow\w*|digest\w*|devour\w*|"
    r"incorporat\w*|subjugat\w*|enslav\w*)\b",
    re.IGNORECASE,
)
#: The follow-up draws a peaceful lesson from the past.
_RENOUNCE = re.compile(
    r"\b(must not|never again|dialogue|negotiat\w*|talk(s|ing)?|peace\w*|wiser|lesson)\b",
    re.IGNORECASE,
)
_SUBMIT = re.compile(
    r"\b(meekly|quietly|silently|obediently|passively|submissively|submit|surrender|bow|"
    r"kneel|allow (themselves|ourselves|yourselves)|sit (idly|back)|(stay|remain|keep) silent|"
    r"stand by)\b",
    re.IGNORECASE,
)
_NOW = re.compile(r"\b(this time|again|now|today|will|shall)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class AnalogyCall:
    """Sentences ``first``..``last`` (indices) form one veiled call."""

    first: int
    last: int
    severity: str
    reason: str


def is_precedent(sentence: str) -> str | None:
    """ "armed" when the sentence tells of an armed struggle, "answered" for a weaker
    "back then, they rose/answered", else None."""
    if _PEACEFUL.search(sentence):
        return None
    if _STRUGGLE.search(sentence):
        return "armed"
    if _PAST.search(sentence) and _ANSWERED.search(sentence):
        return "answered"
    return None


def is_parallel(sentence: str) -> bool:
    """The sentence says the past and the present are alike."""
    return bool(_PARALLEL.search(sentence))


def is_shaming_question(sentence: str) -> bool:
    """A question that asks whether people will submit (again, this time)."""
    s = sentence.rstrip()
    return "?" in s[-3:] and bool(_SUBMIT.search(s)) and bool(_NOW.search(s))


def analogy_calls(sentences: Sequence[str], paragraph_of: Sequence[int]) -> list[AnalogyCall]:
    """Veiled calls among ``sentences`` (in text order; ``paragraph_of`` gives each
    sentence's paragraph index: a call never crosses a paragraph)."""
    calls: list[AnalogyCall] = []
    i = 0
    while i < len(sentences):
        call = _call_from(i, sentences, paragraph_of)
        if call is None:
            i += 1
            continue
        calls.append(call)
        i = call.last + 1
    return calls


def _call_from(i: int, sentences: Sequence[str], paragraph_of: Sequence[int]) -> AnalogyCall | None:
    kind = is_precedent(sentences[i])
    if kind is None:
        return None
    for j in range(i + 1, min(i + 3, len(sentences))):
        if paragraph_of[j] != paragraph_of[i]:
            break
        if _RENOUNCE.search(sentences[j]) or not _OCCUPATION.search(" ".join(sentences[i : j + 1])):
            continue
        if is_shaming_question(sentences[j]):
            severity = "medium" if kind == "armed" else "low"
            return AnalogyCall(i, j, severity, _reason(kind, "asks whether people will submit"))
        if kind == "armed" and is_parallel(sentences[j]):
            return AnalogyCall(i, j, "low", _reason(kind, "says the present is the same"))
    return None


def _reason(kind: str, follow: str) -> str:
    past = (
        "tells of a past armed struggle"
        if kind == "armed"
        else "tells how a people once answered or rose"
    )
    return f"veiled call by historical analogy: one sentence {past}, the next {follow}"


def passage_figures(rows: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Precision and recall of the rules on written passages (``text``, ``call``), each a
    paragraph: a passage counts as flagged when any call is found in it."""
    from proplens.document import Document

    tp = fp = fn = 0
    for row in rows:
        doc = Document.from_text(str(row["text"]), lang="en")
        texts = [doc.span_text(s) for s in doc.sentences]
        flagged = bool(analogy_calls(texts, [0] * len(texts)))
        tp += flagged and bool(row["call"])
        fp += flagged and not row["call"]
        fn += not flagged and bool(row["call"])
    return {
        "precision": tp / max(tp + fp, 1),
        "recall": tp / max(tp + fn, 1),
        "calls": tp + fn,
        "false_positives": fp,
    }


if __name__ == "__main__":  # python -m proplens.analysers.analogy data/threats/analogy.jsonl
    import json
    import sys

    with open(sys.argv[1], encoding="utf-8") as f:
        print(json.dumps(passage_figures(json.loads(line) for line in f if line.strip())))
