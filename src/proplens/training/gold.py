"""Analysts' corrections as training articles (``proplens train techniques --extra-gold``).

A gold version from the store (`proplens.store.gold`) becomes an `ArticleData` like a
SemEval training article: its technique spans as given, and each paragraph's techniques
those of the spans that overlap it (how the SemEval subtask-3 labels relate to the spans).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from proplens.document import Document
from proplens.models.techniques import ArticleData
from proplens.semeval import paragraph_labels
from proplens.store.gold import latest_gold
from proplens.store.store import Store


def gold_articles(store: Store, annotator: str | None = None) -> list[ArticleData]:
    """The latest gold of every stored document that has some, as training articles."""
    out = []
    for version in latest_gold(store, annotator):
        row: Mapping[str, Any] | None = store.get(version.document_id)
        if row is None:
            continue
        doc = Document.from_text(row["text"], id=f"gold-{row['id']}", lang=row["lang"])
        spans = [
            (a.label, a.start, a.end)
            for a in version.spans("technique")
            if a.start is not None and a.end is not None
        ]
        out.append(ArticleData(doc, paragraph_labels(doc, spans), spans))
    return out


def cv_changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[str]:
    """Lines comparing two models' held-out figures (``config["cv"]``), figure by figure."""
    lines = []
    for lang in sorted(set(before) & set(after)):
        old, new = before[lang], after[lang]
        if not isinstance(old, Mapping) or not isinstance(new, Mapping):
            continue
        for key in sorted(set(old) & set(new)):
            a, b = old[key], new[key]
            if isinstance(a, float) and isinstance(b, float):
                lines.append(f"{lang} {key}: {a:.4f} -> {b:.4f} ({b - a:+.4f})")
    return lines
