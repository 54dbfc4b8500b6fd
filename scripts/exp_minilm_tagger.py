"""Experiment: English span identification (SI) by fine-tuning all-MiniLM-L6-v2 as a token tagger.

Trains the tagger of `proplens.models.tagger_training` on two of the 3 article folds (seed
13, the folds of ``proplens train techniques``), keeps the torch model of the fold
(``OUT/model-foldK``), exports it as the int8 ONNX model proplens runs
(``OUT/onnx-foldK``, read by `scripts/exp_tagger_gate.py`) and the held-out piece
probabilities (``OUT/probs-foldK.json``, full reading with overlapping windows), and prints
the tagger's own SI on the held-out fold at a few thresholds. About 20 minutes a fold on
2 cores. Needs the train extra.

Usage: python scripts/exp_minilm_tagger.py FOLD [OUT [EPOCHS [LAYERS]]]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from proplens.eval.metrics import span_identification
from proplens.models.tagger_training import (
    WINDOW,
    base_encoder_path,
    english_folds,
    export_onnx,
    fine_tune,
    held_out_spans,
    predict_probs,
)
from proplens.models.training import load_articles

ROOT = Path("../shared/data/semeval2023")


def main() -> None:
    fold = int(sys.argv[1])
    out = Path(sys.argv[2] if len(sys.argv) > 2 else "build/tok")
    articles = load_articles(ROOT, ["en"])
    fold_of = english_folds(ROOT, len(articles), 3)
    train = [a for a, f in zip(articles, fold_of, strict=True) if f != fold]
    test = [a for a, f in zip(articles, fold_of, strict=True) if f == fold]
    base = base_encoder_path()
    epochs = float(sys.argv[3]) if len(sys.argv) > 3 else 2.0
    layers = int(sys.argv[4]) if len(sys.argv) > 4 else None
    model = fine_tune(train, base, epochs=epochs, layers=layers)
    model.save_pretrained(out / f"model-fold{fold}")
    config = {"langs": ["en"], "window": WINDOW, "stride": WINDOW, "threshold": 0.45}
    export_onnx(model, base, out / f"onnx-fold{fold}", config)
    probs = predict_probs(model, test, base)
    (out / f"probs-fold{fold}.json").write_text(json.dumps(probs))
    gold = [(a.doc.id, t, s, e) for a in test for t, s, e in a.spans]
    for thr in (0.3, 0.4, 0.45, 0.5):
        score = span_identification(gold, held_out_spans(test, probs, thr))
        print(f"fold {fold} thr {thr}: tagger alone SI {score.value:.3f}", flush=True)


if __name__ == "__main__":
    main()
