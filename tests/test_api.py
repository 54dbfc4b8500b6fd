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
    assert set(payload["models"]) == {"genre", "frames", "narratives", "techniques", "threats"}
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


def test_analyse_many_keeps_going_past_a_broken_document_and_reads_lazily() -> None:
    from proplens.api import analyse_many
    from proplens.document import Document

    @analyser("refuses_bad_words", requires=["text"])
    def refuses(analysis: Analysis) -> Mapping[str, Any]:
        if "BAD" in analysis.document.text:
            raise RuntimeError("cannot read BAD")
        return {}

    read: list[str] = []

    def documents():  # type: ignore[no-untyped-def]
        for i, text in enumerate(["fine text", "BAD text", "more text"]):
            read.append(text)
            yield Document.from_text(text, id=f"d{i}")

    results = analyse_many(documents(), ["refuses_bad_words"])
    doc, first = next(results)
    assert doc.id == "d0" and isinstance(first, Analysis) and read == ["fine text"]
    rest = list(results)
    assert [d.id for d, _ in rest] == ["d1", "d2"]
    assert rest[0][1] == "analysis failed (RuntimeError: cannot read BAD)"
    assert isinstance(rest[1][1], Analysis)
