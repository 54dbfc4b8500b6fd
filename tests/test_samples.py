"""The real sample articles, read from ../shared/samples when that folder exists.

Their text is never copied into the repository; these tests only analyse it.
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import SHARED, validate
from proplens.cli import main

SAMPLES = SHARED / "samples"
pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not present")


@pytest.mark.parametrize("name", ["putin-khilafah-opinion.txt", "ussr2-kazakhstan-opinion.txt"])
def test_sample_gives_valid_analysis_with_spans(
    name: str, schema: dict[str, object], tmp_path: Path
) -> None:
    result = CliRunner().invoke(main, ["analyze", str(SAMPLES / name), "--format", "json"])
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    validate(payload, schema)
    assert payload["document"]["lang"] == "en"
    assert len(payload["techniques"]) >= 5
    assert {"Loaded_Language", "Name_Calling-Labeling"} & {
        t["technique"] for t in payload["techniques"]
    }
    assert payload["quotes"], "both samples quote other people"
    out = tmp_path / "r.html"
    result = CliRunner().invoke(
        main, ["analyze", str(SAMPLES / name), "--format", "html", "-o", str(out)]
    )
    assert result.exit_code == 0 and out.read_text().count("<mark") >= 5
