"""Experiment: keep a sentence Repetition span only when it repeats something.

The shipped sentence model marks whole sentences as Repetition, with cue words as the
reason ("'pray' points to Repetition"), which a reader cannot check. Here a sentence span
is kept only when it contains a repeated n-gram of the article (`exp_repetition.occurrences`:
1-4 words, no stop word at either edge) that also occurs outside the span; the reason can
then name it and its count. Scored on the held-out predictions of the shipped model
(`build/cv/techniques/LANG/pred-spans.txt`, 3 article folds, seed 13).

Usage: python scripts/exp_repetition_filter.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

from exp_repetition import LANGS, TECH, flc, occurrences

from proplens import semeval
from proplens.eval.metrics import span_identification
from proplens.models.training import load_articles


def repeats(start: int, end: int, occ: dict[str, list[tuple[int, int, int]]]) -> bool:
    """Some gram occurs inside [start, end) and also somewhere outside it."""
    for places in occ.values():
        inside = [p for p in places if start <= p[0] and p[1] <= end]
        if inside and len(places) > len(inside):
            return True
    return False


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = {a.doc.id: a for a in load_articles(root, LANGS)}
    for lang in LANGS:
        cv = Path("build/cv/techniques") / lang
        shipped = semeval.read_spans(cv / "pred-spans.txt")
        gold = semeval.read_spans(cv / "gold-spans.txt")
        occ = {aid: occurrences(articles[aid].doc) for aid in {x[0] for x in shipped}}
        kept = [x for x in shipped if x[1] != TECH or repeats(int(x[2]), int(x[3]), occ[x[0]])]
        g_rep = [x for x in gold if x[1] == TECH]
        s_rep = [x for x in shipped if x[1] == TECH]
        k_rep = [x for x in kept if x[1] == TECH]
        print(
            f"{lang} Repetition FLC {flc(g_rep, s_rep):.3f} (n={len(s_rep)}) -> "
            f"{flc(g_rep, k_rep):.3f} (n={len(k_rep)}); all FLC/SI "
            f"{flc(gold, shipped):.3f}/{span_identification(gold, shipped).value:.3f} -> "
            f"{flc(gold, kept):.3f}/{span_identification(gold, kept).value:.3f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
