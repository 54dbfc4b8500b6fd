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


def evaluate(task: str, gold: Path, pred: Path) -> Score:
    """Score ``pred`` against ``gold``; both in the official format of ``task``."""
    if task == "st1":
        return macro_f1_single(semeval.read_genres(gold), semeval.read_genres(pred))
    if task == "st2":
        return micro_f1_sets(semeval.read_frames(gold), semeval.read_frames(pred))
    if task == "st3":
        return micro_f1_sets(
            semeval.read_paragraph_labels(gold), semeval.read_paragraph_labels(pred)
        )
    if task == "si":
        return span_identification(semeval.read_spans(gold), semeval.read_spans(pred))
    if task == "flc":
        return span_classification(semeval.read_spans(gold), semeval.read_spans(pred))
    raise ValueError(f"unknown task {task!r}; choose one of {', '.join(TASKS)}")


__all__ = ["TASKS", "Score", "evaluate"]
