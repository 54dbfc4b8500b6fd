"""The Python API under the CLI: `proplens.analyse`."""

from collections.abc import Mapping
from typing import Any

import proplens
from helpers import OPED, validate
from proplens.analysis import Analysis, TechniqueSpan
from proplens.registry import DEFAULT_PIPELINE, analyser


def test_analyse_returns_schema_valid_analysis(schema: dict[str, object]) -> None:
    analysis = proplens.analyse(OPED)
    payload = analysis.to_dict()
    validate(payload, schema)
    assert payload["document"]["lang"] == "en"
    assert payload["techniques"], "the shipped model finds techniques in a loaded op-ed"
    assert set(payload["timings_ms"]) == set(DEFAULT_PIPELINE)
    assert set(payload["models"]) == {"genre", "frames", "techniques", "span_tagger", "threats"}
    assert payload["genre"]["label"] in {"opinion", "reporting", "satire"}
    assert all(f["score"] > 0 for f in payload["frames"])
    for t in payload["techniques"]:
        assert t["text"] == OPED[t["start"] : t["end"]]
        assert t["reason"].endswith(".")


def test_paragraphs_follow_semeval_lines() -> None:
    analysis = proplens.analyse(OPED, lang="en")
    assert [p.id for p in analysis.paragraph_techniques] == [1, 3, 5, 7]


def test_technique_inside_a_quote_is_charged_to_the_speaker() -> None:
    text = (
        "Report\n"
        '"These corrupt thugs are a disgrace to the nation," said Anna Berg.\n'
        "The thugs must go.\n"
    )

    @analyser("fixed_spans", requires=["paragraphs"], produces=["techniques"])
    def fixed_spans(analysis: Analysis) -> Mapping[str, Any]:
        t = analysis.document.text
        return {
            "techniques": tuple(
                TechniqueSpan(
                    t.index(w), t.index(w) + len(w), "Name_Calling-Labeling", 0.9, "test."
                )
                for w in ("corrupt thugs", "The thugs")
            )
        }

    analysis = proplens.analyse(text, pipeline=["language", "quotes", "fixed_spans", "attribution"])
    (quote,) = analysis.quotes
    assert quote.speaker == "Anna Berg"
    assert text[quote.speaker_start : quote.speaker_end] == "Anna Berg"  # type: ignore[misc]
    assert [t.speaker for t in analysis.techniques] == ["Anna Berg", "author"]
    assert [t["speaker"] for t in analysis.to_dict()["techniques"]] == ["Anna Berg", "author"]


def test_pipeline_subset() -> None:
    analysis = proplens.analyse("Plain words here.", lang="en", pipeline=["language", "quotes"])
    assert analysis.techniques == ()
    assert set(analysis.timings_ms) == {"language", "quotes"}
