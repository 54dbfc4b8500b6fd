from dataclasses import FrozenInstanceError

import pytest

from proplens.document import Document, Span


def test_paragraphs_are_nonempty_lines_with_semeval_line_numbers() -> None:
    doc = Document.from_text("Title\n\n  First para.  \nSecond.\n")
    assert [(p.line, doc.span_text(p)) for p in doc.paragraphs] == [
        (1, "Title"),
        (3, "First para."),
        (4, "Second."),
    ]


def test_sentences_stay_inside_paragraphs_and_skip_abbreviations() -> None:
    doc = Document.from_text('Mr. Smith came. He left!\nNext line here. And "quoted." Done')
    texts = [doc.span_text(s) for s in doc.sentences]
    assert texts == ["Mr. Smith came.", "He left!", "Next line here.", 'And "quoted."', "Done"]


def test_offsets_index_the_original_text() -> None:
    text = "Zwölf Boxkämpfer jagen Viktor. Это тест."
    doc = Document.from_text(text)
    for s in doc.sentences:
        assert text[s.start : s.end] == doc.span_text(s)
    assert doc.word_count == 6


def test_document_is_immutable_and_hashes_its_text() -> None:
    doc = Document.from_text("abc")
    with pytest.raises(FrozenInstanceError):
        doc.text = "x"  # type: ignore[misc]
    assert doc.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


def test_span_rejects_reversed_offsets() -> None:
    with pytest.raises(ValueError):
        Span(5, 2)
    assert Span(0, 5).overlaps(Span(4, 9)) and not Span(0, 5).overlaps(Span(5, 9))


def test_paragraph_and_sentence_at_an_offset() -> None:
    from proplens.document import Document

    doc = Document.from_text("Title\n\nOne. Two.\n")
    assert doc.paragraph_at(0) == doc.paragraphs[0] and doc.paragraph_at(6) is None  # a gap
    second = doc.text.index("Two")
    assert doc.sentence_at(second) == doc.sentences[-1]
    assert doc.sentence_at(doc.text.index("One")) == doc.sentences[1]
    assert doc.sentence_at(len(doc.text)) is None
