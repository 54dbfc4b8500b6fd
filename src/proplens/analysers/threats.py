"""Threats and calls to violence, sentence by sentence, with severity, target and reason."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from proplens.analysers.attribution import ANALOGY_CALLS
from proplens.analysers.vectors import SENTENCE_VECTORS, model_inputs
from proplens.analysis import Analysis, Threat
from proplens.document import Document, Span
from proplens.models import base
from proplens.models.threats import ThreatModel, severity_of
from proplens.registry import analyser
from proplens.rules.analogy import CUES, analogy_calls

#: Languages the historical-analogy rules (`proplens.rules.analogy`) have word lists for.
ANALOGY_LANGS = frozenset(CUES)


@analyser(
    "threats",
    requires=["sentences", "lang", SENTENCE_VECTORS],
    produces=["threats", ANALOGY_CALLS],
)
def threats(analysis: Analysis) -> Mapping[str, Any]:
    """Sentences that threaten harm, wish death or punishment, or call to violence.

    English uses the whole detector; other known languages the multilingual head alone
    (zero-shot, over the ``vectors`` step's sentence vectors); an unknown language gets no
    threat analysis. In English and Russian, veiled calls by historical analogy, which span
    two or three sentences and which no sentence detector sees, are added by rule
    (`proplens.rules.analogy`). Speaker and target are set by the ``attribution`` step.
    """
    doc = analysis.document
    model: ThreatModel = base.shipped("threats")
    if not model.supports(doc.lang):
        return {"threats": (), ANALOGY_CALLS: ()}
    sentences = list(doc.sentences)
    texts = [doc.span_text(s) for s in sentences]
    threshold = model.threshold_for(doc.lang)
    scores = model.predict_proba([model_inputs(analysis)])[0]
    found = [
        Threat(sent.start, sent.end, severity_of(text), score, None, reason)
        for sent, text, p in zip(sentences, texts, scores, strict=True)
        if (score := float(p)) >= threshold
        for reason in [model.reason(text, doc.lang, score)]
    ]
    paragraph_of = _paragraph_starts(doc, sentences)
    calls = (
        _analogy_threats(analysis, sentences, texts, paragraph_of)
        if doc.lang in ANALOGY_LANGS
        else []
    )
    return {
        "threats": tuple(_with_analogy_calls(found, calls)),
        ANALOGY_CALLS: tuple((c.start, c.end) for c in calls),
        "model_versions": {"threats": model.version},
    }


def _with_analogy_calls(found: Sequence[Threat], calls: Sequence[Threat]) -> list[Threat]:
    """The detector's threats, less those inside an analogy call, plus the calls.

    A call reads its sentences together; the detector read each alone, and a tale of a past
    uprising, flagged alone, is the wrong reason for the flag.
    """
    kept = [t for t in found if not any(c.start <= t.start and t.end <= c.end for c in calls)]
    return sorted([*kept, *calls], key=_start)


def _analogy_threats(
    analysis: Analysis,
    sentences: Sequence[Span],
    texts: Sequence[str],
    paragraph_of: Sequence[int],
) -> list[Threat]:
    """Veiled calls by historical analogy; their score is 1.0, a rule has no probability."""
    out = []
    for call in analogy_calls(texts, paragraph_of, analysis.document.lang or ""):
        span = Span(sentences[call.first].start, sentences[call.last].end)
        out.append(Threat(span.start, span.end, call.severity, 1.0, None, call.reason))
    return out


def _paragraph_starts(doc: Document, sentences: Sequence[Span]) -> list[int]:
    """The offset of each sentence's paragraph, which identifies it (-1 outside any)."""
    return [p.start if (p := doc.paragraph_at(s.start)) else -1 for s in sentences]


def _start(threat: Threat) -> int:
    return threat.start
