"""Experiment: language-specific copies of the paragraph USE vector (subtask 3).

"Frustratingly easy" domain adaptation (Daumé III, 2007): the USE head sees the paragraph
vector twice, once shared by all languages and once in a block that is zero except for the
paragraph's own language. The shared weights carry what the six languages agree on; each
language's block learns only where its annotators differ (French flag-waving, say), under
the same L2 penalty, so a small language cannot drift far. At inference the two blocks
collapse into one weight vector per language: no cost.

The head otherwise is the shipped one (vector, language one-hot, the article's mean vector,
three log lengths); put into the shipped mix (TF-IDF + USE + 0.5 x best sentence) / 2.5
with micro-F1 thresholds cross-fitted on the same 3 article folds (seed 13). ``scale``
multiplies the language block: larger means a weaker penalty on language-specific weights.

Usage: python scripts/exp_easyadapt.py [DATA] [SCALE ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, st3
from exp_paragraph_context import article_context, head_oof, length_features
from exp_paragraph_stack import LANGS

from proplens.models.training import _sentence_max_rows


def language_blocks(vec: np.ndarray, onehot: np.ndarray, scale: float) -> np.ndarray:
    """The vector copied into its language's block, zeros in the others."""
    return np.hstack([vec * onehot[:, [j]] * scale for j in range(onehot.shape[1])])


def main() -> None:
    from threadpoolctl import threadpool_limits

    threadpool_limits(2)
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    scales = [float(s) for s in sys.argv[2:]] or [0.5, 1.0]
    e = paragraph_setup(root)
    articles, prows, fold, langs, y = e.articles, e.prows, e.fold, e.langs, e.y
    a, vec = e.a, e.vec
    smax = _sentence_max_rows(articles, prows, e.srows, (e.s + e.s_use) / 2)
    lengths = length_features(prows, articles)
    mean, _ = article_context(vec[:, :512], prows)
    base = np.hstack([vec, mean, lengths])

    def show(name: str, probs: np.ndarray) -> None:
        sc = st3(probs, y, fold, langs)
        avg = np.mean(list(sc.values()))
        print(
            f"{name:24s}",
            " ".join(f"{la} {sc[la]:.3f}" for la in LANGS),
            f"avg {avg:.4f}",
            flush=True,
        )

    b0 = head_oof(base, prows, fold)
    show("USE+len+art alone", b0)
    show("mix, shipped head", (a + b0 + 0.5 * smax) / 2.5)
    for scale in scales:
        x = np.hstack([base, language_blocks(vec[:, :512], vec[:, 512:], scale)])
        b2 = head_oof(x, prows, fold)
        np.save(f"build/exp/use_head_easyadapt_{scale}.npy", b2)
        show(f"easyadapt {scale} alone", b2)
        show(f"mix, easyadapt {scale}", (a + b2 + 0.5 * smax) / 2.5)


if __name__ == "__main__":
    main()
