"""The sentence sentiment head: VADER learned in multilingual vector space (training, export,
loading, inference)."""

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from proplens.cli import main
from proplens.document import Document
from proplens.models import base
from proplens.models.base import Inputs
from proplens.models.encoders import embed
from proplens.models.sentiment import SentimentHead, vader
from proplens.training.sentiment import english_articles


def test_train_sentiment_on_a_tiny_slice_exports_a_head_that_follows_vader(
    tiny_semeval: Path, tmp_path: Path
) -> None:
    out = tmp_path / "sentiment"
    result = CliRunner().invoke(
        main, ["train", "sentiment", "--data", str(tiny_semeval), "--out", str(out), "--folds", "3"]
    )
    assert result.exit_code == 0, result.output
    assert {"weights.npz", "config.json", "README.md"} <= {p.name for p in out.iterdir()}
    cv = json.loads((out / "config.json").read_text())["cv"]
    assert cv["sentences"] > 20 and -1.0 <= cv["pearson_r_with_vader"] <= 1.0
    head = base.load(out)
    assert isinstance(head, SentimentHead)
    inputs, targets = english_articles(tiny_semeval)
    predicted = np.concatenate(head.predict_proba(inputs))
    teacher = np.array([t if t is not None else np.nan for ts in targets for t in ts])
    assert predicted.shape == teacher.shape and np.all(np.abs(predicted) <= 1.0)
    kept = ~np.isnan(teacher)
    assert kept.sum() == cv["sentences"]
    assert np.corrcoef(predicted[kept], teacher[kept])[0, 1] > 0.5  # fits its teacher in-sample
    sentences = [i.document.span_text(s) for i in inputs for s in i.document.sentences]
    assert np.allclose(teacher[kept], vader([t for t, k in zip(sentences, kept, strict=True) if k]))


def test_shipped_head_reads_russian_sentiment_zero_shot() -> None:
    head = base.shipped("sentiment")
    texts = ["Этот чиновник — бессовестный лжец и вор.", "Врач спас ребёнка, все ему благодарны."]
    vectors = embed(texts, ["ru", "ru"])
    doc = Document.from_text(" ".join(texts), lang="ru")
    assert len(doc.sentences) == 2
    (scores,) = head.predict_proba([Inputs(doc, None, vectors)])
    assert scores[0] < -0.1 < 0.1 < scores[1]
