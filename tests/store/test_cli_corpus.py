"""`proplens corpus ...` end to end with the real pipeline, on SQLite and PostgreSQL."""

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.cli import main
from proplens.store import open_store

ARTICLES = {
    "bridge.txt": "Bridge\nThe reckless, shameful bridge plan will ruin Northbay. Stop it now!\n",
    "dam.txt": "Dam\nEngineers inspected the dam on Friday and found no damage.\n",
    "mill.txt": 'Mill\n"The mill owners are corrupt crooks," said Ada Vane on Monday.\n',
}


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    src = tmp_path / "news"
    src.mkdir()
    for name, text in ARTICLES.items():
        (src / name).write_text(text)
    (src / "broken.txt").write_bytes(b"\x00\x00binary")
    return src


def test_add_search_stats_export(db_url: str, folder: Path, tmp_path: Path) -> None:
    code, _, err = cli("corpus", "add", str(folder), "--db", db_url, "--source", "planet")
    assert code == 1  # one input failed
    assert "added 3, skipped 0 already stored, failed 1" in err
    assert "broken.txt: binary file" in err
    code, _, err = cli("corpus", "add", str(folder), "--db", db_url, "--source", "planet")
    assert "added 0, skipped 3 already stored, failed 1" in err

    code, out, _ = cli("corpus", "search", "dam", "--db", db_url, "--json")
    assert code == 0
    assert [r["doc_id"] for r in json.loads(out)["results"]] == ["dam"]
    code, out, _ = cli("corpus", "search", "--speaker", "quoted", "--db", db_url, "--json")
    quoted = [r["doc_id"] for r in json.loads(out)["results"]]
    assert quoted in ([], ["mill"])  # depends on the model finding a span in the quote
    code, out, _ = cli("corpus", "stats", "--db", db_url, "--json")
    stats = json.loads(out)
    assert stats["documents"] == 3 and stats["technique_spans"] >= 1
    assert stats["failures"] == 1
    code, out, _ = cli("corpus", "stats", "--by", "source", "--db", db_url, "--json")
    assert json.loads(out)["rows"][0]["source"] == "planet"

    for fmt in ("jsonl", "csv", "parquet"):
        out_file = tmp_path / f"export.{fmt}"
        code, _, err = cli("corpus", "export", "--format", fmt, "-o", str(out_file), "--db", db_url)
        assert code == 0 and "exported 3 document(s)" in err
    lines = (tmp_path / "export.jsonl").read_text().splitlines()
    assert {json.loads(x)["analysis"]["document"]["id"] for x in lines} == {"bridge", "dam", "mill"}
    assert (tmp_path / "export.csv").read_text().splitlines()[0].startswith("id,doc_id,source")
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "export.parquet").num_rows == 3


def test_the_examples_of_corpus_help_work(
    folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shlex

    monkeypatch.chdir(tmp_path)
    folder.rename(tmp_path / "news")
    code, out, _ = cli("corpus", "--help")
    block = out.split("Examples:")[1].split("Options:")[0]
    examples = [x.strip() for x in block.splitlines() if x.strip()]
    assert len(examples) >= 4 and all(x.startswith("proplens corpus ") for x in examples)
    for example in examples:
        code, _, err = cli(*shlex.split(example)[1:])
        assert code in (0, 1) and "Error" not in err, (example, err)  # 1: broken.txt failed
    import csv

    with open(tmp_path / "news.csv", newline="") as f:
        assert len(list(csv.DictReader(f))) == 3


def test_retry_failed_after_fixing_the_file(db_url: str, folder: Path) -> None:
    cli("corpus", "add", str(folder), "--db", db_url)
    store = open_store(db_url)
    assert [Path(f["path"]).name for f in store.failed()] == ["broken.txt"]
    (folder / "broken.txt").write_text("Fixed\nNow it is a proper article about the harbour.\n")
    code, _, err = cli("corpus", "add", "--retry-failed", "--db", db_url)
    assert code == 0 and "added 1" in err
    assert store.failed() == [] and store.count() == 4
    store.close()


def test_reanalyse_only_touches_old_model_versions(tmp_path: Path, folder: Path) -> None:
    url = f"sqlite:///{tmp_path / 'c.db'}"
    cli("corpus", "add", str(folder), "--db", url)
    store = open_store(url)
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE documents SET model_version = 'old' WHERE doc_id = 'dam'")
    code, _, err = cli("corpus", "reanalyse", "--db", url)
    assert code == 0 and "re-analysed 1 document(s)" in err
    versions = {r["doc_id"]: r["model_version"] for r in store.export_rows()}
    assert len(set(versions.values())) == 1 and "old" not in versions.values()
    store.close()


def test_reanalyse_leaves_current_analyses_of_every_language_alone(tmp_path: Path) -> None:
    src = tmp_path / "mixed"
    src.mkdir()
    (src / "fr.txt").write_text(
        "Le pont\nLes ingénieurs ont inspecté le pont vendredi et n'ont trouvé aucun dégât. "
        "La mairie publiera le rapport complet la semaine prochaine.\n"
    )
    (src / "ru.txt").write_text(
        "Мост\nИнженеры осмотрели мост в пятницу и не нашли никаких повреждений. "
        "Полный отчёт мэрия опубликует на следующей неделе.\n"
    )
    (src / "en.txt").write_text(ARTICLES["dam.txt"])
    url = f"sqlite:///{tmp_path / 'm.db'}"
    cli("corpus", "add", str(src), "--db", url)
    store = open_store(url)
    assert {r["lang"] for r in store.export_rows()} == {"en", "fr", "ru"}
    code, _, err = cli("corpus", "reanalyse", "--db", url)
    assert code == 0 and "re-analysed 0 document(s)" in err
    with store.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE documents SET model_version = 'old' WHERE doc_id = 'fr'")
    code, _, err = cli("corpus", "reanalyse", "--db", url)
    assert code == 0 and "re-analysed 1 document(s)" in err
    store.close()


def test_killed_run_leaves_no_partial_document_and_resumes(tmp_path: Path) -> None:
    src = tmp_path / "many"
    src.mkdir()
    for i in range(40):
        (src / f"a{i:02d}.txt").write_text(
            f"Story {i}\nThe shameful plan number {i} will ruin the valley. " * 20 + "\n"
        )
    url = f"sqlite:///{tmp_path / 'k.db'}"
    proc = subprocess.Popen(
        [sys.executable, "-m", "proplens.cli", "corpus", "add", str(src), "--db", url],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    store = open_store(url)
    deadline = time.time() + 120
    while store.count() < 3 and time.time() < deadline and proc.poll() is None:
        time.sleep(0.2)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = store.count()
    assert partial >= 3
    _assert_whole_documents(store)
    code, _, err = cli("corpus", "add", str(src), "--db", url)
    assert code == 0 and f"skipped {partial} already stored" in err
    assert store.count() == 40
    _assert_whole_documents(store)
    store.close()


def _assert_whole_documents(store) -> None:  # type: ignore[no-untyped-def]
    with store.engine.connect() as conn:
        rows = conn.exec_driver_sql(
            "SELECT d.id, d.analysis, (SELECT count(*) FROM technique_spans s "
            "WHERE s.document_id = d.id) FROM documents d"
        ).all()
    for _, analysis, n_spans in rows:
        assert len(json.loads(analysis)["techniques"]) == n_spans


def test_bad_db_url_is_a_clear_error(folder: Path) -> None:
    code, _, err = cli("corpus", "add", str(folder), "--db", "postgresql://u:pw@127.0.0.1:1/x")
    assert code == 1 and "check the --db URL" in err and "Traceback" not in err


def test_multiprocess_engine(tmp_path: Path, folder: Path) -> None:
    url = f"sqlite:///{tmp_path / 'mp.db'}"
    code, _, err = cli("corpus", "add", str(folder), "--db", url, "--workers", "2")
    assert code == 1 and "added 3, skipped 0 already stored, failed 1" in err


@pytest.mark.slow
def test_ray_engine_on_a_local_instance(tmp_path: Path, folder: Path) -> None:
    pytest.importorskip("ray")
    url = f"sqlite:///{tmp_path / 'ray.db'}"
    _, _, err = cli("corpus", "add", str(folder), "--db", url, "--engine", "ray", "--workers", "2")
    assert "added 3, skipped 0 already stored, failed 1" in err
    store = open_store(url)
    assert store.count() == 3
    store.close()


def test_locked_database_is_a_clear_error(tmp_path: Path, folder: Path) -> None:
    import sqlite3

    url = f"sqlite:///{tmp_path / 'locked.db'}"
    open_store(url).close()
    holder = sqlite3.connect(tmp_path / "locked.db")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        code, _, err = cli("corpus", "add", str(folder / "dam.txt"), "--db", url)
    finally:
        holder.rollback()
        holder.close()
    assert code == 1
    assert "database is locked" in err and "another process holds a write lock" in err
    assert "Traceback" not in err
