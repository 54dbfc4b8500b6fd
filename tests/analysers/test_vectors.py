"""Paragraph and sentence vectors from the vectors step, in one pass, as two passes give."""

import numpy as np
import pytest

import proplens
from proplens.analysers.vectors import PARAGRAPH_VECTORS as ARTIFACT
from proplens.analysers.vectors import SENTENCE_VECTORS as SENTENCE_ARTIFACT
from proplens.document import Document
from proplens.models import encoders
from proplens.models.encoders import document_vectors, embed_nested, sentence_vectors

TEXT = "Title\nThe council met on Tuesday. It approved the budget.\n\nThe mayor was pleased.\n"
LONG = (
    "Title of a longer piece\n"
    "The council met on Tuesday. It approved the budget! Was it wise? Critics say no. "
    "They call the plan a costly mistake that will haunt the town for a decade.\n"
    "Short one. Two. Three words here. And a fourth sentence that runs on for a while, "
    'with commas, clauses and a quote: "we will see", said the clerk.\n'
    "One sentence only.\n"
)


def test_vectors_step_computes_paragraph_and_sentence_vectors() -> None:
    analysis = proplens.analyse(TEXT, lang="en", pipeline=["language", "vectors"])
    assert analysis.artifacts[ARTIFACT].shape == (len(analysis.document.paragraphs), 518)
    assert analysis.artifacts[SENTENCE_ARTIFACT].shape == (len(analysis.document.sentences), 518)


@pytest.mark.parametrize("chunk", [8192, 30])  # all paragraphs at once, or one by one
def test_one_pass_gives_the_vectors_of_two_passes(
    chunk: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # paragraphs of one to five sentences, some shorter than the features' reach
    monkeypatch.setattr(encoders, "CHUNK_TOKENS", chunk)
    doc = Document.from_text(LONG, lang="en")
    analysis = proplens.analyse(LONG, lang="en", pipeline=["language", "vectors"])
    assert np.allclose(analysis.artifacts[ARTIFACT], document_vectors(doc), atol=1e-5)
    assert np.allclose(analysis.artifacts[SENTENCE_ARTIFACT], sentence_vectors(doc), atol=1e-5)


def test_nested_embedding_of_empty_groups() -> None:
    sentences, groups = embed_nested([["One."], [], ["Two.", "Three."]], ["en", "en", "en"])
    assert sentences.shape == (3, 518) and groups.shape == (3, 518)
    assert not groups[1][:512].any()  # the language one-hot stays


def test_no_analyser_embeds_for_itself() -> None:
    """The vectors step is the only place sentences are embedded: a pipeline that reads
    vectors without it is refused, one that only ``uses`` them runs without."""
    from proplens.registry import PipelineError

    with pytest.raises(PipelineError, match="'threats' needs sentence_vectors"):
        proplens.analyse(TEXT, lang="ru", pipeline=["language", "threats"])
    analysis = proplens.analyse(TEXT, lang="ru", pipeline=["language", "parse", "actors"])
    assert "sentence_vectors" not in analysis.artifacts
