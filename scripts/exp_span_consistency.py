"""Experiment: sentence spans that agree with what else the model knows.

Short texts showed two kinds of implausible sentence spans: "The mayor lied." as a one-line
document marked Repetition (the TF-IDF sentence model gives short sentences a high
Repetition probability), and a short upbeat line marked Doubt and Red Herring (the USE
sentence head, reading a one-sentence "article", is confident out of its training range).
Two filters, scored on the held-out predictions of the shipped model
(`build/cv/techniques/LANG/pred-spans.txt`, 3 article folds, seed 13):

- **rep**: a Repetition span is kept only when its sentence holds a phrase the article says
  elsewhere, by the shipped rule (`models.techniques.RepeatedPhrases`: 1-3 words, no
  function word at either edge, a single word at least three times);
- **para**: a sentence span (any technique but the two of the lexicon) is kept only when its
  paragraph's predicted techniques (`pred-st3.txt`, same folds) include its technique.

Usage: python scripts/exp_span_consistency.py [DATA]
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from pathlib import Path

from proplens import semeval
from proplens.document import Span
from proplens.eval.metrics import span_classification, span_identification
from proplens.models.techniques import LEXICON_TECHNIQUES, RepeatedPhrases
from proplens.models.training import load_articles

LANGS = ("en", "ru", "fr", "de", "it", "pl")


def paragraph_labels(path: Path) -> dict[tuple[str, int], set[str]]:
    out: dict[tuple[str, int], set[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) >= 2:
            labels = parts[2] if len(parts) > 2 else ""
            out[(parts[0], int(parts[1]))] = {x for x in labels.split(",") if x}
    return out


def line_of(text: str):
    """A function from a character offset to its 1-based line number."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    return lambda offset: bisect_right(starts, offset)


def report(lang: str, articles) -> None:
    """Print SI/FLC of the shipped held-out spans of ``lang`` and of the filtered ones."""
    cv = Path("build/cv/techniques") / lang
    shipped = semeval.read_spans(cv / "pred-spans.txt")
    gold = semeval.read_spans(cv / "gold-spans.txt")
    paras = paragraph_labels(cv / "pred-st3.txt")
    ids = {x[0] for x in shipped}
    repeated = {aid: RepeatedPhrases(articles[aid].doc) for aid in ids}
    lines = {aid: line_of(articles[aid].doc.text) for aid in ids}

    def rep_ok(x) -> bool:
        span = Span(int(x[2]), int(x[3]))
        return x[1] != "Repetition" or repeated[x[0]].reason(span) is not None

    def para_ok(x) -> bool:
        if x[1] in LEXICON_TECHNIQUES:
            return True
        key = (x[0], lines[x[0]](int(x[2])))
        return key not in paras or x[1] in paras[key]

    def show(name, pred) -> str:
        si = span_identification(gold, pred).value
        return f"{name} {si:.3f}/{span_classification(gold, pred).value:.3f} (n={len(pred)})"

    rep = [x for x in shipped if rep_ok(x)]
    para = [x for x in shipped if para_ok(x)]
    both = [x for x in rep if para_ok(x)]
    print(
        lang, "SI/FLC",
        show("shipped", shipped), show("rep", rep), show("para", para), show("both", both),
        flush=True,
    )  # fmt: skip


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = {a.doc.id: a for a in load_articles(root, LANGS)}
    for lang in LANGS:
        report(lang, articles)


if __name__ == "__main__":
    main()
