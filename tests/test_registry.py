from collections.abc import Mapping
from typing import Any

import pytest

from proplens.analysis import Analysis, Label
from proplens.document import Document
from proplens.registry import (
    BASE_PROVIDES,
    DEFAULT_PIPELINE,
    Pipeline,
    PipelineError,
    analyser,
    registered,
)


def test_builtin_analysers_are_registered() -> None:
    names = registered()
    assert {"language", "genre", "frames", "quotes", "techniques", "attribution"} <= set(names)
    assert names["techniques"].requires == (
        "paragraphs",
        "sentences",
        "lang",
        "sentence_vectors",
        "word_vectors",
    )


def test_unknown_analyser_fails_before_any_document() -> None:
    with pytest.raises(PipelineError, match="unknown analyser 'nope'"):
        Pipeline(["language", "nope"])


def test_unmet_requirement_fails_at_build_time() -> None:
    with pytest.raises(PipelineError, match="'techniques' needs lang"):
        Pipeline(["techniques"])
    with pytest.raises(PipelineError, match="'techniques' needs sentence_vectors, word_vectors"):
        Pipeline(["language", "techniques"])
    with pytest.raises(PipelineError, match="'attribution' needs quotes"):
        Pipeline(["language", "attribution"])


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


def test_a_result_must_be_exactly_what_is_declared() -> None:
    @analyser("undeclared_frames", requires=["text"], produces=["genre"])
    def undeclared(analysis: Analysis) -> Mapping[str, Any]:
        return {"genre": Label("opinion", 1.0), "frames": (Label("Economic", 0.9),)}

    @analyser("forgets_genre", requires=["text"], produces=["genre", "frames"])
    def forgets(analysis: Analysis) -> Mapping[str, Any]:
        return {"frames": ()}

    with pytest.raises(PipelineError, match=r"undeclared: \['frames'\]"):
        Pipeline(["undeclared_frames"])(Document.from_text("text"))
    with pytest.raises(PipelineError, match=r"missing: \['genre'\]"):
        Pipeline(["forgets_genre"])(Document.from_text("text"))


def test_an_analyser_sees_only_what_it_declares() -> None:
    seen: dict[str, Any] = {}

    @analyser("blind_reader", requires=["text"])
    def blind(analysis: Analysis) -> Mapping[str, Any]:
        seen["blind"] = (analysis.genre, dict(analysis.artifacts))
        return {}

    @analyser("genre_reader", requires=["genre"], uses=["paragraph_vectors"])
    def reader(analysis: Analysis) -> Mapping[str, Any]:
        seen["reader"] = (analysis.genre, set(analysis.artifacts))
        return {}

    @analyser("fixed_genre", requires=["text"], produces=["genre", "secret"])
    def fixed(analysis: Analysis) -> Mapping[str, Any]:
        return {"genre": Label("satire", 0.7), "secret": 42}

    Pipeline(["fixed_genre", "blind_reader", "genre_reader"])(Document.from_text("text"))
    assert seen["blind"] == (None, {})
    assert seen["reader"] == (Label("satire", 0.7), set())


def _known_names() -> set[str]:
    specs = registered()
    produced = {name for spec in specs.values() for name in spec.produces}
    return set(BASE_PROVIDES) | produced


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        (
            "City news\nCritics say Mayor Tom Hale is a corrupt liar. "
            '"We will crush them," said Anna Berg.\n',
            "en",
        ),
        (
            "Новости\nЭтот лживый и преступный режим убийц должен уйти, заявил Иван Петров. "
            "Предатели и воры разграбили страну.\n",
            "ru",
        ),
    ],
)
def test_every_builtin_analyser_keeps_its_declarations(text: str, lang: str) -> None:
    """The default pipeline runs each analyser through the checks above on real text, and
    every name an analyser reads is one some analyser (or the document) provides."""
    specs = registered()
    builtin = {n for n, s in specs.items() if s.func.__module__.startswith("proplens.analysers.")}
    assert builtin == set(DEFAULT_PIPELINE), "every built-in analyser runs here"
    known = _known_names()
    for name in DEFAULT_PIPELINE:
        spec = specs[name]
        assert spec.produces or name == "language", name
        assert set(spec.reads) <= known, (name, set(spec.reads) - known)
    analysis = Pipeline(DEFAULT_PIPELINE)(Document.from_text(text, lang=lang))
    assert set(analysis.timings_ms) == set(DEFAULT_PIPELINE)
    assert analysis.techniques and analysis.actors
    assert {"paragraph_vectors", "sentence_vectors", "parse"} <= set(analysis.artifacts)
