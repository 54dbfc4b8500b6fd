"""Genre and frames models: training on a tiny slice, export, loading, CLI subtasks 1 and 2."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from proplens import semeval
from proplens.cli import main
from proplens.models.articles import FRAMES, GENRES, ArticleModel
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


def test_article_models_export_and_load(article_models: Path) -> None:
    genre = ArticleModel.load(article_models / "genre")
    frames = ArticleModel.load(article_models / "frames")
    assert genre.labels == GENRES and frames.labels == FRAMES
    assert set(frames.thresholds_) == set(FRAMES)
    cv = json.loads((article_models / "cv" / "figures.json").read_text())
    assert 0 <= cv["en"]["st1_macro_f1"] <= 1 and cv["en"]["articles"] == 12
    assert not genre.tfidf.features.lang_feature, "genre must not learn language priors"
    assert not genre.lang_in_vector
    assert genre.dense is not None and genre.style is not None and frames.dense is not None
    assert frames.style is None
    assert frames.mlp is not None and genre.mlp is None
    assert frames.mlp.w1.shape[0] == 3, "three seeds averaged"


def test_frames_average_tfidf_logistic_and_network_heads(article_models: Path) -> None:
    frames = ArticleModel.load(article_models / "frames")
    assert frames.dense is not None and frames.mlp is not None
    text = "Border dispute\nThe army moved troops to the border as talks on security stalled."
    vectors = np.full((2, 518), 0.04, np.float32)
    article = vectors.mean(axis=0)[None, :]
    parts = [
        frames.tfidf.predict_proba([text], ["en"])[0],
        frames.dense.predict_proba(article)[0],
        frames.mlp.predict_proba(article)[0],
    ]
    assert np.allclose(frames.predict_proba(text, "en", vectors), np.mean(parts, axis=0))
    assert parts[2].min() > 0 and parts[2].max() < 1


def test_genre_ensemble_averages_its_three_heads(article_models: Path) -> None:
    genre = ArticleModel.load(article_models / "genre")
    text = "Council approves budget\nThe council approved the budget on Monday, the mayor said."
    probs = genre.predict_proba(text, "en")
    assert probs.shape == (3,)
    tfidf = genre.tfidf.predict_proba([text], ["en"])[0]
    assert not np.allclose(probs, tfidf), "the vector and style heads take part"
    # the language one-hot of the article vector is ignored: no language prior
    english, russian = np.zeros((2, 518), np.float32), np.zeros((2, 518), np.float32)
    english[:, :512] = russian[:, :512] = 0.05
    english[:, 512], russian[:, 513] = 1, 1
    assert np.allclose(
        genre.predict_proba(text, "en", english), genre.predict_proba(text, "en", russian)
    )


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
