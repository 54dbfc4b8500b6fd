"""Narratives a corpus invents: discovery, stable assignment, listing, search, export."""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.cli import main
from proplens.store import Store, open_store
from proplens.store.narratives import (
    NoNarratives,
    assign,
    claims_in,
    current_run,
    discover,
    narrative_table,
    unassigned,
)

pytest.importorskip("sklearn")

from helpers import STORIES, add_story, story_article, story_corpus


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    s = open_store(db_url)
    story_corpus(s)
    yield s
    s.close()


def _story_of(doc_id: str) -> str:
    return doc_id.split("-")[0]


def test_discovery_finds_each_story_once_and_labels_it(store: Store) -> None:
    run = discover(store, min_size=3, min_documents=2)
    table = narrative_table(store)
    assert len(table) == 3
    stories = []
    for n in table:
        members = claims_in(store, n["id"], limit=1000)
        found = {_story_of(c["doc_id"]) for c in members}
        assert len(found) == 1, (n["label"], found)  # one story each
        stories += found
        assert n["documents"] == 5 and n["claims"] == 10
        assert n["techniques"] == {"Loaded_Language": 10}
        assert n["by_month"] == {"2024-01": 2, "2024-02": 1, "2024-03": 1, "undated": 1}
        assert sum(n["by_source"].values()) == 5
        assert n["examples"] and n["run"] == run
    assert sorted(stories) == sorted(STORIES)
    labels = " ".join(n["label"] for n in table)
    for word in ("bankers", "vaccine", "ballots"):
        assert word in labels
    assert unassigned(store) == 0


def test_new_documents_join_the_existing_narratives_without_reclustering(store: Store) -> None:
    run = discover(store, min_size=3, min_documents=2)
    before = {n["id"]: n["label"] for n in narrative_table(store)}
    new = add_story(store, "vaccine", 7, month=4)
    assert unassigned(store) == 1
    assert assign(store) == 1 and assign(store) == 0  # nothing twice
    assert current_run(store) == run
    table = narrative_table(store)
    assert {n["id"]: n["label"] for n in table} == before
    vaccine = next(n for n in table if "vaccine" in n["label"])
    assert new in {c["document_id"] for c in claims_in(store, vaccine["id"], limit=1000)}
    assert vaccine["by_month"]["2024-04"] == 1
    assert [h.id for h in store.search(narrative=vaccine["id"], limit=100)].count(new) == 1
    # a re-analysed document is read again: its old claims go, its new ones are assigned
    row = store.get(new)
    assert row is not None
    from proplens.analysis import Analysis

    store.replace_analysis(new, Analysis.from_dict(row["analysis"], row["text"]))
    assert unassigned(store) == 1 and new not in {
        c["document_id"] for c in claims_in(store, vaccine["id"], limit=1000)
    }
    assert assign(store) == 1
    assert new in {c["document_id"] for c in claims_in(store, vaccine["id"], limit=1000)}
    # an explicit discovery is a new run; the old one is kept
    assert discover(store, min_size=3, min_documents=2) == run + 1
    assert len(narrative_table(store, run)) == 3


def test_too_few_claims_is_a_clear_error(db_url: str) -> None:
    s = open_store(db_url)
    try:
        add_story(s, "farmland", 0, month=1)
        with pytest.raises(NoNarratives, match="no recurring narrative"):
            discover(s, min_size=3, min_documents=2)
        with pytest.raises(NoNarratives, match="no narratives yet"):
            narrative_table(s)
    finally:
        s.close()


def test_cli_lists_shows_exports_and_searches(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'n.db'}"
    s = open_store(url)
    story_corpus(s)
    s.close()
    runner = CliRunner()
    found = runner.invoke(
        main, ["corpus", "narratives", "--db", url, "discover", "--min-size", "3",
               "--min-documents", "2"],
    )  # fmt: skip
    assert found.exit_code == 0, found.output
    listed = runner.invoke(main, ["corpus", "narratives", "--db", url, "--json"])
    table = json.loads(listed.stdout)["narratives"]
    assert len(table) == 3
    first = table[0]["id"]
    text = runner.invoke(main, ["corpus", "narratives", "--db", url])
    assert "5 documents, 10 claims" in text.output and "months: 2024-01 2" in text.output
    shown = runner.invoke(main, ["corpus", "narratives", "show", str(first), "--db", url])
    assert shown.exit_code == 0 and "[" in shown.output
    out = tmp_path / "n.csv"
    exported = runner.invoke(
        main, ["corpus", "narratives", "--db", url, "--format", "csv", "-o", str(out)]
    )
    assert exported.exit_code == 0, exported.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [int(r["id"]) for r in rows] == [n["id"] for n in table]
    assert json.loads(rows[0]["by_month"])["undated"] == 1
    hits = runner.invoke(
        main, ["corpus", "search", "--narrative", str(first), "--db", url, "--json"]
    )
    assert len(json.loads(hits.stdout)["results"]) == 5
    # a document added with corpus add joins the narratives at once
    article = tmp_path / "late.txt"
    article.write_text(
        "Late report\nThe vaccine makers are hiding the deaths of children from the public.\n"
    )
    added = runner.invoke(main, ["corpus", "add", str(article), "--lang", "en", "--db", url])
    assert added.exit_code == 0, added.output
    assert "assigned 1 new document(s)" in added.output


def test_stats_count_the_known_narratives_by_source_and_month(db_url: str) -> None:
    from proplens.analysis import Narrative

    s = open_store(db_url)
    try:
        for k, (story, month) in enumerate([("vaccine", 1), ("vaccine", 2), ("election", None)]):
            base = story_article(story, k)
            name = (
                "URW: Praise of Russia" if story == "vaccine" else "CC: Criticism of institutions"
            )
            analysis = replace(base, narratives=(Narrative(name, 0.6),))
            published = dt.datetime(2024, month, 3) if month else None
            s.add(analysis, source=f"site-{k % 2}", published=published)
        rows = s.stats("narrative")["rows"]
    finally:
        s.close()
    assert rows[0] == {"narrative": "URW: Praise of Russia", "documents": 2,
                       "by_source": {"site-0": 1, "site-1": 1},
                       "by_month": {"2024-01": 1, "2024-02": 1}}  # fmt: skip
    assert rows[1]["by_month"] == {"undated": 1}


def test_the_ray_engine_assigns_the_same_claims_as_the_local_one(tmp_path: Path) -> None:
    pytest.importorskip("ray")
    found = []
    for engine in ("local", "ray"):
        s = open_store(f"sqlite:///{tmp_path / f'{engine}.db'}")
        try:
            story_corpus(s)
            discover(s, min_size=3, min_documents=2, engine=engine, workers=2)
            found.append(
                sorted(
                    (n["label"], c["doc_id"], c["start"], c["end"])
                    for n in narrative_table(s)
                    for c in claims_in(s, n["id"], limit=1000)
                )
            )
        finally:
            s.close()
    assert found[0] and found[0] == found[1]
