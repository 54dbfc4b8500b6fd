"""Scoring proplens against the gold its users stored (`corpus import-labels`).

The same SemEval measures as the files: span identification and span classification
(SemEval-2020 Task 11, partial-overlap credit) over technique spans, paragraph techniques
micro-F1 (SemEval-2023 subtask 3; a paragraph's gold techniques are those of the gold
spans that overlap it), and genre macro-F1 where the analysts set the genre. Predictions
are every technique span (as `semeval spans` writes them, and as the Label Studio export
pre-annotates them), made by the shipped models on the stored text, or, with
``stored=True``, the analyses stored with the documents.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from proplens.analysis import Analysis
from proplens.document import Document
from proplens.eval.metrics import (
    Score,
    macro_f1_single,
    micro_f1_sets,
    span_classification,
    span_identification,
)
from proplens.semeval import paragraph_labels
from proplens.store.gold import latest_gold
from proplens.store.store import Store

Analyse = Callable[[str, str | None], Analysis]


class NoGold(ValueError):
    """The store holds no gold to score against."""


def _shipped(text: str, lang: str | None) -> Analysis:
    from proplens.api import analyse

    return analyse(text, lang)


def predicted_spans(payload: dict[str, Any]) -> list[tuple[str, int, int]]:
    return [(t["technique"], t["start"], t["end"]) for t in payload.get("techniques", [])]


def score_gold(
    store: Store,
    annotator: str | None = None,
    *,
    stored: bool = False,
    analyse: Analyse = _shipped,
) -> Score:
    """FLC-F1 of the predictions against the latest gold of every document that has some,
    with SI-F1, genre macro-F1 and the counts beside it."""
    versions = latest_gold(store, annotator)
    if not versions:
        who = f" by {annotator}" if annotator else ""
        raise NoGold(f"{store.url}: no gold annotations{who}; run 'corpus import-labels' first")
    gold_rows: list[tuple[str, str, int, int]] = []
    gold_lines: dict[tuple[str, int], set[str]] = {}
    pred_lines: dict[tuple[str, int], set[str]] = {}
    pred_rows: list[tuple[str, str, int, int]] = []
    gold_genre: dict[str, str] = {}
    pred_genre: dict[str, str] = {}
    for v in versions:
        row = store.get(v.document_id)
        if row is None:
            continue
        key = str(v.document_id)
        payload = row["analysis"] if stored else analyse(row["text"], row["lang"]).to_dict()
        spans = [
            (a.label, a.start, a.end)
            for a in v.spans("technique")
            if a.start is not None and a.end is not None
        ]
        gold_rows += [(key, t, s, e) for t, s, e in spans]
        doc = Document.from_text(row["text"], id=key, lang=row["lang"])
        gold_lines.update({(key, line): ts for line, ts in paragraph_labels(doc, spans).items()})
        pred_lines.update(
            {(key, p["id"]): set(p["techniques"]) for p in payload.get("paragraphs", [])}
        )
        pred_rows += [(key, t, s, e) for t, s, e in predicted_spans(payload)]
        if (genre := v.label("genre")) is not None:
            gold_genre[key] = genre
            pred_genre[key] = (payload.get("genre") or {}).get("label", "")
    flc = span_classification(gold_rows, pred_rows)
    st3 = micro_f1_sets(gold_lines, pred_lines)
    si = span_identification(gold_rows, pred_rows)
    extra = {"documents": float(len(versions)), "gold spans": float(len(gold_rows)),
             "predicted spans": float(len(pred_rows)), "SI-F1": si.value,
             "SI-precision": si.precision, "SI-recall": si.recall,
             "paragraph techniques micro-F1": st3.value}  # fmt: skip
    if gold_genre:
        extra["genre macro-F1"] = macro_f1_single(gold_genre, pred_genre).value
    return Score(flc.metric, flc.value, flc.precision, flc.recall, flc.per_class, extra)
