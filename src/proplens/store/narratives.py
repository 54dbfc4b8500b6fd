"""Narratives a corpus invents: recurring claims found across its documents, kept stable.

A *claim* is a sentence that carries a technique span or a threat: where an article pushes
something. Discovery (`discover`, `corpus narratives discover`) embeds the claims with
multilingual USE, takes each language's mean vector out (so one story told in two languages
falls together rather than every language into its own cluster), reduces them with PCA and
clusters them with scikit-learn's HDBSCAN; a cluster is a narrative when its
claims come from at least ``min_documents`` documents. Each narrative keeps its centroid
and an assignment threshold (the least similarity of its members to it, less `MARGIN`,
so a new wording of the same claim still joins), its key
phrases (class-based TF-IDF over its claims, as BERTopic labels topics) and its most
typical sentences. Every claim of the corpus is then assigned to its nearest narrative
if it reaches that narrative's threshold.

Narratives are stable: documents added later are assigned to the existing ones
(`assign`, run by `corpus add` and `corpus narratives update`); only an explicit
``discover`` clusters again, as a new run, and the latest run is the current set.

Memory is bounded whatever the corpus size: the clustering reads a random sample of at
most ``sample`` claims (a reservoir over one pass), and assignment streams the documents
in batches. With ``engine="ray"`` the batches (claims, vectors, nearest narrative) are
computed on a Ray cluster and written by the driver.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from typing import Any

import numpy as np
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from proplens.document import Document
from proplens.engines import MissingExtra
from proplens.models.encoders import centred, language_means, unit_rows
from proplens.store.errors import explain
from proplens.store.queries import month_of
from proplens.store.schema import (
    documents,
    narrative_claims,
    narrative_runs,
    narrative_seen,
    narratives,
)
from proplens.store.store import Store

FloatArray = np.ndarray[Any, np.dtype[np.float32]]
Log = Callable[[str], None]
#: A claim shorter than this says too little to be grouped with others.
MIN_WORDS = 5
#: The least similarity (cosine of USE vectors) that puts a claim in a narrative.
MIN_SIMILARITY = 0.45
#: How far below its least typical member a claim may fall and still join a narrative.
MARGIN = 0.1
BATCH = 200  # documents per assignment batch


class NoNarratives(ValueError):
    """The store has no narratives yet, or too few claims to find any."""


@dataclass(frozen=True)
class Claim:
    document_id: int
    start: int
    end: int
    text: str
    lang: str | None


def claims_of(row: Mapping[str, Any]) -> list[Claim]:
    """The claim-bearing sentences of a stored document: those that hold a technique
    span or a threat, of at least `MIN_WORDS` words."""
    analysis = row["analysis"]
    marks = [(t["start"], t["end"]) for t in analysis.get("techniques", [])]
    marks += [(t["start"], t["end"]) for t in analysis.get("threats", [])]
    if not marks:
        return []
    doc = Document.from_text(row["text"], id=str(row["doc_id"]), lang=row.get("lang"))
    out = []
    for s in doc.sentences:
        if any(a < s.end and s.start < b for a, b in marks):
            body = row["text"][s.start : s.end]
            if len(body.split()) >= MIN_WORDS:
                out.append(Claim(int(row["id"]), s.start, s.end, body, row.get("lang")))
    return out


def claim_vectors(claims: Sequence[Claim]) -> FloatArray:
    """Unit-length multilingual USE vectors of the claims (language one-hot dropped)."""
    from proplens.models.encoders import USE_DIM, embed, unit_rows

    return unit_rows(embed([c.text for c in claims], [c.lang for c in claims])[:, :USE_DIM])


# -- discovery ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Found:
    """One narrative as discovery finds it, before it is stored."""

    label: str
    phrases: list[str]
    examples: list[dict[str, Any]]
    centroid: FloatArray
    radius: float


def _sklearn() -> Any:
    try:
        import sklearn.cluster
        import sklearn.decomposition
    except ModuleNotFoundError:
        raise MissingExtra(
            "narrative discovery needs scikit-learn, in the 'narratives' extra: "
            ".venv/bin/pip install -e '.[narratives]'"
        ) from None
    return sklearn


def sample_claims(
    rows: Iterable[Mapping[str, Any]], size: int, seed: int
) -> tuple[list[Claim], int]:
    """A uniform random sample of at most ``size`` claims over one pass (reservoir
    sampling), and how many claims there were."""
    rng = random.Random(seed)
    chosen: list[Claim] = []
    seen = 0
    for row in rows:
        for claim in claims_of(row):
            seen += 1
            if len(chosen) < size:
                chosen.append(claim)
            else:
                j = rng.randrange(seen)
                if j < size:
                    chosen[j] = claim
    return chosen, seen


def cluster(
    claims: Sequence[Claim],
    vectors: FloatArray,
    *,
    min_size: int,
    min_documents: int,
    seed: int,
    selection: str = "leaf",
) -> list[Found]:
    """HDBSCAN over PCA-reduced claim vectors; clusters spanning ``min_documents``
    documents become narratives, largest first."""
    sk = _sklearn()
    n = len(claims)
    if n < max(min_size, 2) * 2:
        return []
    dims = min(32, n - 1, vectors.shape[1])
    reduced = sk.decomposition.PCA(dims, random_state=seed).fit_transform(vectors)
    reduced = unit_rows(reduced)
    labels = sk.cluster.HDBSCAN(
        min_cluster_size=min_size,
        min_samples=max(2, min_size // 2),
        cluster_selection_method=selection,
        copy=True,
    ).fit_predict(reduced)
    groups = [np.flatnonzero(labels == k) for k in range(int(labels.max()) + 1)]
    groups = [g for g in groups if len({claims[int(i)].document_id for i in g}) >= min_documents]
    groups.sort(key=len, reverse=True)
    texts = [" ".join(claims[int(i)].text for i in g) for g in groups]
    langs = [Counter(claims[int(i)].lang for i in g).most_common(1)[0][0] for g in groups]
    phrases = key_phrases(texts, langs)
    out = []
    for g, keys in zip(groups, phrases, strict=True):
        centroid = vectors[g].mean(axis=0)
        centroid /= max(float(np.linalg.norm(centroid)), 1e-9)
        sims = vectors[g] @ centroid
        radius = max(MIN_SIMILARITY, float(sims.min()) - MARGIN)
        out.append(Found(" / ".join(keys[:3]), keys, _examples(claims, g, sims), centroid, radius))
    return out


def _examples(
    claims: Sequence[Claim], members: np.ndarray, sims: FloatArray
) -> list[dict[str, Any]]:
    """The most typical claims: nearest the centroid, one per document, three at most."""
    out: list[dict[str, Any]] = []
    used: set[int] = set()
    for k in np.argsort(-sims):
        c = claims[int(members[k])]
        if c.document_id in used:
            continue
        used.add(c.document_id)
        out.append({"document_id": c.document_id, "start": c.start, "end": c.end,
                    "text": c.text[:400], "similarity": round(float(sims[k]), 4)})  # fmt: skip
        if len(out) == 3:
            break
    return out


@cache
def _stop_words(lang: str | None) -> frozenset[str]:
    import importlib

    words: set[str] = set()
    for code in {lang or "en", "en"}:
        try:
            module = importlib.import_module(f"spacy.lang.{code}.stop_words")
        except ModuleNotFoundError:
            continue
        words |= set(module.STOP_WORDS)
    return frozenset(words)


def _words(body: str) -> list[str]:
    """Runs of letters, marks and digits: a regex's \\w would cut Hindi words at their
    vowel signs (combining marks)."""
    out, word = [], []
    for ch in body.lower() + " ":
        if unicodedata.category(ch)[0] in "LMN":
            word.append(ch)
        elif word:
            w = "".join(word)
            if len(w) >= 3 and not w.isdigit():
                out.append(w)
            word = []
    return out


def _terms(body: str, lang: str | None) -> list[str]:
    stop = _stop_words(lang)
    words = _words(body)
    keep = [w if w not in stop else "" for w in words]
    terms = [w for w in keep if w]
    terms += [f"{a} {b}" for a, b in pairwise(keep) if a and b]
    return terms


def key_phrases(texts: Sequence[str], langs: Sequence[str | None], top: int = 6) -> list[list[str]]:
    """Class-based TF-IDF: a term's share of a cluster's terms, weighted by how rare it is
    across clusters; the best terms, a word dropped when a chosen phrase holds it."""
    counts = [Counter(_terms(t, lang)) for t, lang in zip(texts, langs, strict=True)]
    spread: Counter[str] = Counter()
    for c in counts:
        spread.update(c.keys())
    mean_size = sum(sum(c.values()) for c in counts) / max(1, len(counts))
    out = []
    for c in counts:
        total = max(1, sum(c.values()))
        scored = sorted(
            c, key=lambda t: -(c[t] / total) * math.log(1 + mean_size / (spread[t] * total))
        )
        chosen: list[str] = []
        for term in scored:
            if c[term] < 2 and len(chosen) >= 2:
                continue
            if any(term in p.split() or p in term.split() for p in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top:
                break
        out.append(chosen)
    return out


# -- storing and assigning ----------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def current_run(store: Store) -> int | None:
    with store.engine.connect() as conn:
        found = conn.execute(select(func.max(narrative_runs.c.id))).scalar_one()
    return int(found) if found is not None else None


@dataclass(frozen=True)
class Centroids:
    """What assignment needs of a run: its narratives' centroids and thresholds, and the
    language means its vectors were centred with."""

    ids: list[int]
    matrix: FloatArray
    radius: FloatArray
    means: dict[str, FloatArray]


def _centroids(store: Store, run: int) -> Centroids:
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(narratives.c.id, narratives.c.centroid, narratives.c.radius)
            .where(narratives.c.run_id == run)
            .order_by(narratives.c.number)
        ).all()
        params = conn.execute(
            select(narrative_runs.c.params).where(narrative_runs.c.id == run)
        ).scalar_one()
    matrix = np.array([r[1] for r in rows], np.float32).reshape(len(rows), -1)
    means = {
        k: np.array(v, np.float32) for k, v in (params or {}).get("language_means", {}).items()
    }
    return Centroids(
        [int(r[0]) for r in rows], matrix, np.array([r[2] for r in rows], np.float32), means
    )


def nearest(
    claims: Sequence[Claim], vectors: FloatArray, c: Centroids
) -> list[tuple[Claim, int, float]]:
    """(claim, narrative id, similarity) for each claim that reaches its nearest
    narrative's threshold."""
    if not claims or not c.ids:
        return []
    sims = vectors @ c.matrix.T
    best = sims.argmax(axis=1)
    out = []
    for i, k in enumerate(best):
        s = float(sims[i, k])
        if s >= float(c.radius[k]):
            out.append((claims[i], c.ids[int(k)], s))
    return out


def assign_rows(
    rows: Sequence[Mapping[str, Any]], c: Centroids
) -> tuple[list[int], list[tuple[Claim, int, float]]]:
    """The documents of ``rows`` and their claims' narratives: the unit of work that runs
    locally or as a Ray task."""
    claims = [claim for row in rows for claim in claims_of(row)]
    langs = [claim.lang for claim in claims]
    found = nearest(claims, centred(claim_vectors(claims), langs, c.means), c) if claims else []
    return [int(r["id"]) for r in rows], found


def _write_assigned(
    store: Store, run: int, ids: Sequence[int], found: Sequence[tuple[Claim, int, float]]
) -> None:
    """Claims and the documents read, in one transaction: a batch is written whole."""
    with store.engine.begin() as conn:
        if found:
            conn.execute(
                narrative_claims.insert(),
                [{"narrative_id": k, "document_id": c.document_id, "start": c.start,
                  "end": c.end, "similarity": round(s, 4)} for c, k, s in found],
            )  # fmt: skip
        if ids:
            conn.execute(narrative_seen.insert(), [{"run_id": run, "document_id": i} for i in ids])


def _unseen(store: Store, run: int) -> Iterator[list[dict[str, Any]]]:
    """The documents the run has not read yet, in batches of `BATCH`."""
    seen = select(narrative_seen.c.document_id).where(narrative_seen.c.run_id == run)
    with store.engine.connect() as conn:
        ids = [int(i) for i in conn.execute(
            select(documents.c.id).where(documents.c.id.not_in(seen)).order_by(documents.c.id)
        ).scalars()]  # fmt: skip
    for k in range(0, len(ids), BATCH):
        batch = [store.get(i) for i in ids[k : k + BATCH]]
        yield [r for r in batch if r is not None]


def assign(store: Store, *, engine: str = "local", workers: int = 1, log: Log | None = None) -> int:
    """Assign every document the current run has not read to its narratives; returns how
    many documents were read (0 when there are no narratives yet)."""
    run = current_run(store)
    if run is None:
        return 0
    c = _centroids(store, run)
    done = 0
    try:
        for ids, found in _map_batches(_unseen(store, run), c, engine, workers):
            _write_assigned(store, run, ids, found)
            done += len(ids)
            if log:
                log(f"assigned {done} document(s)")
    except DBAPIError as exc:
        raise explain(exc, store.url) from exc
    return done


def _map_batches(
    batches: Iterable[list[dict[str, Any]]], c: Centroids, engine: str, workers: int
) -> Iterator[tuple[list[int], list[tuple[Claim, int, float]]]]:
    if engine != "ray":
        for rows in batches:
            yield assign_rows(rows, c)
        return
    from proplens.engines import ray_session

    with ray_session(workers) as ray:
        remote = ray.remote(assign_rows)
        shared = ray.put(c)
        pending: list[Any] = []
        for rows in batches:
            pending.append(remote.remote(rows, shared))
            if len(pending) >= 2 * max(1, workers):  # bounded: a few batches in flight
                ready, pending = ray.wait(pending, num_returns=1)
                yield ray.get(ready[0])
        while pending:
            ready, pending = ray.wait(pending, num_returns=1)
            yield ray.get(ready[0])


def discover(
    store: Store,
    *,
    min_size: int = 8,
    min_documents: int = 3,
    sample: int = 20_000,
    seed: int = 13,
    engine: str = "local",
    workers: int = 1,
    log: Log | None = None,
) -> int:
    """Cluster the corpus's claims into a new run of narratives and assign every document
    to it; returns the new run's id."""
    _sklearn()
    chosen, total = sample_claims(store.export_rows(), sample, seed)
    if log:
        log(f"{total} claim(s) in the corpus; clustering {len(chosen)}")
    raw = claim_vectors(chosen) if chosen else np.zeros((0, 512), np.float32)
    langs = [claim.lang for claim in chosen]
    means = language_means(raw, langs)
    found = cluster(chosen, centred(raw, langs, means), min_size=min_size,
                    min_documents=min_documents, seed=seed)  # fmt: skip
    if not found:
        raise NoNarratives(
            f"{store.url}: {total} claim(s), no recurring narrative found "
            f"(at least {min_size} similar claims from {min_documents} documents); "
            "add documents or lower --min-size"
        )
    params = {"min_size": min_size, "min_documents": min_documents, "sample": sample,
              "seed": seed, "min_similarity": MIN_SIMILARITY, "margin": MARGIN,
              "language_means": {k: [round(float(x), 6) for x in v]
                                 for k, v in means.items()}}  # fmt: skip
    try:
        with store.engine.begin() as conn:
            inserted = conn.execute(
                narrative_runs.insert().values(
                    created_at=_now(), claims=total, clustered=len(chosen), params=params
                )
            ).inserted_primary_key
            assert inserted is not None
            run = int(inserted[0])
            conn.execute(
                narratives.insert(),
                [{"run_id": run, "number": n, "label": f.label[:512], "phrases": f.phrases,
                  "examples": f.examples, "centroid": [round(float(v), 6) for v in f.centroid],
                  "radius": f.radius} for n, f in enumerate(found, start=1)],
            )  # fmt: skip
    except DBAPIError as exc:
        raise explain(exc, store.url) from exc
    if log:
        log(f"run {run}: {len(found)} narrative(s); assigning the documents")
    assign(store, engine=engine, workers=workers, log=log)
    return run


# -- reading ------------------------------------------------------------------------------


def narrative_table(store: Store, run: int | None = None) -> list[dict[str, Any]]:
    """The narratives of a run (default: the current one) with their claims and documents
    counted, by source and by publication month (undated documents counted apart), and
    the techniques found inside their claims."""
    run = run if run is not None else current_run(store)
    if run is None:
        raise NoNarratives(f"{store.url}: no narratives yet; run 'corpus narratives discover'")
    month = month_of(store.dialect)
    with store.engine.connect() as conn:
        heads = conn.execute(
            select(narratives).where(narratives.c.run_id == run).order_by(narratives.c.number)
        ).mappings().all()  # fmt: skip
        in_run = conn.execute(
            select(narrative_runs.c.claims).where(narrative_runs.c.id == run)
        ).scalar_one()
        per_doc = conn.execute(
            text(
                f"SELECT c.narrative_id AS n, d.source AS source, {month} AS month, "
                "count(*) AS claims, count(DISTINCT c.document_id) AS docs "
                "FROM narrative_claims c JOIN documents d ON d.id = c.document_id "
                "JOIN narratives r ON r.id = c.narrative_id WHERE r.run_id = :run "
                f"GROUP BY c.narrative_id, d.source, {month}"
            ),
            {"run": run},
        ).mappings().all()  # fmt: skip
        documents_of: dict[int, int] = dict(
            conn.execute(
                text(
                    "SELECT c.narrative_id, count(DISTINCT c.document_id) FROM narrative_claims c "
                    "JOIN narratives r ON r.id = c.narrative_id WHERE r.run_id = :run "
                    "GROUP BY c.narrative_id"
                ),
                {"run": run},
            ).all()
        )
        techniques = conn.execute(
            text(
                "SELECT c.narrative_id AS n, s.technique AS technique, count(*) AS spans "
                "FROM narrative_claims c JOIN narratives r ON r.id = c.narrative_id "
                "JOIN technique_spans s ON s.document_id = c.document_id "
                'AND s.start < c."end" AND c.start < s."end" '
                "WHERE r.run_id = :run GROUP BY c.narrative_id, s.technique"
            ),
            {"run": run},
        ).mappings().all()  # fmt: skip
    by_source: dict[int, Counter[str]] = defaultdict(Counter)
    by_month: dict[int, Counter[str]] = defaultdict(Counter)
    claims: Counter[int] = Counter()
    for r in per_doc:
        by_source[r["n"]][r["source"] or ""] += int(r["docs"])
        by_month[r["n"]][r["month"] or "undated"] += int(r["docs"])
        claims[r["n"]] += int(r["claims"])
    techs: dict[int, Counter[str]] = defaultdict(Counter)
    for r in techniques:
        techs[r["n"]][r["technique"]] += int(r["spans"])
    return [
        {
            "id": h["id"],
            "run": run,
            "number": h["number"],
            "label": h["label"],
            "phrases": list(h["phrases"]),
            "claims": claims[h["id"]],
            "documents": int(documents_of.get(h["id"], 0)),
            "by_source": dict(by_source[h["id"]].most_common()),
            "by_month": dict(sorted(by_month[h["id"]].items())),
            "techniques": dict(techs[h["id"]].most_common(5)),
            "examples": list(h["examples"]),
            "claims_in_run": int(in_run),
        }
        for h in heads
    ]


def unassigned(store: Store) -> int:
    """Documents the current run has not read (0 when there is no run)."""
    run = current_run(store)
    if run is None:
        return 0
    seen = select(narrative_seen.c.document_id).where(narrative_seen.c.run_id == run)
    with store.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(documents).where(documents.c.id.not_in(seen))
            ).scalar_one()
        )


def claims_in(store: Store, narrative_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """A narrative's claims, most typical first, with their documents."""
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(narrative_claims.c.document_id, narrative_claims.c.start,
                   narrative_claims.c.end, narrative_claims.c.similarity, documents.c.doc_id,
                   documents.c.source, documents.c.published, documents.c.text)
            .join(documents, documents.c.id == narrative_claims.c.document_id)
            .where(narrative_claims.c.narrative_id == narrative_id)
            .order_by(narrative_claims.c.similarity.desc(), narrative_claims.c.id)
            .limit(limit)
        ).mappings().all()  # fmt: skip
    return [
        {"document_id": r["document_id"], "doc_id": r["doc_id"], "source": r["source"],
         "published": r["published"].isoformat() if r["published"] else None,
         "start": r["start"], "end": r["end"], "similarity": r["similarity"],
         "text": r["text"][r["start"] : r["end"]]}
        for r in rows
    ]  # fmt: skip
