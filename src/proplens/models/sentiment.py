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
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.models.card import write_card
from proplens.models.encoders import FloatArray, embed, without_language
from proplens.models.linear import assign_folds

Log = Callable[[str], None]
ALPHA = 1.0


@dataclass(frozen=True)
class SentimentHead:
    """Linear map from a language-free USE vector to a sentiment in [-1, 1]."""

    coef: FloatArray
    intercept: float
    info: dict[str, Any]

    @classmethod
    def fit(cls, x: FloatArray, y: FloatArray, info: dict[str, Any] | None = None) -> SentimentHead:
        from sklearn.linear_model import Ridge

        ridge = Ridge(alpha=ALPHA).fit(without_language(x), y)
        return cls(ridge.coef_.astype(np.float32), float(ridge.intercept_), info or {})

    def predict(self, vectors: FloatArray) -> FloatArray:
        """Sentiment of each `embed` vector (the language one-hot is ignored)."""
        raw = without_language(vectors) @ self.coef + self.intercept
        return np.asarray(np.clip(raw, -1.0, 1.0), dtype=np.float32)

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unknown"))

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(folder / "weights.npz", coef=self.coef, intercept=self.intercept)
        (folder / "config.json").write_text(json.dumps(self.info, indent=1), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path) -> SentimentHead:
        with np.load(folder / "weights.npz") as w:
            coef, intercept = w["coef"].astype(np.float32), float(w["intercept"])
        info = json.loads((folder / "config.json").read_text("utf-8"))
        return cls(coef, intercept, info)


def sentiment_model_path() -> Path:
    return Path(str(files("proplens").joinpath("data/models/sentiment")))


@cache
def load_sentiment_head() -> SentimentHead | None:
    """The shipped head, or None when it was never built (stance then reads no sentiment)."""
    path = sentiment_model_path()
    return SentimentHead.load(path) if (path / "weights.npz").exists() else None


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


def english_sentences(root: Path, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(sentence, article id) for the English training articles, 3 words or more."""
    from proplens.document import Document

    corpus = semeval.load_corpus(root, "en")
    out: list[str] = []
    ids: list[str] = []
    for aid, text in list(corpus.articles.items())[:limit]:
        doc = Document.from_text(text, lang="en")
        for s in doc.sentences:
            sentence = doc.span_text(s)
            if len(sentence.split()) >= 3:
                out.append(sentence)
                ids.append(aid)
    return out, ids


def sign_accuracy(head: SentimentHead, path: Path) -> dict[str, float]:
    """Per language, the share of written polar sentences whose sign the head gets right."""
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    out: dict[str, float] = {}
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        scores = head.predict(embed([r["text"] for r in mine], [lang] * len(mine)))
        right = [
            (s > 0) == (r["polarity"] == "positive") for s, r in zip(scores, mine, strict=True)
        ]
        out[lang] = round(float(np.mean(right)), 4)
    return out


def train_sentiment(
    root: Path,
    out: Path,
    *,
    eval_path: Path = Path("data/sentiment/eval.jsonl"),
    folds: int = 5,
    seed: int = 13,
    limit: int | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate by article, then fit on every English sentence and save to ``out``."""
    sentences, ids = english_sentences(root, limit)
    x = embed(sentences, ["en"] * len(sentences))
    y = vader(sentences)
    articles = sorted(set(ids))
    fold_of_article = dict(zip(articles, assign_folds(len(articles), folds, seed), strict=True))
    fold = np.array([fold_of_article[a] for a in ids])
    oof = np.zeros_like(y)
    for k in range(folds):
        head = SentimentHead.fit(x[fold != k], y[fold != k])
        oof[fold == k] = head.predict(x[fold == k])
    strong = np.abs(y) >= 0.5
    figures: dict[str, Any] = {
        "sentences": len(sentences),
        "articles": len(articles),
        "folds": folds,
        "pearson_r_with_vader": round(float(np.corrcoef(oof, y)[0, 1]), 4),
        "sign_agreement_where_vader_strong": round(
            float((np.sign(oof[strong]) == np.sign(y[strong])).mean()), 4
        ),
    }
    final = SentimentHead.fit(x, y, {"version": f"{__version__}+sentiment.{seed}", "cv": figures})
    figures["sign_accuracy_written"] = sign_accuracy(final, eval_path)
    final.info["cv"] = figures
    final.save(out)
    log(f"sentiment: {figures}")
    write_card(
        out,
        "sentiment",
        "Sentence sentiment in [-1, 1] for the actor stance outside English: a ridge regression "
        "from language-free multilingual USE vectors to VADER's compound score, learned on "
        "English sentences and read zero-shot in the other USE languages.",
        "proplens train sentiment",
        {"en": {k: v for k, v in figures.items() if not isinstance(v, dict)}},
        data="the English articles of the SemEval-2023 Task 3 training split, labelled by "
        "VADER; `data/sentiment/eval.jsonl` (written for proplens) for the sign check.",
    )
    return figures
