"""Experiment: English spans from the fine-tuned MiniLM tagger, labelled by the sentence model.

Reads the tagger's held-out piece probabilities (``build/tok/f{k}/probs-fold{k}.json`` from
`scripts/exp_minilm_tagger.py`) and the held-out predictions of the shipped linear model
(``build/cv/techniques/en/pred-spans.txt``, same folds), and scores on the articles of the
folds the tagger has predicted:

- shipped: sentence spans + lexicon spans, as now;
- tagger: the tagger's spans alone (SI only, no labels);
- tagger+lex: with the lexicon spans (SI only);
- labelled: each tagger span takes the techniques of the shipped sentence spans it overlaps,
  else those of the lexicon spans it overlaps, else the most probable technique of its
  sentence (out-of-fold sentence probabilities, ``build/exp/sentence_oof.npy``); plus the
  lexicon spans;
- labelled-top: the same with only the most probable of the sentence techniques;
- labelled+rest: labelled, plus the shipped sentence spans that no tagger span touches;
- top+rest: labelled-top plus the rest;
- gated-top+rest: only the tagged stretches in sentences the shipped model gives a
  technique (the tagger need not read the others), top label, plus the rest;
- trimmed: the shipped sentence spans cut to the stretch from the first to the last tagged
  word of their sentence (whole when none is tagged), plus the lexicon spans.

Usage: python scripts/exp_tagger_combine.py  (data and caches as in `exp_tagger_gate.py`)
"""

from __future__ import annotations

import json
from bisect import bisect_right
from pathlib import Path

import numpy as np
from exp_tagger_gate import held_out  # the same held-out linear spans (run from the repo root)

from proplens.eval.metrics import span_classification, span_identification
from proplens.models.span_tagger import decode
from proplens.techniques import TECHNIQUES

THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5)


def tagger_probs() -> dict[str, tuple[list[tuple[int, int]], np.ndarray]]:
    out = {}
    for k in range(3):
        path = Path(f"build/tok/f{k}/probs-fold{k}.json")
        if path.exists():
            for aid, (offs, p) in json.loads(path.read_text()).items():
                out[aid] = ([tuple(o) for o in offs], np.array(p, np.float32))
    return out


def main() -> None:
    probs = tagger_probs()
    data = held_out(lambda aid: aid in probs)
    articles, oof_all, row_of, gold = data.articles, data.oof, data.row_of, data.gold
    shipped, lexicon, by_article = data.shipped, data.lexicon, data.sentence
    print(f"{len(articles)} articles")

    def show(name: str, pred: list, flc: bool = True) -> None:
        si = span_identification(gold, pred)
        line = f"{name}: SI {si.value:.3f} (P {si.precision:.3f} R {si.recall:.3f})"
        if flc:
            line += f" FLC {span_classification(gold, pred).value:.3f}"
        print(line + f", {len(pred)} spans", flush=True)

    show("shipped", shipped)
    lex_by: dict[str, list] = {}
    for p in lexicon:
        lex_by.setdefault(p[0], []).append(p)
    for thr in THRESHOLDS:
        for join in (0, 3):
            tagged, labelled, top, rest, trimmed, gated = [], [], [], [], [], []
            chars = covered = 0
            for a in articles:
                offs, pr = probs[a.doc.id]
                sents = list(a.doc.sentences)
                starts = [s.start for s in sents]
                found: dict[int, list[str]] = {}
                for p in by_article.get(a.doc.id, []):
                    k = bisect_right(starts, p[2]) - 1
                    found.setdefault(k, []).append(p[1])
                has_tag: set[int] = set()
                reach: dict[int, list[int]] = {}
                for s, e, _ in decode(a.doc.text, offs, pr, thr, join):
                    tagged.append((a.doc.id, "x", s, e))
                    k = max(0, bisect_right(starts, s) - 1)
                    has_tag.add(k)
                    r = reach.setdefault(k, [s, e])
                    r[0], r[1] = min(r[0], s), max(r[1], e)
                    sp = oof_all[row_of[a.doc.id][k]]
                    techs = sorted(found.get(k, []), key=lambda t: -sp[TECHNIQUES.index(t)])
                    if not techs:
                        lx = [p for p in lex_by.get(a.doc.id, []) if p[2] < e and s < p[3]]
                        techs = sorted({p[1] for p in lx})[:1]
                    if not techs:
                        techs = [TECHNIQUES[int(np.argmax(sp))]]
                    labelled += [(a.doc.id, t, s, e) for t in techs]
                    if found.get(k):
                        gated += [(a.doc.id, t, s, e) for t in techs[:1]]
                    top.append((a.doc.id, techs[0], s, e))
                for p in by_article.get(a.doc.id, []):
                    k = bisect_right(starts, p[2]) - 1
                    lo, hi = reach.get(k, (p[2], p[3]))
                    trimmed.append((p[0], p[1], max(lo, p[2]), min(hi, p[3])))
                chars += len(a.doc.text)
                covered += sum(sents[k].end - sents[k].start for k in found)
                rest += [
                    p
                    for p in by_article.get(a.doc.id, [])
                    if bisect_right(starts, p[2]) - 1 not in has_tag
                ]
            show(f"thr {thr} join {join} tagger", tagged, flc=False)
            show(f"thr {thr} join {join} tagger+lex", tagged + lexicon, flc=False)
            show(f"thr {thr} join {join} labelled", labelled + lexicon)
            show(f"thr {thr} join {join} labelled-top", top + lexicon)
            show(f"thr {thr} join {join} labelled+rest", labelled + lexicon + rest)
            show(f"thr {thr} join {join} trimmed", trimmed + lexicon)
            show(f"thr {thr} join {join} top+rest", top + lexicon + rest)
            show(f"thr {thr} join {join} gated-top+rest", gated + lexicon + rest)
            print(f"sentences with techniques hold {covered / chars:.0%} of the text")


if __name__ == "__main__":
    main()
