"""Appending a dated section to benchmarks/RESULTS.md (newest last)."""

from __future__ import annotations

from pathlib import Path

RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nWritten by the scripts in this folder; newest last.\n"


def append_results(section: str) -> None:
    print(section)
    if not RESULTS.exists():
        RESULTS.write_text(HEADER)
    with RESULTS.open("a") as f:
        f.write(section)
