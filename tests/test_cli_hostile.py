"""The command line against a folder of hostile files (#22): every bad file gets one line
naming it, every good one is analysed, and the reports go where they were asked."""

import codecs
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.cli import main

GOOD = (
    "Harbour plan passes\n"
    "The council approved the harbour plan on Tuesday. Critics called it a costly mistake.\n"
)
ARTICLE = "Council news\nThe council met on Tuesday and approved the new budget for the library.\n"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def hostile_folder(root: Path) -> dict[str, str]:
    """Write the fuzz folder; returns {file name: a word its error line must hold}."""
    root.mkdir()
    bad: dict[str, str] = {}

    def put(name: str, data: bytes, why: str) -> None:
        (root / name).write_bytes(data)
        bad[name] = why

    put("empty.txt", b"", "empty")
    put("spaces.txt", b"  \n\t\n", "empty")
    put("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary")
    put("latin1.txt", "café crème brûlée".encode("latin-1"), "not valid utf-8")
    put("nul.html", b"<html><body><p>x\x00y</p></body></html>", "binary")
    attrs = " ".join(f'a{i}="x"' for i in range(20_000))
    put(
        "attrs.html",
        f"<html><body><div {attrs}><p>{GOOD}</p></div></body></html>".encode(),
        "attributes",
    )
    put("noarticle.html", b"<html><body><script>var a=1;</script></body></html>", "no article text")
    put(
        "bomb.html",
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><html><body>&b;</body></html>',
        "",
    )
    del bad["bomb.html"]  # read or refused: either way one line, never an expansion
    jsonl = "\n".join(
        [
            json.dumps({"id": "ok-1", "text": ARTICLE}),
            '{"id": ' + "9" * 5000 + ', "text": "x"}',
            '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
            '{"id": "surrogate", "text": "A lone \\ud800 surrogate in a text about the council."}',
            json.dumps({"id": ["not", "an", "id"], "text": ARTICLE + " again"}),
            json.dumps({"id": "x" * 400, "text": ARTICLE + " A long id."}),
            "{broken",
        ]
    )
    (root / "items.jsonl").write_text(jsonl)
    (root / "zero.txt").symlink_to("/dev/zero")
    bad["zero.txt"] = "character device"
    (root / "missing.txt").symlink_to(root / "nowhere.txt")
    bad["missing.txt"] = "broken symbolic link"
    (root / "loop.txt").symlink_to(root / "loop.txt")
    bad["loop.txt"] = "loop"
    os.mkfifo(root / "pipe.txt")
    bad["pipe.txt"] = "FIFO"
    for codec, bom in [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-32-be", codecs.BOM_UTF32_BE)]:
        (root / f"{codec}.txt").write_bytes(bom + GOOD.encode(codec))
    (root / "good.txt").write_text(GOOD)
    deep = root / ("d" * 100) / ("e" * 100)
    deep.mkdir(parents=True)
    (deep / ("f" * 120 + ".txt")).write_text(ARTICLE + "Deep and long.\n")
    os.close(os.open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), os.O_CREAT | os.O_WRONLY))
    with open(os.path.join(os.fsencode(root), b"caf\xe9.txt"), "w") as handle:
        handle.write(ARTICLE + "Not UTF-8 in its name.\n")
    return bad


def test_a_hostile_folder_loses_no_good_document(tmp_path: Path) -> None:
    bad = hostile_folder(tmp_path / "in")
    out = tmp_path / "out"
    code, _, err = run("analyze", str(tmp_path / "in"), "-o", f"{out}/", "--pipeline", "language")
    assert code == 1
    lines = err.splitlines()
    for name, why in bad.items():
        said = [line for line in lines if line.startswith("error:") and f"{name}:" in line]
        assert len(said) == 1, (name, said)
        assert why.lower() in said[0].lower(), said
    jsonl_errors = [line for line in lines if "items.jsonl:" in line]
    assert len(jsonl_errors) == 4, jsonl_errors  # the huge number, the nesting, the id, the break
    assert not any("Traceback" in line for line in lines)
    reports = {p.name for p in out.iterdir()}
    assert {"good.json", "utf-16-le.json", "utf-32-be.json", "ok-1.json"} <= reports
    assert "surrogate.json" in reports and "caf_xe9.json" in reports
    long_names = [r for r in reports if r.startswith("xxx")]
    assert len(long_names) == 1 and len(long_names[0].encode()) <= 200
    assert any(r.startswith("d" * 50) for r in reports)  # the deep, long path
    surrogate = json.loads((out / "surrogate.json").read_text())["document"]
    assert surrogate["chars"] == len("A lone \ufffd surrogate in a text about the council.")
    read16 = json.loads((out / "utf-16-le.json").read_text())["document"]
    assert read16["sha256"] == json.loads((out / "good.json").read_text())["document"]["sha256"]
    assert not list(out.glob(".*tmp"))


@pytest.mark.parametrize(
    ("inputs", "output", "folder"),
    [
        (["a.txt", "empty.txt"], "out", True),  # several inputs, one of them unreadable
        (["a.txt"], "out/", True),  # a trailing slash
        (["a.txt"], "existing", True),  # an existing folder is used as one
        (["one.ndjson"], "out", True),  # JSONL, however many lines
        (["a.txt"], "report.json", False),
    ],
)
def test_the_output_layout_follows_the_request(
    tmp_path: Path, inputs: list[str], output: str, folder: bool
) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "one.ndjson").write_text(json.dumps({"id": "n1", "text": ARTICLE}) + "\n")
    (tmp_path / "existing").mkdir()
    target = tmp_path / output
    args = [str(tmp_path / i) for i in inputs]
    run("analyze", *args, "-o", str(target) + ("/" if output.endswith("/") else ""),
        "--pipeline", "language")  # fmt: skip
    assert target.is_dir() is folder
    if folder:
        assert len(list(target.glob("*.json"))) == 1


def test_utf16_without_a_mark_reads_with_encoding(tmp_path: Path) -> None:
    path = tmp_path / "plain16.txt"
    path.write_bytes(GOOD.encode("utf-16-le"))
    code, _, err = run("analyze", str(path), "--pipeline", "language")
    assert code == 1 and "--encoding utf-16" in err
    code, out, err = run("analyze", str(path), "--pipeline", "language", "--encoding", "utf-16-le")
    assert code == 0, err
    assert json.loads(out)["document"]["chars"] == len(GOOD)


def test_mistyped_options_are_refused_not_ignored(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE)
    code, _, err = run("analyze", str(tmp_path / "a.txt"), "--lang", "xx")
    assert code == 2 and "not an ISO 639-1 language code" in err
    missing = f"sqlite:///{tmp_path}/typo.db"
    for command in (["stats"], ["search", "council"], ["export", "-o", str(tmp_path / "x.csv")]):
        code, _, err = run("corpus", *command, "--db", missing)
        assert code == 1 and "does not exist" in err, (command, err)
    assert not (tmp_path / "typo.db").exists()
    code, _, err = run("corpus", "search", "--technique", "Bogus", "--db", missing)
    assert code == 2 and "not a technique" in err
