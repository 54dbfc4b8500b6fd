"""The store on SQLite and on a real PostgreSQL server: same tests, same code path."""

import datetime as dt
from pathlib import Path

import pytest

from proplens.analysis import Actor, Analysis, Label, Quote, TechniqueSpan
from proplens.document import Document
from proplens.store import StoreError, open_store


def _analysis(
    text: str, doc_id: str, spans: list[tuple[str, str, str]], actor: str | None = None
) -> Analysis:
    doc = Document.from_text(text, id=doc_id, lang="en", source=f"{doc_id}.txt")
    techniques = []
    for phrase, tech, speaker in spans:
        start = text.index(phrase)
        techniques.append(TechniqueSpan(start, start + len(phrase), tech, 0.7, "because.", speaker))
    actors = ()
    if actor:
        at = text.index(actor)
        actors = (Actor(actor, "person", ((at, at + len(actor)),), -0.6),)
    return Analysis(
        document=doc,
        genre=Label("opinion", 0.8),
        techniques=tuple(techniques),
        quotes=(Quote(0, 5, "X"),),
        actors=actors,
        model_versions={"techniques": "test-1"},
    )


BRIDGE = "Bridge news\nThe reckless harbour bridge plan ruins Northbay, says Olsen.\n"
DAM = "Dam report\nEngineers inspected the dam on Friday.\n"
QUOTE = 'Mill\n"The mill owners are crooks," said Ada Vane about the mill.\n'


@pytest.fixture
def store(db_url: str):  # type: ignore[no-untyped-def]
    s = open_store(db_url)
    yield s
    s.close()


def test_add_is_idempotent_by_content_hash(store) -> None:  # type: ignore[no-untyped-def]
    a = _analysis(BRIDGE, "b1", [("reckless", "Loaded_Language", "author")], actor="Olsen")
    first = store.add(a, source="planet", published=dt.datetime(2024, 3, 5))
    assert isinstance(first, int)
    assert store.add(a, source="planet") is None
    assert store.count() == 1
    row = store.get(first)
    assert row["doc_id"] == "b1" and row["source"] == "planet" and row["genre"] == "opinion"
    assert row["analysis"]["schema"] == "proplens/analysis@1"
    assert row["published"].startswith("2024-03-05")


def test_search_combines_full_text_and_annotation_filters(store) -> None:  # type: ignore[no-untyped-def]
    store.add(
        _analysis(BRIDGE, "b1", [("reckless", "Loaded_Language", "author")], actor="Olsen"),
        "planet",
    )
    store.add(_analysis(DAM, "d1", []), "herald")
    store.add(_analysis(QUOTE, "q1", [("crooks", "Name_Calling-Labeling", "Ada Vane")]), "herald")
    assert [h.doc_id for h in store.search("harbour")] == ["b1"]
    assert [h.doc_id for h in store.search("dam")] == ["d1"]
    assert store.search("nothing-like-this") == []
    assert [h.doc_id for h in store.search(technique="Loaded_Language")] == ["b1"]
    assert [h.doc_id for h in store.search(speaker="quoted")] == ["q1"]
    assert [h.doc_id for h in store.search(speaker="author")] == ["b1"]
    assert [h.doc_id for h in store.search("mill", speaker="author")] == []
    assert [h.doc_id for h in store.search(actor="olsen")] == ["b1"]
    assert sorted(h.doc_id for h in store.search(source="herald")) == ["d1", "q1"]
    assert store.search("harbour")[0].techniques == 1
    assert "harbour" in store.search("harbour")[0].snippet
    # user text with FTS syntax characters is searched as words, not parsed as a query
    assert [h.doc_id for h in store.search('harbour" (*')] == ["b1"]


def test_stats_rates_per_thousand_words(store) -> None:  # type: ignore[no-untyped-def]
    store.add(
        _analysis(BRIDGE, "b1", [("reckless", "Loaded_Language", "author")], actor="Olsen"),
        "planet",
        dt.datetime(2024, 3, 5),
    )
    store.add(_analysis(QUOTE, "q1", [("crooks", "Name_Calling-Labeling", "Ada Vane")]), "herald")
    words = Document.from_text(BRIDGE).word_count + Document.from_text(QUOTE).word_count
    by_tech = store.stats("technique")
    assert by_tech["documents"] == 2 and by_tech["words"] == words
    rows = {r["technique"]: r for r in by_tech["rows"]}
    assert rows["Name_Calling-Labeling"]["quoted_spans"] == 1
    assert rows["Loaded_Language"]["per_1000_words"] == pytest.approx(1000 / words, abs=1e-3)
    by_source = {r["source"]: r for r in store.stats("source")["rows"]}
    assert by_source["planet"]["techniques_per_1000_words"]["Loaded_Language"] > 0
    by_month = store.stats("month")
    # the undated document is counted apart, not placed at the month it was stored
    assert [(m["month"], m["documents"]) for m in by_month["rows"]] == [("2024-03", 1)]
    assert by_month["undated_documents"] == 1
    actors = store.stats("actor")["rows"]
    assert actors[0]["actor"] == "Olsen" and actors[0]["attacked_by_source"] == {"planet": 1}


def test_failures_are_recorded_and_cleared(store) -> None:  # type: ignore[no-untyped-def]
    store.record_failure("x.txt", "empty file")
    store.record_failure("x.txt", "empty file")
    assert [(f["path"], f["attempts"]) for f in store.failed()] == [("x.txt", 2)]
    doc_ok = _analysis(DAM, "x", [])
    object.__setattr__(doc_ok.document, "source", "x.txt")
    store.add(doc_ok)
    assert store.failed() == []


def test_unreachable_database_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match=r"folder .* does not exist"):
        open_store(f"sqlite:///{tmp_path}/missing/dir/x.db")
    with pytest.raises(StoreError, match="check the --db URL"):
        open_store("postgresql://nobody:secret@127.0.0.1:1/none")


def test_password_never_appears_in_errors() -> None:
    with pytest.raises(StoreError) as info:
        open_store("postgresql://nobody:hunter2@127.0.0.1:1/none")
    assert "hunter2" not in str(info.value)


HALE = (
    "Bridge plans\n"
    "Mayor Tom Hale opened the bridge on Friday. Critics say Hale is a corrupt liar and a "
    "disgrace to the city.\n"
)


def test_a_stored_corpus_says_who_attacks_whom(store) -> None:  # type: ignore[no-untyped-def]
    import proplens

    analysis = proplens.analyse(HALE, lang="en", id="hale")
    aimed = [t for t in analysis.techniques if t.target == "Tom Hale"]
    assert aimed and all(t.speaker == "author" for t in aimed)
    row = store.add(analysis, source="planet")
    assert store.get(row)["analysis"]["techniques"][0]["target"] == "Tom Hale"
    attacks = store.stats("actor")["attack_spans"]
    assert {"target": "Tom Hale", "speaker": "author", "spans": len(aimed)} in attacks
