"""Repetition spans say what the article repeats, so a reader can count it."""

import proplens
from helpers import sentence_vectors_of
from proplens.document import Document, Span
from proplens.models import base
from proplens.models.techniques import repeated_phrases, repetition_reason

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


def test_repetition_spans_from_the_pipeline_name_a_repeated_phrase() -> None:
    analysis = proplens.analyse(TEXT, lang="en")
    spans = [t for t in analysis.techniques if t.technique == "Repetition"]
    named = [s for s in spans if s.reason.startswith("'")]
    assert named, "the shipped model marks this text's repetitions and names them"
    for span in named:
        phrase = span.reason.split("'")[1]
        assert phrase in TEXT[span.start : span.end]  # as the sentence writes it
        assert TEXT.lower().count(phrase.lower()) >= 2
    assert len(named) == len(spans)  # every Repetition span repeats something


def test_a_sentence_that_repeats_nothing_is_never_repetition() -> None:
    # The sentence model alone gives short sentences a high Repetition probability.
    model = base.shipped("techniques-linear")
    for text in ("The mayor lied.", "The mayor lied. The harbour opens in May."):
        doc = proplens.analyse(text, lang="en", pipeline=["language", "parse"]).document
        probs = model.sentence_probs(doc, sentence_vectors_of(doc))
        rep = model.sentence.labels.index("Repetition")
        assert probs[0, rep] >= model.sentence.thresholds_["Repetition"]  # it would fire
        assert not [s for s in model.spans(doc, probs) if s[2] == "Repetition"]
