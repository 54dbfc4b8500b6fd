"""Experiment: the article's technique profile as a view for frames (subtask 2).

An article framed as a matter of security, crime or morality may persuade differently from
one framed as economics: fear appeals, flag waving, name calling. The profile is the mean and
the maximum over the article's paragraphs of the out-of-fold technique probabilities (46
numbers, see `scripts/exp_genre_techniques.py`); a standardised logistic head per frame over
it is averaged into the shipped frame mix (TF-IDF + USE head + network) / 3, micro-F1
thresholds cross-fitted. Same 5 article folds as `proplens train articles` (seed 13).

Reads the caches of `scripts/exp_articles_stack.py` (articles_cache.npz) and
`scripts/exp_articles_mlp.py` (frames_mlp_oof.npy: the network's out-of-fold probabilities).

Usage: python scripts/exp_frames_techniques.py [DATA]
"""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import numpy as np
from exp_articles_mlp import frames_f1, frames_use_head
from exp_articles_stack import CACHE, load
from exp_genre_techniques import profile_head_oof, technique_profiles

from proplens.models.articles import FRAMES
from proplens.models.linear import assign_folds

warnings.filterwarnings("ignore")


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    ids, _texts, langs, _genres, frames = load(root)
    fold_of = assign_folds(len(ids), 5, 13)
    cache = np.load(CACHE)
    x, tf = cache["x"], cache["tf"]
    mlp = np.load("build/exp/frames_mlp_oof.npy")
    profiles = technique_profiles(root)
    width = len(next(iter(profiles.values())))
    prof = np.vstack([profiles.get(a, np.zeros(width)) for a in ids]).astype(np.float32)
    pt = profile_head_oof(prof, frames, FRAMES, fold_of)
    pf = frames_use_head(x, frames, fold_of)
    shipped = (tf + pf + mlp) / 3
    frames_f1("shipped (TF-IDF+LR+MLP)/3", shipped, frames, langs, fold_of)
    frames_f1("techniques alone", pt, frames, langs, fold_of)
    for w in (0.5, 1.0):
        frames_f1(
            f"shipped + {w} x techniques", (3 * shipped + w * pt) / (3 + w), frames, langs, fold_of
        )


if __name__ == "__main__":
    main()
