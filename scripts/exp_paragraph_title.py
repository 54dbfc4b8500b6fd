"""Experiment: does the paragraph USE head gain from knowing the title line and position?

Titles carry other techniques than body paragraphs (more loaded language and name calling,
little doubt). Beside the shipped head's inputs (paragraph vector, log lengths, article mean
vector) the head gets a title flag (first line of the article), and optionally the relative
position of the line in its article; put into the shipped mix (TF-IDF + USE + 0.5 x best
sentence) / 2.5 with micro-F1 thresholds cross-fitted. Same 3 article folds (seed 13); reads
the caches of `scripts/exp_paragraph_stack.py`, `scripts/exp_dense_mlp.py` and
`scripts/exp_paragraph_context.py`.

Usage: python scripts/exp_paragraph_title.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, report, shipped_evidence
from exp_paragraph_context import article_context, head_oof, length_features

from proplens.models.training import _rows_by_article


def title_and_position(prows, n: int) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Per row: 1 for an article's first line; the line's relative position (0 to 1)."""
    out = np.zeros((n, 2), np.float32)
    for idx in _rows_by_article(prows).values():
        out[idx[0], 0] = 1
        if len(idx) > 1:
            out[idx, 1] = np.linspace(0, 1, len(idx))
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    b, smax = shipped_evidence(e)
    mean, _ = article_context(e.vec[:, :512], e.prows)
    base = np.hstack([e.vec, length_features(e.prows, e.articles), mean])
    extra = title_and_position(e.prows, len(e.vec))

    report("shipped", (e.a + b + 0.5 * smax) / 2.5, e, 22)
    for name, cols in (("head +title+position", extra), ("head +title", extra[:, :1])):
        b2 = head_oof(np.hstack([base, cols]), e.prows, e.fold)
        report(name, (e.a + b2 + 0.5 * smax) / 2.5, e, 22)


if __name__ == "__main__":
    main()
