"""Helpers shared by the tests: invented articles, a tiny SemEval-layout data set, schema checks."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from proplens.analysis import Analysis
    from proplens.document import Document
    from proplens.models.base import FloatArray, Inputs
    from proplens.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SCHEMA = Path(__file__).resolve().parents[1] / "src" / "proplens" / "schema" / "analysis-1.json"

OPED = (
    "A Reckless Plan for Our Valley\n"
    "\n"
    "The so-called experts have failed us again. Their shameful scheme will devastate every farm.\n"
    "\n"
    '"This dam is a disaster for the people of the valley," said Anna Berg, a farmer.\n'
    "\n"
    "Either we stop it now or we lose everything. Stand up for the valley!\n"
)

# Sentences with the techniques they carry, for a synthetic training set.
_PATTERNS = [
    ("These corrupt thugs have ruined the town.", "Name_Calling-Labeling", "corrupt thugs"),
    ("This is a shameful, disgusting betrayal.", "Loaded_Language", "shameful, disgusting"),
    ("Either we act now or we lose everything.", "False_Dilemma-No_Choice", None),
    ("Can we really trust anything they say?", "Doubt", None),
    ("True patriots will defend our nation.", "Flag_Waving", None),
    ("The council met on Tuesday to discuss roads.", None, None),
    ("The report was published in the morning.", None, None),
]


def make_semeval(root: Path, lang: str = "en", n_articles: int = 12) -> Path:
    """Write a tiny data set in the official layout, with real offsets."""
    base = root / lang
    arts = base / "train-articles-subtask-3"
    spans_dir = base / "train-labels-subtask-3-spans"
    arts.mkdir(parents=True)
    spans_dir.mkdir()
    par_rows, template, genres, frames = [], [], [], []
    for a in range(n_articles):
        aid = str(1000 + a)
        lines = [f"Title number {a}"]
        labels: list[set[str]] = [set()]
        spans: list[str] = []
        offset = len(lines[0]) + 1
        for k in range(4):
            sentence, tech, phrase = _PATTERNS[(a + k) % len(_PATTERNS)]
            lines.append(sentence)
            labels.append({tech} if tech else set())
            if tech:
                start = offset + (sentence.index(phrase) if phrase else 0)
                end = start + (len(phrase) if phrase else len(sentence))
                spans.append(f"{aid}\t{tech}\t{start}\t{end}")
            offset += len(sentence) + 1
        (arts / f"article{aid}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (spans_dir / f"article{aid}-labels-subtask-3.txt").write_text("\n".join(spans) + "\n")
        for line, (text, techs) in enumerate(zip(lines, labels, strict=True), start=1):
            par_rows.append(f"{aid}\t{line}\t{','.join(sorted(techs))}")
            template.append(f"{aid}\t{line}\t{text}")
        genres.append(f"{aid}\t{'opinion' if a % 3 else 'reporting'}")
        frames.append(f"{aid}\tPolitical{',Morality' if a % 2 else ''}")
    (base / "train-labels-subtask-3.txt").write_text("\n".join(par_rows) + "\n")
    (base / "train-labels-subtask-3.template").write_text("\n".join(template) + "\n")
    (base / "train-labels-subtask-1.txt").write_text("\n".join(genres) + "\n")
    (base / "train-labels-subtask-2.txt").write_text("\n".join(frames) + "\n")
    return root


def validate(payload: dict[str, object], schema: dict[str, object]) -> None:
    import jsonschema

    jsonschema.validate(payload, schema)
    text_len = payload["document"]["chars"]  # type: ignore[index]
    for key in ("techniques", "quotes", "threats", "paragraphs"):
        for item in payload[key]:  # type: ignore[attr-defined]
            assert 0 <= item["start"] <= item["end"] <= text_len


WEB_ARTICLE = (
    "The Harbour Bridge Scandal\n"
    "\n"
    "The so-called planning committee has done it again. These arrogant bureaucrats approved a "
    "reckless, shameful scheme that will devastate every family in Northbay.\n"
    "\n"
    '"The new bridge is a disgrace and a betrayal of the people," said Marta Olsen.\n'
    "\n"
    "Either we stop this bridge now, or we lose our harbour forever. Our harbour, our future!\n"
)


def inputs_of(doc: Document) -> Inputs:
    """What the pipeline hands a model for ``doc``: it and its paragraph, sentence and word
    vectors."""
    return word_inputs_of(doc)


def word_inputs_of(doc: Document) -> Inputs:
    """`inputs_of` with the word vectors too (the shipped projection), as the vectors step
    gives them."""
    from proplens.models.base import Inputs
    from proplens.models.encoders import document_features

    paragraphs, sentences, words = document_features(doc)
    return Inputs(doc, paragraphs, sentences, words)


def sentence_vectors_of(doc: Document) -> FloatArray:
    return inputs_of(doc).sentence_vectors  # type: ignore[return-value]


# Three stories written for the narrative tests, each told in several ways, plus filler.
STORIES = {
    "farmland": [
        "The greedy bankers in the capital are stealing our farmland from honest families.",
        "Greedy capital bankers keep stealing the farmland that honest families worked for.",
        "Honest farming families are losing their land to the greedy bankers of the capital.",
        "Once again the greedy bankers grab the farmland of our honest families.",
        "Our farmland is being stolen by greedy bankers who never worked a field.",
    ],
    "vaccine": [
        "The vaccine makers are hiding the deaths of children from the public.",
        "Vaccine companies hide how many children died after the shots.",
        "The public is never told about the children killed by the vaccine makers.",
        "Deaths of children after vaccination are hidden by the drug companies.",
        "The vaccine makers cover up every child that died from their product.",
    ],
    "election": [
        "The election was stolen by fake ballots printed in secret warehouses.",
        "Millions of fake ballots stole the election from the real voters.",
        "Secret warehouses printed the fake ballots that stole our election.",
        "Fake ballots from hidden warehouses decided the stolen election.",
        "The stolen election rests on fake ballots nobody was allowed to check.",
    ],
}
FILLER = "The weather stayed mild through the whole weekend in the region."


def story_article(story: str, k: int) -> Analysis:
    """A document of one story: two of its claims as technique spans, and filler."""
    from proplens.analysis import Analysis, TechniqueSpan
    from proplens.document import Document

    claims = [STORIES[story][(k + j) % len(STORIES[story])] for j in range(2)]
    text = f"Report {story} {k}\n{claims[0]} {FILLER}\n{claims[1]}\n"
    doc = Document.from_text(text, id=f"{story}-{k}", lang="en", source=f"{story}-{k}.txt")
    spans = []
    for c in claims:
        s = text.index(c)
        spans.append(TechniqueSpan(s, s + len(c) - 1, "Loaded_Language", 0.7, "because."))
    return Analysis(document=doc, techniques=tuple(spans), model_versions={"techniques": "t"})


def add_story(store: Store, story: str, k: int, month: int | None) -> int:
    import datetime as dt

    published = dt.datetime(2024, month, 5) if month else None
    row = store.add(story_article(story, k), source=f"site-{k % 2}", published=published)
    assert row is not None
    return row


def story_corpus(store: Store) -> None:
    """Five documents per story, from two sources, dated over three months or undated."""
    for story in STORIES:
        for k in range(5):
            add_story(store, story, k, month=(k % 3) + 1 if k < 4 else None)


def make_semeval2025_narratives(root: Path) -> Path:
    """A SemEval-2025 subtask-2 folder of 10 English articles written for the test."""
    folder = root / "EN" / "raw-documents"
    folder.mkdir(parents=True, exist_ok=True)
    (root / "subtask2_narratives.txt").write_text("URW: Praise of Russia\nOther\n")
    (root / "subtask2_subnarratives.txt").write_text(
        "URW: Praise of Russia: Praise of Russian military might\nURW: Praise of Russia: Other\n"
    )
    rows = []
    for i in range(10):
        praise = i % 2 == 0
        body = "The mighty army wins every battle." if praise else "The ferry timetable changed."
        (folder / f"EN_UA_{i}.txt").write_text(f"Story {i}\n\n{body} {body}\n")
        rows.append(
            f"EN_UA_{i}.txt\tURW: Praise of Russia\tURW: Praise of Russia: Praise of Russian military might"
            if praise
            else f"EN_UA_{i}.txt\tOther\tOther"
        )
    (root / "EN" / "subtask-2-annotations.txt").write_text("\n".join(rows) + "\n")
    notes = [f"EN_UA_{i}.txt\tURW: Praise of Russia\tURW: Praise of Russia: Praise of Russian "
             "military might\tThe article praises the army's victories." for i in range(0, 10, 2)]  # fmt: skip
    (root / "EN" / "subtask-3-annotations.txt").write_text("\n".join(notes) + "\n")
    return root
