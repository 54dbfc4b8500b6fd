"""Repetition spans say what the article repeats, so a reader can count it."""

import numpy as np

import proplens
from helpers import inputs_of, sentence_vectors_of
from proplens.document import Document, Span
from proplens.models import base
from proplens.models.techniques import repeated_phrases, repetition_reason
from proplens.techniques import TECHNIQUES

TEXT = (
    "Stand up now\n"
    "Our town deserves clean water. Stand up for clean water, stand up for our children.\n"
    "They lie to you every day. They lie about the water, they lie about the jobs.\n"
    "Stand up for clean water before it is too late. The river is wide.\n"
)


def test_repeated_phrases_skip_function_word_edges_and_single_words_said_twice() -> None:
    doc = Document.from_text(TEXT + "The river is wide.\n", lang="en")
    repeated = repeated_phrases(doc)
    assert len(repeated["stand"]) == 4 and len(repeated["lie"]) == 3
    assert len(repeated["clean water"]) == 3
    assert "river" not in repeated  # a single word said twice is no device
    assert not any(g.split()[0] in {"the", "for", "our"} for g in repeated)
    assert not any(g.split()[-1] in {"up", "for", "about"} for g in repeated)


def test_the_reason_names_the_longest_repeated_phrase_of_the_sentence() -> None:
    doc = Document.from_text(TEXT, lang="en")
    repeated = repeated_phrases(doc)
    sent = Span(TEXT.index("Stand up for clean water before"), TEXT.index(" The river"))
    reason = repetition_reason(TEXT, sent, repeated)
    assert reason is not None and reason.startswith("'clean water' comes 3 times in the article.")
    calm = Span(TEXT.index("The river"), len(TEXT) - 1)
    assert repetition_reason(TEXT, calm, repeated) is None


def test_the_reason_quotes_the_phrase_as_the_sentence_writes_it() -> None:
    text = "Water is life.\nWater is ours. We drink the water.\n"
    repeated = repeated_phrases(Document.from_text(text, lang="en"))
    sent = Span(text.index("Water is ours"), text.index(" We drink"))
    reason = repetition_reason(text, sent, repeated)
    assert reason is not None and reason.startswith("'Water' comes 3 times in the article.")


def test_repetition_spans_of_the_shipped_model_name_a_repeated_phrase() -> None:
    """The likelier half of the words let through: only runs that repeat a phrase of the
    article elsewhere stay Repetition, each naming its phrase as the text writes it."""
    model = base.shipped("techniques-words")
    doc = Document.from_text(TEXT, lang="en")
    (probs,) = model.predict_proba([inputs_of(doc)])
    column = probs.words[:, list(TECHNIQUES).index("Repetition")]
    spans = model.spans(doc, probs, {"Repetition": float(np.median(column))})
    assert spans and {s.technique for s in spans} == {"Repetition"}
    calm = TEXT.index("The river")
    assert not any(s.start <= calm < s.end for s in spans)  # repeats nothing
    for span in spans:
        assert span.reason.startswith("'")
        phrase = span.reason.split("'")[1]
        assert phrase in TEXT[span.start : span.end]  # as the sentence writes it
        assert TEXT.lower().count(phrase.lower()) >= 2
    found = proplens.analyse(TEXT, lang="en").techniques
    assert all(t.reason.startswith("'") for t in found if t.technique == "Repetition")


def test_a_sentence_that_repeats_nothing_is_never_repetition() -> None:
    # The sentence model alone gives short sentences a high Repetition probability.
    model = base.shipped("techniques-linear")
    for text in ("The mayor lied.", "The mayor lied. The harbour opens in May."):
        doc = proplens.analyse(text, lang="en", pipeline=["language", "parse"]).document
        probs = model.sentence_probs(doc, sentence_vectors_of(doc))
        rep = model.sentence.labels.index("Repetition")
        assert probs[0, rep] >= model.sentence.thresholds_["Repetition"]  # it would fire
        assert not [s for s in model.spans(doc, probs) if s[2] == "Repetition"]
