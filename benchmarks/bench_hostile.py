"""Wall time and peak memory of `proplens analyze` on a fuzz folder and on long texts.

Run by hand (`python benchmarks/bench_hostile.py`); appends a dated section to
benchmarks/RESULTS.md. The fuzz folder mixes 20 good articles with about 320 bad or odd
files (empty, binary, NUL bytes, a dozen encodings with and without a byte order mark, huge
lines and tokens, deep and attribute-heavy HTML, entity bombs, malformed and hostile JSONL,
special files, long and non-UTF-8 names), the kinds issue #22 met. Every run is a fresh
process of the installed command, the way a user runs it; memory is the child's peak RSS.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from results import append_results

import proplens

PROPLENS = str(Path(sys.executable).with_name("proplens"))
ARTICLE = (
    "Harbour plan\n\n"
    "The council approved the harbour bridge plan on Tuesday after a long debate. "
    "Critics called the scheme a reckless betrayal of every family in the valley, and the "
    "mayor said the costs were fully covered. Residents will meet at the town hall on Monday.\n"
)
ENCODINGS = [
    "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be",
    "latin-1", "cp1252", "cp1251", "koi8-r", "shift_jis", "gb18030", "iso-8859-7",
]  # fmt: skip
BOMS = {
    "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
    "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE,
}  # fmt: skip


def fuzz_folder(root: Path) -> int:
    """Write the folder; returns how many entries are bad or odd."""
    root.mkdir()
    bad = 0

    def put(name: str, data: bytes) -> None:
        nonlocal bad
        (root / name).write_bytes(data)
        bad += 1

    for i in range(20):
        (root / f"good-{i:02d}.txt").write_text(ARTICLE.replace("Tuesday", f"day {i}"))
    for i in range(10):
        put(f"empty-{i}.txt", b" \n\t" * i)
        put(f"binary-{i}.txt", os.urandom(1000 * (i + 1)))
        put(f"nul-{i}.txt", ARTICLE.encode()[: 50 * i] + b"\x00" + ARTICLE.encode())
    for enc in ENCODINGS:
        text = ARTICLE + " Ünïcödé ложь 嘘 ψέμα.\n"
        for variant in range(4):
            data = text.encode(enc, errors="replace")
            if variant == 1 and enc in BOMS:
                data = BOMS[enc] + data
            if variant == 2:
                data = data[: len(data) // 2 + 1]  # cut in the middle of a character
            if variant == 3:
                data = data + b"\xff\xfe\xfd"
            put(f"enc-{enc}-{variant}.txt", data)
    for size in (10_000, 100_000, 1_000_000):
        put(f"line-{size}.txt", ("Lie. " * (size // 5)).encode())
        put(f"token-{size}.txt", ("x" * size).encode())
    for depth in (100, 1_000, 10_000, 100_000):
        put(f"deep-{depth}.html", (f"{'<div>' * depth}<p>{ARTICLE}</p>{'</div>' * depth}").encode())
    for count in (1_000, 10_000, 100_000):
        attrs = " ".join(f'a{i}="x"' for i in range(count))
        put(
            f"attrs-{count}.html",
            f"<html><body><div {attrs}><p>{ARTICLE}</p></div></body></html>".encode(),
        )
    for n in range(5):
        entities = "".join(
            f'<!ENTITY e{i} "{f"&e{i - 1};" * 10 if i else "lol"}">' for i in range(n + 3)
        )
        page = f'<?xml version="1.0"?><!DOCTYPE l [{entities}]>'
        put(f"bomb-{n}.html", f"{page}<html><body><p>&e{n + 2};</p></body></html>".encode())
    for i in range(30):
        script = f"<script>alert({i})</script><img src=x onerror=alert(1)>"
        put(f"hostile-{i}.html", f"<html><body><p>{ARTICLE}</p>{script}<p>{'<b>' * i}".encode())
    lines = [json.dumps({"id": f"ok-{i}", "text": ARTICLE + f" Line {i}."}) for i in range(10)]
    lines += [
        '{"id": ' + "9" * 5000 + ', "text": "x"}',
        '{"id": "deep", "text": ' + "[" * 100_000 + "]" * 100_000 + "}",
        '{"id": "surrogate", "text": "A lone \\ud800 surrogate about the council."}',
        json.dumps({"id": ["not", "an", "id"], "text": ARTICLE}),
        json.dumps({"id": "x" * 400, "text": ARTICLE + " A long id."}),
        "{broken", "[]", "null", '"just a string"', json.dumps({"text": 5}),
    ]  # fmt: skip
    for i in range(40):
        put(f"items-{i}.jsonl", "\n".join(lines[: 10 + i % 10] + lines[10:]).encode())
    special = [
        ("zero.txt", lambda p: p.symlink_to("/dev/zero")),
        ("missing.txt", lambda p: p.symlink_to(root / "nowhere")),
        ("loop.txt", lambda p: p.symlink_to(p)),
        ("pipe.txt", lambda p: os.mkfifo(p)),
    ]
    for name, make in special:
        make(root / name)
        bad += 1
    locked = root / "locked"
    locked.mkdir()
    locked.chmod(0)
    bad += 1
    deep = root / ("d" * 100) / ("e" * 100)
    deep.mkdir(parents=True)
    put(str(Path("d" * 100, "e" * 100, "f" * 120 + ".txt")), ARTICLE.encode())
    with open(os.path.join(os.fsencode(root), b"caf\xe9-\xff.txt"), "wb") as handle:
        handle.write(ARTICLE.encode())
    bad += 1
    return bad


#: Runs the command and prints the peak RSS of its children (in KB) last on stderr: a
#: wrapper per run, since RUSAGE_CHILDREN keeps the largest child a process ever had.
_PEAK = (
    "import resource, subprocess, sys; code = subprocess.call(sys.argv[1:]); "
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr); "
    "sys.exit(code)"
)


def run(args: list[str], timeout: int = 3600) -> tuple[float, float, str, int]:
    """Seconds, peak RSS in MB, stderr and exit code of one fresh proplens process."""
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", _PEAK, PROPLENS, *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - start
    err, _, peak = proc.stderr.rstrip("\n").rpartition("\n")
    return seconds, int(peak) / 1024, err, proc.returncode


def long_text(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sentences = [
            f"Sentence number {i} tells of the harbour plan in its own words." for i in range(6_500)
        ]
        texts = [
            ('"Lie. " x 50,000 (244 KB)', "lie.txt", "Lie. " * 50_000),
            ("one token of 300,000 characters", "token.txt", "x" * 300_000),
            ("410k characters of distinct sentences", "distinct.txt", " ".join(sentences)),
            ('"Lie. " x 100,000: the sentence limit', "lie100k.txt", "Lie. " * 100_000),
            ('"Lie. " x 400,000: refused', "lie400k.txt", "Lie. " * 400_000),
        ]
        for label, name, text in texts:
            path = long_text(root, name, text)
            seconds, peak, _, code = run(["analyze", str(path), "-o", str(root / f"{name}.json")])
            rows.append((label, f"{len(text):,}", seconds, peak, code))
        folder = root / "fuzz"
        bad = fuzz_folder(folder)
        out = root / "out"
        seconds, peak, err, code = run(["analyze", str(folder), "-o", f"{out}/"])
        (folder / "locked").chmod(0o755)
        errors = sum(1 for line in err.splitlines() if line.startswith("error:"))
        reports = len(list(out.iterdir())) if out.exists() else 0
        tracebacks = err.count("Traceback")
    today = dt.date.today().isoformat()
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"proplens {proplens.__version__}"
    )
    table = "\n".join(
        f"| {label} | {chars} | {s:.1f} s | {mb:.0f} MB | {code} |"
        for label, chars, s, mb, code in rows
    )
    section = f"""
## Hostile inputs and long texts, {today}

Machine: {machine}. Default pipeline, one fresh `proplens analyze` process each
(`benchmarks/bench_hostile.py`); memory is the process's peak RSS.

| text | characters | wall time | peak memory | exit code |
|---|---|---|---|---|
{table}

Fuzz folder: 20 good articles and {bad} bad or odd entries (plus 10 good lines in each of 40
JSONL files): `analyze FOLDER -o OUT/` took {seconds:.0f} s at {peak:.0f} MB peak, wrote
{reports} reports, printed {errors} error lines and {tracebacks} tracebacks (exit code {code}).
"""
    append_results(section)


if __name__ == "__main__":
    main()
