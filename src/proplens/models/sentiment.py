"""Sentence sentiment for languages without a sentiment lexicon: VADER carried into USE space.

The actor stance reads the sentiment around each mention. English has VADER; Russian (the
other language with actors) has no lexicon that ships offline. So a ridge regression learns
VADER's compound score from the multilingual USE vectors of English training sentences, with
the language one-hot zeroed, and is read zero-shot in any USE language through the shared
space. It costs one dot product per sentence: the sentence vectors are already computed by
the `vectors` analyser. Held-out figures: Pearson r with VADER on English sentences of
held-out article folds, and the share of written Russian (and English) sentences of
`data/sentiment/eval.jsonl` whose sign it gets right.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from proplens.models.base import CONFIG, FloatArray, Inputs, model_class, stamp
from proplens.models.encoders import without_language

ALPHA = 1.0


@model_class("sentiment")
class SentimentHead:
    """Linear map from a language-free USE sentence vector to a sentiment in [-1, 1].

    Its `predict_proba` gives scores, not probabilities: the sentiment of each sentence.
    """

    def __init__(self, *, alpha: float = ALPHA, info: dict[str, Any] | None = None) -> None:
        self.alpha = alpha
        self.info: dict[str, Any] = dict(info or {})
        self.coef_: FloatArray | None = None
        self.intercept_ = 0.0

    def fit(
        self, inputs: Sequence[Inputs], targets: Sequence[Sequence[float | None]]
    ) -> SentimentHead:
        """Ridge regression on every sentence with a target (None: not a training row)."""
        from sklearn.linear_model import Ridge

        rows, y = [], []
        for inp, values in zip(inputs, targets, strict=True):
            vectors = inp.sentences("the sentiment head")
            keep = [i for i, v in enumerate(values) if v is not None and not math.isnan(v)]
            rows.append(vectors[keep])
            y += [float(values[i]) for i in keep]  # type: ignore[arg-type]
        ridge = Ridge(alpha=self.alpha).fit(without_language(np.vstack(rows)), np.array(y))
        self.coef_ = ridge.coef_.astype(np.float32)
        self.intercept_ = float(ridge.intercept_)
        return self

    def scores(self, vectors: FloatArray) -> FloatArray:
        """Sentiment of each `embed` vector (the language one-hot is ignored)."""
        if self.coef_ is None:
            raise ValueError("the sentiment head is not fitted")
        raw = without_language(vectors) @ self.coef_ + self.intercept_
        return np.asarray(np.clip(raw, -1.0, 1.0), dtype=np.float32)

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[FloatArray]:
        """The sentiment of every sentence of each input, in [-1, 1]."""
        return [self.scores(i.sentences("the sentiment head")) for i in inputs]

    def predict(self, inputs: Sequence[Inputs]) -> list[FloatArray]:
        return self.predict_proba(inputs)

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unknown"))

    def save(self, folder: Path) -> None:
        if self.coef_ is None:
            raise ValueError("the sentiment head is not fitted")
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", coef=self.coef_, intercept=self.intercept_)
        (folder / CONFIG).write_text(json.dumps(self.info, indent=1), encoding="utf-8")
        stamp(folder, "sentiment", alpha=self.alpha)

    @classmethod
    def load(cls, folder: Path) -> SentimentHead:
        with np.load(folder / "weights.npz") as w:
            coef, intercept = w["coef"].astype(np.float32), float(w["intercept"])
        config = json.loads((folder / CONFIG).read_text("utf-8"))
        info = {k: v for k, v in config.items() if k not in ("class", "alpha")}
        head = cls(alpha=float(config.get("alpha", ALPHA)), info=info)
        head.coef_, head.intercept_ = coef, intercept
        return head


@cache
def _vader() -> Any:
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def vader_score(text: str) -> float:
    """VADER's compound score of an English text, in [-1, 1]."""
    return float(_vader().polarity_scores(text)["compound"])


def vader(texts: Sequence[str]) -> FloatArray:
    """VADER's compound score of each English text: the teacher."""
    return np.array([vader_score(t) for t in texts], np.float32)
