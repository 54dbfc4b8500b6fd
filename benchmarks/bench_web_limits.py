"""The web server's time limit under load: what it can analyse in time, and how fast it
serves again after analyses pass the limit (issue #23).

Starts `proplens serve` on 127.0.0.1 (2 workers, the default 30 s limit), times one
analysis of texts of growing length (to set the web's character limit to what the time
limit serves), then sends two texts that pass the limit at once and measures how long a
small analysis sent right after them waits. Appends the figures to RESULTS.md.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import sys
import threading
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from results import append_results
from server import proplens_server

import proplens

SENTENCE = "The council said the harbour plan number {} would be ready before the winter."
SIZES = (25_000, 50_000, 100_000, 200_000)


def text_of(chars: int) -> str:
    parts, n, i = ["Harbour plan\n\n"], 0, 0
    while n < chars:
        parts.append(SENTENCE.format(i) + " ")
        n += len(parts[-1])
        i += 1
        if i % 8 == 0:
            parts.append("\n\n")
    return "".join(parts)


def main() -> None:
    # --max-chars lets the long texts in: what happens past the time limit is measured
    with proplens_server("--timeout", "30", "--max-chars", "2000000") as url:
        analyse = url + "/api/analyze"
        httpx.post(analyse, json={"text": "Warm up the workers."}, timeout=120)
        sizes = []
        for chars in SIZES:
            start = time.perf_counter()
            reply = httpx.post(analyse, json={"text": text_of(chars)}, timeout=120)
            sizes.append((chars, time.perf_counter() - start, reply.status_code))
        codes: list[int] = []
        long_text = text_of(1_900_000)

        def post_long() -> None:
            codes.append(httpx.post(analyse, json={"text": long_text}, timeout=120).status_code)

        threads = [threading.Thread(target=post_long) for _ in range(2)]
        sent = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        timed_out_after = time.perf_counter() - sent
        start = time.perf_counter()
        small = httpx.post(analyse, json={"text": "The ferry is late again."}, timeout=120)
        small_wait = time.perf_counter() - start
    machine = (
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"proplens {proplens.__version__}"
    )
    rows = "\n".join(f"| {c:,} | {s:.1f} s | {code} |" for c, s, code in sizes)
    section = f"""
## Web server time limit, {dt.date.today().isoformat()}

Machine: {machine}. `proplens serve --max-chars 2000000`, 2 analysis workers, 30 s limit
(`benchmarks/bench_web_limits.py`); prose of 13-word sentences, 8 to a paragraph.

| characters | one analysis | status |
|---|---|---|
{rows}

Two texts of 1,900,000 characters sent at once were answered {sorted(codes)} after
{timed_out_after:.1f} s; a small analysis sent right after was served ({small.status_code})
in {small_wait:.1f} s (the stopped workers replaced meanwhile).
"""
    append_results(section)


if __name__ == "__main__":
    main()
