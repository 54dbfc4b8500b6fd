"""Precision and recall of the historical-analogy rules on written passages."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from proplens.document import Document
from proplens.rules.analogy import analogy_calls


def passage_figures(rows: Iterable[Mapping[str, Any]]) -> dict[str, float]:
    """Precision and recall of the rules on written passages (``text``, ``call``, ``lang``,
    English when absent), each a paragraph: a passage counts as flagged when any call is
    found in it."""
    tp = fp = fn = 0
    for row in rows:
        lang = str(row.get("lang", "en"))
        doc = Document.from_text(str(row["text"]), lang=lang)
        texts = [doc.span_text(s) for s in doc.sentences]
        flagged = bool(analogy_calls(texts, [0] * len(texts), lang))
        tp += flagged and bool(row["call"])
        fp += flagged and not row["call"]
        fn += not flagged and bool(row["call"])
    return {
        "precision": tp / max(tp + fp, 1),
        "recall": tp / max(tp + fn, 1),
        "calls": tp + fn,
        "false_positives": fp,
    }
