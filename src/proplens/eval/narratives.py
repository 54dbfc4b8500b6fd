"""SemEval-2025 Task 10 subtask 2 (narratives): the file format and the official measure.

A row is ``article<TAB>narrative;narrative...<TAB>sub-narrative;...`` (``Other`` where none
applies). The measure, from the task's published definition: for each article, the F1 of
its predicted label set against the gold set over the taxonomy's classes (labels outside
the taxonomy are ignored; an article with no right label scores 0), averaged over the
articles ("samples" F1), for narratives and for sub-narratives; the standard deviation
over articles beside each. Articles are paired by id (the official script pairs them by
file order, which gives the same figure when both files list the articles alike).
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Mapping
from pathlib import Path

from proplens.eval.metrics import Score, unmatched

Labels = dict[str, tuple[set[str], set[str]]]
NARRATIVES_FILE = "subtask2_narratives.txt"
SUBNARRATIVES_FILE = "subtask2_subnarratives.txt"
OTHER = "Other"


class NarrativeFileError(ValueError):
    """A narrative file that cannot be scored; the message names the file and the line."""


def read_taxonomy(folder: Path) -> tuple[list[str], list[str]]:
    """(narratives, sub-narratives) of the taxonomy files in ``folder``."""
    out = []
    for name in (NARRATIVES_FILE, SUBNARRATIVES_FILE):
        path = folder / name
        if not path.is_file():
            raise NarrativeFileError(f"{path}: taxonomy file not found (pass --taxonomy)")
        out.append([x.strip() for x in path.read_text(encoding="utf-8").splitlines() if x.strip()])
    return out[0], out[1]


def read_narratives(path: Path) -> Labels:
    """article -> (narratives, sub-narratives)."""
    out: Labels = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) < 3:
            raise NarrativeFileError(
                f"{path}:{number}: expected article, narratives and sub-narratives"
            )
        if parts[0] in out:
            raise NarrativeFileError(f"{path}:{number}: the article {parts[0]} appears twice")
        out[parts[0]] = (_labels(parts[1]), _labels(parts[2]))
    return out


def _labels(cell: str) -> set[str]:
    return {x.strip() for x in cell.split(";") if x.strip()}


def format_row(article: str, narratives: Iterable[str], subnarratives: Iterable[str]) -> str:
    return f"{article}\t{';'.join(narratives)}\t{';'.join(subnarratives)}"


def samples_f1(
    gold: Mapping[str, set[str]], pred: Mapping[str, set[str]], classes: Iterable[str]
) -> tuple[float, float]:
    """Mean and standard deviation over articles of each article's F1."""
    known = set(classes)
    scores = []
    for article, truth in gold.items():
        g, p = truth & known, pred.get(article, set()) & known
        tp = len(g & p)
        scores.append(2 * tp / (len(g) + len(p)) if tp else 0.0)
    if not scores:
        return 0.0, 0.0
    return statistics.fmean(scores), statistics.pstdev(scores)


def score_narratives(
    gold: Labels, pred: Labels, narratives: Iterable[str], subnarratives: Iterable[str]
) -> Score:
    """Both measures; the headline (last line) is the narratives' samples F1."""
    if problem := unmatched(gold, pred, "article"):
        raise NarrativeFileError(problem)
    coarse, coarse_sd = samples_f1(
        {a: g[0] for a, g in gold.items()}, {a: p[0] for a, p in pred.items()}, narratives
    )
    fine, fine_sd = samples_f1(
        {a: g[1] for a, g in gold.items()}, {a: p[1] for a, p in pred.items()}, subnarratives
    )
    return Score(
        "narratives_samples_f1",
        coarse,
        extra={
            "narratives_sd": coarse_sd,
            "subnarratives_samples_f1": fine,
            "subnarratives_sd": fine_sd,
            "articles": float(len(gold)),
        },
    )


def evaluate_narratives(gold: Path, pred: Path, taxonomy: Path | None = None) -> Score:
    """Score files; the taxonomy files are looked for beside the gold file's folder (the
    SemEval layout: ``LANG/subtask-2-annotations.txt`` and the taxonomy one level up) unless
    ``taxonomy`` names their folder."""
    folder = taxonomy or next(
        (f for f in (gold.parent, gold.parent.parent) if (f / NARRATIVES_FILE).is_file()),
        gold.parent,
    )
    narratives, subnarratives = read_taxonomy(folder)
    return score_narratives(read_narratives(gold), read_narratives(pred), narratives, subnarratives)
