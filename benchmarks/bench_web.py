"""Short load test of POST /api/analyze on loopback (bounded in requests and time).

Starts `proplens serve` on 127.0.0.1, sends at most MAX_REQUESTS requests with a
~1,000-word article from CONCURRENCY client threads for at most MAX_SECONDS, stops the
server, and appends requests/second with p50/p99 latency to RESULTS.md.
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
from bench_analyze import make_article
from results import append_results
from server import proplens_server

MAX_REQUESTS = int(os.environ.get("MAX_REQUESTS", "300"))
MAX_SECONDS = float(os.environ.get("MAX_SECONDS", "60"))
CONCURRENCY = int(os.environ.get("CONCURRENCY", "4"))


def main() -> None:
    with proplens_server("--max-concurrent", "2") as url:
        article = make_article(1)
        words = len(article.split())
        latencies: list[float] = []
        codes: dict[int, int] = {}
        lock = threading.Lock()
        deadline = time.perf_counter() + MAX_SECONDS
        sent = [0]

        def client() -> None:
            with httpx.Client(timeout=60) as c:
                while time.perf_counter() < deadline:
                    with lock:
                        if sent[0] >= MAX_REQUESTS:
                            return
                        sent[0] += 1
                    t = time.perf_counter()
                    r = c.post(url + "/api/analyze", json={"text": article, "lang": "en"})
                    with lock:
                        latencies.append(time.perf_counter() - t)
                        codes[r.status_code] = codes.get(r.status_code, 0) + 1

        start = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(CONCURRENCY)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - start
    latencies.sort()
    n = len(latencies)
    p50 = latencies[n // 2] * 1000
    p99 = latencies[min(n - 1, int(n * 0.99))] * 1000
    report = f"""
## Web API load test, {dt.date.today().isoformat()}

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}.
`proplens serve` on loopback (`--max-concurrent 2`), {CONCURRENCY} client threads, POST
/api/analyze with a {words}-word article, {n} requests (caps: {MAX_REQUESTS} requests,
{MAX_SECONDS:.0f} s) (`benchmarks/bench_web.py`).

| measure | value |
|---|---|
| requests/second | {n / elapsed:.1f} |
| p50 latency | {p50:.0f} ms |
| p99 latency | {p99:.0f} ms |
| status codes | {", ".join(f"{k}: {v}" for k, v in sorted(codes.items()))} |
"""
    append_results(report)


if __name__ == "__main__":
    main()
