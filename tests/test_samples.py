"""The real sample articles, read from ../shared/samples when that folder exists.

Their text is never copied into the repository; these tests only analyse it.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SHARED, validate
from proplens.cli import main

SAMPLES = SHARED / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")


@pytest.mark.parametrize("name", ["putin-khilafah-opinion.txt", "ussr2-kazakhstan-opinion.txt"])
def test_sample_gives_valid_analysis_with_spans(
    name: str, schema: dict[str, object], tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["analyze", str(SAMPLES / name), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    validate(payload, schema)
    assert payload["document"]["lang"] == "en"
    assert len(payload["techniques"]) >= 5
    assert {"Loaded_Language", "Name_Calling-Labeling"} & {
        t["technique"] for t in payload["techniques"]
    }
    assert payload["quotes"], "both samples quote other people"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["analyze", str(SAMPLES / name), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0 and out.read_text().count("<mark") >= 5


@pytest.fixture(scope="module")
def putin() -> tuple[str, dict]:  # type: ignore[type-arg]
    import proplens

    text = (SAMPLES / "putin-khilafah-opinion.txt").read_text()
    return text, proplens.analyse(text).to_dict()


@pytest.fixture(scope="module")
def ussr2() -> tuple[str, dict]:  # type: ignore[type-arg]
    import proplens

    text = (SAMPLES / "ussr2-kazakhstan-opinion.txt").read_text()
    return text, proplens.analyse(text).to_dict()


def test_putin_sample_as_an_analyst_reads_it(putin: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    _, a = putin
    assert a["genre"]["label"] == "opinion"
    speakers = [q["speaker"] for q in a["quotes"]]
    assert speakers.count("Putin") >= 5
    assert {"Oliver Stone", "the voice of the filmmaker", "Allah Almighty"} <= set(speakers)
    assert None not in speakers  # every quote attributed; titles are not quotes
    assert any(s.startswith("the father of one") for s in speakers)  # a quote across paragraphs
    actors = {x["name"]: x for x in a["actors"]}
    assert actors["Putin"]["stance"] < -0.3
    assert actors["Oliver Stone"]["stance"] < 0
    assert any(t["target"] == "Putin" and t["speaker"] == "author" for t in a["techniques"])
    perish = [t for t in a["threats"] if "will perish" in t["text"]]
    assert perish and perish[0]["target"] == "Putin"
    in_quotes = [t for t in a["techniques"] if t["speaker"] != "author"]
    assert in_quotes, "spans inside quotes are charged to the quoted speakers"


def test_ussr2_sample_as_an_analyst_reads_it(ussr2: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    _, a = ussr2
    assert a["genre"]["label"] == "opinion"
    (quote,) = a["quotes"]
    assert quote["speaker"] == "Kasym-Zhomart Tokayev"
    assert quote["text"].startswith("If it turns out") and quote["text"].endswith("agreements.")
    actors = {x["name"]: x for x in a["actors"]}
    assert actors["Kasym-Zhomart Tokayev"]["stance"] < 0


@pytest.mark.xfail(
    strict=True,
    reason="issue 21: with the word-level model's attack spans the actor treated worst in "
    "the analogy passages is 'Muslim' (stance from attacks aimed at it), not the ruler",
)
def test_ussr2_veiled_calls_by_analogy_are_flagged(ussr2: tuple[str, dict]) -> None:  # type: ignore[type-arg]
    """ussr2 calls to armed struggle only by analogy: a past one, then the present likened to
    it. An analyst flags both passages; the sentence detector alone flagged neither."""
    _, a = ussr2
    calls = [t for t in a["threats"] if "historical analogy" in (t["reason"] or "")]
    assert len(calls) == 2
    assert all(t["end"] - t["start"] > 100 for t in calls)  # each spans its sentences
    assert {t["target"] for t in calls} == {"Kasym-Zhomart Tokayev", "the Soviet Union"}
    assert all(t["severity"] == "low" for t in calls)


#: Phrases any analyst marks first (issue 21), with the techniques that fit them.
ATTACKS = {
    "putin": ["Kremlin mouthpieces", "Putin propagandist", "vile lies"],
    "ussr2": ["accomplice of the occupiers", "new Warsaw Pact"],
}
WORD_LEVEL = {"Name_Calling-Labeling", "Loaded_Language"}


def _overlapping(text: str, a: dict, phrase: str) -> set[str]:  # type: ignore[type-arg]
    start = text.index(phrase)
    end = start + len(phrase)
    return {t["technique"] for t in a["techniques"] if t["start"] < end and start < t["end"]}


@pytest.mark.xfail(
    strict=True, reason="issue 21 target not met: the word-level model misses these phrases"
)
@pytest.mark.parametrize("sample", ["putin", "ussr2"])
def test_samples_obvious_attacks_are_found_as_words(
    sample: str, request: pytest.FixtureRequest
) -> None:
    text, a = request.getfixturevalue(sample)
    for phrase in ATTACKS[sample]:
        assert _overlapping(text, a, phrase) & WORD_LEVEL, phrase


def test_putin_sample_has_no_sentence_labels_on_word_fragments(
    putin: tuple[str, dict],  # type: ignore[type-arg]
) -> None:
    """Spans the sentence-label model gave (issue 21): a film's prize, a compass point, a
    date line are not name calling, loaded language or flag waving."""
    _text, a = putin
    fragments = {
        ("Oscar", "Name_Calling-Labeling"),
        ("West", "Name_Calling-Labeling"),
        ("winning film", "Name_Calling-Labeling"),
        ("respected", "Name_Calling-Labeling"),
        ("sympathizing", "Name_Calling-Labeling"),
        ("life", "Loaded_Language"),
        ("world", "Loaded_Language"),
        ("screen", "Loaded_Language"),
        ("time", "Appeal_to_Fear-Prejudice"),
        ("exposed", "Appeal_to_Fear-Prejudice"),
    }
    found = {(t["text"], t["technique"]) for t in a["techniques"]}
    assert not fragments & found
    dated = [t for t in a["techniques"] if t["text"].startswith("On June 12, 2017")]
    assert not [t for t in dated if t["technique"] == "Flag_Waving"]
