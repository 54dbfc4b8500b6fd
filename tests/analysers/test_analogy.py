"""Veiled calls by historical analogy (analysers/analogy.py, through the threats analyser)."""

import json
from pathlib import Path

import proplens
from proplens.analysers.analogy import analogy_calls, passage_figures
from proplens.analysis import Analysis, Threat

PASSAGES = Path(__file__).parents[2] / "data" / "threats" / "analogy.jsonl"

UPRISING = (
    "Letters from the valley\n"
    "The town council met on Tuesday. "
    "In 1921 the farmers of Norland took up arms against the foreign occupiers and drove them "
    "out. The parallels with today are quite apt.\n"
)


def test_written_passages_precision_and_recall() -> None:
    rows = [json.loads(line) for line in PASSAGES.read_text(encoding="utf-8").splitlines()]
    figures = passage_figures(rows)
    assert figures["calls"] == 30 and len(rows) - figures["calls"] == 36
    assert figures["precision"] >= 0.9
    assert figures["recall"] >= 0.6


def _analogy(text: str) -> list[Threat]:
    threats = proplens.analyse(text, lang="en").threats
    return [t for t in threats if "historical analogy" in (t.reason or "")]


def test_an_analogy_call_spans_its_sentences_with_a_reason() -> None:
    analysis = proplens.analyse(UPRISING, lang="en")
    # the detector alone flags the tale of the uprising; the call replaces that flag
    (threat,) = analysis.threats
    flagged = UPRISING[threat.start : threat.end]
    assert flagged.startswith("In 1921") and flagged.endswith("quite apt.")
    assert threat.severity == "low"
    assert threat.reason is not None and "historical analogy" in threat.reason
    assert "past armed struggle" in threat.reason
    again = Analysis.from_dict(json.loads(json.dumps(analysis.to_dict())), UPRISING)
    assert again.threats == analysis.threats


def test_the_peaceful_twin_is_not_flagged() -> None:
    peaceful = UPRISING.replace(
        "The parallels with today are quite apt.",
        "History must not repeat itself, so both sides should keep talking.",
    )
    assert _analogy(peaceful) == []
    strike = UPRISING.replace("took up arms against", "went on strike against")
    assert _analogy(strike) == []


def test_a_shaming_question_after_a_past_rising_is_a_call() -> None:
    texts = [
        "Back then, the highlanders answered the foreign garrison with their rifles.",
        "Will their sons this time meekly bow to the garrison's heirs?",
    ]
    (call,) = analogy_calls(texts, [0, 0])
    assert (call.first, call.last, call.severity) == (0, 1, "low")
    armed = ["The uprising of our grandfathers ended the occupation.", texts[1]]
    assert analogy_calls(armed, [0, 0])[0].severity == "medium"
    assert analogy_calls(texts, [0, 1]) == []  # never across paragraphs


def test_detector_threats_carry_a_reason() -> None:
    text = "Note\nWe will kill Mayor Tom Hale if he shows his face here again.\n"
    (threat,) = proplens.analyse(text, lang="en").threats
    assert threat.reason is not None and threat.reason.startswith("threat detector")
    assert "high: lethal harm named ('kill')" in threat.reason


def test_analogy_rules_are_english_only() -> None:
    french = (
        "Lettre\nEn 1921, les paysans prirent les armes contre les occupants. "
        "Les parallèles avec aujourd'hui sont évidents.\n"
    )
    assert all(
        "historical analogy" not in (t.reason or "")
        for t in proplens.analyse(french, lang="fr").threats
    )
