"""Veiled calls by historical analogy (rules/analogy.py, through the threats analyser)."""

import json
from pathlib import Path

import proplens
from proplens.analysis import Analysis, Threat
from proplens.eval.analogy import passage_figures
from proplens.rules.analogy import analogy_calls

PASSAGES = Path(__file__).parents[2] / "data" / "threats" / "analogy.jsonl"

UPRISING = (
    "Letters from the valley\n"
    "The town council met on Tuesday. "
    "In 1921 the farmers of Norland took up arms against the foreign occupiers and drove them "
    "out. The parallels with today are very clear.\n"
)


def test_written_passages_precision_and_recall() -> None:
    rows = [json.loads(line) for line in PASSAGES.read_text(encoding="utf-8").splitlines()]
    for lang, calls, negatives in (("en", 30, 36), ("ru", 12, 14)):
        mine = [r for r in rows if r.get("lang", "en") == lang]
        figures = passage_figures(mine)
        assert figures["calls"] == calls and len(mine) - calls == negatives
        assert figures["precision"] >= 0.9, lang
        assert figures["recall"] >= 0.6, lang


def _analogy(text: str) -> list[Threat]:
    threats = proplens.analyse(text, lang="en").threats
    return [t for t in threats if "historical analogy" in (t.reason or "")]


def test_an_analogy_call_spans_its_sentences_with_a_reason() -> None:
    analysis = proplens.analyse(UPRISING, lang="en")
    # the detector alone flags the tale of the uprising; the call replaces that flag
    (threat,) = analysis.threats
    flagged = UPRISING[threat.start : threat.end]
    assert flagged.startswith("In 1921") and flagged.endswith("very clear.")
    assert threat.severity == "low"
    assert threat.reason is not None and "historical analogy" in threat.reason
    assert "past armed struggle" in threat.reason
    again = Analysis.from_dict(json.loads(json.dumps(analysis.to_dict())), UPRISING)
    assert again.threats == analysis.threats


def test_the_peaceful_twin_is_not_flagged() -> None:
    peaceful = UPRISING.replace(
        "The parallels with today are very clear.",
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


def test_russian_has_its_own_word_lists() -> None:
    text = (
        "Письмо из долины\n"
        "В 1921 году крестьяне Норланда взялись за оружие и изгнали захватчиков. "
        "Параллели с сегодняшним днём очевидны.\n"
    )
    threats = proplens.analyse(text, lang="ru").threats
    (call,) = [t for t in threats if "historical analogy" in (t.reason or "")]
    assert text[call.start : call.end].startswith("В 1921") and call.severity == "low"


def test_languages_without_word_lists_get_no_analogy_calls() -> None:
    french = (
        "Lettre\nEn 1921, les paysans prirent les armes contre les occupants. "
        "Les parallèles avec aujourd'hui sont évidents.\n"
    )
    assert all(
        "historical analogy" not in (t.reason or "")
        for t in proplens.analyse(french, lang="fr").threats
    )
    assert (
        analogy_calls(["In 1921 they took up arms.", "History repeats itself."], [0, 0], "fr") == []
    )
