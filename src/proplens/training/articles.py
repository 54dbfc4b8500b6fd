"""Training the genre and frames models (SemEval-2023 subtasks 1 and 2) on article folds.

Both are `ArticleModel`s fitted through the model contract on the harness's folds; genre
predicts the most probable label, frames keep per-label thresholds tuned for micro-F1 on
the out-of-fold probabilities (cross-fitted for the figures, on all folds for the shipped
model). Held-out predictions are written in the official formats and scored by
`proplens.eval.evaluate`.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.document import Document
from proplens.eval import score_files
from proplens.models.articles import FRAMES, GENRES, ArticleModel
from proplens.models.base import Inputs, shipped_path
from proplens.models.card import write_card
from proplens.models.encoders import document_vectors
from proplens.training.folds import SEED, assign_folds, cross_fitted, out_of_fold, tune_thresholds

Log = Callable[[str], None]


@dataclass
class LabelledArticles:
    """Articles with both a genre and frames, in corpus order, language by language."""

    ids: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    langs: list[str] = field(default_factory=list)
    genres: list[str] = field(default_factory=list)
    frames: list[set[str]] = field(default_factory=list)


def load_labelled(root: Path, langs: Sequence[str], limit: int | None = None) -> LabelledArticles:
    """The training articles of ``langs`` with their subtask 1 and 2 labels (``limit``: the
    first N per language)."""
    out = LabelledArticles()
    for lang in langs:
        corpus = semeval.load_corpus(root, lang)
        for aid in list(corpus.articles)[:limit] if limit else list(corpus.articles):
            if aid in corpus.genres and aid in corpus.frames:
                out.ids.append(aid)
                out.texts.append(corpus.articles[aid])
                out.langs.append(corpus.lang)
                out.genres.append(corpus.genres[aid])
                out.frames.append(corpus.frames[aid])
    return out


def article_inputs(texts: Sequence[str], langs: Sequence[str], ids: Sequence[str]) -> list[Inputs]:
    """Each article as the pipeline gives it to the models: the document and its paragraph
    vectors."""
    out = []
    for text, lang, aid in zip(texts, langs, ids, strict=True):
        doc = Document.from_text(text, id=aid, lang=lang)
        out.append(Inputs(doc, paragraph_vectors=document_vectors(doc)))
    return out


def train_article_models(
    root: Path,
    langs: Sequence[str],
    out: Path | None = None,
    *,
    folds: int = 5,
    seed: int = SEED,
    limit: int | None = None,
    cv_dir: Path | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate and fit the genre and frames models into ``out/genre``, ``out/frames``
    (the shipped folders by default)."""
    t0 = time.time()
    out = out or shipped_path("")
    data = load_labelled(root, langs, limit)
    ids, texts, langs_of, genres, frames = (
        data.ids,
        data.texts,
        data.langs,
        data.genres,
        data.frames,
    )
    fold_of = assign_folds(len(ids), folds, seed)
    log(f"{len(ids)} articles: paragraph vectors")
    inputs = article_inputs(texts, langs_of, ids)
    genre_targets = [{g} for g in genres]
    oof_g = np.vstack(out_of_fold(ArticleModel.genre, inputs, genre_targets, fold_of, log=log))
    oof_f = np.vstack(out_of_fold(ArticleModel.frames, inputs, frames, fold_of, log=log))
    held_frames, _ = cross_fitted(oof_f, frames, FRAMES, fold_of, objective="micro")
    pred_frames = dict(zip(ids, held_frames, strict=True))
    pred_genre = {ids[i]: GENRES[int(np.argmax(oof_g[i]))] for i in range(len(ids))}
    figures = _score(ids, langs_of, genres, frames, pred_genre, pred_frames, cv_dir, log)
    info = {
        "version": f"{__version__}+linear.{seed}",
        "trained_on": {"data": "SemEval-2023 Task 3 training split", "langs": list(langs)},
        "folds": folds,
        "cv": figures,
    }
    ArticleModel.genre(info).fit(inputs, genre_targets).save(out / "genre")
    frames_model = ArticleModel.frames(info).fit(inputs, frames)
    frames_model.thresholds_ = tune_thresholds(oof_f, frames, FRAMES, objective="micro")
    frames_model.save(out / "frames")
    _cards(out, figures)
    log(f"saved {out / 'genre'} and {out / 'frames'} in {time.time() - t0:.0f}s")
    return figures


#: Each article model's card: its summary and the figure it shows.
CARDS = {
    "genre": (
        "Article genre (opinion / reporting / satire): the mean of three logistic models, over "
        "TF-IDF word and char n-grams of the whole article, over its multilingual USE vector "
        "(mean of paragraphs) and over language-agnostic style features; no language feature "
        "anywhere; the most probable genre wins.",
        "st1_macro_f1",
    ),
    "frames": (
        "Article framing (14 SemEval-2023 frames, multi-label): the mean of one logistic "
        "regression per frame over TF-IDF word and char n-grams, one over the article's "
        "multilingual USE vector, and a one-hidden-layer network (256 units, 3 seeds) over "
        "that vector; per-frame thresholds tuned for micro-F1.",
        "st2_micro_f1",
    ),
}


def _cards(out: Path, figures: dict[str, Any]) -> None:
    command = "proplens train articles --data ../shared/data/semeval2023"
    for name, (summary, measure) in CARDS.items():
        shown = {k: {"articles": v["articles"], measure: v[measure]} for k, v in figures.items()}
        write_card(out / name, name, summary, command, shown)


def _score(
    ids: list[str],
    langs_of: list[str],
    genres: list[str],
    frames: list[set[str]],
    pred_genre: dict[str, str],
    pred_frames: dict[str, set[str]],
    cv_dir: Path | None,
    log: Log,
) -> dict[str, Any]:
    base = cv_dir or Path(tempfile.mkdtemp(prefix="proplens-cv-"))
    figures: dict[str, Any] = {}
    for lang in sorted(set(langs_of)):
        idx = [i for i, la in enumerate(langs_of) if la == lang]
        folder = base / lang
        folder.mkdir(parents=True, exist_ok=True)
        files_ = {
            "gold-st1.txt": [f"{ids[i]}\t{genres[i]}" for i in idx],
            "pred-st1.txt": [f"{ids[i]}\t{pred_genre[ids[i]]}" for i in idx],
            "gold-st2.txt": [f"{ids[i]}\t{semeval.format_labels(frames[i])}" for i in idx],
            "pred-st2.txt": [
                f"{ids[i]}\t{semeval.format_labels(pred_frames[ids[i]])}" for i in idx
            ],
        }
        scores = score_files(
            folder, files_, {"st1": ("st1", "gold-st1.txt", "pred-st1.txt"),
                             "st2": ("st2", "gold-st2.txt", "pred-st2.txt")}
        )  # fmt: skip
        st1, st2 = scores["st1"], scores["st2"]
        figures[lang] = {
            "articles": len(idx),
            "st1_macro_f1": round(st1.value, 4),
            "st2_micro_f1": round(st2.value, 4),
        }
        log(
            f"{lang}: genre macro-F1 {st1.value:.4f}  frames micro-F1 {st2.value:.4f}"
            f"  ({len(idx)} articles, held-out folds)"
        )
    (base / "figures.json").write_text(json.dumps(figures, indent=1))
    return figures
