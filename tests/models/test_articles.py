"""Genre and frames models: training on a tiny slice, export, loading, CLI subtasks 1 and 2."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from proplens import semeval
from proplens.cli import main
from proplens.document import Document
from proplens.models import base
from proplens.models.articles import FRAMES, GENRES, ArticleModel
from proplens.models.base import Inputs, MissingVectors
from proplens.models.style import N_STYLE, style_features


@pytest.fixture(scope="module")
def article_models(tiny_semeval: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("articles")
    result = CliRunner().invoke(
        main,
        ["train", "articles", "--data", str(tiny_semeval), "--langs", "en", "--out", str(out),
         "--folds", "3", "--cv-dir", str(out / "cv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "en: genre macro-F1" in result.output
    return out


def _inputs(text: str, vectors: np.ndarray) -> Inputs:
    """Two lines of one sentence each: the same rows serve as paragraph and sentence vectors
    (the shipped view reads sentences)."""
    doc = Document.from_text(text, lang="en")
    assert len(doc.paragraphs) == len(doc.sentences) == len(vectors)
    return Inputs(doc, paragraph_vectors=vectors, sentence_vectors=vectors)


def test_article_models_export_and_load(article_models: Path) -> None:
    genre = base.load(article_models / "genre")
    frames = base.load(article_models / "frames")
    assert isinstance(genre, ArticleModel) and isinstance(frames, ArticleModel)
    assert genre.labels == GENRES and frames.labels == FRAMES
    assert set(frames.thresholds_) == set(FRAMES)
    cv = json.loads((article_models / "cv" / "figures.json").read_text())
    assert 0 <= cv["en"]["st1_macro_f1"] <= 1 and cv["en"]["articles"] == 12
    assert genre.tfidf_ is not None and not genre.tfidf_.features.lang_feature, (
        "genre must not learn language priors"
    )
    assert genre.single_label and not frames.single_label
    assert genre.dense_ is not None and genre.style_ is not None and frames.dense_ is not None
    assert frames.style_ is None
    assert frames.mlp_ is not None and genre.mlp_ is None
    assert frames.mlp_.w1_.shape[0] == 3, "three seeds averaged"


def test_frames_average_tfidf_logistic_and_network_heads(article_models: Path) -> None:
    frames = base.load(article_models / "frames")
    assert frames.tfidf_ is not None and frames.dense_ is not None and frames.mlp_ is not None
    text = "Border dispute\nThe army moved troops to the border as talks on security stalled."
    vectors = np.full((2, 518), 0.04, np.float32)
    article = vectors.mean(axis=0)[None, :]
    parts = [
        frames.tfidf_.predict_proba([text], ["en"])[0],
        frames.dense_.predict_proba(article)[0],
        frames.mlp_.predict_proba(article)[0],
    ]
    (probs,) = frames.predict_proba([_inputs(text, vectors)])
    assert np.allclose(probs, np.mean(parts, axis=0))
    assert parts[2].min() > 0 and parts[2].max() < 1
    (labels,) = frames.predict([_inputs(text, vectors)])
    assert list(labels) == [
        f for f in np.array(FRAMES)[np.argsort(-probs, kind="stable")] if f in set(labels)
    ]


def test_genre_ensemble_averages_its_three_heads(article_models: Path) -> None:
    genre = base.load(article_models / "genre")
    assert genre.tfidf_ is not None
    text = "Council approves budget\nThe council approved the budget on Monday, the mayor said."
    vectors = np.full((2, 518), 0.05, np.float32)
    (probs,) = genre.predict_proba([_inputs(text, vectors)])
    assert probs.shape == (3,)
    tfidf = genre.tfidf_.predict_proba([text], ["en"])[0]
    assert not np.allclose(probs, tfidf), "the vector and style heads take part"
    assert genre.predict([_inputs(text, vectors)]) == [(GENRES[int(np.argmax(probs))],)]
    # the language one-hot of the article vector is ignored: no language prior
    english, russian = np.zeros((2, 518), np.float32), np.zeros((2, 518), np.float32)
    english[:, :512] = russian[:, :512] = 0.05
    english[:, 512], russian[:, 513] = 1, 1
    (a,), (b,) = (
        genre.predict_proba([_inputs(text, english)]),
        genre.predict_proba([_inputs(text, russian)]),
    )
    assert np.allclose(a, b)


def test_a_model_never_embeds_for_itself(article_models: Path) -> None:
    genre = base.load(article_models / "genre")
    doc = Document.from_text("Title\nSome text.", lang="en")
    with pytest.raises(MissingVectors, match=r"reads (paragraph|sentence) vectors"):
        genre.predict_proba([Inputs(doc)])


def test_style_features_see_quotes_and_first_person() -> None:
    report = 'Flood closes bridge\n"The water rose fast," the engineer said on Monday.'
    essay = "Why we must act\nI believe we have waited too long. Must we wait again?"
    r, e = style_features(report, "en"), style_features(essay, "en")
    assert r.shape == e.shape == (N_STYLE,)
    assert r[2] == 1.0 and e[2] == 0.0  # share of paragraphs with a quote
    assert e[4] > r[4]  # first person
    assert r[6] > e[6]  # speech verbs
    assert e[7] > r[7]  # questions


@pytest.mark.parametrize("subtask", ["1", "2"])
def test_semeval_predict_article_subtasks(tiny_semeval: Path, tmp_path: Path, subtask: str) -> None:
    base = tiny_semeval / "en"
    out = tmp_path / f"st{subtask}.txt"
    result = CliRunner().invoke(
        main,
        ["semeval", "predict", "--subtask", subtask, "--lang", "en",
         "--articles", str(base / "train-articles-subtask-3"), "-o", str(out)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    assert sorted(r[0] for r in rows) == sorted(
        semeval.read_articles(base / "train-articles-subtask-3")
    )
    allowed = set(GENRES) if subtask == "1" else set(FRAMES)
    for r in rows:
        assert len(r) == 2 and set(filter(None, r[1].split(","))) <= allowed
    gold = base / f"train-labels-subtask-{subtask}.txt"
    score = CliRunner().invoke(main, ["evaluate", f"st{subtask}", str(gold), str(out)])
    assert score.exit_code == 0


def test_subtask1_without_genre_in_pipeline_is_a_clear_error(
    tiny_semeval: Path, tmp_path: Path
) -> None:
    articles = tiny_semeval / "en" / "train-articles-subtask-3"
    result = CliRunner().invoke(
        main,
        ["semeval", "predict", "--subtask", "1", "--lang", "en", "--pipeline", "language",
         "--articles", str(articles), "-o", str(tmp_path / "x")],
    )  # fmt: skip
    assert result.exit_code == 1 and "no genre analyser" in result.output
    assert not (tmp_path / "x").exists()
