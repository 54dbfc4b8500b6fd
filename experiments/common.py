"""What every experiment shares: the data path, languages, folds and seed, and the scorer.

Experiments import proplens's public API only (`proplens.training`, `proplens.models`,
`proplens.eval`) and this module; each has a ``main(data, langs, limit)`` that returns its
figures, so `tests/test_experiments.py` runs every one on a tiny synthetic data set.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from proplens.training.folds import SEED

#: The SemEval-2023 training data (``$PROPLENS_DATA`` or the first argument overrides it).
DATA = Path(os.environ.get("PROPLENS_DATA", "../shared/data/semeval2023"))
LANGS: tuple[str, ...] = ("en", "ru", "fr", "de", "it", "pl")
#: Folds of `proplens train techniques` and of `proplens train articles`.
TECHNIQUE_FOLDS = 3
ARTICLE_FOLDS = 5
__all__ = ["ARTICLE_FOLDS", "DATA", "LANGS", "SEED", "TECHNIQUE_FOLDS", "data_from_argv", "show"]


def data_from_argv(argv: Sequence[str] | None = None) -> Path:
    """The data folder: the first command-line argument, else `DATA`."""
    args = list(sys.argv[1:] if argv is None else argv)
    return Path(args[0]) if args else DATA


def show(name: str, figures: Mapping[str, float | int]) -> str:
    """One line of per-language figures, printed and returned."""
    line = f"{name}: " + " ".join(f"{k} {v:.3f}" for k, v in figures.items())
    print(line, flush=True)
    return line
