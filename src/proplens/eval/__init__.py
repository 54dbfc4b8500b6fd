"""Evaluation: official SemEval measures over gold and predicted files."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from proplens import semeval
from proplens.eval.metrics import (
    Score,
    macro_f1_single,
    micro_f1_sets,
    span_classification,
    span_identification,
)

TASKS = ("st1", "st2", "st3", "si", "flc", "roles", "narratives")


def evaluate(
    task: str,
    gold: Path,
    pred: Path,
    articles: Path | None = None,
    taxonomy: Path | None = None,
) -> Score:
    """Score ``pred`` against ``gold``; both in the official format of ``task``.

    With ``articles`` (the folder of ``articleID.txt``), gold span offsets that counted
    newlines twice are first converted to the articles' own offsets (`semeval.realign_spans`).
    """
    if task in ("si", "flc"):
        gold_rows = semeval.read_spans(gold)
        if articles is not None:
            grouped, _ = semeval.spans_by_article(gold_rows, semeval.read_articles(articles))
            gold_rows = [(aid, t, s, e) for aid, spans in grouped.items() for t, s, e in spans]
        measure = span_identification if task == "si" else span_classification
        return measure(gold_rows, semeval.read_spans(pred))
    if task == "narratives":
        from proplens.eval.narratives import evaluate_narratives

        return evaluate_narratives(gold, pred, taxonomy)
    if task == "roles":
        from proplens.eval.roles import evaluate_roles

        return evaluate_roles(gold, pred)
    if task == "st1":
        return macro_f1_single(semeval.read_genres(gold), semeval.read_genres(pred))
    if task == "st2":
        return micro_f1_sets(semeval.read_frames(gold), semeval.read_frames(pred))
    if task == "st3":
        return micro_f1_sets(
            semeval.read_paragraph_labels(gold), semeval.read_paragraph_labels(pred)
        )
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


__all__ = ["TASKS", "Score", "evaluate"]


def score_files(
    folder: Path,
    files: Mapping[str, Sequence[str]],
    measures: Mapping[str, tuple[str, str, str]],
) -> dict[str, Score]:
    """Write ``files`` (name -> rows, in the official formats) into ``folder`` and score
    each measure ``key -> (task, gold file, predicted file)`` with `evaluate`: held-out
    figures that ``proplens evaluate`` can check again from the same files."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in files.items():
        (folder / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
    return {
        key: evaluate(task, folder / gold, folder / pred)
        for key, (task, gold, pred) in measures.items()
    }
