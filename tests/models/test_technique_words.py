"""The word-level technique model: line-break independence, spans, calibration, training."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from helpers import OPED, WEB_ARTICLE, word_inputs_of
from proplens.analysis import TechniqueSpan
from proplens.cli import main
from proplens.document import Document
from proplens.models import base
from proplens.models.technique_words import (
    SHIPPED_MODEL,
    WordTechniqueModel,
    overlap_targets,
    sentence_features,
    word_features,
    word_runs,
)
from proplens.models.techniques import RawSpan, stop_words
from proplens.techniques import TECHNIQUES
from proplens.training.rebreak import line_labels, rebreak, rebroken
from proplens.training.technique_words import (
    calibration_report,
    display_thresholds,
    fit_calibration,
)

HAS_TORCH = importlib.util.find_spec("torch") is not None
#: A text written for the tests, with name calling and loaded language in long paragraphs.
ARTICLE = (
    "The Council's Shameful Betrayal\n"
    "These corrupt bureaucrats lied to every family in the valley. They promised clean "
    "water and delivered poison. Can anyone still trust a word they say? The mayor, a "
    "puppet of the developers, voted for the plan without reading it.\n"
    "The report was published on Tuesday. It lists the costs of the new pipes and the "
    "dates of the works. Residents can read it at the library.\n"
    "Either we stop this disgraceful scheme now or we lose our valley forever. True "
    "patriots will stand up for their homes!\n"
)


def shipped() -> WordTechniqueModel:
    model: WordTechniqueModel = base.shipped(SHIPPED_MODEL)
    return model


def spans_of(text: str) -> list[RawSpan]:
    doc = Document.from_text(text, lang="en")
    model = shipped()
    return model.spans(doc, model.predict_proba([word_inputs_of(doc)])[0])


def test_rebreaking_keeps_every_offset_and_derives_line_labels() -> None:
    doc = Document.from_text("Title here\nOne thing. Two things!  Three?\n\nNext. Yes.\nLast.")
    by_sentence, pairs = rebreak(doc, "sentences"), rebreak(doc, "pairs")
    assert len(by_sentence) == len(pairs) == len(doc.text)
    assert by_sentence.replace("\n", " ") == doc.text.replace("\n", " ")
    assert by_sentence.split("\n")[1:3] == ["One thing.", "Two things!"]
    assert pairs.split("\n")[0] == "Title here One thing. Two things!  Three?"
    again = rebroken(doc, "sentences")
    start = doc.text.index("Two")
    labels = line_labels(again, [("Doubt", start, start + 3)])
    assert {line for line, t in labels.items() if t} == {3}
    with pytest.raises(ValueError, match="unknown breaking"):
        rebreak(doc, "clauses")


@pytest.mark.parametrize("how", ["sentences", "pairs"])
def test_rebreaking_a_text_moves_no_span(how: str) -> None:
    """Every sentence ends in punctuation here: a headline without a full stop joined to the
    next line becomes part of that sentence, which is a different text."""
    body = ARTICLE.split("\n", 1)[1]
    doc = Document.from_text(body, lang="en")
    before = spans_of(body)
    after = spans_of(rebreak(doc, how))
    assert before, "the test article should give spans"
    assert [(s.start, s.end, s.technique) for s in after] == [
        (s.start, s.end, s.technique) for s in before
    ]
    assert np.allclose([s.score for s in after], [s.score for s in before], atol=1e-4)


def test_a_technique_of_a_line_stays_with_the_line_that_holds_it() -> None:
    """Joining lines never loses a technique one of them had (paragraph labels read the
    best sentence and word inside, nothing of the paragraph's length)."""
    model = shipped()
    doc = Document.from_text(ARTICLE, lang="en")
    joined = rebroken(doc, "pairs")
    labels = model.predict([word_inputs_of(doc)])[0].paragraphs
    joined_labels = model.predict([word_inputs_of(joined)])[0].paragraphs
    for p in doc.paragraphs:
        holder = next(q for q in joined.paragraphs if q.start <= p.start < q.end)
        assert labels[p.line] <= joined_labels[holder.line]


def test_spans_end_on_words_never_on_function_words() -> None:
    stops = stop_words("en")
    found = spans_of(ARTICLE + OPED + WEB_ARTICLE)
    assert found
    text = ARTICLE + OPED + WEB_ARTICLE
    for s in found:
        words = text[s.start : s.end].split()
        assert words[0].strip("\"'(“").lower() not in stops, text[s.start : s.end]
        assert words[-1].strip(".,!?\"')”").lower() not in stops, text[s.start : s.end]
        assert text[s.start].isalnum() and text[s.end - 1].isalnum()
        assert 0.0 <= s.score <= 1.0 and s.reason


def test_the_shipped_model_finds_name_calling_and_loaded_language() -> None:
    found = {(ARTICLE[s.start : s.end], s.technique) for s in spans_of(ARTICLE)}
    techniques = {t for _, t in found}
    assert {"Name_Calling-Labeling", "Loaded_Language"} & techniques, found
    # the plain reporting paragraph gives no span
    plain = ARTICLE.index("The report was published")
    plain_end = ARTICLE.index("Either we stop")
    assert not [s for s in spans_of(ARTICLE) if plain <= s.start and s.end <= plain_end]


def test_word_runs_bridge_small_gaps_and_trim_function_words() -> None:
    p = np.array([0.9, 0.1, 0.8, 0.1, 0.1, 0.1, 0.1, 0.1, 0.7, 0.9], np.float32)
    stop = np.array([True, False, False, False, False, False, False, False, False, True])
    assert word_runs(p, 0.5, stop) == [(2, 2), (8, 8)]
    assert word_runs(p, 0.95, stop) == []


def test_features_and_targets_line_up_with_the_document() -> None:
    doc = Document.from_text(ARTICLE, lang="en")
    inputs = word_inputs_of(doc)
    assert inputs.word_vectors is not None and inputs.sentence_vectors is not None
    words = word_features(doc, inputs.word_vectors, inputs.sentence_vectors)
    sentences = sentence_features(doc, inputs.sentence_vectors)
    assert words.shape[0] == len(doc.words) and sentences.shape[0] == len(doc.sentences)
    start = ARTICLE.index("corrupt bureaucrats")
    y = overlap_targets(doc.words, [("Name_Calling-Labeling", start, start + 19)])
    marked = [doc.span_text(w) for w, row in zip(doc.words, y, strict=True) if row.any()]
    assert marked == ["corrupt", "bureaucrats"]


def test_a_model_without_word_vectors_is_an_error() -> None:
    from proplens.models.base import Inputs, MissingVectors

    doc = Document.from_text(ARTICLE, lang="en")
    inputs = word_inputs_of(doc)
    with pytest.raises(MissingVectors, match="word vectors"):
        shipped().predict_proba([Inputs(doc, inputs.paragraph_vectors, inputs.sentence_vectors)])


def _span(score: float, tech: str = "Loaded_Language") -> RawSpan:
    return RawSpan(0, 1, tech, score, "r")


def test_calibration_maps_scores_to_observed_rates() -> None:
    rng = np.random.default_rng(0)
    rows = []
    for _ in range(2000):
        raw = float(rng.uniform(0.05, 0.95))
        hit = bool(rng.random() < raw**2)  # raw scores overstate the rate
        rows.append((0, _span(raw), hit))
    cal = fit_calibration(rows)
    model = WordTechniqueModel(calibration_=cal)
    assert model.calibrated("Loaded_Language", 0.5) < 0.4
    scored = [(model.calibrated("Loaded_Language", s.score), h, False) for _, s, h in rows]
    raw_report = calibration_report([(s.score, h, False) for _, s, h in rows])
    assert calibration_report(scored)["ece"] < raw_report["ece"]
    shown = display_thresholds(rows, cal)
    kept = [
        h
        for _, s, h in rows
        if model.calibrated("Loaded_Language", s.score) >= shown["Loaded_Language"]
    ]
    assert kept and sum(kept) / len(kept) >= 0.6
    assert shown["Doubt"] == 1.01  # no spans: never shown by default


def test_html_report_hides_uncertain_spans_behind_a_switch() -> None:
    from proplens.analysis import Analysis
    from proplens.report.html import render_html

    doc = Document.from_text("Title\nThese corrupt thugs lied again.\n", lang="en")
    start = doc.text.index("corrupt")
    spans = (
        TechniqueSpan(start, start + 13, "Name_Calling-Labeling", 0.9, "sure", shown=True),
        TechniqueSpan(start + 19, start + 24, "Loaded_Language", 0.2, "unsure", shown=False),
    )
    page = render_html(Analysis(document=doc, techniques=spans))
    assert 'id="allspans"' in page and "show all 2 spans" in page
    assert page.count('class="seg l1') == 1 and 'class="seg low' in page
    payload = Analysis(document=doc, techniques=spans).to_dict()
    assert [t["shown"] for t in payload["techniques"]] == [True, False]


@pytest.mark.skipif(not HAS_TORCH, reason="needs the train extra (torch)")
def test_training_measures_three_breakings_and_the_cli_uses_the_model(
    tiny_semeval: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "words"
    result = CliRunner().invoke(
        main,
        ["train", "techniques", "--data", str(tiny_semeval), "--langs", "en", "--out", str(out),
         "--epochs", "2", "--workers", "1", "--cv-dir", str(tmp_path / "cv")],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = json.loads((out / "config.json").read_text())
    for how in ("paragraphs", "sentences", "pairs"):
        assert 0.0 <= config["cv"]["en"][f"st3_{how}"] <= 1.0
    assert "ece" in config["cv"]["calibration"]
    assert (out / "projection.npz").exists() and (out / "README.md").exists()
    assert (tmp_path / "cv" / "en" / "sentences" / "pred-st3.txt").exists()
    loaded = base.load(out)
    assert isinstance(loaded, WordTechniqueModel) and loaded.span_thresholds_
    monkeypatch.setenv("PROPLENS_TECHNIQUES_MODEL", str(out))
    article = tmp_path / "a.txt"
    article.write_text("Title\nThese corrupt thugs have ruined the town.\n")
    analysed = CliRunner().invoke(main, ["analyze", str(article), "--lang", "en"])
    assert analysed.exit_code == 0, analysed.output
    assert json.loads(analysed.stdout)["models"]["techniques"] == loaded.version
    assert set(TECHNIQUES) >= set(loaded.paragraph_thresholds_)
