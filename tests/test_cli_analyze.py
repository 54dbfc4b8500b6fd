import json
from pathlib import Path

from click.testing import CliRunner

from helpers import validate
from proplens import __version__
from proplens.cli import main


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version() -> None:
    code, out, _ = run("--version")
    assert code == 0 and __version__ in out


def test_single_file_json_to_stdout(oped_file: Path, schema: dict[str, object]) -> None:
    code, out, _ = run("analyze", str(oped_file), "--format", "json")
    assert code == 0
    payload = json.loads(out)
    validate(payload, schema)
    assert payload["document"]["id"] == "oped"
    assert payload["document"]["source"] == str(oped_file)


def test_single_file_html_to_file(oped_file: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code, _, err = run("analyze", str(oped_file), "--format", "html", "-o", str(out))
    assert code == 0, err
    page = out.read_text()
    assert page.startswith("<!doctype html>") and "Anna Berg" in page
    assert list(tmp_path.glob(".*tmp")) == []


def test_folder_batch_keeps_going_past_bad_files(tmp_path: Path, schema: dict[str, object]) -> None:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a.txt").write_text("The shameful plan will ruin us all. Stop it now!")
    (src / "sub" / "b.txt").write_text("Этот позорный план погубит нас всех. Остановите его!")
    (src / "empty.txt").write_text("")
    (src / "bin.txt").write_bytes(b"\x00\x01\x02")
    (src / "items.jsonl").write_text('{"id": "j1", "text": "A calm report."}\n{broken\n')
    out = tmp_path / "out"
    code, _, err = run("analyze", str(src), "--format", "json", "-o", str(out))
    assert code == 1
    assert f"error: {src / 'empty.txt'}: empty file" in err
    assert f"error: {src / 'bin.txt'}: binary file" in err
    assert f"error: {src / 'items.jsonl'}:2: malformed JSON" in err
    assert "3 input(s) failed, 3 analysed" in err
    written = sorted(p.name for p in out.iterdir())
    assert written == ["a.json", "j1.json", "sub_b.json"]
    langs = {}
    for p in out.iterdir():
        payload = json.loads(p.read_text())
        validate(payload, schema)
        langs[p.name] = payload["document"]["lang"]
    assert langs["sub_b.json"] == "ru" and langs["a.json"] == "en"
    assert "sub/b: ru," in err  # one summary line per document


def test_many_documents_without_output_print_json_lines(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("First article text.")
    (tmp_path / "b.txt").write_text("Second article text.")
    code, out, _ = run("analyze", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    assert code == 0
    assert [json.loads(line)["document"]["id"] for line in out.splitlines()] == ["a", "b"]
    code, _, err = run("analyze", str(tmp_path), "--format", "html")
    assert code == 2 and "give -o FOLDER" in err


def test_unknown_pipeline_is_a_usage_error(oped_file: Path) -> None:
    code, _, err = run("analyze", str(oped_file), "--pipeline", "language,bogus")
    assert code == 2 and "unknown analyser 'bogus'" in err


def test_lang_option_overrides_detection(oped_file: Path) -> None:
    code, out, _ = run("analyze", str(oped_file), "--lang", "ge", "--pipeline", "language")
    assert code == 0 and json.loads(out)["document"]["lang"] == "de"


def test_text_and_markdown_formats(oped_file: Path) -> None:
    for fmt, marker in (("text", "technique spans:"), ("md", "# proplens report: oped")):
        code, out, _ = run("analyze", str(oped_file), "--format", fmt)
        assert code == 0 and marker in out


def test_a_document_that_breaks_an_analyser_does_not_stop_the_batch(tmp_path: Path) -> None:
    from collections.abc import Mapping
    from typing import Any

    from proplens.analysis import Analysis
    from proplens.registry import analyser

    @analyser("explodes_on_boom", requires=["text"])
    def explodes(analysis: Analysis) -> Mapping[str, Any]:
        if "BOOM" in analysis.document.text:
            raise RuntimeError("cannot handle BOOM")
        return {}

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("BOOM goes the text.")
    (tmp_path / "in" / "b.txt").write_text("A quiet text.")
    out = tmp_path / "out"
    code, _, err = run(
        "analyze", str(tmp_path / "in"), "--pipeline", "explodes_on_boom", "-o", str(out)
    )
    assert code == 1
    assert "a.txt: analysis failed (RuntimeError: cannot handle BOOM)" in err
    assert [p.name for p in out.iterdir()] == ["b.json"]
