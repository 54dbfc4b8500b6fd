from pathlib import Path

from click.testing import CliRunner

from proplens import semeval
from proplens.cli import main


def test_predict_subtask3_follows_the_template(tiny_semeval: Path, tmp_path: Path) -> None:
    base = tiny_semeval / "en"
    template = base / "train-labels-subtask-3.template"
    out = tmp_path / "sub3.txt"
    result = CliRunner().invoke(
        main,
        [
            "semeval", "predict", "--subtask", "3", "--lang", "en",
            "--articles", str(base / "train-articles-subtask-3"),
            "--template", str(template), "-o", str(out),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in out.read_text().splitlines()]
    expected = [(aid, str(line)) for aid, line, _ in semeval.read_template(template)]
    assert [(r[0], r[1]) for r in rows] == expected
    assert all(len(r) == 3 for r in rows)
    known = set(semeval.read_paragraph_labels(base / "train-labels-subtask-3.txt"))
    assert {(r[0], int(r[1])) for r in rows} == known
    score = CliRunner().invoke(
        main, ["evaluate", "st3", str(base / "train-labels-subtask-3.txt"), str(out)]
    )
    assert score.output.strip().splitlines()[-1].startswith("micro-F1 ")


def test_spans_file_format(tiny_semeval: Path, tmp_path: Path) -> None:
    out = tmp_path / "spans.txt"
    articles = tiny_semeval / "en" / "train-articles-subtask-3"
    result = CliRunner().invoke(
        main, ["semeval", "spans", "--lang", "en", "--articles", str(articles), "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    texts = semeval.read_articles(articles)
    rows = semeval.read_spans(out)
    assert rows, "the shipped model marks spans in these loaded sentences"
    for aid, technique, start, end in rows:
        assert aid in texts and 0 <= start < end <= len(texts[aid])
        assert technique in {
            "Loaded_Language", "Name_Calling-Labeling", "Doubt", "Flag_Waving",
            "False_Dilemma-No_Choice", *semeval_techniques(),
        }  # fmt: skip
    # The word-level model gives spans inside sentences, on word boundaries.
    inner = [
        (aid, s, e)
        for aid, _, s, e in rows
        if not texts[aid][s:e].rstrip().endswith((".", "!", "?"))
        and len(texts[aid][s:e].split()) > 3
    ]
    assert inner, "stretches of words longer than a lexicon n-gram and shorter than a sentence"
    for aid, s, e in inner:
        text = texts[aid]
        assert not text[s - 1 : s].isalnum() and not text[e : e + 1].isalnum()


def semeval_techniques() -> tuple[str, ...]:
    from proplens.techniques import TECHNIQUES

    return TECHNIQUES


def test_predict_needs_a_folder(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["semeval", "predict", "--subtask", "3", "--lang", "en", "--articles",
               str(tmp_path / "missing"), "-o", str(tmp_path / "x.txt")],
    )  # fmt: skip
    assert result.exit_code == 2 and "not a folder" in result.output
