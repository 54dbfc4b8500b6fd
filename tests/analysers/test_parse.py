"""The English parse of a long text, read by spaCy in pieces."""

import pytest

import proplens.analysers.parse as parse
from proplens.analysers.parse import line_chunks, parse_english

TEXT = (
    "Mayor Anna Berg opened the harbour bridge in Eastport on Monday.\n"
    "The Harbour Trust said the bridge cost twelve million.\n"
    + "A very long line without any break, " * 8
    + "\nCouncillor Tom Reed called it a waste.\n"
)


def test_line_chunks_cut_after_line_ends_and_join_back() -> None:
    pieces = line_chunks(TEXT, 80)
    assert "".join(pieces) == TEXT
    assert all(len(p) <= 80 for p in pieces)
    assert pieces[0].endswith("\n")  # the first line is a piece of its own
    assert line_chunks("short", 80) == ["short"]


def test_a_text_read_in_pieces_keeps_its_offsets(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parse, "PARSE_CHUNK_CHARS", 80)
    pieces = parse_english(TEXT)
    assert pieces.spacy_doc.text == TEXT
    assert {"Anna Berg", "Tom Reed"} <= {e.text for e in pieces.entities}
    assert all(TEXT[e.start : e.end] == e.text for e in pieces.entities)
