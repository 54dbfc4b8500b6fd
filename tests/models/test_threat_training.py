import json
from pathlib import Path

from click.testing import CliRunner

from proplens.cli import main
from proplens.document import Document
from proplens.models import base
from proplens.models.base import Inputs
from proplens.models.threats import ThreatModel

ROOT = Path(__file__).resolve().parents[2]


def test_train_threats_on_the_written_set(tmp_path: Path, tiny_semeval: Path) -> None:
    out = tmp_path / "threats"
    result = CliRunner().invoke(
        main,
        ["train", "threats", "--data", str(ROOT / "data/threats/threats.jsonl"),
         "--semeval", str(tiny_semeval), "--news", "20", "--out", str(out), "--folds", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "threats: precision" in result.output
    model = base.load(out)
    assert isinstance(model, ThreatModel)
    cv = model.detector.info["cv"]
    assert cv["folds"] == 3 and 0 < cv["recall"] <= 1
    doc = Document.from_text(
        "We will burn the houses of the judges down. The judges met on Tuesday for lunch.",
        lang="en",
    )
    ((p_threat, p_calm),) = model.predict_proba([Inputs(doc)])
    assert p_threat > p_calm
    assert model.dense_ is not None, "the multilingual USE head is trained too"
    assert 0 < model.threshold_for("ru") < 1 and model.threshold_for("en") == model.threshold
    zero_shot = cv["other_languages"]
    assert set(zero_shot) == {"ru", "fr", "de", "it", "pl"}
    for entry in zero_shot.values():
        assert entry["written_threats"] == 8 and 0 <= entry["recall_written"] <= 1
    assert (out / "README.md").read_text().startswith("# threats")
    # the written sentences in other languages train the USE head, held out by base sentence
    assert model.detector.info["other_language_sentences"] == 100
    assert 0 < cv["other_languages_written_cv"]["recall"] <= 1


def test_other_language_sentences_are_translations_grouped_by_base() -> None:
    path = ROOT / "data/threats/multilingual_train.jsonl"
    rows = [json.loads(x) for x in path.read_text().splitlines()]
    evaluation = {
        json.loads(x)["text"]
        for x in (ROOT / "data/threats/multilingual_eval.jsonl").read_text().splitlines()
    }
    assert {r["lang"] for r in rows} == {"ru", "fr", "de", "it", "pl"}
    assert not evaluation & {r["text"] for r in rows}, "the evaluation set stays unseen"
    groups: dict[str, set[bool]] = {}
    for r in rows:
        groups.setdefault(r["group"], set()).add(r["threat"])
    assert all(len(v) == 1 for v in groups.values()) and len(groups) == 20


def test_threat_data_is_grouped_and_invented() -> None:
    rows = [json.loads(x) for x in (ROOT / "data/threats/threats.jsonl").read_text().splitlines()]
    assert len(rows) >= 400
    assert sum(r["threat"] for r in rows) > 150 and sum(not r["threat"] for r in rows) > 150
    groups: dict[str, set[bool]] = {}
    for r in rows:
        groups.setdefault(r["group"], set()).add(r["threat"])
    assert all(len(v) == 1 for v in groups.values())
