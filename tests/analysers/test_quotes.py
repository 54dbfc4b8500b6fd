import pytest

from proplens.analysers.quotes import find_quotes


@pytest.mark.parametrize(
    ("text", "quoted", "speaker"),
    [
        ('"We will win this fight," said Maria Lopez.', "We will win this fight,", "Maria Lopez"),
        ('Maria Lopez said: "We will win this fight."', "We will win this fight.", "Maria Lopez"),
        (
            "“Nobody listens to us,” his father told reporters.",
            "Nobody listens to us,",
            "his father",
        ),
        (
            "«Мы победим в этой борьбе», — заявил Иван Петров.",
            "Мы победим в этой борьбе",
            "Иван Петров",
        ),
        ('The sign read "keep out of here" in red.', "keep out of here", None),
    ],
)
def test_quotes_and_speakers(text: str, quoted: str, speaker: str | None) -> None:
    (q,) = find_quotes(text)
    assert text[q.start : q.end] == quoted
    assert q.speaker == speaker


def test_single_word_scare_quotes_are_not_quotes() -> None:
    assert find_quotes('They call it "progress" every time.') == []
