"""Who speaks each finding and whom it is aimed at, set in one step after the finders.

The technique and threat analysers say where and what; this step, last in the pipeline,
says who: ``speaker`` is the quoted speaker when at least half of a span lies inside a
quote, else the author; ``target`` of an attacking technique span is the actor the
``actors`` analyser found it aimed at (its ``attack_targets``), and of a threat the first
actor named in it, or, for a veiled call by historical analogy (which names the people it
calls on as well as those it calls against), the actor the author treats worst.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

from proplens.analysis import AUTHOR, Actor, Analysis, Quote, TechniqueSpan, Threat
from proplens.document import Span
from proplens.registry import analyser

UNKNOWN_SPEAKER = "unattributed quote"
#: Artifact of the ``actors`` analyser: the target of each technique span, in their order.
ATTACK_TARGETS = "attack_targets"
#: Artifact of the ``threats`` analyser: the spans of its veiled calls by analogy.
ANALOGY_CALLS = "analogy_calls"


def speaker_of(span: Span | TechniqueSpan | Threat, quotes: Sequence[Quote]) -> str:
    """The quote's speaker if at least half of the span lies inside that quote."""
    for q in quotes:
        inside = min(span.end, q.end) - max(span.start, q.start)
        if inside > 0 and inside * 2 >= span.end - span.start:
            return q.speaker or UNKNOWN_SPEAKER
    return AUTHOR


@analyser(
    "attribution",
    requires=["quotes"],
    uses=["techniques", "threats", "actors", ATTACK_TARGETS, ANALOGY_CALLS],
    produces=["techniques", "threats"],
)
def attribution(analysis: Analysis) -> Mapping[str, Any]:
    """Set ``speaker`` and ``target`` on every technique span and threat."""
    quotes = analysis.quotes
    targets: Sequence[str | None] = analysis.artifacts.get(
        ATTACK_TARGETS, (None,) * len(analysis.techniques)
    )
    if len(targets) != len(analysis.techniques):
        raise ValueError("attack_targets do not match the technique spans")
    calls = set(analysis.artifacts.get(ANALOGY_CALLS, ()))
    techniques = tuple(
        replace(t, speaker=speaker_of(t, quotes), target=target)
        for t, target in zip(analysis.techniques, targets, strict=True)
    )
    threats = tuple(
        replace(
            t,
            speaker=speaker_of(t, quotes),
            target=threat_target(analysis.actors, Span(t.start, t.end), (t.start, t.end) in calls),
        )
        for t in analysis.threats
    )
    return {"techniques": techniques, "threats": threats}


def threat_target(actors: Sequence[Actor], span: Span, analogy: bool) -> str | None:
    """The first actor named in ``span``; for an analogy call, the one treated worst."""
    return (_attacked(actors, span) if analogy else None) or _first_named(actors, span)


def _attacked(actors: Sequence[Actor], span: Span) -> str | None:
    """The actor named in ``span`` whom the author treats worst (stance below -0.1).

    People, groups and organisations go before places: a place is more often where things
    happen than who is attacked.
    """
    named = [
        (actor.type == "place", actor.stance, actor.name)
        for actor in actors
        if actor.stance is not None
        and actor.stance < -0.1
        and any(span.start <= start < span.end for start, _ in actor.mentions)
    ]
    return min(named)[2] if named else None


def _first_named(actors: Sequence[Actor], span: Span) -> str | None:
    named = [
        (start, actor.name)
        for actor in actors
        for start, _ in actor.mentions
        if span.start <= start < span.end
    ]
    return min(named)[1] if named else None
