"""Paragraph vectors from the vectors step; sentence vectors only when an analyser reads them."""

import numpy as np

import proplens
from proplens.analysers.vectors import ARTIFACT, SENTENCE_ARTIFACT

TEXT = "Title\nThe council met on Tuesday. It approved the budget.\n\nThe mayor was pleased.\n"


def test_vectors_step_computes_paragraph_vectors_only() -> None:
    analysis = proplens.analyse(TEXT, lang="en", pipeline=["language", "vectors"])
    assert analysis.artifacts[ARTIFACT].shape == (len(analysis.document.paragraphs), 518)
    assert SENTENCE_ARTIFACT not in analysis.artifacts


def test_sentence_vectors_are_computed_once_and_shared() -> None:
    analysis = proplens.analyse(
        TEXT, lang="ru", pipeline=["language", "vectors", "techniques", "threats"]
    )
    shared = analysis.artifacts[SENTENCE_ARTIFACT]
    assert shared.shape == (len(analysis.document.sentences), 518)
    alone = proplens.analyse(TEXT, lang="ru", pipeline=["language", "threats"])  # computes its own
    assert np.allclose(alone.artifacts[SENTENCE_ARTIFACT], shared)
