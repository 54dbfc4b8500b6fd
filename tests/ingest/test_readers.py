import json
from pathlib import Path

from proplens.document import Document
from proplens.ingest import IngestError, ReadOptions, read_paths


def _items(*paths: Path, **kw: object) -> list[Document | IngestError]:
    return list(read_paths(paths, ReadOptions(**kw)))  # type: ignore[arg-type]


def test_text_file_with_crlf_and_bom(tmp_path: Path) -> None:
    p = tmp_path / "a.txt"
    p.write_bytes("\ufeffTitle\r\nBody line.\r\n".encode())
    (doc,) = _items(p)
    assert isinstance(doc, Document)
    assert doc.text == "Title\nBody line.\n"
    assert doc.id == "a" and doc.source == str(p)


def test_html_main_text_without_scripts(tmp_path: Path) -> None:
    body = " ".join(["The mayor opened the new library on Friday morning."] * 8)
    p = tmp_path / "page.html"
    p.write_text(
        "<html><head><title>Library opens</title><script>alert('x')</script></head>"
        f"<body><nav>Home | About</nav><article><p>{body}</p><p>{body}</p></article>"
        "<script>document.write('evil')</script></body></html>"
    )
    (doc,) = _items(p)
    assert isinstance(doc, Document)
    assert "The mayor opened the new library" in doc.text
    assert "alert" not in doc.text and "evil" not in doc.text


def test_html_date_comes_from_metadata_not_a_copyright_footer(tmp_path: Path) -> None:
    body = "<p>The harbour plan was approved by the council after a long debate.</p>" * 3
    footer = "<footer><p>Copyright 2024 Harbour Gazette. All rights reserved.</p></footer>"
    plain, dated = tmp_path / "plain.html", tmp_path / "dated.html"
    plain.write_text(f"<html><body><article>{body}</article>{footer}</body></html>")
    dated.write_text(
        '<html><head><meta property="article:published_time" content="2025-03-04T10:00:00Z">'
        f"</head><body><article>{body}</article>{footer}</body></html>"
    )
    docs = _items(plain, dated)
    assert [d.published for d in docs if isinstance(d, Document)] == [None, "2025-03-04"]


def test_short_html_keeps_inline_elements_inside_their_paragraph(tmp_path: Path) -> None:
    # a short page makes trafilatura dump one line per text node; proplens joins them back
    p = tmp_path / "short.html"
    p.write_text(
        "<html><head><title>Ferry row</title></head><body>"
        '<p>The plan "will sink us all," said the <b>harbour master</b>.</p>'
        "<p>Second <em>paragraph</em> here.</p><img src=x onerror=alert(1)></body></html>"
    )
    (doc,) = _items(p)
    assert isinstance(doc, Document)
    assert doc.text.split("\n")[2:] == [
        'The plan "will sink us all," said the harbour master.',
        "Second paragraph here.",
    ]


def test_jsonl_bad_line_does_not_lose_the_others(tmp_path: Path) -> None:
    p = tmp_path / "items.jsonl"
    p.write_text(
        json.dumps({"id": "x1", "body": "First text here."})
        + "\n{not json\n"
        + json.dumps({"id": "x3", "other": "no body"})
        + "\n"
        + json.dumps({"id": "x4", "body": "Fourth text.", "lang": "ru"})
        + "\n"
    )
    items = _items(p, text_field="body")
    docs = [i for i in items if isinstance(i, Document)]
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert [d.id for d in docs] == ["x1", "x4"]
    assert docs[1].lang == "ru"
    assert errors[0].startswith(f"{p}:2: malformed JSON")
    assert errors[1] == f"{p}:3: no text in field 'body'"


def test_malformed_json_message_reads_as_english(tmp_path: Path) -> None:
    p = tmp_path / "cut.jsonl"
    p.write_text('{"id": "a", "text": "cut off\n')
    (error,) = _items(p)
    assert str(error) == f"{p}:1: malformed JSON (Unterminated string starting at column 21)"


def test_bad_files_get_one_line_errors(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(b"\x89PNG\x00\x00\x01")
    (tmp_path / "latin1.txt").write_bytes("café crème".encode("latin-1"))
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(50 * 1024 * 1024)
    (tmp_path / "good.txt").write_text("A fine article.")
    items = _items(tmp_path)
    errors = {Path(i.source).name: i.problem for i in items if isinstance(i, IngestError)}
    assert errors["empty.txt"] == "empty file"
    assert "binary" in errors["binary.txt"]
    assert "not valid utf-8" in errors["latin1.txt"]
    assert "file is 50.0 MiB, over the 20 MiB limit" in errors["huge.txt"]
    assert [i.id for i in items if isinstance(i, Document)] == ["good"]


def test_encoding_option_reads_legacy_files(tmp_path: Path) -> None:
    p = tmp_path / "ru.txt"
    p.write_bytes("Привет, мир".encode("cp1251"))
    (doc,) = _items(p, encoding="cp1251")
    assert isinstance(doc, Document) and doc.text == "Привет, мир"


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    (item,) = _items(tmp_path / "nope.txt")
    assert isinstance(item, IngestError) and item.problem == "no such file or folder"


def test_a_document_over_the_character_limit_is_refused_alone(tmp_path: Path) -> None:
    p = tmp_path / "items.jsonl"
    p.write_text(
        json.dumps({"id": "long", "text": "The ferry is late again. " * 10})
        + "\n"
        + json.dumps({"id": "short", "text": "The ferry is late."})
        + "\n"
    )
    items = _items(p, max_chars=100)
    errors = [str(i) for i in items if isinstance(i, IngestError)]
    assert [i.id for i in items if isinstance(i, Document)] == ["short"]
    assert errors == [
        f"{p}:1: text is 250 characters, over the 100 limit (--max-chars); split it into parts"
    ]


def test_the_reader_is_chosen_from_the_name_of_the_bytes() -> None:
    from proplens.ingest import read_bytes

    page = b"<html><body><p>Council news</p><p>The council met. <b>It</b> voted.</p></body></html>"
    (html,) = read_bytes(page, "upload.html")
    assert isinstance(html, Document) and "<b>" not in html.text and "It voted." in html.text
    (plain,) = read_bytes(page, "upload.txt")
    assert isinstance(plain, Document) and "<b>" in plain.text
    lines = read_bytes(b'{"id": "a", "text": "One."}\n{"id": "b", "text": "Two."}\n', "x.jsonl")
    assert [d.id for d in lines if isinstance(d, Document)] == ["a", "b"]
    (bad,) = read_bytes(b"\x89PNG\x00\x00bad", "odd.txt")
    assert not isinstance(bad, Document) and "odd.txt" in str(bad)


def test_a_text_of_too_many_sentences_is_refused_before_analysis(tmp_path: Path) -> None:
    p = tmp_path / "lies.txt"
    p.write_text("Lie. " * 30)
    (error,) = _items(p, max_sentences=20)
    assert isinstance(error, IngestError)
    assert str(error) == (
        f"{p}: text has 30 sentences, over the 20 limit (memory grows with every sentence); "
        "split it into parts"
    )
    (doc,) = _items(p, max_sentences=30)
    assert isinstance(doc, Document)
