"""The TF-IDF row of inference equals the one built from `featurize`, as in training."""

import math
from collections import Counter

import numpy as np
import pytest

from proplens.models import base
from proplens.models.linear import LinearTextModel, featurize

TEXTS = [
    ("The mayor's plan is a disgrace, a disgrace to every family in this town!", "en"),
    ("Мэр снова обманул горожан: позор, настоящий позор.", "ru"),
    ("aaaa aaaa bbb — ÉLAN élan 2026", "fr"),
    ("", "de"),
]


def _reference_row(model: LinearTextModel, text: str, lang: str) -> dict[int, float]:
    counts = Counter(
        model.vocab_[f] for f in featurize(text, lang, model.features) if f in model.vocab_
    )
    values = {i: (1.0 + math.log(c)) * float(model.idf_[i]) for i, c in counts.items()}
    norm = math.sqrt(sum(v * v for v in values.values())) or 1.0
    return {i: v / norm for i, v in values.items()}


@pytest.mark.parametrize(("text", "lang"), TEXTS)
def test_vectorize_matches_the_training_features(text: str, lang: str) -> None:
    model = base.shipped("techniques-linear").paragraph
    for _ in range(2):  # the second time from the cache of word n-grams
        idx, values = model.vectorize(text, lang)
        got = dict(zip(idx.tolist(), values.tolist(), strict=True))
        want = _reference_row(model, text, lang)
        assert got.keys() == want.keys()
        assert np.allclose([got[i] for i in want], list(want.values()), atol=1e-6)
    if text:
        assert len(got) > 5


def test_sigmoid_of_extreme_logits_is_exact_and_silent() -> None:
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        out = base.sigmoid(np.array([-1e4, -90.0, 0.0, 90.0, 1e4], dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [0.0, 0.0, 0.5, 1.0, 1.0], atol=1e-30)
