"""Experiment: paragraph vectors as the mean of their sentences' vectors (subtask 3).

The pipeline runs multilingual USE twice: over each paragraph (about 75 ms a 1,000-word
English article) and over each sentence (for the sentence head and the threat detector).
If a paragraph's vector could be the normalised mean of its sentence vectors, the first
pass goes, and the time saved would let the 3-layer span tagger read every sentence.
Here the paragraph USE head (with its context: log lengths, article mean) is refitted on
such vectors and put into the cached shipped mix, micro-F1 thresholds cross-fitted. Same 3
article folds (seed 13); reads the caches of `scripts/exp_paragraph_stack.py`,
`scripts/exp_dense_mlp.py` (sentence vectors, build/exp/sent_use.npy: 512 USE dimensions,
then the language one-hot) and `scripts/exp_paragraph_context.py`.

Usage: python scripts/exp_paragraph_from_sentences.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
from exp_dense_mlp import paragraph_setup, report, shipped_evidence
from exp_paragraph_context import article_context, head_oof, length_features

from proplens.models.training import _rows_by_article


def paragraph_means(e, sent_vec: np.ndarray) -> np.ndarray:  # type: ignore[no-untyped-def]
    """Each paragraph row's unit-length mean of the USE vectors of the sentences that start
    inside it (its own vector where none does); language one-hot kept."""
    out = e.vec.copy()
    by_article = _rows_by_article(e.srows)
    for i, prow in _rows_by_article(e.prows).items():
        srows = by_article.get(i, [])
        starts = np.array([e.srows.spans[r].start for r in srows])
        for r in prow:
            span = e.prows.spans[r]
            hit = (starts >= span.start) & (starts < span.end)
            inside = [srows[k] for k in np.flatnonzero(hit)]
            if inside:
                m = sent_vec[inside, :512].mean(axis=0)
                out[r, :512] = m / (np.linalg.norm(m) + 1e-9)
    return out


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    e = paragraph_setup(root)
    b, smax = shipped_evidence(e)
    lengths = length_features(e.prows, e.articles)
    vec = paragraph_means(e, np.load("build/exp/sent_use.npy"))
    cos = np.sum(vec[:, :512] * e.vec[:, :512], axis=1) / (
        np.linalg.norm(e.vec[:, :512], axis=1) + 1e-9
    )
    print(f"cosine of the two paragraph vectors: median {np.median(cos):.3f}")

    report("shipped (own vectors)", (e.a + b + 0.5 * smax) / 2.5, e, 26)
    mean, _ = article_context(vec[:, :512], e.prows)
    b2 = head_oof(np.hstack([vec, lengths, mean]), e.prows, e.fold)
    report("USE head, sentence means", (e.a + b2 + 0.5 * smax) / 2.5, e, 26)


if __name__ == "__main__":
    main()
