"""The one model contract: every shipped model loads through `base.load`, has the same
surface, round-trips through save/load, and reads the pipeline's vectors instead of
computing its own."""

from pathlib import Path

import numpy as np
import pytest

from helpers import inputs_of
from proplens.document import Document
from proplens.models import base
from proplens.models.base import Inputs, MissingVectors, Model, ModelNotFound

SHIPPED = ("genre", "frames", "techniques-linear", "techniques-words", "threats", "sentiment")
TEXT = (
    "The harbour plan\n"
    "These corrupt thugs have ruined the town and they will pay with their blood. "
    "The council met on Tuesday.\n"
    "Every family deserves better than this shameful betrayal.\n"
)


def _flat(prediction: object) -> np.ndarray:
    """Any model's prediction for one document as one flat array, to compare two models."""
    if hasattr(prediction, "paragraphs") and hasattr(prediction, "sentences"):
        return np.concatenate([prediction.paragraphs.ravel(), prediction.sentences.ravel()])
    return np.asarray(prediction, np.float32).ravel()


@pytest.mark.parametrize("name", SHIPPED)
def test_every_shipped_model_loads_through_the_one_load(name: str, tmp_path: Path) -> None:
    if not base.available(name):
        pytest.skip(f"{name} is not in this install")
    model = base.load(name)
    assert isinstance(model, Model)
    assert base.read_config(name)["class"] == type(model).model_class  # type: ignore[attr-defined]
    inputs = inputs_of(Document.from_text(TEXT, lang="en"))
    (before,) = model.predict_proba([inputs])
    model.save(tmp_path / name)
    again = base.load(tmp_path / name)
    assert type(again) is type(model)
    (after,) = again.predict_proba([inputs])
    assert np.allclose(_flat(before), _flat(after), atol=2e-3)  # float16 weights on disk
    assert len(model.predict([inputs])) == 1


def test_a_folder_without_a_model_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ModelNotFound, match="no model there"):
        base.load(tmp_path)
    (tmp_path / "config.json").write_text('{"class": "oracle"}')
    with pytest.raises(ModelNotFound, match="unknown model class 'oracle'"):
        base.load(tmp_path)
    assert not base.available(tmp_path / "missing")


@pytest.mark.parametrize("name", ["techniques-linear", "sentiment"])
def test_models_that_read_sentence_vectors_never_embed(name: str) -> None:
    model = base.shipped(name)
    doc = Document.from_text("Russia news\nЭтот лживый режим должен уйти.", lang="ru")
    with pytest.raises(MissingVectors, match="sentence"):
        model.predict_proba([Inputs(doc)])


def test_threats_read_vectors_outside_english_only() -> None:
    model = base.shipped("threats")
    english = Document.from_text("We will find you and make you pay.", lang="en")
    (scores,) = model.predict_proba([Inputs(english)])  # TF-IDF: no vectors needed
    assert scores.shape == (1,)
    russian = Document.from_text("Мы найдём тебя и заставим заплатить.", lang="ru")
    with pytest.raises(MissingVectors):
        model.predict_proba([Inputs(russian)])
    (found,) = model.predict([inputs_of(russian)])
    assert found in ([("threat",)], [()])
