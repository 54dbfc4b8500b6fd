"""Known narratives (SemEval-2025 Task 10, subtask 2): from label probabilities to a decision.

Two `ArticleModel`s read the article, one over the taxonomy's narratives and one over its
sub-narratives. An article gets the narratives whose probability reaches the narrative
threshold of its language (none: ``Other``), and under each the sub-narratives that reach
the second threshold (none: ``NARRATIVE: Other``), as the official labels are written. The
thresholds were chosen per language on held-out folds (English is half ``Other``,
Bulgarian hardly ever) and are kept in the narrative model's config.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

OTHER = "Other"
SHIPPED = ("narratives", "subnarratives")
#: Thresholds for a language the training data did not hold.
DEFAULT_THRESHOLDS = (0.4, 0.4)


def decide(
    p_nar: Sequence[float] | np.ndarray,
    p_sub: Sequence[float] | np.ndarray,
    narratives: Sequence[str],
    subs: Sequence[str],
    t1: float,
    t2: float,
) -> tuple[set[str], set[str]]:
    """The narratives over ``t1`` and, under each, its sub-narratives over ``t2``."""
    chosen = [n for n, p in zip(narratives, p_nar, strict=True) if n != OTHER and p >= t1]
    if not chosen:
        return {OTHER}, {OTHER}
    sub_out: set[str] = set()
    for n in chosen:
        under = [s for s, p in zip(subs, p_sub, strict=True) if s.startswith(n + ": ") and p >= t2]
        sub_out |= set(under) or {f"{n}: {OTHER}"}
    return set(chosen), sub_out


def thresholds_for(info: Mapping[str, Any], lang: str | None) -> tuple[float, float]:
    """The (narrative, sub-narrative) thresholds of ``lang`` from a model's config."""
    by_lang = info.get("thresholds", {})
    found = by_lang.get(lang or "") or info.get("default_thresholds") or DEFAULT_THRESHOLDS
    return float(found[0]), float(found[1])
