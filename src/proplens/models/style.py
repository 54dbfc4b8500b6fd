"""Language-agnostic style features of a whole article, for genre.

Reporting quotes people and cites numbers; opinion says "I" and "we", addresses the reader
and asks questions. These cues carry across languages where word n-grams do not, and they
cannot encode the language itself, so the genre model cannot learn "English means opinion".
"""

from __future__ import annotations

import math
import re
from functools import cache

import numpy as np
import numpy.typing as npt

FIRST_PERSON = {
    "en": "i me my mine we us our ours myself ourselves",
    "ru": "я меня мне мной мой моя моё мои мы нас нам нами наш наша наше наши",
    "fr": "je j me moi mon ma mes nous notre nos",
    "de": "ich mich mir mein meine meinen meinem meiner wir uns unser unsere unseren unserem",
    "it": "io me mi mio mia miei mie noi ci nostro nostra nostri nostre",
    "pl": "ja mnie mi mój moja moje my nas nam nasz nasza nasze naszych naszym",
}
SECOND_PERSON = {
    "en": "you your yours yourself yourselves",
    "ru": "ты тебя тебе вы вас вам ваш ваша ваше ваши твой твоя",
    "fr": "tu te toi ton ta tes vous votre vos",
    "de": "du dich dir dein deine ihr euch euer eure sie",
    "it": "tu te ti tuo tua voi vi vostro vostra",
    "pl": "ty ciebie tobie wy was wam twój twoja wasz wasza",
}
SPEECH = {
    "en": "said says told according stated added announced reported",
    "ru": "сказал сказала заявил заявила сообщил сообщила отметил отметила по словам",
    "fr": "a déclaré dit selon a ajouté a annoncé a indiqué",
    "de": "sagte sagt erklärte laut teilte mit berichtete",
    "it": "ha detto ha dichiarato secondo ha affermato ha spiegato",
    "pl": "powiedział powiedziała według poinformował stwierdził dodał",
}
_WORD = re.compile(r"\w+", re.UNICODE)
_QUOTE = re.compile(r"[\"“”«»„]")
_DIGIT = re.compile(r"\d")
_SENT_END = re.compile(r"[.!?]+(?:\s|$)")
N_STYLE = 16


_LISTS = {"first": FIRST_PERSON, "second": SECOND_PERSON, "speech": SPEECH}


@cache
def _words(kind: str, lang: str | None) -> frozenset[str]:
    """The ``kind`` word list of ``lang``; all languages' words for an unknown language."""
    lists = _LISTS[kind]
    if lang in lists:
        return frozenset(lists[lang].split())
    return frozenset(w for v in lists.values() for w in v.split())


def style_features(text: str, lang: str | None) -> npt.NDArray[np.float32]:
    """`N_STYLE` numbers describing how the article is written (rates, shares, log sizes)."""
    lines = [ln.strip() for ln in text.split("\n")]
    title, paras = (lines[0] if lines else ""), [ln for ln in lines[1:] if ln]
    words = [w.lower() for w in _WORD.findall(text)]
    n_words = max(len(words), 1)
    n_sents = max(len(_SENT_END.findall(text)), 1)
    n_chars = max(len(text), 1)
    first, second, speech = (_words(kind, lang) for kind in ("first", "second", "speech"))
    caps = sum(1 for w in _WORD.findall(text) if w[:1].isupper())
    quoted = sum(1 for p in paras if _QUOTE.search(p))
    feats = [
        math.log1p(len(paras)),
        math.log1p(n_words / max(len(paras), 1)),
        quoted / max(len(paras), 1),
        1000 * len(_QUOTE.findall(text)) / n_chars,
        sum(w in first for w in words) / n_words * 100,
        sum(w in second for w in words) / n_words * 100,
        sum(w in speech for w in words) / n_words * 100,
        text.count("?") / n_sents,
        text.count("!") / n_sents,
        1000 * len(_DIGIT.findall(text)) / n_chars,
        caps / n_words,
        math.log1p(n_words),
        n_words / n_sents / 10,
        float("?" in title),
        float(":" in title or "—" in title or " - " in title),
        sum(1 for p in paras if p.endswith("?")) / max(len(paras), 1),
    ]
    return np.array(feats, np.float32)
