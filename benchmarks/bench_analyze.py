"""Speed and memory of the default pipeline on 1,000-word synthetic articles.

Run by hand (`make bench`); appends a dated section to benchmarks/RESULTS.md.
``BENCH_LANG=ru`` runs the same on Russian articles (natasha entities, Russian stance).
``BENCH_DIR=FOLDER`` takes real articles of 800-1,200 words from a folder of .txt files
instead (for example a SemEval articles folder; nothing from it is written here).
Targets (technique issue): one article < 1 s, >= 200 articles/min in batch on 2 cores,
peak memory < 1.5 GB.
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import random
import resource
import statistics
import sys
import time
from pathlib import Path

from results import append_results

import proplens
from proplens.analysis import Analysis
from proplens.api import analyse_many
from proplens.document import Document

SENTENCES = [
    "The council approved the budget for the new harbour bridge on Tuesday.",
    "These reckless bureaucrats have betrayed every family in the valley.",
    "Can we really trust anything the committee tells us?",
    "Either we stop this plan now or we lose our town forever.",
    '"This is a disgrace," said a local shop owner who asked not to be named.',
    "Critics argue the project will double traffic in the old town.",
    "True patriots will stand together against this shameful scheme.",
    "The mayor said the costs were fully covered by regional funds.",
    "Nobody in their right mind would support such a corrupt deal.",
    "Residents will meet at the town hall on Monday evening.",
]


SENTENCES_RU = [
    "Во вторник совет утвердил бюджет нового моста через гавань.",
    "Эти безответственные чиновники предали каждую семью в долине.",
    "Можем ли мы действительно верить хоть чему-то, что говорит комитет?",
    "Либо мы остановим этот план сейчас, либо навсегда потеряем наш город.",
    "«Это позор», — сказал владелец местного магазина Пётр Смирнов.",
    "Критики считают, что проект удвоит движение в старом городе.",
    "Настоящие патриоты вместе выступят против этой позорной затеи.",
    "Мэр Анна Волкова заявила, что расходы полностью покрыты из областного бюджета.",
    "Ни один здравомыслящий человек не поддержит такую коррупционную сделку.",
    "Жители соберутся в ратуше в понедельник вечером.",
]
LANG = os.environ.get("BENCH_LANG", "en")


def make_article(seed: int, words: int = 1000) -> str:
    rng = random.Random(seed)
    lines, count = [f"Synthetic article {seed}"], 0
    pool = SENTENCES_RU if LANG == "ru" else SENTENCES
    while count < words:
        para = " ".join(rng.choice(pool) for _ in range(rng.randint(2, 5)))
        lines.append(para)
        count += len(para.split())
    return "\n".join(lines) + "\n"


def real_articles(folder: Path, n: int) -> list[str]:
    """Articles of 800-1,200 words from ``folder`` (``BENCH_DIR``), repeated up to ``n``:
    real sentences are longer than the synthetic ones, which changes what some steps cost."""
    texts = [p.read_text("utf-8") for p in sorted(folder.glob("*.txt"))]
    texts = [t for t in texts if 800 <= len(t.split()) <= 1200]
    if not texts:
        sys.exit(f"{folder}: no .txt articles of 800-1,200 words")
    return [texts[i % len(texts)] for i in range(n)]


def _work(texts: list[str]) -> int:
    for t in texts:
        proplens.analyse(t, lang=LANG)
    return len(texts)


def main() -> None:
    n_batch = int(os.environ.get("BENCH_ARTICLES", "200"))
    real = os.environ.get("BENCH_DIR")
    articles = (
        real_articles(Path(real), n_batch) if real else [make_article(i) for i in range(n_batch)]
    )
    kind = f"real {LANG} from `{Path(real).name}`" if real else f"synthetic {LANG}"
    t0 = time.perf_counter()
    proplens.analyse(articles[0], lang=LANG)
    cold = time.perf_counter() - t0
    single = []
    for text in articles[1:21]:
        t = time.perf_counter()
        proplens.analyse(text, lang=LANG)
        single.append(time.perf_counter() - t)
    auto = []
    for text in articles[21:31]:
        t = time.perf_counter()
        proplens.analyse(text)
        auto.append(time.perf_counter() - t)
    t = time.perf_counter()
    _work(articles)
    per_min_1 = n_batch / (time.perf_counter() - t) * 60
    workers = os.cpu_count() or 1
    docs = [Document.from_text(text, lang=LANG) for text in articles]
    t = time.perf_counter()
    done = sum(isinstance(result, Analysis) for _, result in analyse_many(docs, workers=workers))
    per_min_n = done / (time.perf_counter() - t) * 60
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    words = int(statistics.median(len(a.split()) for a in articles))
    med, p90 = statistics.median(single) * 1000, sorted(single)[17] * 1000
    report = f"""
## Default pipeline{"" if LANG == "en" else f" ({LANG})"}, {dt.date.today().isoformat()}

Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()},
proplens {proplens.__version__}. Articles: {kind}, median {words} words
(`benchmarks/bench_analyze.py`, {n_batch} in batch).

| measure | value | target |
|---|---|---|
| first article incl. model load | {cold * 1000:.0f} ms | |
| one article, warm, median (p90) | {med:.0f} ms ({p90:.0f} ms) | < 1000 ms |
| one article, warm, language detected | {statistics.median(auto) * 1000:.0f} ms | |
| batch, 1 process | {per_min_1:.0f} articles/min | |
| batch, {workers} processes (`analyse_many`) | {per_min_n:.0f} articles/min | >= 200 |
| peak RSS, one process | {peak_mb:.0f} MB | < 1500 MB |
"""
    append_results(report)
    sys.exit(0)


if __name__ == "__main__":
    main()
