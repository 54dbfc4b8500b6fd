"""Analysts' corrections as training data: `proplens train techniques --extra-gold DB`."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.analysis import Analysis
from proplens.cli import main
from proplens.document import Document
from proplens.semeval import paragraph_labels
from proplens.store import open_store
from proplens.store.gold import GoldAnnotation, GoldDraft, add_gold
from proplens.training.gold import cv_changes, gold_articles

HAS_TORCH = importlib.util.find_spec("torch") is not None
# Written for these tests.
CORRECTED = (
    "Harbour vote\nThese spineless cowards sold the harbour.\nThe vote was held on Monday.\n"
)


def _gold_store(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'gold.db'}"
    store = open_store(url)
    try:
        doc = Document.from_text(CORRECTED, id="harbour", lang="en")
        row = store.add(Analysis(document=doc, model_versions={"techniques": "t"}))
        assert row is not None
        s = CORRECTED.index("spineless cowards")
        span = GoldAnnotation("technique", "Name_Calling-Labeling", s, s + len("spineless cowards"))
        add_gold(store, [GoldDraft(row, "ana", "test 1", (span,))])
    finally:
        store.close()
    return url


def test_gold_becomes_a_training_article_with_paragraph_labels(tmp_path: Path) -> None:
    store = open_store(_gold_store(tmp_path))
    try:
        (article,) = gold_articles(store)
    finally:
        store.close()
    assert article.doc.text == CORRECTED and article.doc.lang == "en"
    start = CORRECTED.index("spineless cowards")
    assert article.spans == [("Name_Calling-Labeling", start, start + 17)]
    assert article.paragraph_labels == {1: set(), 2: {"Name_Calling-Labeling"}, 3: set()}
    doc = Document.from_text("A\nB\n", id="x")
    assert paragraph_labels(doc, [("Doubt", 0, 3)]) == {1: {"Doubt"}, 2: {"Doubt"}}


def test_cv_changes_compare_figure_by_figure() -> None:
    lines = cv_changes({"en": {"st3_paragraphs": 0.4, "articles": 10}},
                       {"en": {"st3_paragraphs": 0.45, "articles": 10}})  # fmt: skip
    assert lines == ["en st3_paragraphs: 0.4000 -> 0.4500 (+0.0500)"]


@pytest.mark.skipif(not HAS_TORCH, reason="needs the train extra (torch)")
def test_training_with_extra_gold_reports_the_change_on_the_same_folds(
    tiny_semeval: Path, tmp_path: Path
) -> None:
    out = tmp_path / "words"
    args = ["train", "techniques", "--data", str(tiny_semeval), "--langs", "en",
            "--out", str(out), "--epochs", "2", "--workers", "1"]  # fmt: skip
    first = CliRunner().invoke(main, args)
    assert first.exit_code == 0, first.output
    before = json.loads((out / "config.json").read_text())
    url = _gold_store(tmp_path)
    second = CliRunner().invoke(main, [*args, "--extra-gold", url])
    assert second.exit_code == 0, second.output
    assert "1 gold article(s)" in second.output
    assert "held-out change with the gold added" in second.output
    assert "en st3_paragraphs: " in second.output
    after = json.loads((out / "config.json").read_text())
    assert after["trained_on"]["extra_gold"] == {"store": url, "articles": 1}
    assert after["cv"]["en"]["articles"] == before["cv"]["en"]["articles"]  # same held-out set
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    open_store(empty).close()
    refused = CliRunner().invoke(main, [*args, "--extra-gold", empty])
    assert refused.exit_code == 1 and "no gold annotations" in refused.output
