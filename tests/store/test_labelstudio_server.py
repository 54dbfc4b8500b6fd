"""The round trip through a real Label Studio server (loopback, SQLite, its own venv).

`make labelstudio` builds ``.lsenv`` with the ``label-studio`` package (its dependencies
clash with proplens's, so it never shares ``.venv``); `.ci/run` builds it and sets
``PROPLENS_REQUIRE_LABEL_STUDIO=1``, so there a missing server fails instead of skipping.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from proplens.cli import main

ROOT = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("PROPLENS_LABEL_STUDIO", ROOT / ".lsenv" / "bin" / "label-studio"))
TOKEN = "proplens-test-token-0123456789"
# Written for this test: an emoji and accented words before the spans, a quote, a threat.
ARTICLE = (
    "Café owners 😡 betrayed by the council\n"
    "\n"
    "These corrupt thugs at the council have ruined our town. Their disgusting scheme "
    "will devastate every family.\n"
    "\n"
    '"This budget is a disaster for the people of Riverton," said Anna Berg, a teacher.\n'
    "\n"
    "Either we stop them now or we lose everything. Stand up for Riverton!\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LabelStudio:
    def __init__(self, url: str) -> None:
        self.url = url

    def call(self, method: str, path: str, body: Any = None) -> Any:
        request = urllib.request.Request(
            self.url + path,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Token {TOKEN}", "Content-Type": "application/json"},
            method=method,
        )
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read() or b"null")
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"{method} {path}: {exc.code} {exc.read()[:500]!r}") from None


@pytest.fixture(scope="module")
def label_studio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabelStudio]:
    if not BINARY.exists():
        if os.environ.get("PROPLENS_REQUIRE_LABEL_STUDIO"):
            pytest.fail(f"{BINARY} missing: run 'make labelstudio'")
        pytest.skip("Label Studio not installed (make labelstudio)")
    data = tmp_path_factory.mktemp("label-studio")
    port = _free_port()
    env = {**os.environ, "LABEL_STUDIO_BASE_DATA_DIR": str(data), "DJANGO_DB": "sqlite"}
    log = (data / "server.log").open("wb")
    process = subprocess.Popen(
        [str(BINARY), "start", "--no-browser", "--internal-host", "127.0.0.1",
         "--port", str(port), "--username", "analyst@example.org", "--password", "proplens-pw",
         "--user-token", TOKEN, "--enable-legacy-api-token"],
        cwd=data, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=5):
                    break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if process.poll() is not None or time.monotonic() > deadline:
                    tail = (data / "server.log").read_text(errors="replace")[-2000:]
                    pytest.fail(f"Label Studio did not start:\n{tail}")
                time.sleep(1)
        yield LabelStudio(url)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()


def test_round_trip_through_label_studio_keeps_every_offset(
    label_studio: LabelStudio, tmp_path: Path
) -> None:
    runner = CliRunner()
    db = f"sqlite:///{tmp_path / 'corpus.db'}"
    article = tmp_path / "council.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    added = runner.invoke(main, ["corpus", "add", str(article), "--lang", "en", "--db", db])
    assert added.exit_code == 0, added.output
    tasks_file = tmp_path / "tasks.json"
    exported = runner.invoke(
        main, ["corpus", "export", "--format", "label-studio", "-o", str(tasks_file), "--db", db]
    )
    assert exported.exit_code == 0, exported.output
    config = runner.invoke(main, ["labelstudio", "config"]).output

    project = label_studio.call(
        "POST", "/api/projects/", {"title": "proplens", "label_config": config}
    )
    tasks = json.loads(tasks_file.read_text(encoding="utf-8"))
    imported = label_studio.call("POST", f"/api/projects/{project['id']}/import", tasks)
    assert imported["task_count"] == 1 and imported["prediction_count"] == 1
    listed = label_studio.call("GET", f"/api/tasks/?project={project['id']}")["tasks"]
    task = label_studio.call("GET", f"/api/tasks/{listed[0]['id']}/")
    assert task["data"]["text"] == ARTICLE
    predicted = task["predictions"][0]["result"]
    spans = [r for r in predicted if r.get("from_name") == "technique"]
    assert spans, "the pipeline found no technique to correct"

    # the analyst accepts the pre-annotations and relabels the first technique span
    corrected = [dict(r) for r in predicted]
    first = next(i for i, r in enumerate(corrected) if r.get("from_name") == "technique")
    old_label = corrected[first]["value"]["labels"][0]
    new_label = "Doubt" if old_label != "Doubt" else "Slogans"
    corrected[first] = {
        **corrected[first],
        "value": {**corrected[first]["value"], "labels": [new_label]},
    }
    label_studio.call("POST", f"/api/tasks/{task['id']}/annotations/", {"result": corrected})
    export = label_studio.call("GET", f"/api/projects/{project['id']}/export?exportType=JSON")
    export_file = tmp_path / "export.json"
    export_file.write_text(json.dumps(export), encoding="utf-8")

    back = runner.invoke(main, ["corpus", "import-labels", str(export_file), "--db", db])
    assert back.exit_code == 0, back.output
    assert "imported 1 gold version(s)" in back.output

    from proplens.store import open_store
    from proplens.store.gold import latest_gold

    store = open_store(db)
    try:
        gold = latest_gold(store)[0]
        assert gold.annotator == f"label-studio user {export[0]['annotations'][0]['completed_by']}"
        stored_text = store.get(gold.document_id)["text"]  # type: ignore[index]
    finally:
        store.close()
    assert stored_text == ARTICLE
    # every region comes back on the very characters proplens exported
    sent = {(r["value"]["labels"][0], r["value"]["text"]) for r in tasks[0]["predictions"][0]["result"]
            if r.get("type") == "labels"}  # fmt: skip
    came = {(a.label, ARTICLE[a.start : a.end]) for a in gold.annotations if a.start is not None}
    relabelled = (old_label, spans[0]["value"]["text"])
    assert came - {(new_label, relabelled[1])} <= sent
    assert (new_label, relabelled[1]) in came
    pre = {
        (r["value"]["text"])
        for r in tasks[0]["predictions"][0]["result"]
        if r.get("type") == "labels"
    }
    assert {ARTICLE[a.start : a.end] for a in gold.annotations if a.start is not None} == pre

    score = runner.invoke(main, ["evaluate", "gold", "--db", db])
    assert score.exit_code == 0, score.output
    figures = dict(line.rsplit(" ", 1) for line in score.output.strip().splitlines())
    assert float(figures["SI-F1"]) == pytest.approx(1.0)
    assert float(figures["FLC-F1"]) < 1.0  # the corrected label now counts against the model
