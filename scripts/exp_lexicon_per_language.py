"""Experiment: lexicon thresholds per language instead of one per technique.

The shipped lexicon has one threshold per technique, tuned by FLC-F1 over the out-of-fold
articles of all six languages together, which English dominates; Russian then shows
1-in-3 n-grams such as "инвестиции". Here each (language, technique) gets its own threshold,
tuned the same way on that language's articles of the other folds (cross-fitted). Lexicon
spans alone, same 3 folds (seed 13), official FLC and SI per language, for the two lexicon
techniques.

Usage: python scripts/exp_lexicon_per_language.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_lexicon_smoothing import LANGS, by_language, held_out_rows, scores

from proplens.models import techniques as tm
from proplens.models.linear import assign_folds
from proplens.models.training import _tune_lexicon, load_articles


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    lexicons = [
        tm.Lexicon().fit((a.doc, a.spans) for i, a in enumerate(articles) if fold_of[i] != k)
        for k in range(3)
    ]
    lang_of = np.array([a.doc.lang for a in articles])
    thresholds: dict[str, list[dict[str, float]]] = {"pooled": [], "per language": []}
    for k in range(3):
        others = [i for i in range(len(articles)) if fold_of[i] != k]
        thresholds["pooled"].append(_tune_lexicon(articles, others, fold_of, lexicons))
    for variant in ("pooled", "per language"):
        gold: list = []
        pred: list = []
        for k in range(3):
            for lang in LANGS:
                if variant == "pooled":
                    thr = thresholds["pooled"][k]
                else:
                    mine = [
                        i for i in range(len(articles)) if fold_of[i] != k and lang_of[i] == lang
                    ]
                    thr = _tune_lexicon(articles, mine, fold_of, lexicons)
                lexicons[k].thresholds = thr
                for i in np.flatnonzero((fold_of == k) & (lang_of == lang)):
                    g, p = held_out_rows(articles[int(i)], lexicons[k])
                    gold += g
                    pred += p
        out = [f"{lang} {scores(g, p)}" for lang, g, p in by_language(articles, gold, pred)]
        print(f"{variant}: " + " | ".join(out), flush=True)


if __name__ == "__main__":
    main()
