"""Experiment: drop lexicon n-grams that begin or end with a function word.

The lexicon keeps n-grams such as "help from", "the forces" or "is like" because they happen
to lie inside loaded-language spans in a third of their uses; a reader sees a span that ends
on a preposition. Here an n-gram qualifies only when its first and last words are not stop
words of its language (spaCy's lists, which ship with spaCy; no model is loaded), so
"the liberal" gives way to "liberal". Same 3 article folds as `proplens train techniques`
(seed 13), thresholds tuned by FLC-F1 on the other folds; scored per language with the
official SI and FLC measures, (a) lexicon spans alone, restricted to the two lexicon
techniques, and (b) all spans, with the sentence spans of the shipped model's CV files
(build/cv/techniques/<lang>/pred-spans.txt) and the lexicon spans swapped.

Usage: python scripts/exp_lexicon_edges.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

from exp_lexicon_smoothing import LANGS, by_language, held_out, scores

from proplens import semeval
from proplens.eval.metrics import span_classification, span_identification
from proplens.models import techniques as tm
from proplens.models.linear import assign_folds
from proplens.models.training import load_articles


def no_stop_words(lang: str) -> frozenset[str]:
    """Stands in for `techniques.stop_words` to fit the lexicon without the rule."""
    return frozenset()


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    shipped_stop_words = tm.stop_words
    for variant in ("edges kept", "edges dropped (shipped)"):
        # the shipped Lexicon.fit applies the rule itself; switch it off for the first variant
        tm.stop_words = no_stop_words if variant == "edges kept" else shipped_stop_words  # type: ignore[assignment]
        lexicons = [
            tm.Lexicon().fit((a.doc, a.spans) for i, a in enumerate(articles) if fold_of[i] != k)
            for k in range(3)
        ]
        gold, pred = held_out(articles, fold_of, lexicons)
        out = []
        for lang, g, p in by_language(articles, gold, pred):
            line = f"{lang} lexicon {scores(g, p)}"
            cv = Path("build/cv/techniques") / lang
            if (cv / "pred-spans.txt").exists():
                sentence = [
                    r
                    for r in semeval.read_spans(cv / "pred-spans.txt")
                    if r[1] not in tm.LEXICON_TECHNIQUES
                ]
                all_gold = semeval.read_spans(cv / "gold-spans.txt")
                both = sentence + p
                line += (
                    f"; all spans SI {span_identification(all_gold, both).value:.3f} "
                    f"FLC {span_classification(all_gold, both).value:.3f}"
                )
            out.append(line)
        print(f"{variant}:\n  " + "\n  ".join(out), flush=True)


if __name__ == "__main__":
    main()
