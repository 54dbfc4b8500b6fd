"""Experiment: the span tagger as evidence for English paragraph techniques (subtask 3).

The tagger says where persuasion is, not which technique. A paragraph holding pieces the
tagger finds inside a span is likelier to carry techniques at all. Its best piece
probability T (0 where the tagger does not read: it reads the sentences whose best
technique probability reaches the shipped gate, 0.6) is added to the cached shipped mix
(TF-IDF + USE head with context + 0.5 x best sentence) / 2.5, as ``+ g T`` on every
technique, or as a factor ``1 + g (T - 0.5)``. English rows only, with English micro-F1
thresholds cross-fitted on the other folds (the baseline is scored the same way). Each
fold is read by the ONNX tagger trained on the other two (``build/tok/onnx-fold{k}``).

Usage: python scripts/exp_paragraph_tagger.py
"""

from __future__ import annotations

import numpy as np
from exp_dense_mlp import crossfit, paragraph_setup, shipped_evidence
from exp_tagger_gate import ROOT, fold_taggers

from proplens.models.techniques import tagger_ranges

GATE = 0.6


def english_f1(probs: np.ndarray, y: np.ndarray, fold: np.ndarray) -> tuple[float, list[float]]:
    """Pooled micro-F1 and per-fold F1, thresholds cross-fitted."""
    pred = crossfit(probs, y, fold)

    def f1(m: np.ndarray) -> float:
        tp = np.sum(pred[m] & y[m])
        return 2 * tp / max(np.sum(pred[m]) + np.sum(y[m]), 1)

    return f1(np.ones(len(y), bool)), [f1(fold == k) for k in range(3)]


def main() -> None:
    e = paragraph_setup(ROOT)
    b, smax = shipped_evidence(e)
    mix = (e.a + b + 0.5 * smax) / 2.5
    data, taggers, tfold = fold_taggers([0, 1, 2])
    read = {}
    for a in data.articles:
        keep = tagger_ranges(a.doc, data.oof[data.row_of[a.doc.id]], GATE)
        read[a.doc.id] = taggers[tfold[a.doc.id]].inside_probs(a.doc.text, keep)
    rows = np.flatnonzero(e.langs == "en")
    t = np.zeros(len(rows), np.float32)
    for n, r in enumerate(rows):
        aid, span = e.articles[e.prows.article[r]].doc.id, e.prows.spans[r]
        offsets, probs = read[aid]
        inside = [p for (s, _), p in zip(offsets, probs, strict=True) if span.start <= s < span.end]
        t[n] = max(inside, default=0.0)
    y, fold, base = e.y[rows].astype(bool), e.fold[rows], mix[rows]
    assert all(tfold[e.articles[e.prows.article[r]].doc.id] == e.fold[r] for r in rows)
    f, per = english_f1(base, y, fold)
    print(f"shipped mix          en {f:.3f} folds {' '.join(f'{x:.3f}' for x in per)}")
    for g in (0.1, 0.2, 0.4):
        f, per = english_f1(base + g * t[:, None], y, fold)
        print(f"+ {g} T               en {f:.3f} folds {' '.join(f'{x:.3f}' for x in per)}")
        f, per = english_f1(base * (1 + g * (t[:, None] - 0.5)), y, fold)
        print(f"x (1 + {g} (T - 0.5))  en {f:.3f} folds {' '.join(f'{x:.3f}' for x in per)}")


if __name__ == "__main__":
    main()
