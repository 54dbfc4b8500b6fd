"""Charge each technique span to whoever speaks it: the author, or a quoted speaker."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from proplens.analysis import AUTHOR, Analysis, Quote, TechniqueSpan, Threat
from proplens.registry import analyser

UNKNOWN_SPEAKER = "unattributed quote"


def speaker_of(span: TechniqueSpan | Threat, quotes: tuple[Quote, ...]) -> str:
    """The quote's speaker if at least half of the span lies inside that quote."""
    for q in quotes:
        inside = min(span.end, q.end) - max(span.start, q.start)
        if inside > 0 and inside * 2 >= span.end - span.start:
            return q.speaker or UNKNOWN_SPEAKER
    return AUTHOR


@analyser("speakers", requires=["techniques", "quotes"], produces=["speakers"])
def speakers(analysis: Analysis) -> Mapping[str, Any]:
    """Set ``speaker`` on every technique span from the quotes found."""
    return {
        "techniques": tuple(
            replace(t, speaker=speaker_of(t, analysis.quotes)) for t in analysis.techniques
        )
    }
