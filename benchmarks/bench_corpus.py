"""Corpus throughput, store size and search latency (run by hand; appends to RESULTS.md).

1. ``corpus add`` of N synthetic ~1,000-word articles with the default pipeline:
   local single process, local multi-process (all cores), Ray (all cores).
2. Store size per 1,000 documents (SQLite file).
3. Search latency at 10,000 and 100,000 stored documents. Those documents get a
   synthetic analysis (spans at random offsets) rather than a real one, so that filling
   the store takes minutes, not hours; the queries do not care where spans came from.

Usage: python benchmarks/bench_corpus.py [N_ANALYSED=1000] [--skip-ray]
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from bench_analyze import make_article
from results import append_results

import proplens
from proplens.analysis import Actor, Analysis, Label, TechniqueSpan
from proplens.document import Document
from proplens.store import open_store
from proplens.store.batch import add_paths
from proplens.techniques import TECHNIQUES

WORDS = ["harbour", "bridge", "council", "valley", "dam", "mill", "market", "school", "river"]


def timed_add(folder: Path, url: str, engine: str, workers: int) -> tuple[float, int]:
    store = open_store(url)
    t = time.perf_counter()
    report = add_paths(store, [folder], engine=engine, workers=workers)
    elapsed = time.perf_counter() - t
    store.close()
    return report.added / elapsed * 60, report.added


def synthetic_analysis(i: int, rng: random.Random) -> Analysis:
    text = make_article(100_000 + i, words=rng.randint(300, 900)) + " ".join(rng.sample(WORDS, 3))
    doc = Document.from_text(text, id=f"s{i}", lang="en", source=f"synthetic/{i}")
    spans = []
    for _ in range(rng.randint(3, 25)):
        start = rng.randrange(0, len(text) - 40)
        spans.append(
            TechniqueSpan(
                start, start + rng.randint(5, 40), rng.choice(TECHNIQUES), 0.6, "synthetic."
            )
        )
    actor = rng.choice(["Olsen", "Grave", "Vane", "Berg"])
    return Analysis(
        document=doc,
        genre=Label("opinion", 0.7),
        techniques=tuple(spans),
        actors=(Actor(actor, "person", ((0, 1),), rng.uniform(-1, 1)),),
        model_versions={"techniques": "synthetic"},
    )


def search_latency(url: str) -> dict[str, float]:
    store = open_store(url)
    queries = {
        "full text": {"query": "harbour council"},
        "full text + technique": {"query": "bridge", "technique": "Loaded_Language"},
        "technique + speaker": {"technique": "Doubt", "speaker": "author"},
        "actor + source": {"actor": "olsen", "source": "bench"},
    }
    out = {}
    for name, kwargs in queries.items():
        times = []
        for _ in range(7):
            t = time.perf_counter()
            store.search(**kwargs)  # type: ignore[arg-type]
            times.append(time.perf_counter() - t)
        out[name] = statistics.median(times) * 1000
    store.close()
    return out


def fill(url: str, upto: int, rng: random.Random) -> None:
    store = open_store(url)
    have = store.count()
    for i in range(have, upto):
        store.add(synthetic_analysis(i, rng), source="bench")
    store.close()


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 1000
    skip_ray = "--skip-ray" in sys.argv
    cores = os.cpu_count() or 1
    work = Path(tempfile.mkdtemp(prefix="proplens-bench-"))
    folder = work / "articles"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i:05d}.txt").write_text(make_article(i))
    rows = []
    single, added = timed_add(folder, f"sqlite:///{work / 'single.db'}", "local", 1)
    rows.append(("local, 1 process", single))
    multi, _ = timed_add(folder, f"sqlite:///{work / 'multi.db'}", "local", cores)
    rows.append((f"local, {cores} processes", multi))
    if not skip_ray:
        ray_rate, _ = timed_add(folder, f"sqlite:///{work / 'ray.db'}", "ray", cores)
        rows.append((f"Ray (local instance), {cores} actors", ray_rate))
    size_mb = (work / "single.db").stat().st_size / 2**20
    per_1000 = size_mb / max(added, 1) * 1000
    rng = random.Random(7)
    url = f"sqlite:///{work / 'search.db'}"
    latency = {}
    for size in (10_000, 100_000):
        t = time.perf_counter()
        fill(url, size, rng)
        print(f"filled {size} in {time.perf_counter() - t:.0f}s", file=sys.stderr)
        latency[size] = search_latency(url)
    per_doc_s = 60 / single
    report = [
        "",
        f"## Corpus store, {dt.date.today().isoformat()}",
        "",
        f"Machine: {platform.machine()}, {cores} cores, Python {platform.python_version()}, "
        f"proplens {proplens.__version__}, SQLite. {n} synthetic ~1,000-word articles, "
        "default pipeline (`benchmarks/bench_corpus.py`).",
        "",
        "| engine | documents/min |",
        "|---|---|",
        *[f"| {name} | {rate:.0f} |" for name, rate in rows],
        "",
        f"Store size: {per_1000:.1f} MiB per 1,000 documents "
        "(text, analysis JSON, spans, FTS index).",
        "",
        "| search (median of 7) | 10,000 docs | 100,000 docs |",
        "|---|---|---|",
        *[
            f"| {q} | {latency[10_000][q]:.1f} ms | {latency[100_000][q]:.1f} ms |"
            for q in latency[10_000]
        ],
        "",
        f"Per-document cost, one process: {per_doc_s * 1000:.0f} ms. Analysis is CPU-bound and "
        "documents are independent, so throughput grows with workers until the single writer "
        "saturates; a 100-node cluster of 16-core nodes (1,600 workers) would analyse about "
        f"{1600 * 60 / per_doc_s:,.0f} documents/min in theory, which one SQLite writer cannot "
        "absorb: at that scale use PostgreSQL with parallel writers.",
        "",
    ]
    text = "\n".join(report)
    append_results(text)


if __name__ == "__main__":
    main()
