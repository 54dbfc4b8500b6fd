"""Experiment: the span tagger as it runs in proplens (int8 ONNX), read only where it pays.

The tagger costs about as much as the rest of the pipeline if it reads every word. Here it
reads only the sentences whose highest technique probability (sentence model, out of fold)
reaches a bar, in windows of consecutive such sentences, with or without overlapping
windows. Each tagged stretch is labelled with its sentence's most probable technique
("argmax") or, as first written, with the sentence's techniques above threshold, else the
lexicon's, else the most probable ("found"); sentences without stretches keep the shipped
sentence spans; lexicon spans stay. Scored on the held-out fold of the ONNX model
(``build/tok/onnx-fold{k}``, trained on the other two folds by `exp_minilm_tagger.py` and
exported with `proplens.models.tagger_training.export_onnx`).

Usage: python scripts/exp_tagger_gate.py [FOLD]
"""

from __future__ import annotations

import sys
import time
from bisect import bisect_right
from pathlib import Path

import numpy as np

from proplens.eval.metrics import span_classification, span_identification
from proplens.models.linear import assign_folds
from proplens.models.span_tagger import SpanTagger, decode
from proplens.models.techniques import LEXICON_TECHNIQUES
from proplens.models.training import load_articles, sentence_rows
from proplens.semeval import read_spans
from proplens.techniques import TECHNIQUES

ROOT = Path("../shared/data/semeval2023")
BARS = (0.0, 0.5, 0.6, 0.7)


def main() -> None:
    fold = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    tagger = SpanTagger.load(Path(f"build/tok/onnx-fold{fold}"))
    all_en = load_articles(ROOT, ["en"])
    n_all = 1251  # articles of the six languages, English first (the folds of train techniques)
    fold_of = assign_folds(n_all, 3, 13)[: len(all_en)]
    articles = [a for a, f in zip(all_en, fold_of, strict=True) if f == fold]
    oof = np.load("build/exp/sentence_oof.npy")
    rows = sentence_rows(all_en)
    row_of: dict[str, list[int]] = {}
    for r, i in enumerate(rows.article):
        row_of.setdefault(all_en[i].doc.id, []).append(r)
    ids = {a.doc.id for a in articles}
    gold = [g for g in read_spans(Path("build/cv/techniques/en/gold-spans.txt")) if g[0] in ids]
    shipped = [p for p in read_spans(Path("build/cv/techniques/en/pred-spans.txt")) if p[0] in ids]
    lexicon = [p for p in shipped if p[1] in LEXICON_TECHNIQUES]
    sentence: dict[str, list] = {}
    for p in shipped:
        if p[1] not in LEXICON_TECHNIQUES:
            sentence.setdefault(p[0], []).append(p)
    print(f"fold {fold}: {len(articles)} articles")
    si, flc = span_identification(gold, shipped), span_classification(gold, shipped)
    print(f"shipped: SI {si.value:.3f} FLC {flc.value:.3f}")
    for stride, bar in [(254, b) for b in BARS] + [(128, 0.0)]:
        tagger.config["stride"] = stride
        cache: dict[str, tuple] = {}
        spent = 0.0
        read = chars = 0
        for a in articles:
            sents = list(a.doc.sentences)
            sp = oof[row_of[a.doc.id]]
            keep = [(s.start, s.end) for k, s in enumerate(sents) if sp[k].max() >= bar]
            read += sum(e - s for s, e in keep)
            chars += len(a.doc.text)
            t0 = time.perf_counter()
            cache[a.doc.id] = tagger.inside_probs(a.doc.text, keep)
            spent += time.perf_counter() - t0
        if True:
            for thr in (0.4, 0.45, 0.5):
                preds: dict[str, list] = {"argmax": list(lexicon), "found": list(lexicon)}
                for a in articles:
                    sents = list(a.doc.sentences)
                    starts = [s.start for s in sents]
                    sp = oof[row_of[a.doc.id]]
                    offsets, probs = cache[a.doc.id]
                    stretches = decode(a.doc.text, offsets, probs, thr, 0)
                    mine = sentence.get(a.doc.id, [])
                    found: dict[int, list[str]] = {}
                    for p in mine:
                        found.setdefault(bisect_right(starts, p[2]) - 1, []).append(p[1])
                    has: set[int] = set()
                    for s, e, _ in stretches:
                        k = max(0, bisect_right(starts, s) - 1)
                        has.add(k)
                        top = TECHNIQUES[int(np.argmax(sp[k]))]
                        preds["argmax"].append((a.doc.id, top, s, e))
                        labels = (
                            found.get(k)
                            or [
                                p[1] for p in lexicon if p[0] == a.doc.id and p[2] < e and s < p[3]
                            ][:1]
                            or [top]
                        )
                        preds["found"] += [(a.doc.id, t, s, e) for t in labels]
                    rest = [p for p in mine if bisect_right(starts, p[2]) - 1 not in has]
                    for v in preds.values():
                        v += rest
                for name, pred in preds.items():
                    si, flc = span_identification(gold, pred), span_classification(gold, pred)
                    print(
                        f"stride {stride} bar {bar} thr {thr} {name}: SI {si.value:.3f} "
                        f"FLC {flc.value:.3f}; reads {read / chars:.0%} of the text, "
                        f"{spent / len(articles) * 1000:.0f} ms an article",
                        flush=True,
                    )


if __name__ == "__main__":
    main()
