"""The span lexicon: n-grams that lie inside gold loaded-language or name-calling spans."""

from proplens.document import Document
from proplens.models.techniques import Lexicon, stop_words, well_formed


def _article(text: str, phrase: str) -> tuple[Document, list[tuple[str, int, int]]]:
    doc = Document.from_text(text, lang="en")
    start = text.index(phrase)
    return doc, [("Loaded_Language", start, start + len(phrase))]


def test_lexicon_keeps_content_words_and_drops_ngrams_with_function_word_edges() -> None:
    articles = [
        _article(
            f"Title {i}\nThey begged for help from the vile cartel again.\n", "help from the vile"
        )
        for i in range(4)
    ]
    lexicon = Lexicon().fit(articles)
    grams = set(lexicon.entries["en"]["Loaded_Language"])
    assert "vile" in grams and "help" in grams
    assert "help from" not in grams and "from the vile" not in grams and "the vile" not in grams
    lexicon.thresholds = {"Loaded_Language": 0.5}
    doc = Document.from_text("Title\nNobody wanted help from the vile cartel.\n", lang="en")
    found = {doc.text[s:e] for s, e, _, _, _ in lexicon.find(doc)}
    assert "vile" in found and not any(f.endswith(("from", "the")) for f in found)


def test_well_formed_uses_the_language_s_stop_words() -> None:
    assert well_formed("corrupt thugs", stop_words("en"))
    assert not well_formed("the liberal", stop_words("en"))
    assert not well_formed("против всех", stop_words("ru"))
    assert well_formed("the liberal", stop_words("xx"))  # no list: nothing dropped
