"""Known narratives: the decision rule, training, the analyser, the SemEval submission."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import make_semeval2025_narratives, validate
from proplens.api import analyse
from proplens.cli import main
from proplens.models import base
from proplens.models.narratives import decide, thresholds_for

NARRATIVES = ["URW: Praise of Russia", "CC: Criticism of institutions", "Other"]
SUBS = ["URW: Praise of Russia: Praise of Russian military might",
        "URW: Praise of Russia: Other", "CC: Criticism of institutions: Other"]  # fmt: skip
# Written for these tests.
ARTICLE = (
    "The Mighty Army\n\n"
    "The mighty Russian army wins every battle and the West trembles before it.\n\n"
    "Its soldiers are the bravest in the world, and no weapon can stop them.\n"
)


def test_decide_writes_labels_as_the_official_files_do() -> None:
    assert decide([0.7, 0.1, 0.2], [0.6, 0.1, 0.1], NARRATIVES, SUBS, 0.5, 0.5) == (
        {"URW: Praise of Russia"},
        {"URW: Praise of Russia: Praise of Russian military might"},
    )
    assert decide([0.7, 0.1, 0.2], [0.2, 0.1, 0.1], NARRATIVES, SUBS, 0.5, 0.5) == (
        {"URW: Praise of Russia"},
        {"URW: Praise of Russia: Other"},
    )
    assert decide([0.3, 0.2, 0.9], [0.9, 0.9, 0.9], NARRATIVES, SUBS, 0.5, 0.5) == (
        {"Other"},
        {"Other"},
    )
    info = {"thresholds": {"en": [0.3, 0.35]}, "default_thresholds": [0.45, 0.5]}
    assert thresholds_for(info, "en") == (0.3, 0.35)
    assert thresholds_for(info, "fr") == (0.45, 0.5)


def test_training_writes_both_models_with_per_language_thresholds(tmp_path: Path) -> None:
    data = make_semeval2025_narratives(tmp_path / "data")
    out = tmp_path / "models"
    result = CliRunner().invoke(
        main, ["train", "narratives", "--data", str(data), "--out", str(out), "--folds", "2"]
    )
    assert result.exit_code == 0, result.output
    config = json.loads((out / "narratives" / "config.json").read_text())
    cv = config["info"]["cv"]["en"]
    assert cv["articles"] == 10 and 0.0 <= cv["narratives_samples_f1"] <= 1.0
    assert cv["all_other_narratives_f1"] == pytest.approx(0.5)
    assert set(config["info"]["thresholds"]) == {"en"}
    assert (out / "subnarratives" / "README.md").exists()
    model = base.load(out / "narratives")
    assert "URW: Praise of Russia" in model.labels


def test_the_analyser_gives_narratives_with_sentences_in_the_schema(
    schema: dict[str, object],
) -> None:
    analysis = analyse(ARTICLE, "en")
    payload = analysis.to_dict()
    validate(payload, schema)
    assert "narratives" in analysis.timings_ms and "narratives" in payload["models"]
    for n in payload["narratives"]:
        assert 0.0 <= n["score"] <= 1.0
        assert all(s["label"].startswith(n["label"] + ": ") for s in n["subnarratives"])
        for s in n["sentences"]:
            assert ARTICLE[s["start"] : s["end"]] == s["text"]
    # a stored analysis reads back the same narratives
    from proplens.analysis import Analysis

    assert Analysis.from_dict(payload, ARTICLE).narratives == analysis.narratives


def test_semeval_narratives_writes_every_article_in_the_official_format(tmp_path: Path) -> None:
    data = make_semeval2025_narratives(tmp_path / "data")
    pred = tmp_path / "pred.txt"
    folder = data / "EN" / "raw-documents"
    result = CliRunner().invoke(
        main, ["semeval", "narratives", "--articles", str(folder), "--lang", "en", "-o", str(pred)]
    )
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in pred.read_text().splitlines()]
    assert sorted(r[0] for r in rows) == sorted(p.name for p in folder.glob("*.txt"))
    assert all(len(r) == 3 and r[1] and r[2] for r in rows)
    scored = CliRunner().invoke(
        main,
        ["evaluate", "narratives", str(data / "EN" / "subtask-2-annotations.txt"), str(pred),
         "--taxonomy", str(data)],
    )  # fmt: skip
    assert scored.exit_code == 0, scored.output
    assert scored.output.strip().splitlines()[-1].startswith("narratives_samples_f1 ")
    empty = tmp_path / "empty"
    empty.mkdir()
    refused = CliRunner().invoke(
        main, ["semeval", "narratives", "--articles", str(empty), "-o", str(pred)]
    )
    assert refused.exit_code == 1 and "no .txt articles" in refused.output


def test_the_html_report_lists_narratives_with_their_sentences_escaped() -> None:
    from proplens.analysis import Analysis, Label, Narrative
    from proplens.document import Document
    from proplens.report import render

    text = "Title\nThe army <b>wins</b> every battle.\n"
    s = text.index("The army")
    analysis = Analysis(
        document=Document.from_text(text, id="t", lang="en"),
        narratives=(
            Narrative(
                "URW: Praise of Russia",
                0.61,
                (Label("URW: Praise of Russia: Praise of Russian military might", 0.52),),
                ((s, len(text) - 1),),
            ),
        ),
        timings_ms={"narratives": 1.0},
    )
    page = render(analysis, "html")
    assert "<h2>Narratives</h2>" in page and "URW: Praise of Russia</b> (0.61)" in page
    assert "Praise of Russian military might (0.52)" in page
    assert "&lt;b&gt;wins&lt;/b&gt;" in page and "<b>wins</b>" not in page


def test_semeval_narratives_names_unreadable_files_and_keeps_the_others(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "EN_UA_1.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "EN_UA_2.txt").write_bytes(b"\x00\x01\x02binary\x00")
    (folder / "EN_UA_3.txt").write_bytes(b"")
    pred = tmp_path / "pred.txt"
    result = CliRunner().invoke(
        main, ["semeval", "narratives", "--articles", str(folder), "--lang", "en", "-o", str(pred)]
    )
    assert result.exit_code == 1
    assert f"{folder / 'EN_UA_2.txt'}: binary file" in result.output
    assert f"{folder / 'EN_UA_3.txt'}: empty file" in result.output
    assert "Traceback" not in result.output
    assert [line.split("\t")[0] for line in pred.read_text().splitlines()] == ["EN_UA_1.txt"]
