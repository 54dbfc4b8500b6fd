"""Entity roles (SemEval-2025 Task 10 subtask 1): reading the data, mention features, folds.

A mention's role is what the text does with it: who acts on whom, what it is called. So the
features are the words around the mention *by their relation to it* rather than a bag of
the window: in English, from spaCy's parse, the mention's syntactic role (subject, object,
passive subject), the verb that governs it, the words that modify it and the predicate
said of it; in every language, the words right before and after it, and the mention's own
name (the same actors recur across a corpus, and a corpus casts them consistently). The
features are written as tokens of a pseudo-text for `LinearTextModel`, the linear model all
proplens text classifiers share.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from proplens.eval.roles import RoleRow, read_roles

LANGS = {"EN": "en", "BG": "bg", "HI": "hi", "PT": "pt"}
WINDOW = 6
_TOKEN = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Mention:
    """One mention located in its article's text (``end`` exclusive)."""

    article: str
    text: str
    start: int
    end: int
    lang: str


def locate(text: str, mention: str, start: int, end_inclusive: int) -> tuple[int, int]:
    """The mention's real offsets: the given ones when the text agrees, else the nearest
    occurrence of the mention string (some official offsets drift by a few characters, and
    Portuguese ones were counted with CRLF line ends)."""
    if text[start : end_inclusive + 1] == mention:
        return start, end_inclusive + 1
    best = None
    for m in re.finditer(re.escape(mention), text):
        if best is None or abs(m.start() - start) < abs(best - start):
            best = m.start()
    if best is None:
        return start, min(len(text), end_inclusive + 1)
    return best, best + len(mention)


def read_language(root: Path, folder: str) -> list[tuple[Mention, RoleRow, str]]:
    """(mention, gold row, article text) for every annotated mention of one language."""
    rows = read_roles(root / folder / "subtask-1-annotations.txt")
    texts: dict[str, str] = {}
    out = []
    for row in rows.values():
        if row.article not in texts:
            path = root / folder / "raw-documents" / row.article
            texts[row.article] = path.read_text(encoding="utf-8").replace("\r\n", "\n")
        text = texts[row.article]
        start, end = locate(text, row.mention, row.start, row.end)
        out.append((Mention(row.article, row.mention, start, end, LANGS[folder]), row, text))
    return out


def _tokens(text: str) -> list[str]:
    return [t.lower() for t in _TOKEN.findall(text)]


def window_features(text: str, m: Mention) -> list[str]:
    """The mention's name and the words right before and after it, by side."""
    name = "_".join(_tokens(m.text)) or "none"
    left = _tokens(text[max(0, m.start - 200) : m.start])[-WINDOW:]
    right = _tokens(text[m.end : m.end + 200])[:WINDOW]
    feats = [f"name_{name}", f"domain_{'cc' if '_CC_' in m.article else 'ua'}"]
    feats += [f"l_{w}" for w in left] + [f"r_{w}" for w in right]
    feats += [f"l1_{w}" for w in left[-2:]] + [f"r1_{w}" for w in right[:2]]
    return feats


def syntax_features(spacy_doc: Any, m: Mention) -> list[str]:
    """English: what the parse ties to the mention (its role, governing verb, modifiers,
    and for a subject the predicate said of it)."""
    span = spacy_doc.char_span(m.start, m.end, alignment_mode="expand")
    if span is None:
        return []
    root = span.root
    feats = [f"dep_{root.dep_}"]
    head = root.head
    if root.dep_ == "pobj":  # "the war against X": the preposition and what it hangs on
        feats.append(f"prep_{head.lower_}")
        head = head.head
    feats += [f"head_{head.lemma_.lower() or head.lower_}", f"dephead_{root.dep_}_{head.lower_}"]
    feats += [f"mod_{c.lower_}" for c in root.children if c.dep_ in ("amod", "compound", "appos")]
    if root.dep_ in ("nsubj", "nsubjpass"):
        feats += [
            f"pred_{w.lower_}"
            for c in head.children
            if c.dep_ in ("dobj", "attr", "acomp", "xcomp", "oprd", "ccomp")
            for w in c.subtree
            if w.is_alpha and not w.is_stop
        ][:12]
    return feats


def tone_features(text: str, m: Mention) -> list[str]:
    """English: the tone of the words around the mention and of its sentence (VADER), in
    buckets: an attacked actor sits in dark words, a victim too, a hero in bright ones."""
    from proplens.models.sentiment import vader_score

    start = max(text.rfind(".", 0, m.start), text.rfind("\n", 0, m.start)) + 1
    stops = [i for i in (text.find(".", m.end), text.find("\n", m.end)) if i != -1]
    sentence = text[start : min(stops) if stops else len(text)]
    near = text[max(0, m.start - 80) : m.end + 80]
    return [f"tone_{name}_{_bucket(vader_score(t))}" for name, t in (("s", sentence), ("w", near))]


def _bucket(score: float) -> str:
    return (
        "neg2"
        if score < -0.5
        else "neg"
        if score < -0.05
        else "pos2"
        if score > 0.5
        else ("pos" if score > 0.05 else "zero")
    )


def mention_text(text: str, m: Mention, spacy_doc: Any = None) -> str:
    """The mention's features as one pseudo-text of tokens."""
    feats = window_features(text, m)
    if spacy_doc is not None:
        feats += syntax_features(spacy_doc, m) + tone_features(text, m)
    return " ".join(feats)


def featurise(
    items: Sequence[tuple[Mention, RoleRow, str]],
    parse: Callable[[str], Any] | None = None,
) -> list[str]:
    """Feature pseudo-texts of many mentions, parsing each English article once."""
    parsed: dict[str, Any] = {}
    out = []
    for m, _, text in items:
        doc = None
        if parse is not None and m.lang == "en":
            if m.article not in parsed:
                parsed[m.article] = parse(text)
            doc = parsed[m.article]
        out.append(mention_text(text, m, doc))
    return out


def analysis_features(analysis: Any, m: Mention) -> list[str]:
    """What the proplens pipeline found about the mention: the author's stance towards its
    actor, the attacks aimed at it, the techniques of its sentence, whether it is quoted."""
    actor = next(
        (a for a in analysis.actors if any(s < m.end and m.start < e for s, e in a.mentions)),
        None,
    )
    feats = []
    if actor is None:
        feats.append("actor_none")
    else:
        stance = actor.stance or 0.0
        feats.append(f"stance_{_bucket(stance)}")
        attacks = [t.technique for t in analysis.techniques if t.target == actor.name]
        feats += [f"attacked_{t.lower()}" for t in attacks][:8] or ["attacked_none"]
    sentence = next((s for s in analysis.document.sentences if s.start <= m.start < s.end), None)
    if sentence is not None:
        feats += sorted(
            {
                f"sent_{t.technique.lower()}"
                for t in analysis.techniques
                if t.start < sentence.end and sentence.start < t.end
            }
        )
    if any(q.start <= m.start < q.end for q in analysis.quotes):
        feats.append("in_quote")
    return feats
