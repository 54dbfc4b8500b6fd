"""Veiled calls by historical analogy: a past armed struggle held up against the present.

An extremist text seldom says "take up arms". It tells how people once answered an
occupation with an uprising, then says the parallels are apt, or asks whether people will
"this time" meekly submit. No single sentence threatens anyone, so the sentence detector
cannot see it (`docs/models.md`, threats across two sentences); the ``threats`` analyser
adds what these rules find. These rules read sentences
in order within a paragraph:

- a **precedent**: a sentence that tells of a past armed struggle (uprising, jihad, took up
  arms...), or, weaker, of how a people "back then" answered or rose against something;
- followed, in one of the next two sentences, by a **parallel** to the present ("the
  parallels are apt", "history repeats itself") or a **shaming question** about submitting
  ("will we this time meekly submit?");
- and the passage is about rule by others (occupiers, an empire, being annexed or
  swallowed): that is what makes "they rose then" a call to rise now.

A named armed struggle with a parallel or a shaming question is a veiled call; a weak
precedent counts only with a shaming question, which supplies the call. A precedent by
peaceful means (a strike, a petition) is none, and a follow-up that draws a peaceful lesson
("history must not repeat itself", "talks") ends it. Word lists for English and Russian
(`CUES`); other languages get no analogy rules.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


def _words(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"\b(" + "|".join(alternatives) + r")\b", re.IGNORECASE)


@dataclass(frozen=True)
class Cues:
    """One language's word lists for the rules (see the module docstring)."""

    struggle: re.Pattern[str]  # a past armed struggle
    past: re.Pattern[str]  # "back then", "in 1921", "our grandfathers"
    answered: re.Pattern[str]  # "responded", "rose", "resisted"
    parallel: re.Pattern[str]  # "the parallels are apt"
    peaceful: re.Pattern[str]  # a strike or a petition is no precedent of armed struggle
    occupation: re.Pattern[str]  # the analogy is about rule by others
    renounce: re.Pattern[str]  # the follow-up draws a peaceful lesson
    submit: re.Pattern[str]  # "meekly", "submit", "allow themselves"
    now: re.Pattern[str]  # "this time", "again", "will"


CUES: dict[str, Cues] = {
    "en": Cues(
        struggle=_words(
            r"jihad|uprisings?|insurrections?|rebellions?|revolts?|insurgency|guerrill\w*",
            r"partisans?|holy war|armed (struggle|resistance|revolt|uprising|rebellion)",
            r"rebelled|revolted|(took|take|taking) up arms|rose up in arms|rose in revolt",
            r"war of (liberation|independence)|resistance movement",
            r"fought (back|the (invaders?|occupiers?|occupation))",
        ),
        past=_words(
            r"back then|at that time|in those days|in \d{3,4}|\w+ (years|decades|centuries) ago",
            r"our (fathers|grandfathers|forefathers|ancestors)|once",
        ),
        answered=_words(r"responded|answered|replied|rose|resisted|stood up|struck back"),
        parallel=_words(
            r"parallels?( with [\w' ]{1,30}?)? (is|are|was|were) (quite |very |so |all too "
            r"|only too |now |painfully |strikingly )?(apt|obvious|clear|striking|plain"
            r"|unmistakable|evident)",
            r"history (is )?repeat(s|ing)( itself)?|nothing has changed",
            r"(something similar|the same thing) is happening (today|now|again)",
        ),
        peaceful=_words(
            r"strikes?|petitions?|boycotts?|ballot|vot(e|es|ed|ing)|elections?|lawsuits?",
            r"courts?|march(es)?|protests?|demonstrations?|sit-ins?|peaceful\w*",
        ),
        occupation=_words(
            r"occup\w+|invad\w+|invasion|empires?|imperial\w*|conque\w+",
            r"colon(ial|ists?|ised|ized)|foreign\w*|tyran\w+|masters?|rulers?|regimes?",
            r"troops|garrisons?|governors?|crown|yoke|oppress\w*|puppets?|annex\w*",
            r"absorb\w*|swallow\w*|digest\w*|devour\w*|incorporat\w*|subjugat\w*|enslav\w*",
        ),
        renounce=_words(
            r"must not|never again|dialogue|negotiat\w*|talk(s|ing)?|peace\w*|wiser|lesson"
        ),
        submit=_words(
            r"meekly|quietly|silently|obediently|passively|submissively|submit|surrender",
            r"bow|kneel|allow (themselves|ourselves|yourselves)|sit (idly|back)",
            r"(stay|remain|keep) silent|stand by",
        ),
        now=_words(r"this time|again|now|today|will|shall"),
    ),
    "ru": Cues(
        struggle=_words(
            r"джихад\w*|восстани\w*|мятеж\w*|повстан\w*|партизан\w*|бунт\w*",
            r"священн\w+ войн\w*|вооруж[её]нн\w+ (борьб|сопротивлени|восстани|мятеж)\w*",
            r"(взял|взяли|взялись|брали|берут)\w* (в руки )?(за )?оружие",
            r"освободительн\w+ (войн|борьб)\w*|движени\w+ сопротивления",
            r"сражал\w* с (захватчик|оккупант)\w*|восстал[аио]?",
        ),
        past=_words(
            r"тогда|в те (дни|времена|годы)|в \d{3,4}( году)?|\d+ лет назад",
            r"(сто|двести|сотню) лет назад|(век|столетие|десятилети\w*) назад",
            r"наши (отцы|деды|предки|прадеды)|когда-то|некогда",
        ),
        answered=_words(
            r"ответил\w*|отвечал\w*|поднял\w*|поднимал\w*|сопротивлял\w*|дали отпор|восстал\w*"
        ),
        parallel=_words(
            r"параллел\w+ (\w+ ){0,3}(очевидн|уместн|напрашива|налицо|прозрачн|ясн)\w*",
            r"история повторяется|ничего не изменилось",
            r"(то же самое|нечто подобное|что-то подобное) происходит",
        ),
        peaceful=_words(
            r"забастов\w*|петици\w*|бойкот\w*|выбор(ы|ах|ов|ам)|голосова\w*|бюллетен\w*",
            r"суд(ом|ы|е|ам|ах)?|митинг\w*|демонстраци\w*|протест\w*|марш\w*|мирн\w*",
        ),
        occupation=_words(
            r"оккупа\w*|захватчик\w*|завоева\w*|импери\w*|колони\w*|иноземн\w*|чуж\w*",
            r"тиран\w*|хозя\w*|правител\w*|режим\w*|войск\w*|гарнизон\w*|губернатор\w*|иг[оа]",
            r"угнет\w*|марионет\w*|аннекс\w*|поглощ\w*|поглот\w*|проглот\w*|перевар\w*",
            r"поработ\w*|корон\w*",
        ),
        renounce=_words(
            r"не (должн\w*|должна|должно) повтор\w*|никогда больше|больше никогда|диалог\w*",
            r"переговор\w*|мир(а|ом|у)?|мирн\w*|урок\w*|мудрее",
        ),
        submit=_words(
            r"покорно|смиренно|молча|безропотно|послушно|пассивно|покор(ятся|имся|иться)",
            r"подчин(ятся|имся|иться)|смир(ятся|имся|иться)|сдад(утся|имся)|склон(ят|им)",
            r"встан(ут|ем) на колени|позвол\w+( \w+){0,2} себ[яе]|сложа руки|промолч\w+|стерп\w+",
        ),
        now=_words(r"на этот раз|снова|опять|теперь|сегодня|сейчас|ли|будут|будем|станут"),
    ),
}


@dataclass(frozen=True, slots=True)
class AnalogyCall:
    """Sentences ``first``..``last`` (indices) form one veiled call."""

    first: int
    last: int
    severity: str
    reason: str


def is_precedent(sentence: str, cues: Cues) -> str | None:
    """ "armed" when the sentence tells of an armed struggle, "answered" for a weaker
    "back then, they rose/answered", else None."""
    if cues.peaceful.search(sentence):
        return None
    if cues.struggle.search(sentence):
        return "armed"
    if cues.past.search(sentence) and cues.answered.search(sentence):
        return "answered"
    return None


def is_shaming_question(sentence: str, cues: Cues) -> bool:
    """A question that asks whether people will submit (again, this time)."""
    s = sentence.rstrip()
    return "?" in s[-3:] and bool(cues.submit.search(s)) and bool(cues.now.search(s))


def analogy_calls(
    sentences: Sequence[str], paragraph_of: Sequence[int], lang: str = "en"
) -> list[AnalogyCall]:
    """Veiled calls among ``sentences`` (in text order; ``paragraph_of`` identifies each
    sentence's paragraph, by any value: a call never crosses a paragraph); none in a
    language without `CUES`."""
    cues = CUES.get(lang)
    if cues is None:
        return []
    calls: list[AnalogyCall] = []
    i = 0
    while i < len(sentences):
        call = _call_from(i, sentences, paragraph_of, cues)
        if call is None:
            i += 1
            continue
        calls.append(call)
        i = call.last + 1
    return calls


def _call_from(
    i: int, sentences: Sequence[str], paragraph_of: Sequence[int], cues: Cues
) -> AnalogyCall | None:
    kind = is_precedent(sentences[i], cues)
    if kind is None:
        return None
    for j in range(i + 1, min(i + 3, len(sentences))):
        if paragraph_of[j] != paragraph_of[i]:
            break
        passage = " ".join(sentences[i : j + 1])
        if cues.renounce.search(sentences[j]) or not cues.occupation.search(passage):
            continue
        if is_shaming_question(sentences[j], cues):
            severity = "medium" if kind == "armed" else "low"
            return AnalogyCall(i, j, severity, _reason(kind, "asks whether people will submit"))
        if kind == "armed" and cues.parallel.search(sentences[j]):
            return AnalogyCall(i, j, "low", _reason(kind, "says the present is the same"))
    return None


def _reason(kind: str, follow: str) -> str:
    past = (
        "tells of a past armed struggle"
        if kind == "armed"
        else "tells how a people once answered or rose"
    )
    return f"veiled call by historical analogy: one sentence {past}, the next {follow}"
