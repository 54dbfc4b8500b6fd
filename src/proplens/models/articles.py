"""Article-level models: genre (SemEval subtask 1) and framing (subtask 2).

Each is an `ArticleModel`: a TF-IDF `LinearTextModel` over the whole article averaged with
a logistic head over the article's multilingual USE vector (mean of its paragraph vectors)
and, for genre, a head over language-agnostic style features (`proplens.models.style`);
for frames, a small network over the USE vector as well (`MlpHead`). The genre model sees
no language feature, so it cannot learn "English means opinion" from the skewed English
data; it predicts the most probable genre. Frames use per-label thresholds tuned on
out-of-fold predictions (`proplens.training.articles`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from proplens.document import Document
from proplens.models.base import CONFIG, FloatArray, Inputs, model_class, stamp
from proplens.models.encoders import DenseHead, MlpHead, article_vector, without_language
from proplens.models.linear import FeatureConfig, LinearTextModel
from proplens.models.style import style_features

GENRES = ("opinion", "reporting", "satire")
FRAMES = (
    "Capacity_and_resources", "Crime_and_punishment", "Cultural_identity", "Economic",
    "External_regulation_and_reputation", "Fairness_and_equality", "Health_and_safety",
    "Legality_Constitutionality_and_jurisprudence", "Morality",
    "Policy_prescription_and_evaluation", "Political", "Public_opinion", "Quality_of_life",
    "Security_and_defense",
)  # fmt: skip
FEATURES = FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5), max_features=150_000, min_df=2)
#: How an article model reads an article: ``paragraphs`` (its lines as given: the article
#: vector is the mean of its paragraph vectors) or ``sentences`` (as if one sentence a
#: line, whatever its lines: the mean of its sentence vectors, and style features counted
#: per sentence), which is the same however the text is broken into lines.
VIEWS = ("paragraphs", "sentences")


@model_class("article")
class ArticleModel:
    """TF-IDF model averaged with a USE-vector head and the optional style and network heads.

    Parameters: ``labels``; ``single_label`` (genre: the most probable label wins, and no
    head sees the language); ``style`` (a head over style features); ``network`` (a
    one-hidden-layer network over the article vector); ``C`` of the TF-IDF model; ``view``
    (one of `VIEWS`).
    """

    def __init__(
        self,
        labels: Sequence[str] = FRAMES,
        *,
        single_label: bool = False,
        style: bool = False,
        network: bool = False,
        C: float = 4.0,
        view: str = "paragraphs",
        info: dict[str, Any] | None = None,
    ) -> None:
        if view not in VIEWS:
            raise ValueError(f"unknown view {view!r} (known: {', '.join(VIEWS)})")
        self.labels = tuple(labels)
        self.view = view
        self.single_label, self.style, self.network, self.C = single_label, style, network, C
        self.info: dict[str, Any] = dict(info or {})
        self.tfidf_: LinearTextModel | None = None
        self.dense_: DenseHead | None = None
        self.style_: DenseHead | None = None
        self.mlp_: MlpHead | None = None

    @classmethod
    def genre(cls, info: dict[str, Any] | None = None, view: str = "paragraphs") -> ArticleModel:
        return cls(GENRES, single_label=True, style=True, view=view, info=info)

    @classmethod
    def frames(cls, info: dict[str, Any] | None = None, view: str = "paragraphs") -> ArticleModel:
        return cls(FRAMES, network=True, view=view, info=info)

    @property
    def thresholds_(self) -> dict[str, float]:
        return self._tfidf.thresholds_

    @thresholds_.setter
    def thresholds_(self, value: dict[str, float]) -> None:
        self._tfidf.thresholds_ = dict(value)

    @property
    def version(self) -> str:
        return str(self._tfidf.info.get("version", "unknown"))

    @property
    def _tfidf(self) -> LinearTextModel:
        if self.tfidf_ is None:
            raise ValueError("the article model is not fitted")
        return self.tfidf_

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[set[str]]) -> ArticleModel:
        """All heads on the articles ``inputs`` (with their paragraph vectors)."""
        texts, langs, vectors = self._views(inputs)
        features = replace(FEATURES, lang_feature=False) if self.single_label else FEATURES
        self.tfidf_ = LinearTextModel(self.labels, features, C=self.C, info=self.info).fit(
            texts, langs, targets
        )
        x = without_language(vectors) if self.single_label else vectors
        self.dense_ = DenseHead(self.labels).fit(x, targets)
        self.style_ = (
            DenseHead(self.labels, standardise=True).fit(_styles(texts, langs), targets)
            if self.style
            else None
        )
        self.mlp_ = MlpHead(self.labels).fit(vectors, targets) if self.network else None
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[FloatArray]:
        """One vector of label probabilities per article (the mean of the heads)."""
        texts, langs, vectors = self._views(inputs)
        parts = [self._tfidf.predict_proba(texts, langs)]
        x = without_language(vectors) if self.single_label else vectors
        for head in (self.dense_, self.mlp_):
            if head is not None:
                parts.append(head.predict_proba(x))
        if self.style_ is not None:
            parts.append(self.style_.predict_proba(_styles(texts, langs)))
        probs = np.asarray(np.mean(parts, axis=0), dtype=np.float32)
        return list(probs)

    def predict(self, inputs: Sequence[Inputs]) -> list[tuple[str, ...]]:
        """The genre of each article, or its frames above their thresholds, most probable first."""
        out: list[tuple[str, ...]] = []
        for probs in self.predict_proba(inputs):
            order = [int(j) for j in np.argsort(-probs, kind="stable")]
            if self.single_label:
                out.append((self.labels[order[0]],))
            else:
                thresholds = self.thresholds_
                out.append(
                    tuple(
                        self.labels[j]
                        for j in order
                        if probs[j] >= thresholds.get(self.labels[j], 0.5)
                    )
                )
        return out

    def _views(self, inputs: Sequence[Inputs]) -> tuple[list[str], list[str | None], FloatArray]:
        langs = [i.document.lang for i in inputs]
        if self.view == "sentences":
            texts = [sentence_lines(i.document) for i in inputs]
            rows = [i.sentences("the article model") for i in inputs]
        else:
            texts = [i.document.text for i in inputs]
            rows = [i.paragraphs("the article model") for i in inputs]
        width = max((r.shape[1] for r in rows), default=0)
        vectors = np.vstack([article_vector(r) if len(r) else np.zeros(width) for r in rows])
        return texts, langs, vectors.astype(np.float32)

    def save(self, folder: Path) -> None:
        self._tfidf.save(folder)
        if self.dense_ is not None:
            self.dense_.save(folder, "vector_head")
        if self.style_ is not None:
            self.style_.save(folder, "style_head")
        if self.mlp_ is not None:
            self.mlp_.save(folder, "mlp_head")
        stamp(
            folder,
            "article",
            single_label=self.single_label,
            style=self.style,
            network=self.network,
            view=self.view,
        )

    @classmethod
    def load(cls, folder: Path) -> ArticleModel:
        import json

        config = json.loads((folder / CONFIG).read_text("utf-8"))
        tfidf = LinearTextModel.load(folder)
        model = cls(
            tfidf.labels,
            single_label=bool(config.get("single_label", not tfidf.features.lang_feature)),
            style=bool(config.get("style", False)),
            network=bool(config.get("network", False)),
            C=tfidf.C,
            view=str(config.get("view", "paragraphs")),
            info=tfidf.info,
        )
        model.tfidf_ = tfidf
        model.dense_ = DenseHead.load(folder, "vector_head")
        model.style_ = DenseHead.load(folder, "style_head")
        model.mlp_ = MlpHead.load(folder, "mlp_head")
        return model


def sentence_lines(doc: Document) -> str:
    """``doc``'s sentences one a line: the text as the ``sentences`` view reads it."""
    return "\n".join(" ".join(doc.span_text(s).split()) for s in doc.sentences) or doc.text


def _styles(texts: Sequence[str], langs: Sequence[str | None]) -> FloatArray:
    return np.vstack([style_features(t, la) for t, la in zip(texts, langs, strict=True)])
