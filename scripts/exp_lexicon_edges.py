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

import numpy as np

from proplens.eval.metrics import span_classification, span_identification
from proplens.models import techniques as tm
from proplens.models.linear import assign_folds
from proplens.models.training import _tune_lexicon, load_articles

LANGS = ["en", "ru", "fr", "de", "it", "pl"]
CV_NAMES = {"en": "en", "ru": "ru", "fr": "fr", "de": "de", "it": "it", "pl": "pl"}


def stop_words(lang: str) -> frozenset[str]:
    import importlib

    return frozenset(importlib.import_module(f"spacy.lang.{lang}.stop_words").STOP_WORDS)


def no_stop_words(lang: str) -> frozenset[str]:
    """Stands in for `techniques.stop_words` to fit the lexicon without the rule."""
    return frozenset()


def edge_filtered(lex: tm.Lexicon) -> tm.Lexicon:
    for lang, table in lex.entries.items():
        stops = stop_words(lang)
        for tech, grams in table.items():
            table[tech] = {
                g: v
                for g, v in grams.items()
                if g.split()[0] not in stops and g.split()[-1] not in stops
            }
    return lex


def read_rows(path: Path) -> list[tuple[str, str, int, int]]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        a, t, s, e = line.split("\t")
        rows.append((a, t, int(s), int(e)))
    return rows


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    shipped_stop_words = tm.stop_words
    for variant in ("edges kept", "edges dropped (shipped)"):
        # the shipped Lexicon.fit applies the rule itself; switch it off for the first variant
        tm.stop_words = no_stop_words if variant == "edges kept" else shipped_stop_words  # type: ignore[assignment]
        lexicons = []
        for k in range(3):
            lex = tm.Lexicon().fit(
                (a.doc, a.spans) for i, a in enumerate(articles) if fold_of[i] != k
            )
            lexicons.append(edge_filtered(lex) if variant != "edges kept" else lex)
        gold: list = []
        pred: list = []
        for k in range(3):
            others = [i for i in range(len(articles)) if fold_of[i] != k]
            lexicons[k].thresholds = _tune_lexicon(articles, others, fold_of, lexicons)
            for i in np.flatnonzero(fold_of == k):
                a = articles[int(i)]
                gold += [(a.doc.id, t, s, e) for t, s, e in a.spans if t in tm.LEXICON_TECHNIQUES]
                pred += [(a.doc.id, t, s, e) for s, e, t, _, _ in lexicons[k].find(a.doc)]
        out = []
        for lang in LANGS:
            ids = {a.doc.id for a in articles if a.doc.lang == lang}
            g = [x for x in gold if x[0] in ids]
            p = [x for x in pred if x[0] in ids]
            line = (
                f"{lang} lexicon FLC {span_classification(g, p).value:.3f} "
                f"SI {span_identification(g, p).value:.3f} n={len(p)}"
            )
            cv = Path("build/cv/techniques") / lang
            if (cv / "pred-spans.txt").exists():
                sentence = [
                    r for r in read_rows(cv / "pred-spans.txt") if r[1] not in tm.LEXICON_TECHNIQUES
                ]
                all_gold = read_rows(cv / "gold-spans.txt")
                both = sentence + p
                line += (
                    f"; all spans SI {span_identification(all_gold, both).value:.3f} "
                    f"FLC {span_classification(all_gold, both).value:.3f}"
                )
            out.append(line)
        print(f"{variant}:\n  " + "\n  ".join(out), flush=True)


if __name__ == "__main__":
    main()
