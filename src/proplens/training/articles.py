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
from proplens.training.rebreak import ARTICLE_BREAKINGS, rebroken
from proplens.training.technique_words import featurise

#: The view the shipped article models read (`proplens.models.articles.VIEWS`).
DEFAULT_VIEW = "sentences"

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


def breaking_inputs(
    docs: Sequence[Document], workers: int = 2, cache: Path | None = None
) -> dict[str, list[Inputs]]:
    """The articles under every breaking of `ARTICLE_BREAKINGS`, each re-segmented and
    embedded from scratch (paragraph and sentence vectors), as a user's text would be."""
    out = {}
    for how in ARTICLE_BREAKINGS:
        copies = list(docs) if how == "paragraphs" else [rebroken(d, how) for d in docs]
        out[how] = featurise(copies, None, workers, cache)
    return out


def train_article_models(
    root: Path,
    langs: Sequence[str],
    out: Path | None = None,
    *,
    folds: int = 5,
    seed: int = SEED,
    limit: int | None = None,
    view: str = DEFAULT_VIEW,
    workers: int = 2,
    cv_dir: Path | None = None,
    cache: Path | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate and fit the genre and frames models into ``out/genre``, ``out/frames``
    (the shipped folders by default).

    Every fold model reads its held-out articles under each breaking of
    `ARTICLE_BREAKINGS` (one sentence a line, paragraphs in pairs, all on one line), so
    the figures say how much the way a text is broken into lines moves the findings.
    """
    t0 = time.time()
    out = out or shipped_path("")
    data = load_labelled(root, langs, limit)
    ids, langs_of, genres, frames = data.ids, data.langs, data.genres, data.frames
    fold_of = assign_folds(len(ids), folds, seed)
    docs = [
        Document.from_text(t, id=i, lang=la)
        for t, i, la in zip(data.texts, ids, langs_of, strict=True)
    ]
    log(f"{len(ids)} articles: vectors under {len(ARTICLE_BREAKINGS)} breakings")
    variants = breaking_inputs(docs, workers, cache)
    log(f"vectors: {time.time() - t0:.0f}s")
    inputs = variants["paragraphs"]
    index = {d.id: k for k, d in enumerate(docs)}

    def every_breaking(model: ArticleModel, held: Sequence[Inputs]) -> list[Any]:
        rows = [index[h.document.id] for h in held]
        probs = {
            how: model.predict_proba([variants[how][r] for r in rows]) for how in ARTICLE_BREAKINGS
        }
        return [{how: probs[how][k] for how in ARTICLE_BREAKINGS} for k in range(len(rows))]

    genre_targets = [{g} for g in genres]
    held_g = out_of_fold(
        lambda: ArticleModel.genre(view=view), inputs, genre_targets, fold_of,
        predict=every_breaking, log=log,
    )  # fmt: skip
    held_f = out_of_fold(
        lambda: ArticleModel.frames(view=view), inputs, frames, fold_of,
        predict=every_breaking, log=log,
    )  # fmt: skip
    oof_f = np.vstack([h["paragraphs"] for h in held_f])
    _, chosen = cross_fitted(oof_f, frames, FRAMES, fold_of, objective="micro")
    figures: dict[str, Any] = {}
    for how in ARTICLE_BREAKINGS:
        pred_genre = {ids[i]: GENRES[int(np.argmax(h[how]))] for i, h in enumerate(held_g)}
        pred_frames = {
            ids[i]: {
                label
                for j, label in enumerate(FRAMES)
                if h[how][j] >= chosen[int(fold_of[i])].get(label, 0.5)
            }
            for i, h in enumerate(held_f)
        }
        folder = (cv_dir / how) if cv_dir and how != "paragraphs" else cv_dir
        scored = _score(
            ids, langs_of, genres, frames, pred_genre, pred_frames, folder, _prefixed(log, how)
        )
        for lang, row in scored.items():
            if how == "paragraphs":
                figures[lang] = {**row, "breakings": {}}
            figures[lang]["breakings"][how] = {k: row[k] for k in ("st1_macro_f1", "st2_micro_f1")}
    log(f"out of fold: {time.time() - t0:.0f}s")
    info = {
        "version": f"{__version__}+linear.{seed}",
        "trained_on": {"data": "SemEval-2023 Task 3 training split", "langs": list(langs)},
        "folds": folds,
        "view": view,
        "cv": figures,
    }
    ArticleModel.genre(info, view).fit(inputs, genre_targets).save(out / "genre")
    frames_model = ArticleModel.frames(info, view).fit(inputs, frames)
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
        "(the mean of its paragraphs or, in the sentences view, of its sentences) and over "
        "language-agnostic style features; no language feature anywhere; the most probable "
        "genre wins.",
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


def _prefixed(log: Log, how: str) -> Log:
    """``log`` with every message prefixed by the breaking it is about."""
    return lambda m: log(f"{how}: {m}")


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
