"""Threats and calls to violence, sentence by sentence, with severity and target."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.analysers.vectors import shared_sentence_vectors
from proplens.analysis import Analysis, Threat
from proplens.models.threats import TFIDF_LANGS, load_threat_model
from proplens.registry import analyser


@analyser("threats", requires=["sentences", "lang"], produces=["threats"])
def threats(analysis: Analysis) -> Mapping[str, Any]:
    """Sentences that threaten harm, wish death or punishment, or call to violence.

    The target is the actor mentioned in the sentence (from the actor analyser when it ran
    before), the first one named. English uses the whole detector; other known languages
    the multilingual head alone (zero-shot); an unknown language gets no threat analysis.
    """
    doc = analysis.document
    model = load_threat_model()
    if not model.supports(doc.lang):
        return {"threats": ()}
    sentences = list(doc.sentences)
    threshold = model.threshold_for(doc.lang)
    vectors, shared = (None, {}) if doc.lang in TFIDF_LANGS else shared_sentence_vectors(analysis)
    scored = model.score([doc.span_text(s) for s in sentences], doc.lang, vectors)
    found = []
    for sent, (score, severity) in zip(sentences, scored, strict=True):
        if score >= threshold:
            found.append(Threat(sent.start, sent.end, severity, score, _target(analysis, sent)))
    return {
        "threats": tuple(found),
        "model_versions": {"threats": model.version},
        "artifacts": shared,
    }


def _target(analysis: Analysis, sent: Any) -> str | None:
    named = [
        (start, actor.name)
        for actor in analysis.actors
        for start, _ in actor.mentions
        if sent.start <= start < sent.end
    ]
    return min(named)[1] if named else None
