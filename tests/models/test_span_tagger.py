"""The English span tagger: windows, decoding to whole words, and its place in the spans."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

import proplens
from helpers import sentence_vectors_of
from proplens.document import Document
from proplens.models import base
from proplens.models.span_tagger import decode, windows
from proplens.models.techniques import tagger_ranges

TEXT = (
    "A Shameful Betrayal\n"
    "The cowardly council has betrayed every family in this town. "
    "They are nothing but a gang of greedy crooks.\n"
    "The meeting starts at seven on Tuesday in the library.\n"
)


def test_windows_cover_every_piece_and_overlap_by_the_stride() -> None:
    assert windows(0, 254, 128) == []
    assert windows(10, 254, 128) == [(0, 10)]
    parts = windows(600, 254, 128)
    assert parts[0] == (0, 254) and parts[-1][1] == 600
    assert all(b[0] - a[0] == 128 for a, b in itertools.pairwise(parts))
    assert windows(400, 254, 254) == [(0, 200), (200, 400)], "no overlap: equal parts"


def test_decode_joins_runs_across_white_space_and_widens_to_whole_words() -> None:
    text = "They are greedy crooks, really."
    # pieces: They | are | gre | ##edy | crooks | , | really | .
    offsets = [(0, 4), (5, 8), (9, 12), (12, 15), (16, 22), (22, 23), (24, 30), (30, 31)]
    probs = np.array([0.1, 0.2, 0.1, 0.9, 0.8, 0.1, 0.7, 0.1], np.float32)
    spans = decode(text, offsets, probs, 0.5, join=0)
    assert [text[s:e] for s, e, _ in spans] == ["greedy crooks", "really"]
    assert spans[0][2] == pytest.approx(0.85)
    joined = decode(text, offsets, probs, 0.5, join=2)
    assert [text[s:e] for s, e, _ in joined] == ["greedy crooks, really"]


def test_tagged_stretches_replace_the_sentence_span_with_its_best_technique() -> None:
    model = base.shipped("techniques-linear")
    doc = Document.from_text(TEXT, lang="en")
    plain = model.spans(doc, model.sentence_probs(doc, sentence_vectors_of(doc)))
    k, sentence = next((k, s) for k, s in enumerate(doc.sentences) if "gang" in doc.span_text(s))
    assert [t for t in plain if (t[0], t[1]) == (sentence.start, sentence.end)]
    start = TEXT.index("greedy crooks")
    stretch = (start, start + len("greedy crooks"), 0.9)
    tagged = model.spans(doc, model.sentence_probs(doc, sentence_vectors_of(doc)), tagged=[stretch])
    assert not [t for t in tagged if (t[0], t[1]) == (sentence.start, sentence.end)]
    mine = [t for t in tagged if (t[0], t[1]) == stretch[:2]]
    probs = model.sentence_probs(doc, sentence_vectors_of(doc))[k]
    best = model.sentence.labels[int(np.argmax(probs))]
    assert [(t[2], round(t[3], 6)) for t in mine] == [(best, round(float(probs.max()), 6))]
    assert mine[0][4].startswith("Span tagger: these words lie inside a technique (0.90).")
    others = [t for t in plain if t[0] < sentence.start or t[0] >= sentence.end]
    assert set(others) <= set(tagged), "sentences without stretches keep their spans"


def test_the_tagger_reads_only_sentences_some_technique_reaches() -> None:
    model = base.shipped("techniques-linear")
    doc = Document.from_text(TEXT, lang="en")
    probs = model.sentence_probs(doc, sentence_vectors_of(doc))
    assert tagger_ranges(doc, probs, 0.0) is None
    sentences = list(doc.sentences)
    bar = float(np.sort(probs.max(axis=1))[len(sentences) // 2])
    ranges = tagger_ranges(doc, probs, bar)
    assert ranges is not None and 0 < len(ranges) < len(sentences)
    assert all(
        (s.start, s.end) in ranges for s, p in zip(sentences, probs, strict=True) if p.max() >= bar
    )


@pytest.mark.skipif(not base.available("span-tagger-en"), reason="no span tagger in this install")
def test_the_shipped_tagger_marks_loaded_words_not_the_calm_sentence() -> None:
    tagger = base.shipped("span-tagger-en")
    assert tagger is not None and "en" in tagger.langs
    spans = tagger.spans(TEXT)
    assert spans
    calm = TEXT.index("The meeting")
    for start, end, score in spans:
        assert 0 <= start < end <= len(TEXT)
        assert not TEXT[start - 1 : start].isalnum() and not TEXT[end : end + 1].isalnum()
        assert 0.0 <= score <= 1.0
    marked = " ".join(TEXT[s:e] for s, e, _ in spans)
    assert "crooks" in marked or "cowardly" in marked
    assert all(end <= calm for _, end, _ in spans), "the meeting notice is not persuasion"


@pytest.mark.skipif(not base.available("span-tagger-en"), reason="no span tagger in this install")
def test_the_pipeline_shows_tagged_spans_for_english_only() -> None:
    analysis = proplens.analyse(TEXT, lang="en")
    tagged = [t for t in analysis.techniques if t.reason.startswith("Span tagger")]
    assert tagged
    assert all(len(TEXT[t.start : t.end]) < len(TEXT.splitlines()[1]) for t in tagged)
    assert "span_tagger" in analysis.model_versions
    french = proplens.analyse("Ces escrocs avides ont trahi chaque famille.", lang="fr")
    assert not [t for t in french.techniques if t.reason.startswith("Span tagger")]


def test_a_stretch_of_function_words_only_is_dropped() -> None:
    model = base.shipped("techniques-linear")
    doc = Document.from_text(TEXT, lang="en")
    start = TEXT.index("nothing but a")
    only_function_words = (start, start + len("nothing but a"), 0.8)
    assert model.spans(
        doc, model.sentence_probs(doc, sentence_vectors_of(doc)), tagged=[only_function_words]
    ) == model.spans(doc, model.sentence_probs(doc, sentence_vectors_of(doc)))


@pytest.mark.skipif(not base.available("span-tagger-en"), reason="no span tagger in this install")
def test_windows_read_in_several_calls_give_the_same_probabilities(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # bounded memory on a book-length text: windows go to the model a few at a time
    import proplens.models.span_tagger as span_tagger

    tagger = base.shipped("span-tagger-en")
    assert tagger is not None
    text = " ".join(["The shameful council wasted our money again, a total disgrace."] * 120)
    offsets, at_once = tagger.inside_probs(text)
    monkeypatch.setattr(span_tagger, "WINDOWS_PER_RUN", 1)
    again, one_by_one = tagger.inside_probs(text)
    assert offsets == again and len(offsets) > 3 * 254  # four windows or more
    # int8 activations are scaled per model call, so the figures move a little, not more
    assert np.abs(at_once - one_by_one).mean() < 0.03
    assert np.corrcoef(at_once, one_by_one)[0, 1] > 0.98
