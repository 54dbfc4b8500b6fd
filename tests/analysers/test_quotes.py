import pytest

from proplens.analysers.parse import parse_english, parse_russian
from proplens.analysers.quotes import find_quotes
from proplens.document import Document


def quotes_of(text: str, lang: str = "en") -> list[tuple[str, str | None]]:
    doc = Document.from_text(text, lang=lang)
    parse = {"en": parse_english, "ru": parse_russian}.get(lang, lambda _: None)(text)
    return [(text[q.start : q.end], q.speaker) for q in find_quotes(doc, parse)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('"We will win this fight," said Maria Lopez.', [("We will win this fight,", "Maria Lopez")]),
        ('Maria Lopez said: "We will win this fight."', [("We will win this fight.", "Maria Lopez")]),
        ("“Nobody listens to us,” his father told reporters.", [("Nobody listens to us,", "his father")]),
        ('"The dam will hold for a century", -Berg replied.', [("The dam will hold for a century", "Berg")]),
        ('"That is the real danger", echoed the voice of the narrator.', [("That is the real danger", "the voice of the narrator")]),
        ('"Or the river will take the town", - Tom Hale cheerfully jokes.', [("Or the river will take the town", "Tom Hale")]),
        ('Anna Berg somehow says to the farmers: "We share one river, we must not quarrel".', [("We share one river, we must not quarrel", "Anna Berg")]),
        ("«Мы победим в этой борьбе», — заявил Иван Петров.", [("Мы победим в этой борьбе", "Иван Петров")]),
        ("— Мы не отступим ни на шаг, — сказал Иван Петров.", [("Мы не отступим ни на шаг", "Иван Петров")]),
        ("Профессор Анна Орлова пишет, что «город не готов к наводнению».", [("город не готов к наводнению", "Анна Орлова")]),
        ("«Цены будут расти и дальше», признал Петров.", [("Цены будут расти и дальше", "Петров")]),
        ("«Le barrage tiendra encore un siècle», a déclaré Marie Dubois.", [("Le barrage tiendra encore un siècle", "Marie Dubois")]),
    ],
)  # fmt: skip
def test_quotes_and_speakers(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert quotes_of(text, "ru" if any("а" <= c <= "я" for c in text) else "en") == expected


def test_pronoun_resolves_to_the_person_named_before() -> None:
    text = (
        "Mayor Tom Hale spoke for an hour. Later, he said in an interview with a local radio "
        'station: "The bridge will be finished next spring, whatever the critics say".'
    )
    assert quotes_of(text) == [
        ("The bridge will be finished next spring, whatever the critics say", "Tom Hale")
    ]


def test_colon_introduced_quote_takes_the_sentence_subject() -> None:
    text = 'Tom Hale ended his speech with the words: "Nobody will take this valley from us ever again".'
    assert quotes_of(text) == [("Nobody will take this valley from us ever again", "Tom Hale")]


def test_the_colon_subject_is_never_the_title_above() -> None:
    # spaCy reads a title and the next line as one sentence
    text = 'Court report\nThe note read: "The bridge will never open again."\n'
    assert quotes_of(text) == [("The bridge will never open again.", "The note")]


def test_block_quote_after_a_colon_keeps_its_inner_quotes() -> None:
    text = (
        "The old chronicle put it like this:\n"
        '"And when the flood came, "Run to the hills," they cried, "the river is coming." (3:4-5).\n'
    )
    doc = Document.from_text(text, lang="en")
    (q,) = find_quotes(doc, parse_english(text))
    assert text[q.start : q.end].startswith("And when the flood came")
    assert text[q.start : q.end].endswith('the river is coming."')
    assert q.speaker == "The old chronicle"


def test_titles_and_scare_quotes_are_not_quotes() -> None:
    text = 'The channel "Northbay Today" called it "progress" and the "so-called experts" agreed.'
    assert quotes_of(text) == []
    text = "Газопровод «Северный поток» остановлен, сообщает «Вечерний Северск»."
    assert quotes_of(text, "ru") == []


def test_a_new_sentence_after_a_quote_is_not_its_attribution() -> None:
    text = 'He wants to be a "friend of the people". Anna Berg says: "We need more buses in town".'
    assert quotes_of(text) == [("We need more buses in town", "Anna Berg")]


def test_unclosed_quote_opening_a_paragraph_ends_where_the_author_resumes() -> None:
    text = (
        "Title\n"
        "The crisis deepened when Governor Lena Marsh called in the army.\n"
        "«If we cannot keep order ourselves, we must ask our allies for help. There is no other way. "
        "These words will be remembered as pure cynicism. The author says so.\n"
    )
    quote = (
        "If we cannot keep order ourselves, we must ask our allies for help. There is no other way."
    )
    assert quotes_of(text) == [(quote, "Lena Marsh")]


def test_quote_carried_into_the_next_paragraph_with_a_long_subject() -> None:
    text = (
        "Title\n"
        "And it shows: the mother of one of the miners who died in Wales described the day as "
        'follows: "We buried him on a Monday and now the company wants us\n'
        'to forget him". Nobody answered her.\n'
    )
    quote = "We buried him on a Monday and now the company wants us\nto forget him"
    assert quotes_of(text) == [(quote, "the mother of one of the miners")]


def test_a_short_quote_said_as_a_sentence_is_kept_and_a_title_is_not() -> None:
    text = (
        "Министр выступил перед журналистами\n\n"
        "«Мы выполнили все обещания». Так заявил министр финансов на пресс-конференции.\n"
    )
    assert [q for q, _ in quotes_of(text, "ru")] == ["Мы выполнили все обещания"]
    assert quotes_of('The film "The Putin Interviews" was shown twice.\n') == []
    assert quotes_of("Вчера показали «Северный поток» снова.\n", "ru") == []
