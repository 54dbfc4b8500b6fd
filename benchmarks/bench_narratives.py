"""Narrative discovery at scale: time and peak memory on a synthetic corpus (run by hand).

N documents (default 100,000) are written into a SQLite store with synthetic analyses:
each holds two claims drawn from 40 invented stories (a story's claims share its words,
with words swapped at random) and filler, and technique spans on the claims. Then
`discover` (sample of 20,000 claims, PCA + HDBSCAN, every document assigned) runs on the
local engine, or with ``--ray`` on a local Ray instance (assignment batches as Ray tasks).
Each phase is measured in a fresh process so its peak memory is its own.

Usage: python benchmarks/bench_narratives.py [N=100000] [--ray]
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from results import append_results

import proplens
from proplens.analysis import Analysis, TechniqueSpan
from proplens.document import Document
from proplens.store import open_store

SUBJECTS = ["bankers", "officials", "engineers", "farmers", "ministers", "activists", "judges",
            "builders", "teachers", "doctors"]  # fmt: skip
DEEDS = ["are stealing", "are hiding", "have ruined", "keep selling", "secretly control",
         "lie about", "destroy", "betray", "poison", "buy"]  # fmt: skip
OBJECTS = ["our farmland", "the harbour", "the river water", "the elections", "the schools",
           "the hospitals", "the pensions", "the forests", "the papers", "the bridges"]  # fmt: skip
FILLER = ["The meeting took place on Tuesday.", "Rain is expected later this week.",
          "The museum reopens in spring.", "Traffic was light in the morning."]  # fmt: skip


def story(k: int) -> tuple[str, str, str]:
    rng = random.Random(k)
    return rng.choice(SUBJECTS), rng.choice(DEEDS), rng.choice(OBJECTS)


def claim(rng: random.Random, k: int) -> str:
    subject, deed, obj = story(k)
    lead = rng.choice(["Once again", "Everyone knows that", "It is clear that", "Today"])
    tail = rng.choice(["from honest families", "behind closed doors", "while we pay",
                       "and nobody stops them"])  # fmt: skip
    return f"{lead} the greedy {subject} {deed} {obj} {tail}."


def synthetic(i: int, rng: random.Random) -> Analysis:
    k = rng.randrange(40)
    claims = [claim(rng, k), claim(rng, k)]
    text = f"Report {i}\n{claims[0]} {rng.choice(FILLER)}\n{claims[1]} {rng.choice(FILLER)}\n"
    doc = Document.from_text(text, id=f"n{i}", lang="en", source=f"synthetic/{i}")
    spans = tuple(
        TechniqueSpan(text.index(c), text.index(c) + len(c), "Loaded_Language", 0.6, "synthetic.")
        for c in claims
    )
    return Analysis(document=doc, techniques=spans, model_versions={"techniques": "synthetic"})


def fill(url: str, n: int) -> None:
    store = open_store(url)
    rng = random.Random(11)
    month = dt.datetime(2024, 1, 1)
    for i in range(store.count(), n):
        store.add(
            synthetic(i, rng), source=f"site{i % 7}", published=month.replace(month=1 + i % 12)
        )
    store.close()


def phase(name: str, url: str, ray: bool) -> tuple[float, float]:
    """Run one phase in a fresh process: (seconds, peak resident MB)."""
    code = (
        "import resource, sys, time\n"
        "from proplens.store import open_store\n"
        "from proplens.store.narratives import discover, narrative_table\n"
        f"s = open_store({url!r}); t = time.perf_counter()\n"
        f"discover(s, engine={'ray' if ray else 'local'!r}, workers={os.cpu_count() or 1})\n"
        "n = len(narrative_table(s)); print(time.perf_counter() - t, n,\n"
        "      resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    seconds, narratives, peak = out.stdout.split()[-3:]
    print(f"{name}: {float(seconds):.0f} s, {narratives} narratives, {float(peak):.0f} MB")
    return float(seconds), float(peak)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    n = int(args[0]) if args else 100_000
    ray = "--ray" in sys.argv
    work = Path(tempfile.mkdtemp(prefix="proplens-narratives-"))
    url = f"sqlite:///{work / 'corpus.db'}"
    t = time.perf_counter()
    fill(url, n)
    fill_s = time.perf_counter() - t
    print(f"filled {n} documents in {fill_s:.0f} s", flush=True)
    seconds, peak = phase("discover (local)", url, ray=False)
    rows = [("local engine", seconds, peak)]
    if ray:
        r_seconds, r_peak = phase("discover (ray)", url, ray=True)
        rows.append(("Ray engine (local instance), driver only", r_seconds, r_peak))
    size_mb = (work / "corpus.db").stat().st_size / 2**20
    lines = [
        f"\n## Narrative discovery, {dt.date.today().isoformat()}\n",
        f"proplens {proplens.__version__}; {platform.machine()} {platform.python_version()}, "
        f"{os.cpu_count()} cores; `python benchmarks/bench_narratives.py {n}"
        f"{' --ray' if ray else ''}`. {n:,} synthetic documents (two claims each from 40 "
        f"invented stories, spans on the claims; {size_mb:.0f} MB SQLite), clustered from a "
        "sample of 20,000 claims, then every document assigned.\n",
        "| run | seconds | peak memory (MB) |",
        "|---|---|---|",
    ]
    lines += [f"| {name} | {s:.0f} | {p:.0f} |" for name, s, p in rows]
    append_results("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
