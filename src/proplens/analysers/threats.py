"""Threats and calls to violence, sentence by sentence, with severity, target and reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from proplens.analysers.analogy import CUES, analogy_calls
from proplens.analysers.speakers import speaker_of
from proplens.analysers.vectors import shared_sentence_vectors
from proplens.analysis import Analysis, Threat
from proplens.document import Document, Span
from proplens.models.threats import TFIDF_LANGS, load_threat_model
from proplens.registry import analyser

#: Languages whose word lists the historical-analogy rules (`analogy.py`) are written in.
ANALOGY_LANGS = frozenset(CUES)


@analyser("threats", requires=["sentences", "lang"], produces=["threats"])
def threats(analysis: Analysis) -> Mapping[str, Any]:
    """Sentences that threaten harm, wish death or punishment, or call to violence.

    A threat that lies mostly inside a quote (when the quotes analyser ran before) is the
    quoted speaker's, as techniques are: a report of someone's threat is not the author's.

    The target is the actor mentioned in the sentence (from the actor analyser when it ran
    before), the first one named. English uses the whole detector; other known languages
    the multilingual head alone (zero-shot); an unknown language gets no threat analysis.
    In English and Russian, veiled calls by historical analogy, which span two or three
    sentences and which no sentence detector sees, are added by rule (`analogy.py`).
    """
    doc = analysis.document
    model = load_threat_model()
    if not model.supports(doc.lang):
        return {"threats": ()}
    sentences = list(doc.sentences)
    texts = [doc.span_text(s) for s in sentences]
    threshold = model.threshold_for(doc.lang)
    vectors, shared = (None, {}) if doc.lang in TFIDF_LANGS else shared_sentence_vectors(analysis)
    scored = model.score(texts, doc.lang, vectors)
    found = [
        Threat(
            sent.start,
            sent.end,
            severity,
            score,
            _target(analysis, sent),
            model.reason(text, doc.lang, score),
        )
        for sent, text, (score, severity) in zip(sentences, texts, scored, strict=True)
        if score >= threshold
    ]
    if doc.lang in ANALOGY_LANGS:
        found = _with_analogy_calls(found, _analogy_threats(analysis, sentences, texts))
    return {
        "threats": tuple(replace(t, speaker=speaker_of(t, analysis.quotes)) for t in found),
        "model_versions": {"threats": model.version},
        "artifacts": shared,
    }


def _with_analogy_calls(found: Sequence[Threat], calls: Sequence[Threat]) -> list[Threat]:
    """The detector's threats, less those inside an analogy call, plus the calls.

    A call reads its sentences together; the detector read each alone, and a tale of a past
    uprising, flagged alone, is the wrong reason for the flag.
    """
    kept = [t for t in found if not any(c.start <= t.start and t.end <= c.end for c in calls)]
    return sorted([*kept, *calls], key=_start)


def _analogy_threats(
    analysis: Analysis, sentences: Sequence[Span], texts: Sequence[str]
) -> list[Threat]:
    """Veiled calls by historical analogy; their score is 1.0, a rule has no probability."""
    paragraph_of = [_paragraph_start(analysis.document, s) for s in sentences]
    out = []
    for call in analogy_calls(texts, paragraph_of, analysis.document.lang or ""):
        span = Span(sentences[call.first].start, sentences[call.last].end)
        target = _attacked(analysis, span) or _target(analysis, span)
        out.append(Threat(span.start, span.end, call.severity, 1.0, target, call.reason))
    return out


def _attacked(analysis: Analysis, span: Span) -> str | None:
    """The actor named in ``span`` whom the author treats worst (stance below -0.1).

    An analogy names the people it calls on as well as those it calls against, so the first
    name is no target. People, groups and organisations go before places: a place is more
    often where things happen than who is attacked.
    """
    named = [
        (actor.type == "place", actor.stance, actor.name)
        for actor in analysis.actors
        if actor.stance is not None
        and actor.stance < -0.1
        and any(span.start <= start < span.end for start, _ in actor.mentions)
    ]
    return min(named)[2] if named else None


def _paragraph_start(doc: Document, sent: Span) -> int:
    """The offset of the sentence's paragraph, which identifies it (-1 outside any)."""
    paragraph = doc.paragraph_at(sent.start)
    return -1 if paragraph is None else paragraph.start


def _start(threat: Threat) -> int:
    return threat.start


def _target(analysis: Analysis, sent: Span) -> str | None:
    named = [
        (start, actor.name)
        for actor in analysis.actors
        for start, _ in actor.mentions
        if sent.start <= start < sent.end
    ]
    return min(named)[1] if named else None
