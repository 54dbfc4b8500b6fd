"""The sentence sentiment head: VADER learned in multilingual vector space (training, export,
loading, inference)."""

import json
from pathlib import Path

import numpy as np
from click.testing import CliRunner

from proplens.cli import main
from proplens.models.encoders import embed
from proplens.models.sentiment import SentimentHead, english_sentences, load_sentiment_head, vader


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
    head = SentimentHead.load(out)
    sentences, _ = english_sentences(tiny_semeval)
    predicted = head.predict(embed(sentences, ["en"] * len(sentences)))
    assert predicted.shape == (len(sentences),) and np.all(np.abs(predicted) <= 1.0)
    assert np.corrcoef(predicted, vader(sentences))[0, 1] > 0.5  # fits its teacher in-sample


def test_shipped_head_reads_russian_sentiment_zero_shot() -> None:
    head = load_sentiment_head()
    assert head is not None
    scores = head.predict(
        embed(
            ["Этот чиновник — бессовестный лжец и вор.", "Врач спас ребёнка, все ему благодарны."],
            ["ru", "ru"],
        )
    )
    assert scores[0] < -0.1 < 0.1 < scores[1]
