"""Evaluation: official SemEval measures over gold and predicted files."""

from __future__ import annotations

from pathlib import Path

from proplens import semeval
from proplens.eval.metrics import (
    Score,
    macro_f1_single,
    micro_f1_sets,
    span_classification,
    span_identification,
)

TASKS = ("st1", "st2", "st3", "si", "flc")


def evaluate(task: str, gold: Path, pred: Path, articles: Path | None = None) -> Score:
    """Score ``pred`` against ``gold``; both in the official format of ``task``.

    With ``articles`` (the folder of ``articleID.txt``), gold span offsets that counted
    newlines twice are first converted to the articles' own offsets (`semeval.realign_spans`).
    """
    if task in ("si", "flc"):
        gold_rows = semeval.read_spans(gold)
        if articles is not None:
            gold_rows = realigned_gold(gold_rows, semeval.read_articles(articles))
        measure = span_identification if task == "si" else span_classification
        return measure(gold_rows, semeval.read_spans(pred))
    if task == "st1":
        return macro_f1_single(semeval.read_genres(gold), semeval.read_genres(pred))
    if task == "st2":
        return micro_f1_sets(semeval.read_frames(gold), semeval.read_frames(pred))
    if task == "st3":
        return micro_f1_sets(
            semeval.read_paragraph_labels(gold), semeval.read_paragraph_labels(pred)
        )
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


def realigned_gold(rows: list[semeval.SpanRow], articles: dict[str, str]) -> list[semeval.SpanRow]:
    """Gold span rows, each article's converted when its offsets counted newlines twice."""
    by_article: dict[str, list[tuple[str, int, int]]] = {}
    for aid, tech, start, end in rows:
        by_article.setdefault(aid, []).append((tech, start, end))
    out: list[semeval.SpanRow] = []
    for aid, spans in by_article.items():
        text = articles.get(aid)
        fixed = semeval.realign_spans(text, spans)[0] if text is not None else spans
        out += [(aid, tech, start, end) for tech, start, end in fixed]
    return out


__all__ = ["TASKS", "Score", "evaluate"]
