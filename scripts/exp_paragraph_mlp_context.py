"""Experiment: the paragraph network of `scripts/exp_dense_mlp.py` again, now that the USE
head reads its context (length and the article's mean vector, adopted since).

A multi-label network (one hidden layer, 3 seeds averaged) over the paragraph vector, its
standardised log lengths and the article's mean vector, in the shipped mix beside or
instead of the logistic USE head; micro-F1 thresholds cross-fitted. Same 3 article folds
(seed 13); reads the caches of `scripts/exp_paragraph_stack.py`, `scripts/exp_dense_mlp.py`
and `scripts/exp_paragraph_context.py`.

Usage: python scripts/exp_paragraph_mlp_context.py [DATA]
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from exp_dense_mlp import mlp_oof, paragraph_setup, report, shipped_evidence
from exp_paragraph_context import article_context, length_features


def main() -> None:
    from threadpoolctl import threadpool_limits

    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)

    b, smax = shipped_evidence(e)
    mean, _ = article_context(e.vec[:, :512], e.prows)
    x = np.hstack([e.vec, length_features(e.prows, e.articles), mean])

    report("shipped (A+B+0.5S)/2.5", (e.a + b + 0.5 * smax) / 2.5, e, 28)
    with threadpool_limits(1):
        t0 = time.time()
        m = sum(mlp_oof(x, e.y.astype(np.int8), e.fold, 256, seed) for seed in range(3)) / 3
        print(f"network: {time.time() - t0:.0f}s", flush=True)
    report("network alone", m, e, 28)
    report("(A+M+0.5S)/2.5", (e.a + m + 0.5 * smax) / 2.5, e, 28)
    report("(A+B+M+0.5S)/3.5", (e.a + b + m + 0.5 * smax) / 3.5, e, 28)
    report("(A+(B+M)/2+0.5S)/2.5", (e.a + (b + m) / 2 + 0.5 * smax) / 2.5, e, 28)


if __name__ == "__main__":
    main()
