"""Training the sentence sentiment head: VADER's English scores carried into USE space.

A ridge regression learns VADER's compound score from the language-free multilingual USE
vectors of English training sentences (3 words or more), cross-validated by article
folds; figures: Pearson r with VADER on held-out articles, and the share of written
polar sentences (`data/sentiment/eval.jsonl`) whose sign it gets right.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.document import Document
from proplens.models.base import Inputs, shipped_path
from proplens.models.card import write_card
from proplens.models.encoders import embed, sentence_vectors
from proplens.models.sentiment import SentimentHead, vader_score
from proplens.training.folds import SEED, assign_folds, out_of_fold

Log = Callable[[str], None]
MIN_WORDS = 3


def english_articles(
    root: Path, limit: int | None = None
) -> tuple[list[Inputs], list[list[float | None]]]:
    """The English training articles with their sentence vectors, and VADER's score of each
    sentence of 3 words or more (None for the shorter ones, which teach nothing)."""
    corpus = semeval.load_corpus(root, "en")
    inputs, targets = [], []
    for aid, text in list(corpus.articles.items())[:limit]:
        doc = Document.from_text(text, id=aid, lang="en")
        texts = [doc.span_text(s) for s in doc.sentences]
        if not any(len(t.split()) >= MIN_WORDS for t in texts):
            continue
        inputs.append(Inputs(doc, sentence_vectors=sentence_vectors(doc)))
        targets.append([vader_score(t) if len(t.split()) >= MIN_WORDS else None for t in texts])
    return inputs, targets


def sign_accuracy(head: SentimentHead, path: Path) -> dict[str, float]:
    """Per language, the share of written polar sentences whose sign the head gets right."""
    if not path.exists():
        return {}
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    out: dict[str, float] = {}
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        vectors = embed([r["text"] for r in mine], [lang] * len(mine))
        inputs = [
            Inputs(Document.sentence(r["text"], lang=lang), None, vectors[i : i + 1])
            for i, r in enumerate(mine)
        ]
        scores = [float(s[0]) for s in head.predict_proba(inputs)]
        right = [
            (s > 0) == (r["polarity"] == "positive") for s, r in zip(scores, mine, strict=True)
        ]
        out[lang] = round(float(np.mean(right)), 4)
    return out


def train_sentiment(
    root: Path,
    out: Path | None = None,
    *,
    eval_path: Path = Path("data/sentiment/eval.jsonl"),
    folds: int = 5,
    seed: int = SEED,
    limit: int | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate by article, then fit on every English sentence and save to ``out``
    (the shipped folder by default)."""
    out = out or shipped_path("sentiment")
    inputs, targets = english_articles(root, limit)
    fold_of = assign_folds(len(inputs), folds, seed)
    held = out_of_fold(SentimentHead, inputs, targets, fold_of)
    kept = [
        (p, t)
        for ps, ts in zip(held, targets, strict=True)
        for p, t in zip(ps, ts, strict=True)
        if t is not None
    ]
    oof = np.array([p for p, _ in kept], np.float32)
    y = np.array([t for _, t in kept], np.float32)
    strong = np.abs(y) >= 0.5
    figures: dict[str, Any] = {
        "sentences": len(y),
        "articles": len(inputs),
        "folds": folds,
        "pearson_r_with_vader": round(float(np.corrcoef(oof, y)[0, 1]), 4),
        "sign_agreement_where_vader_strong": round(
            float((np.sign(oof[strong]) == np.sign(y[strong])).mean()), 4
        ),
    }
    final = SentimentHead(info={"version": f"{__version__}+sentiment.{seed}", "cv": figures})
    final.fit(inputs, targets)
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
        {"en": figures},  # the card leaves out the nested figures
        data="the English articles of the SemEval-2023 Task 3 training split, labelled by "
        "VADER; `data/sentiment/eval.jsonl` (written for proplens) for the sign check.",
    )
    return figures
