"""Experiment: trim the edges of sentence-long spans.

Gold spans are often shorter than the sentence; this trims what may lie outside them: edge
punctuation and quotes, and a leading connective of up to three words before a comma
("After all, ..."). Reads the held-out spans that `proplens train techniques --cv-dir
build/cv/techniques` writes; lexicon spans are left as they are. Official SI and FLC.

Usage: python scripts/exp_span_trim.py [DATA]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from proplens.eval.metrics import span_classification, span_identification
from proplens.models import techniques as tm
from proplens.models.training import load_articles
from proplens.semeval import read_spans

LANGS = ["en", "ru", "fr", "de", "it", "pl"]
LEAD = re.compile(r"^(\w+(\s+\w+){0,2}),\s+")


def trim(text: str, s: int, e: int, mode: str) -> tuple[int, int]:
    if "punct" in mode:
        while e > s and text[e - 1] in ".!?;:\"'»”“«)":
            e -= 1
        while s < e and text[s] in "\"'«“”(":
            s += 1
    if "lead" in mode:
        m = LEAD.match(text[s:e])
        if m and m.end() < (e - s) * 0.5:
            s += m.end()
    return s, e


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    text = {a.doc.id: a.doc.text for a in load_articles(root, LANGS)}
    for lang in LANGS:
        cv = Path("build/cv/techniques") / lang
        gold, pred = read_spans(cv / "gold-spans.txt"), read_spans(cv / "pred-spans.txt")
        line = [lang]
        for mode in ("none", "punct", "lead", "punct+lead"):
            trimmed = [
                (a, t, s, e) if t in tm.LEXICON_TECHNIQUES else (a, t, *trim(text[a], s, e, mode))
                for a, t, s, e in pred
            ]
            si, flc = span_identification(gold, trimmed), span_classification(gold, trimmed)
            line.append(f"{mode} SI {si.value:.3f} (P {si.precision:.3f}) FLC {flc.value:.3f}")
        print(" | ".join(line), flush=True)


if __name__ == "__main__":
    main()
