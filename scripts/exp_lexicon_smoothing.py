"""Experiment: the span lexicon's score as raw precision k/n (shipped) or smoothed k/(n+1),
which sinks n-grams seen inside a span once in three uses ("back then", "help from").

Same 3 article folds as `proplens train techniques` (seed 13); thresholds per technique
tuned by FLC-F1 on the other folds (as in training); lexicon spans alone, scored per
language with the official SI and FLC measures restricted to the two lexicon techniques.

Usage: python scripts/exp_lexicon_smoothing.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from proplens.eval.metrics import span_classification, span_identification
from proplens.models import techniques as tm
from proplens.models.linear import assign_folds
from proplens.models.training import _tune_lexicon, load_articles

LANGS = ["en", "ru", "fr", "de", "it", "pl"]


def smoothed(lex: tm.Lexicon, articles, prior: int) -> tm.Lexicon:
    """Refit scores as k / (n + prior) from the stored (precision, count)."""
    for table in lex.entries.values():
        for grams in table.values():
            for g, (p, n) in list(grams.items()):
                grams[g] = (round(p * n / (n + prior), 4), n)
    return lex


def held_out_rows(article, lexicon: tm.Lexicon) -> tuple[list, list]:
    """Gold spans of the two lexicon techniques and the lexicon's spans, for one article."""
    gold = [(article.doc.id, t, s, e) for t, s, e in article.spans if t in tm.LEXICON_TECHNIQUES]
    pred = [(article.doc.id, t, s, e) for s, e, t, _, _ in lexicon.find(article.doc)]
    return gold, pred


def held_out(articles, fold_of: np.ndarray, lexicons: list[tm.Lexicon]) -> tuple[list, list]:
    """Gold and predicted lexicon spans of every article, from the lexicon of the other
    folds with its thresholds tuned there (as in training)."""
    gold: list = []
    pred: list = []
    for k in range(len(lexicons)):
        others = [i for i in range(len(articles)) if fold_of[i] != k]
        lexicons[k].thresholds = _tune_lexicon(articles, others, fold_of, lexicons)
        for i in np.flatnonzero(fold_of == k):
            g, p = held_out_rows(articles[int(i)], lexicons[k])
            gold += g
            pred += p
    return gold, pred


def by_language(articles, gold: list, pred: list):
    """(language, its gold rows, its predicted rows) for each of LANGS."""
    for lang in LANGS:
        ids = {a.doc.id for a in articles if a.doc.lang == lang}
        yield lang, [x for x in gold if x[0] in ids], [x for x in pred if x[0] in ids]


def scores(gold: list, pred: list) -> str:
    return (
        f"FLC {span_classification(gold, pred).value:.3f} "
        f"SI {span_identification(gold, pred).value:.3f} n={len(pred)}"
    )


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    for prior in (0, 1, 2):
        lexicons = [
            smoothed(
                tm.Lexicon().fit(
                    (a.doc, a.spans) for i, a in enumerate(articles) if fold_of[i] != k
                ),
                articles,
                prior,
            )
            for k in range(3)
        ]
        gold, pred = held_out(articles, fold_of, lexicons)
        out = [f"{lang} {scores(g, p)}" for lang, g, p in by_language(articles, gold, pred)]
        print(f"prior {prior}: " + " | ".join(out), flush=True)


if __name__ == "__main__":
    main()
