"""Experiment: how the span tagger's piece probabilities become stretches.

The shipped decoding keeps runs of pieces at or above one threshold (0.5). Variants, on the
sentences the shipped gate reads (best technique probability >= 0.6), assembled as
`scripts/exp_tagger_gate.py` does (stretches labelled with the sentence's most probable
technique, sentence spans where no stretch, lexicon spans):

- ``hyst HI LO``: a run needs one piece at or above HI and extends over neighbours at or
  above LO (hysteresis, as in edge detection), so a stretch is not cut by one weak piece;
- ``sent B``: each piece's threshold falls as its sentence's best technique probability
  p rises, 0.5 - B x (p - 0.6);
- ``min2``: single-word stretches are kept only at or above 0.7;
- ``label short N``: a stretch of at most N words is labelled with the more probable (for
  its sentence) of the two word-level techniques, loaded language and name calling (they
  are 64% of the one-word English gold spans and 72% of those of two or three words),
  longer ones with the sentence's most probable technique as shipped;
- ``unread < U``: the sentence spans of sentences the tagger did not read (below the gate)
  are kept only when the sentence's best technique probability reaches U (1.0: none kept).

Each fold is read by the ONNX model trained on the other two (``$TAGGER_DIR/onnx-fold{k}``).

Usage: python scripts/exp_tagger_decode.py [FOLD ...]
"""

from __future__ import annotations

import sys
from bisect import bisect_right

import numpy as np
from exp_tagger_gate import STOPS, TAGGERS, fold_taggers

from proplens.eval.metrics import span_classification, span_identification
from proplens.models.span_tagger import decode
from proplens.models.techniques import LEXICON_TECHNIQUES, has_content_word, tagger_ranges
from proplens.techniques import TECHNIQUES

GATE = 0.6


def hysteresis(text, offsets, probs, hi: float, lo: float):  # type: ignore[no-untyped-def]
    """Runs at or above ``lo`` that hold a piece at or above ``hi``, decoded as shipped."""
    keep = np.zeros(len(probs), bool)
    above = probs >= lo
    i = 0
    while i < len(probs):
        if not above[i]:
            i += 1
            continue
        j = i
        while j < len(probs) and above[j]:
            j += 1
        if probs[i:j].max() >= hi:
            keep[i:j] = True
        i = j
    return decode(text, offsets, np.where(keep, 1.0, 0.0).astype(np.float32), 0.5, 0)


def main() -> None:
    folds = [int(x) for x in sys.argv[1:]] or [0]
    data, taggers, fold_of = fold_taggers(folds)
    cache = {}
    for a in data.articles:
        keep = tagger_ranges(a.doc, data.oof[data.row_of[a.doc.id]], GATE)
        cache[a.doc.id] = taggers[fold_of[a.doc.id]].inside_probs(a.doc.text, keep)
    print(f"{TAGGERS} folds {folds}: {len(data.articles)} articles", flush=True)

    def argmax(text: str, s: int, e: int, probs) -> str:  # type: ignore[no-untyped-def]
        return TECHNIQUES[int(np.argmax(probs))]

    def run(name: str, stretches, label=argmax, unread: float = 0.0) -> None:  # type: ignore[no-untyped-def]
        pred = list(data.lexicon)
        for a in data.articles:
            starts = [s.start for s in a.doc.sentences]
            sp = data.oof[data.row_of[a.doc.id]]
            offsets, probs = cache[a.doc.id]
            has: set[int] = set()
            for s, e, _p in stretches(a.doc.text, offsets, probs, sp, starts):
                if not has_content_word(a.doc.text[s:e], STOPS):
                    continue
                k = max(0, bisect_right(starts, s) - 1)
                has.add(k)
                pred.append((a.doc.id, label(a.doc.text, s, e, sp[k]), s, e))
            mine = data.sentence.get(a.doc.id, [])
            for p in mine:
                k = bisect_right(starts, p[2]) - 1
                if k not in has and (sp[k].max() >= GATE or sp[k].max() >= unread):
                    pred.append(p)
        si, flc = span_identification(data.gold, pred), span_classification(data.gold, pred)
        print(
            f"{name:16s} SI {si.value:.3f} (P {si.precision:.3f} R {si.recall:.3f}) "
            f"FLC {flc.value:.3f}",
            flush=True,
        )

    run("shipped 0.5", lambda t, o, p, sp, st: decode(t, o, p, 0.5, 0))
    for hi, lo in ((0.5, 0.4), (0.5, 0.3), (0.6, 0.4), (0.6, 0.3), (0.7, 0.4)):
        run(f"hyst {hi} {lo}", lambda t, o, p, sp, st, hi=hi, lo=lo: hysteresis(t, o, p, hi, lo))

    def by_sentence(text, offsets, probs, sp, starts, beta: float):  # type: ignore[no-untyped-def]
        k = [max(0, bisect_right(starts, s) - 1) for s, _ in offsets]
        thr = 0.5 - beta * (sp[k].max(axis=1) - GATE)
        return decode(text, offsets, (probs >= thr).astype(np.float32), 0.5, 0)

    for beta in (0.25, 0.5, 1.0):
        run(f"sent {beta}", lambda t, o, p, sp, st, b=beta: by_sentence(t, o, p, sp, st, b))

    def min2(text, offsets, probs, sp, starts):  # type: ignore[no-untyped-def]
        return [
            (s, e, p)
            for s, e, p in decode(text, offsets, probs, 0.5, 0)
            if len(text[s:e].split()) > 1 or p >= 0.7
        ]

    run("min2", min2)

    word_level = [TECHNIQUES.index(t) for t in LEXICON_TECHNIQUES]

    def short_word_level(text: str, s: int, e: int, probs, words: int) -> str:  # type: ignore[no-untyped-def]
        if len(text[s:e].split()) <= words:
            return TECHNIQUES[word_level[int(np.argmax(probs[word_level]))]]
        return argmax(text, s, e, probs)

    shipped = lambda t, o, p, sp, st: decode(t, o, p, 0.5, 0)  # noqa: E731
    for unread in (0.3, 0.4, 0.5, 1.0):
        run(f"unread < {unread}", shipped, unread=unread)
    for words in (1, 2, 3, 4):
        run(
            f"label short {words}",
            shipped,
            lambda t, s, e, p, w=words: short_word_level(t, s, e, p, w),
        )


if __name__ == "__main__":
    main()
