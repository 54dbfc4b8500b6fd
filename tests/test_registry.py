from collections.abc import Mapping
from typing import Any

import pytest

from proplens.analysis import Analysis, Label
from proplens.document import Document
from proplens.registry import Pipeline, PipelineError, analyser, registered


def test_builtin_analysers_are_registered() -> None:
    names = registered()
    assert {"language", "genre", "frames", "quotes", "techniques", "speakers"} <= set(names)
    assert names["techniques"].requires == ("paragraphs", "sentences", "tokens", "lang")


def test_unknown_analyser_fails_before_any_document() -> None:
    with pytest.raises(PipelineError, match="unknown analyser 'nope'"):
        Pipeline(["language", "nope"])


def test_unmet_requirement_fails_at_build_time() -> None:
    with pytest.raises(PipelineError, match="'techniques' needs lang"):
        Pipeline(["techniques"])
    with pytest.raises(PipelineError, match="'speakers' needs techniques, quotes"):
        Pipeline(["language", "speakers"])


def test_a_new_analyser_is_one_function() -> None:
    @analyser("shouting_genre", requires=["text"], produces=["genre"])
    def shouting(analysis: Analysis) -> Mapping[str, Any]:
        text = analysis.document.text
        caps = sum(c.isupper() for c in text) / max(1, sum(c.isalpha() for c in text))
        return {"genre": Label("opinion" if caps > 0.5 else "reporting", caps)}

    result = Pipeline(["shouting_genre"])(Document.from_text("STOP THE DAM NOW"))
    assert result.genre == Label("opinion", 1.0)
    assert set(result.timings_ms) == {"shouting_genre"}


def test_language_is_detected_or_taken_from_caller() -> None:
    pipe = Pipeline(["language"])
    ru = pipe(Document.from_text("Это очень длинное предложение на русском языке."))
    assert ru.document.lang == "ru"
    assert pipe(Document.from_text("Hallo", lang="ge")).document.lang == "de"
