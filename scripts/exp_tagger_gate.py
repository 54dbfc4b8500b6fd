"""Experiment: the span tagger as it runs in proplens (int8 ONNX), read only where it pays.

The tagger costs about as much as the rest of the pipeline if it reads every word. Here it
reads only the sentences whose highest technique probability (sentence model, out of fold)
reaches a bar, their pieces packed into windows (overlapping or not), as
`SpanTagger.inside_probs` does. Each tagged stretch is labelled with its sentence's most
probable technique; sentences without stretches keep the shipped sentence spans; lexicon
spans stay. Each fold is read by the ONNX model trained on the other two
(``build/tok/onnx-fold{k}``, from `exp_minilm_tagger.py`); figures are pooled over the folds
given. "content words": stretches of function words only ("how", "can") dropped, as
shipped. (An earlier version also tried labelling each stretch with its sentence's techniques
above threshold, else the lexicon's, else the most probable: FLC 0.15-0.16 against 0.17-0.19
for the most probable, fold 0.)

Usage: python scripts/exp_tagger_gate.py [FOLD ...]
"""

from __future__ import annotations

import os
import sys
import time
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proplens.document import Span
from proplens.eval.metrics import span_classification, span_identification
from proplens.models.span_tagger import SpanTagger, decode
from proplens.models.tagger_training import english_folds
from proplens.models.techniques import (
    LEXICON_TECHNIQUES,
    RepeatedPhrases,
    has_content_word,
    stop_words,
)
from proplens.models.training import ArticleData, load_articles, sentence_rows
from proplens.semeval import SpanRow, read_spans
from proplens.techniques import TECHNIQUES

ROOT = Path("../shared/data/semeval2023")
BARS = tuple(float(x) for x in os.environ.get("BARS", "0,0.5,0.6,0.7").split(","))
#: REPETITION_RULE=1: Repetition only for sentences that repeat a phrase of their article,
#: as `TechniqueModel.spans` decides since session 11 (sentence spans, and the label of
#: tagged stretches: the next most probable technique instead).
REPETITION_RULE = os.environ.get("REPETITION_RULE") == "1"
STOPS = stop_words("en")
TAGGERS = Path(os.environ.get("TAGGER_DIR", "build/tok"))  # where the fold models are
THRESHOLDS = [float(x) for x in os.environ.get("THRESHOLDS", "0.4,0.45,0.5").split(",")]


@dataclass
class HeldOut:
    """The held-out linear predictions for some English articles, beside their gold."""

    articles: list[ArticleData]
    oof: np.ndarray  # out-of-fold sentence probabilities, rows of all English articles
    row_of: dict[str, list[int]]  # article id -> its rows in ``oof``
    gold: list[SpanRow]
    shipped: list[SpanRow]  # sentence and lexicon spans of `proplens train techniques`
    lexicon: list[SpanRow]
    sentence: dict[str, list[SpanRow]]  # article id -> its sentence spans


def held_out(keep: Callable[[str], bool], all_en: list[ArticleData] | None = None) -> HeldOut:
    """`HeldOut` for the English articles whose id passes ``keep`` (of ``all_en``, loaded
    here when not given). English comes first in the sentence cache, so its rows are the
    first ones."""
    all_en = all_en if all_en is not None else load_articles(ROOT, ["en"])
    rows = sentence_rows(all_en)
    row_of: dict[str, list[int]] = {}
    for r, i in enumerate(rows.article):
        row_of.setdefault(all_en[i].doc.id, []).append(r)
    articles = [a for a in all_en if keep(a.doc.id)]
    ids = {a.doc.id for a in articles}
    gold = [g for g in read_spans(Path("build/cv/techniques/en/gold-spans.txt")) if g[0] in ids]
    shipped = [p for p in read_spans(Path("build/cv/techniques/en/pred-spans.txt")) if p[0] in ids]
    sentence: dict[str, list[SpanRow]] = {}
    for p in shipped:
        if p[1] not in LEXICON_TECHNIQUES:
            sentence.setdefault(p[0], []).append(p)
    lexicon = [p for p in shipped if p[1] in LEXICON_TECHNIQUES]
    oof = np.load("build/exp/sentence_oof.npy")
    return HeldOut(articles, oof, row_of, gold, shipped, lexicon, sentence)


def fold_taggers(folds: list[int]) -> tuple[HeldOut, dict[int, SpanTagger], dict[str, int]]:
    """The held-out data of ``folds``, the ONNX tagger that reads each fold (trained on the
    others), and each English article's fold; the articles are loaded once."""
    all_en = load_articles(ROOT, ["en"])
    ids = [a.doc.id for a in all_en]
    fold_of = dict(zip(ids, english_folds(ROOT, len(ids), 3), strict=True))
    data = held_out(lambda aid: fold_of[aid] in folds, all_en)
    taggers = {k: SpanTagger.load(TAGGERS / f"onnx-fold{k}") for k in folds}
    return data, taggers, fold_of


_REPEATED: dict[str, RepeatedPhrases] = {}


def repeats_nothing(a: ArticleData, start: int, end: int) -> bool:
    """The stretch of ``a`` repeats no phrase of its article (the shipped rule)."""
    repeated = _REPEATED.setdefault(a.doc.id, RepeatedPhrases(a.doc))
    return repeated.reason(Span(start, end)) is None


def label(a: ArticleData, k: int, probs: np.ndarray) -> str:
    """A tagged stretch's technique: its sentence's most probable one (with the rule,
    Repetition only where the sentence repeats something)."""
    order = np.argsort(-probs, kind="stable")
    best = TECHNIQUES[int(order[0])]
    if REPETITION_RULE and best == "Repetition":
        sent = a.doc.sentences[k]
        if repeats_nothing(a, sent.start, sent.end):
            best = TECHNIQUES[int(order[1])]
    return best


def main() -> None:
    folds = [int(x) for x in sys.argv[1:]] or [0]
    data, taggers, fold_of = fold_taggers(folds)
    articles, oof, row_of, gold = data.articles, data.oof, data.row_of, data.gold
    shipped, lexicon, sentence = data.shipped, data.lexicon, data.sentence
    print(f"folds {folds}: {len(articles)} articles")
    si, flc = span_identification(gold, shipped), span_classification(gold, shipped)
    print(f"shipped: SI {si.value:.3f} FLC {flc.value:.3f}")
    if REPETITION_RULE:
        by_id = {a.doc.id: a for a in articles}

        def kept(p: SpanRow) -> bool:
            return p[1] != "Repetition" or not repeats_nothing(by_id[p[0]], int(p[2]), int(p[3]))

        sentence = {aid: [p for p in rows if kept(p)] for aid, rows in sentence.items()}
    strides = [(254, b) for b in BARS] + ([(128, 0.0)] if 0.0 in BARS else [])
    for stride, bar in strides:
        cache: dict[str, tuple] = {}
        spent = 0.0
        read = chars = 0
        for a in articles:
            tagger = taggers[fold_of[a.doc.id]]
            tagger.config.update(window=254, stride=stride)
            sp = oof[row_of[a.doc.id]]
            keep = [(s.start, s.end) for k, s in enumerate(a.doc.sentences) if sp[k].max() >= bar]
            read += sum(e - s for s, e in keep)
            chars += len(a.doc.text)
            t0 = time.perf_counter()
            cache[a.doc.id] = tagger.inside_probs(a.doc.text, keep)
            spent += time.perf_counter() - t0
        for thr, content in [(t, False) for t in THRESHOLDS] + [(THRESHOLDS[-1], True)]:
            pred = list(lexicon)
            for a in articles:
                starts = [s.start for s in a.doc.sentences]
                sp = oof[row_of[a.doc.id]]
                offsets, probs = cache[a.doc.id]
                has: set[int] = set()
                for s, e, _ in decode(a.doc.text, offsets, probs, thr, 0):
                    if content and not has_content_word(a.doc.text[s:e], STOPS):
                        continue
                    k = max(0, bisect_right(starts, s) - 1)
                    has.add(k)
                    pred.append((a.doc.id, label(a, k, sp[k]), s, e))
                mine = sentence.get(a.doc.id, [])
                pred += [p for p in mine if bisect_right(starts, p[2]) - 1 not in has]
            si, flc = span_identification(gold, pred), span_classification(gold, pred)
            print(
                f"stride {stride} bar {bar} thr {thr}{' content words' * content}: "
                f"SI {si.value:.3f} "
                f"(P {si.precision:.3f} R {si.recall:.3f}) FLC {flc.value:.3f}; "
                f"reads {read / chars:.0%} of the text, "
                f"{spent / len(articles) * 1000:.0f} ms an article",
                flush=True,
            )


if __name__ == "__main__":
    main()
