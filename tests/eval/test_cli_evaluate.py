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


def test_evaluate_spans_converts_gold_offsets_that_counted_newlines_twice(
    tmp_path: Path,
) -> None:
    text = "Title\n\nThe mayor is a coward.\n\nHe lied again.\n"
    (tmp_path / "articles").mkdir()
    (tmp_path / "articles" / "article5.txt").write_text(text)
    start, end = text.index("coward"), text.index("coward") + 6
    lied = text.index("lied again"), text.index("lied again") + 10
    crlf = [f"5\tLoaded_Language\t{s + text[:s].count(chr(10))}\t{e + text[:e].count(chr(10))}"
            for s, e in ((start, end), lied)]  # fmt: skip
    gold = _write(tmp_path / "gold.txt", crlf)
    pred = _write(tmp_path / "p.txt", [f"5\tLoaded_Language\t{start}\t{end}",
                                       f"5\tLoaded_Language\t{lied[0]}\t{lied[1]}"])  # fmt: skip
    as_given = CliRunner().invoke(main, ["evaluate", "si", str(gold), str(pred)])
    assert as_given.output.strip().splitlines()[-1] != "SI-F1 1.0000"
    fixed = CliRunner().invoke(
        main, ["evaluate", "si", str(gold), str(pred), "--articles", str(tmp_path / "articles")]
    )
    assert fixed.exit_code == 0, fixed.output
    assert fixed.output.strip().splitlines()[-1] == "SI-F1 1.0000"


ROLE_GOLD = [
    "a1\tHale\t10\t13\tAntagonist\tCorrupt\tDeceiver",
    'a1\t"Northbay"\t30\t37\tInnocent\tVictim',
    "a2\tVane\t5\t8\tProtagonist\tGuardian",
    "a2\tKarsk\t40\t44\tAntagonist\tForeign Adversary",
]


def test_evaluate_roles_official_measures(tmp_path: Path) -> None:
    gold = _write(tmp_path / "gold.txt", ROLE_GOLD)
    pred = _write(
        tmp_path / "pred.txt",
        [
            "a1\tHale\t10\t13\tAntagonist\tDeceiver\tCorrupt",  # a set: order does not matter
            "a1\tNorthbay\t30\t37\tInnocent\tVictim",  # quotes are not part of the key
            "a2\tVane\t5\t8\tAntagonist\tCorrupt",
            "a2\tKarsk\t40\t44\tAntagonist\tForeign Adversary\tTyrant",
        ],
    )
    result = CliRunner().invoke(main, ["evaluate", "roles", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    lines = dict(line.rsplit(" ", 1) for line in result.output.strip().splitlines()[-7:])
    assert result.output.strip().splitlines()[-1] == "exact_match_ratio 0.5000"
    assert lines["main_role_accuracy"] == "0.7500"
    # fine roles: 4 right of 6 predicted, of 5 in gold
    assert lines["precision"] == "0.6667" and lines["recall"] == "0.8000"
    assert lines["fine_micro_f1"] == "0.7273"


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (ROLE_GOLD[:3], "1 gold mention(s) missing"),
        ([*ROLE_GOLD[:3], "a2\tKarsk\t40\t44\tVillain\tTyrant"], "unknown main role 'Villain'"),
        ([*ROLE_GOLD[:3], "a2\tKarsk\t40\t44\tInnocent\tTyrant"], "not a fine role of Innocent"),
        ([*ROLE_GOLD[:3], "a2\tKarsk\tforty\t44\tAntagonist\tTyrant"], "is not a number"),
    ],
)
def test_evaluate_roles_refuses_bad_predictions(
    tmp_path: Path, rows: list[str], message: str
) -> None:
    gold = _write(tmp_path / "gold.txt", ROLE_GOLD)
    pred = _write(tmp_path / "pred.txt", rows)
    result = CliRunner().invoke(main, ["evaluate", "roles", str(gold), str(pred)])
    assert result.exit_code == 1 and message in result.output, result.output


def _taxonomy(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    _write(
        folder / "subtask2_narratives.txt",
        ["URW: Praise of Russia", "URW: Discrediting Ukraine", "Other"],
    )
    _write(
        folder / "subtask2_subnarratives.txt",
        [
            "URW: Praise of Russia: Praise of Russian military might",
            "URW: Praise of Russia: Other",
            "URW: Discrediting Ukraine: Situation in Ukraine is hopeless",
            "URW: Discrediting Ukraine: Other",
            "Other",
        ],
    )
    return folder


def test_evaluate_narratives_samples_f1(tmp_path: Path) -> None:
    root = _taxonomy(tmp_path / "semeval2025")
    (root / "EN").mkdir()
    gold = _write(  # the taxonomy is found one folder up, as in the SemEval layout
        root / "EN" / "subtask-2-annotations.txt",
        [
            "a1\tURW: Praise of Russia;URW: Discrediting Ukraine\t"
            "URW: Praise of Russia: Other;URW: Discrediting Ukraine: Situation in Ukraine is hopeless",
            "a2\tOther\tOther",
        ],
    )
    pred = _write(
        tmp_path / "pred.txt",
        [
            "a2\tOther\tOther",  # paired by id, not by line
            "a1\tURW: Praise of Russia\tURW: Praise of Russia: Praise of Russian military might",
        ],
    )
    result = CliRunner().invoke(main, ["evaluate", "narratives", str(gold), str(pred)])
    assert result.exit_code == 0, result.output
    lines = dict(line.rsplit(" ", 1) for line in result.output.strip().splitlines())
    # a1: narratives F1 2/3, sub-narratives 0; a2: 1 and 1
    assert result.output.strip().splitlines()[-1] == "narratives_samples_f1 0.8333"
    assert lines["subnarratives_samples_f1"] == "0.5000"


def test_evaluate_narratives_refuses_a_partial_prediction(tmp_path: Path) -> None:
    root = _taxonomy(tmp_path / "tax")
    gold = _write(tmp_path / "gold.txt", ["a1\tOther\tOther", "a2\tOther\tOther"])
    pred = _write(tmp_path / "pred.txt", ["a1\tOther\tOther"])
    result = CliRunner().invoke(
        main, ["evaluate", "narratives", str(gold), str(pred), "--taxonomy", str(root)]
    )
    assert result.exit_code == 1 and "1 gold article(s) missing" in result.output
