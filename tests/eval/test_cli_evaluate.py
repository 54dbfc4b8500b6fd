from pathlib import Path

import pytest
from click.testing import CliRunner

from proplens.cli import main


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join(rows) + "\n")
    return path


def test_evaluate_st3_last_line_is_metric(tmp_path: Path) -> None:
    gold = _write(tmp_path / "g.txt", ["1\t1\tDoubt,Slogans", "1\t3\t", "2\t1\tDoubt"])
    pred = _write(tmp_path / "p.txt", ["1\t1\tDoubt", "1\t3\tRepetition", "2\t1\tDoubt"])
    result = CliRunner().invoke(main, ["evaluate", "st3", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[-1] == "micro-F1 0.6667"
    assert any(line.startswith("Doubt") for line in lines)


def test_evaluate_spans_from_folder(tmp_path: Path) -> None:
    (tmp_path / "gold").mkdir()
    _write(tmp_path / "gold" / "article1-labels.txt", ["1\tDoubt\t0\t10"])
    pred = _write(tmp_path / "p.txt", ["1\tDoubt\t5\t15"])
    result = CliRunner().invoke(main, ["evaluate", "si", str(tmp_path / "gold"), str(pred)])
    assert result.output.strip().splitlines()[-1] == "SI-F1 0.5000"
    result = CliRunner().invoke(main, ["evaluate", "flc", str(tmp_path / "gold"), str(pred)])
    assert result.output.strip().splitlines()[-1] == "FLC-F1 0.5000"


@pytest.mark.parametrize(
    ("task", "gold", "pred", "last"),
    [
        ("st1", ["1\topinion", "2\tsatire"], ["1\topinion", "2\topinion"], "macro-F1 0.3333"),
        ("st2", ["1\tPolitical,Morality"], ["1\tPolitical"], "micro-F1 0.6667"),
    ],
)
def test_evaluate_article_tasks(
    tmp_path: Path, task: str, gold: list[str], pred: list[str], last: str
) -> None:
    g, p = _write(tmp_path / "g.txt", gold), _write(tmp_path / "p.txt", pred)
    result = CliRunner().invoke(main, ["evaluate", task, str(g), str(p)])
    assert result.output.strip().splitlines()[-1] == last


def test_evaluate_malformed_file_is_a_clear_error(tmp_path: Path) -> None:
    g = _write(tmp_path / "g.txt", ["1\tDoubt\tnot-a-number\t3"])
    result = CliRunner().invoke(main, ["evaluate", "si", str(g), str(g)])
    assert result.exit_code != 0
    assert "cannot read" in result.output
