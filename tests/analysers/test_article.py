"""Genre and frames through the public API with the shipped models."""

import pytest

import proplens
from proplens.analysers.vectors import PARAGRAPH_VECTORS
from proplens.registry import PipelineError

NEWS = (
    "Council approves new harbour bridge budget\n"
    "The Northbay city council on Tuesday approved a 12 million euro budget for a new bridge "
    "over the harbour, officials said.\n"
    "The vote passed 14 to 3 after a two-hour debate, according to the council's press office.\n"
    '"Construction will start in the spring and should take two years," deputy mayor Ana Ruiz '
    "told reporters after the session.\n"
    "Opposition councillor Peter Lind said the cost estimates were too optimistic and asked for "
    "an independent review.\n"
    "The regional government will cover 40 percent of the cost, a spokesperson for the regional "
    "transport ministry said on Wednesday.\n"
    "The old bridge, built in 1962, was closed to heavy traffic last year after inspectors found "
    "corrosion in its supports.\n"
)


def test_a_plain_english_news_report_is_reporting() -> None:
    """The English training data is 90% opinion; the model must not learn 'English = opinion'."""
    analysis = proplens.analyse(NEWS)
    assert analysis.document.lang == "en"
    assert analysis.genre is not None and analysis.genre.label == "reporting"


def test_paragraph_vectors_come_from_the_vectors_step_only() -> None:
    analysis = proplens.analyse(NEWS, pipeline=["language", "vectors", "genre", "frames"])
    vectors = analysis.artifacts[PARAGRAPH_VECTORS]
    assert vectors.shape == (len(analysis.document.paragraphs), 518)
    assert analysis.genre is not None and analysis.genre.label == "reporting"
    # without the step, genre does not compute vectors of its own: the pipeline is refused
    with pytest.raises(PipelineError, match="'genre' needs paragraph_vectors"):
        proplens.analyse(NEWS, pipeline=["language", "genre"])
