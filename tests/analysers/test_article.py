"""Genre and frames through the public API with the shipped models."""

import proplens
from proplens.analysers.vectors import ARTIFACT

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


def test_paragraph_vectors_are_computed_once_and_shared() -> None:
    analysis = proplens.analyse(NEWS, pipeline=["language", "vectors", "genre", "frames"])
    vectors = analysis.artifacts[ARTIFACT]
    assert vectors.shape == (len(analysis.document.paragraphs), 518)
    alone = proplens.analyse(NEWS, pipeline=["language", "genre", "frames"])
    # without the step, genre computes the same vectors (in another summation order)
    assert alone.genre is not None and analysis.genre is not None
    assert alone.genre.label == analysis.genre.label
    assert abs(alone.genre.score - analysis.genre.score) < 1e-5
    assert [f.label for f in alone.frames] == [f.label for f in analysis.frames]
