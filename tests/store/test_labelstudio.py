"""The Label Studio round trip without a server: export, offsets, import as gold, scoring.

`test_labelstudio_server.py` does the same through a real Label Studio.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from proplens.analysis import Analysis, Label, ParagraphTechniques, Quote, TechniqueSpan, Threat
from proplens.cli import main
from proplens.document import Document
from proplens.eval.gold import score_gold
from proplens.store import Store, open_store
from proplens.store.gold import gold_versions_of, latest_gold
from proplens.store.labelstudio import from_utf16, gold_drafts, label_config, task_of, to_utf16

# Written for these tests: an emoji (two UTF-16 units) before the spans, a quote, a threat.
TEXT = (
    "Harbour plan 😡 fails\n"
    "These reckless crooks ruined the harbour. Can we trust them?\n"
    '"The plan is a disgrace," said Ada Vane.\n'
    "Someone should teach them a lesson they will not forget.\n"
)


def _at(phrase: str) -> tuple[int, int]:
    start = TEXT.index(phrase)
    return start, start + len(phrase)


def _analysis(text: str = TEXT, doc_id: str = "harbour") -> Analysis:
    doc = Document.from_text(text, id=doc_id, lang="en", source=f"{doc_id}.txt")
    spans = []
    for phrase, tech in (("reckless crooks", "Name_Calling-Labeling"),
                         ("Can we trust them?", "Doubt"), ("a disgrace", "Loaded_Language")):  # fmt: skip
        if phrase in text:
            s = text.index(phrase)
            spans.append(TechniqueSpan(s, s + len(phrase), tech, 0.6, "because.", shown=False))
    quotes, threats = (), ()
    if "Ada Vane" in text:
        q, sp = text.index("The plan"), text.index("Ada Vane")
        quotes = (Quote(q, q + len("The plan is a disgrace,"), "Ada Vane", sp, sp + 8),)
        t = text.index("Someone should")
        threats = (Threat(t, len(text) - 1, "medium", 0.8),)
    paragraphs = tuple(
        ParagraphTechniques(
            p.line, p.start, p.end,
            tuple(sorted({t.technique for t in spans if t.start < p.end and p.start < t.end})),
        )
        for p in doc.paragraphs
    )  # fmt: skip
    return Analysis(
        document=doc,
        genre=Label("opinion", 0.9),
        paragraph_techniques=paragraphs,
        techniques=tuple(spans),
        quotes=quotes,
        threats=threats,
        model_versions={"techniques": "test-1"},
    )


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    """A store on SQLite and on PostgreSQL with two documents (no gold yet)."""
    s = open_store(db_url)
    s.add(_analysis(), source="harbour-news")
    s.add(_analysis("Quiet news\nThe council met on Tuesday.\n", "quiet"), source="quiet-news")
    yield s
    s.close()


def _exported(store: Store) -> list[dict[str, Any]]:
    """The tasks as Label Studio exports them once an analyst accepted the predictions."""
    tasks = []
    for i, row in enumerate(store.export_rows(), start=1):
        task = task_of(row)
        annotation = {"id": 100 + i, "completed_by": 7, "was_cancelled": False,
                      "updated_at": "2026-12-04T10:00:00Z",
                      "result": copy.deepcopy(task["predictions"][0]["result"])}  # fmt: skip
        tasks.append({"id": i, **task, "annotations": [annotation]})
    return tasks


def _techniques(task: dict[str, Any]) -> list[dict[str, Any]]:
    return [r for r in task["annotations"][0]["result"] if r.get("from_name") == "technique"]


def test_offsets_count_utf16_units_like_label_studio() -> None:
    start, _ = _at("reckless crooks")
    assert to_utf16(TEXT, start) == start + 1  # the emoji is two units
    assert from_utf16(TEXT, to_utf16(TEXT, start)) == start
    assert from_utf16(TEXT, TEXT.index("😡") + 1) is None  # inside the surrogate pair
    assert to_utf16("plain", 3) == 3


def test_export_pre_annotates_every_finding_with_offsets_label_studio_reads(store: Store) -> None:
    row = next(store.export_rows())
    task = task_of(row)
    assert task["data"]["text"] == TEXT and task["data"]["sha256"] == row["sha256"]
    result = task["predictions"][0]["result"]
    by = {(r.get("from_name"), r.get("type")): r for r in result}
    names = {r["value"]["labels"][0] for r in result if r.get("from_name") == "technique"}
    assert names == {"Name_Calling-Labeling", "Doubt", "Loaded_Language"}  # hidden ones too
    utf16 = TEXT.encode("utf-16-le")
    for r in result:
        if r.get("type") == "labels":
            v = r["value"]
            # what a JavaScript string slice would give
            assert utf16[2 * v["start"] : 2 * v["end"]].decode("utf-16-le") == v["text"]
    assert by[("genre", "choices")]["value"]["choices"] == ["opinion"]
    relation = next(r for r in result if r.get("type") == "relation")
    assert {relation["from_id"], relation["to_id"]} == {"q0", "s0"}
    assert by[("threat", "labels")]["value"]["labels"] == ["medium"]
    config = label_config()
    for name in ("technique", "voice", "threat", "genre"):
        assert f'name="{name}"' in config
    assert 'value="Name_Calling-Labeling"' in config and 'value="$text"' in config


def test_accepted_predictions_score_one_and_a_corrected_label_lowers_flc(store: Store) -> None:
    tasks = _exported(store)
    report = gold_drafts(store, tasks)
    assert report.problems == []
    from proplens.store.gold import add_gold

    add_gold(store, report.drafts)
    score = score_gold(store, stored=True)
    assert score.value == pytest.approx(1.0) and score.extra["SI-F1"] == pytest.approx(1.0)
    assert score.extra["paragraph techniques micro-F1"] == pytest.approx(1.0)
    # the analyst says the name calling is loaded language: labels change, spans do not
    _techniques(tasks[0])[0]["value"]["labels"] = ["Loaded_Language"]
    tasks[0]["annotations"][0]["updated_at"] = "2026-12-04T11:00:00Z"
    add_gold(store, gold_drafts(store, tasks).drafts)
    score = score_gold(store, stored=True)
    assert score.extra["SI-F1"] == pytest.approx(1.0)
    # gold: LL x2 (merged where they touch? they do not), Doubt; predicted: NC, Doubt, LL
    assert score.value == pytest.approx(2 / 3)
    # paragraph 2: gold {LL, Doubt} against {NC, Doubt}; paragraph 3: LL against LL
    assert score.extra["paragraph techniques micro-F1"] == pytest.approx(2 / 3)
    assert score.per_class["Name_Calling-Labeling"].precision == 0.0
    versions = gold_versions_of(store, latest_gold(store)[0].document_id)
    assert [v.version for v in versions] == [1, 2]  # the first correction is kept
    # proplens's own predictions are untouched
    stored = store.get(latest_gold(store)[0].document_id)
    assert stored is not None
    assert {t["technique"] for t in stored["analysis"]["techniques"]} >= {"Name_Calling-Labeling"}


def test_every_gold_offset_lands_on_the_same_characters(store: Store) -> None:
    from proplens.store.gold import add_gold

    add_gold(store, gold_drafts(store, _exported(store)).drafts)
    gold = latest_gold(store)[0]
    texts = {gold.document_id: TEXT}
    row = store.get(gold.document_id)
    assert row is not None and row["text"] == texts[gold.document_id]
    found = {(a.kind, TEXT[a.start : a.end]) for a in gold.annotations if a.start is not None}
    assert ("technique", "reckless crooks") in found
    assert ("quote", "The plan is a disgrace,") in found
    assert ("speaker", "Ada Vane") in found
    quote = next(a for a in gold.annotations if a.kind == "quote")
    assert quote.speaker == "Ada Vane"
    assert gold.label("genre") == "opinion"


def test_text_whose_line_ends_label_studio_rewrote_is_realigned(store: Store) -> None:
    tasks = _exported(store)
    crlf = TEXT.replace("\n", "\r\n")
    for r in tasks[0]["annotations"][0]["result"]:
        if r.get("type") == "labels":
            v = r["value"]  # no region crosses a line end, so its text is unchanged
            v["start"] = to_utf16(crlf, crlf.index(v["text"]))
            v["end"] = v["start"] + len(v["text"])
    tasks[0]["data"]["text"] = crlf
    report = gold_drafts(store, tasks)
    assert report.problems == []
    spans = {TEXT[a.start : a.end] for a in report.drafts[0].annotations if a.start is not None}
    assert "Can we trust them?" in spans and "Ada Vane" in spans


def test_bad_regions_and_foreign_tasks_are_named_and_the_rest_imported(
    store: Store, tmp_path: Path
) -> None:
    tasks = _exported(store)
    _techniques(tasks[0])[0]["value"]["start"] += 3  # no longer on its words
    tasks.append({"id": 99, "data": {"image": "cat.png"}, "annotations": []})
    path = tmp_path / "export.json"
    path.write_text(json.dumps(tasks))
    db = store.url
    before = store.get(1)
    result = CliRunner().invoke(main, ["corpus", "import-labels", str(path), "--db", db])
    assert result.exit_code == 1
    assert "task 1 (harbour)" in result.output and "do not hold the region's text" in result.output
    assert "task 99: no data.text" in result.output
    assert "imported 1 gold version(s)" in result.output  # the quiet document
    assert [v.document_id for v in latest_gold(store)] == [2]
    assert store.get(1) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "malformed JSON at line 1"),
        (b"\xff\xfe\x00garbage", "not UTF-8"),
        (b'{"tasks": 3}', "not a Label Studio JSON export"),
    ],
)
def test_unreadable_exports_are_refused_with_the_file_named(
    store: Store, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    result = CliRunner().invoke(main, ["corpus", "import-labels", str(path), "--db", store.url])
    assert result.exit_code == 1
    assert str(path) in result.output and message in result.output


def test_cli_export_config_and_evaluate_without_gold(store: Store, tmp_path: Path) -> None:
    out = tmp_path / "tasks.json"
    runner = CliRunner()
    result = runner.invoke(
        main, ["corpus", "export", "--format", "label-studio", "-o", str(out), "--db", store.url]
    )
    assert result.exit_code == 0, result.output
    assert [t["data"]["doc_id"] for t in json.loads(out.read_text())] == ["harbour", "quiet"]
    some = runner.invoke(
        main, ["corpus", "export", "--format", "label-studio", "-o", str(out), "--db", store.url,
               "--source", "quiet-news", "--limit", "5"],
    )  # fmt: skip
    assert some.exit_code == 0 and "exported 1 document(s)" in some.output
    assert [t["data"]["doc_id"] for t in json.loads(out.read_text())] == ["quiet"]
    config = runner.invoke(main, ["labelstudio", "config"])
    assert config.output.startswith("<View>")
    empty = runner.invoke(main, ["evaluate", "gold", "--db", store.url])
    assert empty.exit_code == 1 and "no gold annotations" in empty.output
    missing = runner.invoke(main, ["evaluate", "si"])
    assert missing.exit_code == 2 and "needs the GOLD and PRED files" in missing.output
