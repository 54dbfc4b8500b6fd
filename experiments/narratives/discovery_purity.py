"""Narrative discovery against the known narratives: purity of the clusters a corpus invents.

Section "narratives a corpus invents" of docs/models.md. A store of analysed articles is
clustered by `proplens.store.narratives.discover` at several ``min_size`` settings. Each
claim is scored against the SemEval-2025 narratives of its article (``Other`` dropped;
articles with only ``Other`` are left out):

- purity: the share of labelled claims whose article carries its cluster's most frequent
  narrative;
- chance: the same partition with the claims' articles shuffled (mean of 5 shuffles), the
  figure more clusters give for nothing;
- clusters, and coverage: the share of all claims that joined a narrative.

    python experiments/narratives/discovery_purity.py [DATA] [DB]

``DB`` is a store built with ``proplens corpus add`` (for example the SemEval-2025 and
-2023 training articles); without it the SemEval-2025 articles of ``DATA`` are analysed
into a temporary store first.
"""

from __future__ import annotations

import random
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.api import analyse
from proplens.eval.narratives import OTHER, read_narratives
from proplens.store import Store, open_store
from proplens.store.narratives import NoNarratives, claims_in, discover, narrative_table

DATA = Path("../shared/data/semeval2025-task10")
MIN_SIZES = (5, 8, 12)


def known(data: Path) -> dict[str, set[str]]:
    """Article id (file name without .txt) -> its narratives other than Other."""
    out = {}
    for path in sorted(data.glob("*/subtask-2-annotations.txt")):
        for article, (names, _) in read_narratives(path).items():
            out[article.removesuffix(".txt")] = {n for n in names if n != OTHER}
    return out


def build_store(data: Path, url: str) -> Store:
    store = open_store(url)
    for folder in sorted(p for p in data.iterdir() if (p / "raw-documents").is_dir()):
        lang = folder.name.lower()
        for path in sorted((folder / "raw-documents").glob("*.txt")):
            text = path.read_text(encoding="utf-8").replace("\r\n", "\n")
            store.add(analyse(text, lang, id=path.stem), source=f"semeval2025-{lang}")
    return store


def _purity(clusters: list[list[set[str]]]) -> float:
    hit = sum(Counter(n for labels in c for n in labels).most_common(1)[0][1] for c in clusters)
    total = sum(len(c) for c in clusters)
    return hit / total if total else 0.0


def measure(store: Store, gold: dict[str, set[str]], min_size: int) -> dict[str, float | int]:
    try:
        discover(store, min_size=min_size, min_documents=3, seed=SEED)
    except NoNarratives:
        return {"clusters": 0}
    table = narrative_table(store)
    clusters: list[list[set[str]]] = []
    assigned = 0
    for n in table:
        members = claims_in(store, n["id"], limit=10**9)
        assigned += len(members)
        labelled = [gold[c["doc_id"]] for c in members if gold.get(c["doc_id"])]
        if labelled:
            clusters.append(labelled)
    rng = random.Random(SEED)
    pool = [labels for c in clusters for labels in c]
    chance = []
    for _ in range(5):
        rng.shuffle(pool)
        it = iter(pool)
        chance.append(_purity([[next(it) for _ in c] for c in clusters]))
    total = int(table[0]["claims_in_run"]) if table else 0
    return {
        "clusters": len(table),
        "purity": _purity(clusters),
        "chance": sum(chance) / len(chance),
        "coverage": assigned / total if total else 0.0,
        "labelled claims": len(pool),
    }


def main(data: Path = DATA, db: str | None = None) -> dict[str, float | int]:
    gold = known(data)
    with tempfile.TemporaryDirectory() as tmp:
        store = open_store(db) if db else build_store(data, f"sqlite:///{tmp}/corpus.db")
        try:
            figures: dict[str, float | int] = {}
            for m in MIN_SIZES:
                figures.update({f"min{m} {k}": v for k, v in measure(store, gold, m).items()})
        finally:
            store.close()
    show("narrative discovery against the SemEval-2025 narratives", figures)
    return figures


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else DATA,
        sys.argv[2] if len(sys.argv) > 2 else None,
    )
