"""Article-level models: genre (SemEval subtask 1) and framing (subtask 2).

Each is an `ArticleModel`: a TF-IDF `LinearTextModel` over the whole article averaged with
a logistic head over the article's multilingual USE vector (mean of its paragraphs) and,
for genre, a head over language-agnostic style features (`proplens.models.style`); for
frames, a small network over the USE vector as well (`MlpHead`). The
genre model sees no language feature, so it cannot learn "English means opinion" from the
skewed English data; it predicts the most probable genre. Frames use per-label thresholds
tuned on out-of-fold predictions; figures are measured on held-out folds with cross-fitted
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
from proplens.document import Document
from proplens.eval import evaluate
from proplens.models.card import write_card
from proplens.models.encoders import (
    DenseHead,
    FloatArray,
    MlpHead,
    article_vector,
    document_vectors,
    without_language,
)
from proplens.models.linear import (
    FeatureConfig,
    LinearTextModel,
    assign_folds,
    tune_thresholds,
)
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
Log = Callable[[str], None]


class ArticleModel:
    """TF-IDF model averaged with the optional USE-vector, style and network heads."""

    def __init__(
        self,
        tfidf: LinearTextModel,
        dense: DenseHead | None = None,
        style: DenseHead | None = None,
        *,
        lang_in_vector: bool = True,
        mlp: MlpHead | None = None,
    ) -> None:
        self.tfidf, self.dense, self.style, self.mlp = tfidf, dense, style, mlp
        #: False for genre: the language one-hot of the article vector is zeroed.
        self.lang_in_vector = lang_in_vector

    @property
    def labels(self) -> tuple[str, ...]:
        return self.tfidf.labels

    @property
    def thresholds_(self) -> dict[str, float]:
        return self.tfidf.thresholds_

    @property
    def info(self) -> dict[str, Any]:
        return self.tfidf.info

    def predict_proba(
        self, text: str, lang: str | None, vectors: FloatArray | None = None
    ) -> FloatArray:
        """Label probabilities of one article; ``vectors`` are its paragraph vectors."""
        if (self.dense is not None or self.mlp is not None) and vectors is None:
            vectors = document_vectors(Document.from_text(text, lang=lang))
        article = article_vector(vectors)[None, :] if vectors is not None else None
        probs: FloatArray = self.predict_batch([text], [lang], article)[0]
        return probs

    def predict_batch(
        self, texts: Sequence[str], langs: Sequence[str | None], articles: FloatArray | None
    ) -> FloatArray:
        """Probabilities of many articles; ``articles`` holds their article vectors."""
        parts = [self.tfidf.predict_proba(texts, langs)]
        if articles is not None:
            x = articles if self.lang_in_vector else without_language(articles)
            for head in (self.dense, self.mlp):
                if head is not None:
                    parts.append(head.predict_proba(x))
        if self.style is not None:
            styles = np.vstack([style_features(t, la) for t, la in zip(texts, langs, strict=True)])
            parts.append(self.style.predict_proba(styles))
        return np.asarray(np.mean(parts, axis=0), dtype=np.float32)

    def save(self, folder: Path) -> None:
        self.tfidf.save(folder)
        if self.dense is not None:
            self.dense.save(folder, "vector_head")
        if self.style is not None:
            self.style.save(folder, "style_head")
        if self.mlp is not None:
            self.mlp.save(folder, "mlp_head")

    @classmethod
    def load(cls, folder: Path) -> ArticleModel:
        tfidf = LinearTextModel.load(folder)
        return cls(
            tfidf,
            DenseHead.load(folder, "vector_head"),
            DenseHead.load(folder, "style_head"),
            lang_in_vector=tfidf.features.lang_feature,
            mlp=MlpHead.load(folder, "mlp_head"),
        )


def article_model_path(name: str) -> Path:
    return Path(str(files("proplens").joinpath(f"data/models/{name}")))


@cache
def load_article_model(name: str) -> ArticleModel:
    """The packaged ``genre`` or ``frames`` model, loaded once per process."""
    path = article_model_path(name)
    if not (path / "config.json").exists():
        raise FileNotFoundError(f"{path}: no {name} model there; rebuild it with `make models`")
    return ArticleModel.load(path)


def predict_genre(
    model: ArticleModel, text: str, lang: str | None, vectors: FloatArray | None = None
) -> tuple[str, float]:
    probs = model.predict_proba(text, lang, vectors)
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
    log(f"{len(ids)} articles: paragraph vectors")
    vectors = np.vstack([_article_vector(t, la) for t, la in zip(texts, langs_of, strict=True)])
    styles = np.vstack([style_features(t, la) for t, la in zip(texts, langs_of, strict=True)])
    oof_g = np.zeros((len(ids), len(GENRES)), np.float32)
    oof_f = np.zeros((len(ids), len(FRAMES)), np.float32)
    for k in range(folds):
        log(f"articles fold {k + 1}/{folds}")
        tr, te = np.flatnonzero(fold_of != k), np.flatnonzero(fold_of == k)
        tr_texts, tr_langs = [texts[i] for i in tr], [langs_of[i] for i in tr]
        te_texts, te_langs = [texts[i] for i in te], [langs_of[i] for i in te]
        g = fit_genre(tr_texts, tr_langs, vectors[tr], styles[tr], [genres[i] for i in tr])
        oof_g[te] = g.predict_batch(te_texts, te_langs, vectors[te])
        f = fit_frames(tr_texts, tr_langs, vectors[tr], [frames[i] for i in tr])
        oof_f[te] = f.predict_batch(te_texts, te_langs, vectors[te])
    pred_frames: dict[str, set[str]] = {}
    for k in range(folds):
        thr = tune_thresholds(
            oof_f[fold_of != k],
            [frames[i] for i in np.flatnonzero(fold_of != k)],
            FRAMES,
            objective="micro",
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
    genre = fit_genre(texts, langs_of, vectors, styles, genres, info)
    genre.save(out / "genre")
    frames_model = fit_frames(texts, langs_of, vectors, frames, info)
    frames_model.tfidf.thresholds_ = tune_thresholds(oof_f, frames, FRAMES, objective="micro")
    frames_model.save(out / "frames")
    command = "proplens train articles --data ../shared/data/semeval2023"
    write_card(
        out / "genre",
        "genre",
        "Article genre (opinion / reporting / satire): the mean of three logistic models, over "
        "TF-IDF word and char n-grams of the whole article, over its multilingual USE vector "
        "(mean of paragraphs) and over language-agnostic style features; no language feature "
        "anywhere; the most probable genre wins.",
        command,
        {
            k: {"articles": v["articles"], "st1_macro_f1": v["st1_macro_f1"]}
            for k, v in figures.items()
        },
    )
    write_card(
        out / "frames",
        "frames",
        "Article framing (14 SemEval-2023 frames, multi-label): the mean of one logistic "
        "regression per frame over TF-IDF word and char n-grams, one over the article's "
        "multilingual USE vector, and a one-hidden-layer network (256 units, 3 seeds) over "
        "that vector; per-frame thresholds tuned for micro-F1.",
        command,
        {
            k: {"articles": v["articles"], "st2_micro_f1": v["st2_micro_f1"]}
            for k, v in figures.items()
        },
    )
    log(f"saved {out / 'genre'} and {out / 'frames'} in {time.time() - t0:.0f}s")
    return figures


def _article_vector(text: str, lang: str) -> FloatArray:
    return article_vector(document_vectors(Document.from_text(text, lang=lang)))


def fit_genre(
    texts: Sequence[str],
    langs: Sequence[str],
    vectors: FloatArray,
    styles: FloatArray,
    genres: Sequence[str],
    info: dict[str, Any] | None = None,
) -> ArticleModel:
    """TF-IDF, USE-vector and style heads for genre; no language feature in any of them."""
    targets = [{g} for g in genres]
    features = replace(FEATURES, lang_feature=False)
    tfidf = LinearTextModel(GENRES, features, C=4.0, info=info or {}).fit(texts, langs, targets)
    dense = DenseHead.fit(without_language(vectors), targets, GENRES)
    style = DenseHead.fit(styles, targets, GENRES, standardise=True)
    return ArticleModel(tfidf, dense, style, lang_in_vector=False)


def fit_frames(
    texts: Sequence[str],
    langs: Sequence[str],
    vectors: FloatArray,
    frames: Sequence[set[str]],
    info: dict[str, Any] | None = None,
) -> ArticleModel:
    """TF-IDF, USE-vector logistic and USE-vector network heads for the frames (language
    feature allowed). The network lets co-occurring frames share evidence; it carried the
    small languages most (ru 0.445 -> 0.531 in `docs/models.md`)."""
    tfidf = LinearTextModel(FRAMES, FEATURES, C=4.0, info=info or {}).fit(texts, langs, frames)
    return ArticleModel(
        tfidf,
        DenseHead.fit(vectors, frames, FRAMES),
        None,
        mlp=MlpHead.fit(vectors, frames, FRAMES),
    )


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
