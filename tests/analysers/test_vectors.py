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


@pytest.mark.parametrize("rows", [376, 3])  # whole sentences, or windows of three tokens
def test_one_pass_gives_the_vectors_of_two_passes(
    rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # paragraphs of one to five sentences, some shorter than the features' reach
    monkeypatch.setattr(encoders, "WINDOW_ROWS", rows)
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


def test_windows_give_the_word_vectors_of_whole_sentences(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = Document.from_text(LONG, lang="en")
    whole = encoders.document_features(doc)
    monkeypatch.setattr(encoders, "WINDOW_ROWS", 5)
    windowed = encoders.document_features(doc)
    for a, b in zip(whole, windowed, strict=True):
        assert a.shape == b.shape and np.allclose(a, b, atol=1e-5)


@pytest.mark.parametrize(
    "text",
    ["a" * 100_000, "Lie. " * 20_000],  # a token of 50,000 pieces; a line of 20,000 sentences
    ids=["huge-token", "many-sentences"],
)
def test_vectors_of_a_hostile_text_hold_little_memory(text: str) -> None:
    """Token features are 5 kB a token: held for the whole of such a text they took
    gigabytes (#22). Only a window of them is held at once now."""
    import tracemalloc

    doc = Document.from_text(text, lang="en")
    assert doc.words and doc.sentences  # segmentation is the document's, not the step's
    encoders.document_features(Document.from_text("Warm up.", lang="en"))
    tracemalloc.start()
    try:
        paragraphs, sentences, words = encoders.document_features(doc)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    held = paragraphs.nbytes + sentences.nbytes + words.nbytes
    assert peak < held * 3 + 128 * 2**20, f"peak {peak / 2**20:.0f} MiB"
