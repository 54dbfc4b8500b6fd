"""Article-level models: genre (SemEval subtask 1) and framing (subtask 2).

Both are `LinearTextModel`s over the whole article. The genre model sees no language
feature, so it cannot learn "English means opinion" from the skewed English data;
it predicts the most probable genre. Frames use per-label thresholds tuned on
out-of-fold predictions; figures are measured on held-out folds with cross-fitted
thresholds and scored by `proplens.eval.evaluate`.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.eval import evaluate
from proplens.models.card import write_card
from proplens.models.linear import (
    FeatureConfig,
    LinearTextModel,
    assign_folds,
    tune_thresholds,
)

GENRES = ("opinion", "reporting", "satire")
FRAMES = (
    "Capacity_and_resources", "Crime_and_punishment", "Cultural_identity", "Economic",
    "External_regulation_and_reputation", "Fairness_and_equality", "Health_and_safety",
    "Legality_Constitutionality_and_jurisprudence", "Morality",
    "Policy_prescription_and_evaluation", "Political", "Public_opinion", "Quality_of_life",
    "Security_and_defense",
)  # fmt: skip
FEATURES = FeatureConfig(word_ngrams=(1, 2), char_ngrams=(3, 5), max_features=150_000, min_df=2)
Log = Callable[[str], None]


def article_model_path(name: str) -> Path:
    return Path(str(files("proplens").joinpath(f"data/models/{name}")))


@cache
def load_article_model(name: str) -> LinearTextModel:
    """The packaged ``genre`` or ``frames`` model, loaded once per process."""
    path = article_model_path(name)
    if not (path / "config.json").exists():
        raise FileNotFoundError(f"{path}: no {name} model there; rebuild it with `make models`")
    return LinearTextModel.load(path)


def predict_genre(model: LinearTextModel, text: str, lang: str | None) -> tuple[str, float]:
    probs = model.predict_proba([text], [lang])[0]
    j = int(np.argmax(probs))
    return model.labels[j], float(probs[j] / max(probs.sum(), 1e-9))


def train_article_models(
    root: Path,
    langs: Sequence[str],
    out: Path,
    *,
    folds: int = 5,
    seed: int = 13,
    limit: int | None = None,
    cv_dir: Path | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate and fit the genre and frames models into ``out/genre``, ``out/frames``."""
    t0 = time.time()
    ids, texts, langs_of, genres, frames = [], [], [], [], []
    for lang in langs:
        corpus = semeval.load_corpus(root, lang)
        for aid in list(corpus.articles)[:limit] if limit else list(corpus.articles):
            if aid in corpus.genres and aid in corpus.frames:
                ids.append(aid)
                texts.append(corpus.articles[aid])
                langs_of.append(corpus.lang)
                genres.append(corpus.genres[aid])
                frames.append(corpus.frames[aid])
    fold_of = assign_folds(len(ids), folds, seed)
    genre_features = replace(FEATURES, lang_feature=False)
    oof_g = np.zeros((len(ids), len(GENRES)), np.float32)
    oof_f = np.zeros((len(ids), len(FRAMES)), np.float32)
    for k in range(folds):
        log(f"articles fold {k + 1}/{folds}")
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        g = LinearTextModel(GENRES, genre_features, C=4.0).fit(
            [texts[i] for i in tr], [langs_of[i] for i in tr], [{genres[i]} for i in tr]
        )
        oof_g[te] = g.predict_proba([texts[i] for i in te], [langs_of[i] for i in te])
        f = LinearTextModel(FRAMES, FEATURES, C=4.0).fit(
            [texts[i] for i in tr], [langs_of[i] for i in tr], [frames[i] for i in tr]
        )
        oof_f[te] = f.predict_proba([texts[i] for i in te], [langs_of[i] for i in te])
    pred_frames: dict[str, set[str]] = {}
    for k in range(folds):
        thr = tune_thresholds(
            oof_f[fold_of != k], [frames[i] for i in np.flatnonzero(fold_of != k)], FRAMES
        )
        for i in map(int, np.flatnonzero(fold_of == k)):
            pred_frames[ids[i]] = {t for j, t in enumerate(FRAMES) if oof_f[i, j] >= thr[t]}
    pred_genre = {ids[i]: GENRES[int(np.argmax(oof_g[i]))] for i in range(len(ids))}
    figures = _score(ids, langs_of, genres, frames, pred_genre, pred_frames, cv_dir, log)
    info = {
        "version": f"{__version__}+linear.{seed}",
        "trained_on": {"data": "SemEval-2023 Task 3 training split", "langs": list(langs)},
        "folds": folds,
        "cv": figures,
    }
    genre = LinearTextModel(GENRES, genre_features, C=4.0, info=info).fit(
        texts, langs_of, [{g} for g in genres]
    )
    genre.save(out / "genre")
    frames_model = LinearTextModel(FRAMES, FEATURES, C=4.0, info=info).fit(texts, langs_of, frames)
    frames_model.thresholds_ = tune_thresholds(oof_f, frames, FRAMES)
    frames_model.save(out / "frames")
    command = "proplens train articles --data ../shared/data/semeval2023"
    write_card(
        out / "genre",
        "genre",
        "Article genre (opinion / reporting / satire): TF-IDF word and char n-grams of the whole "
        "article, no language feature, one logistic regression per genre, most probable wins.",
        command,
        {
            k: {"articles": v["articles"], "st1_macro_f1": v["st1_macro_f1"]}
            for k, v in figures.items()
        },
    )
    write_card(
        out / "frames",
        "frames",
        "Article framing (14 SemEval-2023 frames, multi-label): TF-IDF word and char n-grams, one "
        "logistic regression per frame, per-frame thresholds.",
        command,
        {
            k: {"articles": v["articles"], "st2_micro_f1": v["st2_micro_f1"]}
            for k, v in figures.items()
        },
    )
    log(f"saved {out / 'genre'} and {out / 'frames'} in {time.time() - t0:.0f}s")
    return figures


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
        for name, rows in files_.items():
            (folder / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
        st1 = evaluate("st1", folder / "gold-st1.txt", folder / "pred-st1.txt")
        st2 = evaluate("st2", folder / "gold-st2.txt", folder / "pred-st2.txt")
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
