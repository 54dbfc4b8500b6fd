"""Reading the SemEval-2023 files: span offsets that counted newlines twice are converted."""

from pathlib import Path

from proplens import semeval

TEXT = "Title line\n\nThe mayor is a coward.\n\nHe lied again and again.\n"


def _write(root: Path, spans: list[tuple[str, int, int]]) -> Path:
    base = root / "ru"
    (base / "train-articles-subtask-3").mkdir(parents=True)
    (base / "train-labels-subtask-3-spans").mkdir()
    (base / "train-articles-subtask-3" / "article7.txt").write_text(TEXT, encoding="utf-8")
    rows = "".join(f"7\t{t}\t{s}\t{e}\n" for t, s, e in spans)
    (base / "train-labels-subtask-3-spans" / "article7-labels-subtask-3.txt").write_text(rows)
    return root


def _crlf(start: int, end: int) -> tuple[int, int]:
    """The offsets a CRLF copy of TEXT gives."""
    return start + TEXT[:start].count("\n"), end + TEXT[:end].count("\n")


def test_offsets_taken_on_a_crlf_copy_are_converted(tmp_path: Path) -> None:
    coward = TEXT.index("coward"), TEXT.index("coward") + len("coward")
    lied = TEXT.index("lied again"), TEXT.index("lied again") + len("lied again")
    spans = [("Name_Calling-Labeling", *_crlf(*coward)), ("Repetition", *_crlf(*lied))]
    corpus = semeval.load_corpus(_write(tmp_path, spans), "ru")
    got = {TEXT[s:e] for _, s, e in corpus.spans["7"]}
    assert got == {"coward", "lied again"}  # read as given: "ward.\n", "d again an"
    assert corpus.realigned == {"7"}


def test_offsets_of_the_text_itself_are_kept(tmp_path: Path) -> None:
    start = TEXT.index("a coward")
    corpus = semeval.load_corpus(
        _write(tmp_path, [("Name_Calling-Labeling", start, start + 8)]), "ru"
    )
    assert corpus.spans["7"] == [("Name_Calling-Labeling", start, start + 8)]
    assert corpus.realigned == set()


def test_crlf_positions_map_back_to_the_text() -> None:
    pos = semeval.crlf_positions("ab\ncd")
    assert [pos[i] for i in (0, 1, 2, 4, 5, 6)] == [0, 1, 2, 3, 4, 5]


def test_submissions_have_a_python_api(tiny_semeval: Path) -> None:
    import pytest

    base = tiny_semeval / "en"
    articles = base / "train-articles-subtask-3"
    template = base / "train-labels-subtask-3.template"
    rows = semeval.predict("3", articles, "en", template=template)
    keys = [(aid, line) for aid, line, _ in semeval.read_template(template)]
    assert [tuple(r.split("\t")[:2]) for r in rows] == [(a, str(n)) for a, n in keys]
    spans = semeval.predict("spans", articles, "en")
    assert spans and all(len(r.split("\t")) == 4 for r in spans)
    with pytest.raises(semeval.SubmissionError, match="no genre analyser"):
        semeval.predict("1", articles, "en", pipeline=["language"])
