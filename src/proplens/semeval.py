"""Reading and writing the SemEval-2023 Task 3 file formats, and submissions (`predict`).

Layout per language folder (see the data notes): ``train-articles-subtask-N/articleID.txt``,
``train-labels-subtask-1.txt`` (``ID<TAB>genre``), ``-2.txt`` (``ID<TAB>frame,...``),
``-3.txt`` (``ID<TAB>line<TAB>technique,...``), ``-3.template`` (``ID<TAB>line<TAB>text``),
and ``-3-spans/*.txt`` (``ID<TAB>technique<TAB>start<TAB>end``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from proplens.analysis import Analysis, Label
from proplens.document import Document
from proplens.ingest.errors import IngestError

#: proplens language code (ISO 639-1) -> SemEval folder name.
SEMEVAL_DIRS = {"en": "en", "ru": "ru", "fr": "fr", "de": "ge", "it": "it", "pl": "po"}
_ALIASES = {"ge": "de", "po": "pl"}
_ARTICLE_NAME = re.compile(r"^article(\w+)\.txt$")

SpanRow = tuple[str, str, int, int]  # article id, technique, start, end


def normalize_lang(code: str) -> str:
    """Map SemEval's ``ge``/``po`` to ISO ``de``/``pl``; other codes pass through lowercased."""
    code = code.strip().lower()
    return _ALIASES.get(code, code)


def read_text(path: Path) -> str:
    """Article text exactly as the official offsets count it (UTF-8, universal newlines)."""
    return path.read_text(encoding="utf-8")


def read_articles(folder: Path) -> dict[str, str]:
    """``{article id: text}`` for every ``articleID.txt`` in ``folder``, sorted by id."""
    out: dict[str, str] = {}
    for path in sorted(folder.iterdir()):
        m = _ARTICLE_NAME.match(path.name)
        if m:
            out[m.group(1)] = read_text(path)
    return out


def _rows(path: Path) -> Iterator[list[str]]:
    for raw in path.read_text(encoding="utf-8").splitlines():
        if raw.strip():
            yield raw.split("\t")


def read_genres(path: Path) -> dict[str, str]:
    return {r[0]: r[1].strip() for r in _rows(path) if len(r) >= 2}


def read_frames(path: Path) -> dict[str, set[str]]:
    return {r[0]: _split_labels(r[1] if len(r) > 1 else "") for r in _rows(path)}


def read_paragraph_labels(path: Path) -> dict[tuple[str, int], set[str]]:
    """``{(article id, line): techniques}``; rows with an empty label column map to ``set()``."""
    return {(r[0], int(r[1])): _split_labels(r[2] if len(r) > 2 else "") for r in _rows(path)}


def read_template(path: Path) -> list[tuple[str, int, str]]:
    """The paragraphs to label, ``(article id, line, text)`` in file order."""
    return [(r[0], int(r[1]), "\t".join(r[2:])) for r in _rows(path) if len(r) >= 2]


def read_spans(path: Path) -> list[SpanRow]:
    """Span rows from one file or from every ``*.txt`` in a folder."""
    paths = sorted(path.glob("*.txt")) if path.is_dir() else [path]
    out: list[SpanRow] = []
    for p in paths:
        for r in _rows(p):
            if len(r) >= 4:
                out.append((r[0], r[1].strip(), int(r[2]), int(r[3])))
    return out


def crlf_positions(text: str) -> list[int]:
    """``out[i]`` = the offset into ``text`` of offset ``i`` counted with every newline as
    two characters (as in a copy of ``text`` with CRLF line ends)."""
    out: list[int] = []
    for i, ch in enumerate(text):
        out.append(i)
        if ch == "\n":
            out.append(i + 1)
    out.append(len(text))
    return out


def _cuts_no_word(text: str, start: int, end: int) -> bool:
    """Whether a span starts and ends between words (or on punctuation), not inside one."""
    if not 0 <= start < end <= len(text):
        return False
    inside_at_start = start > 0 and text[start - 1].isalnum() and text[start].isalnum()
    inside_at_end = end < len(text) and text[end - 1].isalnum() and text[end].isalnum()
    return not inside_at_start and not inside_at_end


def realign_spans(
    text: str, spans: list[tuple[str, int, int]], margin: float = 0.1
) -> tuple[list[tuple[str, int, int]], bool]:
    """One article's spans in offsets of ``text`` itself, and whether they were converted.

    Many span files of the non-English training data count every newline twice: their
    offsets were taken on a CRLF copy of the article, and read on the text as given they cut
    words ("ыт, надо шевелиться"). Other articles of the same languages use the text's own
    offsets. When reading an article's offsets as CRLF puts clearly more span ends between
    words (by ``margin``), they are converted; otherwise they are kept.
    """
    if not spans or "\n" not in text:
        return spans, False
    to_text = crlf_positions(text)
    last = len(to_text) - 1
    converted = [(t, to_text[min(s, last)], to_text[min(e, last)]) for t, s, e in spans]
    as_given = sum(_cuts_no_word(text, s, e) for _, s, e in spans) / len(spans)
    as_crlf = sum(_cuts_no_word(text, s, e) for _, s, e in converted) / len(spans)
    if as_crlf >= as_given + margin:
        return converted, True
    return spans, False


def spans_by_article(
    rows: Iterable[SpanRow], articles: dict[str, str]
) -> tuple[dict[str, list[tuple[str, int, int]]], set[str]]:
    """Span rows grouped by article, each article in ``articles`` realigned
    (`realign_spans`), and the ids of the articles whose offsets were converted."""
    grouped: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for aid, technique, start, end in rows:
        grouped[aid].append((technique, start, end))
    converted: set[str] = set()
    for aid, spans in grouped.items():
        if aid in articles:
            grouped[aid], changed = realign_spans(articles[aid], spans)
            if changed:
                converted.add(aid)
    return dict(grouped), converted


def _split_labels(cell: str) -> set[str]:
    return {x.strip() for x in cell.split(",") if x.strip()}


def format_labels(labels: Iterable[str]) -> str:
    return ",".join(sorted(labels))


@dataclass
class Corpus:
    """One language's training data, loaded once for training or evaluation."""

    lang: str
    articles: dict[str, str]
    genres: dict[str, str] = field(default_factory=dict)
    frames: dict[str, set[str]] = field(default_factory=dict)
    paragraph_labels: dict[tuple[str, int], set[str]] = field(default_factory=dict)
    spans: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict)
    #: articles whose span offsets counted newlines twice and were converted (`realign_spans`)
    realigned: set[str] = field(default_factory=set)


def load_corpus(root: Path, lang: str) -> Corpus:
    """Load a language folder of the official training data (missing files are skipped)."""
    lang = normalize_lang(lang)
    base = root / SEMEVAL_DIRS.get(lang, lang)
    if not base.is_dir():
        raise FileNotFoundError(f"{base}: no SemEval data for language {lang!r}")
    articles = read_articles(base / "train-articles-subtask-3")
    corpus = Corpus(lang=lang, articles=articles)
    if (p := base / "train-labels-subtask-1.txt").exists():
        corpus.genres = read_genres(p)
    if (p := base / "train-labels-subtask-2.txt").exists():
        corpus.frames = read_frames(p)
    if (p := base / "train-labels-subtask-3.txt").exists():
        corpus.paragraph_labels = read_paragraph_labels(p)
    if (p := base / "train-labels-subtask-3-spans").is_dir():
        grouped, corpus.realigned = spans_by_article(read_spans(p), articles)
        for aid, rows in grouped.items():
            if aid in articles:
                text = articles[aid]
                clipped = [(t, max(0, s), min(e, len(text))) for t, s, e in rows]
                corpus.spans[aid] = [(t, s, e) for t, s, e in clipped if s < e]
    return corpus


def paragraph_labels(doc: Document, spans: Iterable[tuple[str, int, int]]) -> dict[int, set[str]]:
    """Every paragraph's techniques as subtask 3 has them: those of the spans (technique,
    start, end) that overlap it, by 1-based line number (empty: none)."""
    spans = list(spans)
    return {p.line: {t for t, s, e in spans if s < p.end and p.start < e} for p in doc.paragraphs}


# -- submissions ------------------------------------------------------------------------


class SubmissionError(ValueError):
    """A submission that cannot be written: no articles, or a pipeline without the analyser
    the subtask reads."""


def article_documents(folder: Path, lang: str | None) -> list[Document]:
    """The ``articleID.txt`` files of ``folder`` as documents (id: the article id)."""
    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of articleID.txt files")
    texts = read_articles(folder)
    if not texts:
        raise SubmissionError(f"{folder}: no articleID.txt files")
    return [
        Document.from_text(t, id=aid, lang=lang, source=str(folder)) for aid, t in texts.items()
    ]


def submission_rows(
    subtask: str, analyses: Mapping[str, Analysis], template: Path | None = None
) -> list[str]:
    """The rows of an official submission of subtask ``"1"``, ``"2"`` or ``"3"`` (with a
    subtask 3 ``template``, exactly its ``(article, line)`` rows, in its order)."""
    if subtask == "1":
        return [f"{aid}\t{_genre(a)}" for aid, a in analyses.items()]
    if subtask == "2":
        return [
            f"{aid}\t{format_labels(f.label for f in _frames(a))}" for aid, a in analyses.items()
        ]
    if subtask != "3":
        raise SubmissionError(f"unknown subtask {subtask!r}; choose 1, 2 or 3")
    by_line = {
        (aid, p.id): p.techniques for aid, a in analyses.items() for p in a.paragraph_techniques
    }
    keys = (
        [(aid, line) for aid, line, _ in read_template(template)]
        if template is not None
        else sorted(by_line)
    )
    return [f"{aid}\t{line}\t{format_labels(by_line.get((aid, line), ()))}" for aid, line in keys]


def span_rows(analyses: Iterable[Analysis]) -> list[str]:
    """Technique spans as ``ID<TAB>technique<TAB>start<TAB>end`` rows."""
    return [
        f"{a.document.id}\t{t.technique}\t{t.start}\t{t.end}"
        for a in analyses
        for t in a.techniques
    ]


def predict(
    subtask: str,
    articles: Path,
    lang: str,
    *,
    template: Path | None = None,
    pipeline: Sequence[str] | None = None,
) -> list[str]:
    """Analyse a folder of articles and give the rows of a subtask ``"1"``-``"3"`` submission
    (``"spans"``: technique spans)."""
    from proplens.api import analyse_document

    docs = article_documents(articles, normalize_lang(lang))
    analyses = {d.id: analyse_document(d, pipeline) for d in docs}
    if subtask == "spans":
        return span_rows(analyses.values())
    return submission_rows(subtask, analyses, template)


def _genre(analysis: Analysis) -> str:
    if analysis.genre is None:
        raise SubmissionError("the pipeline has no genre analyser; add 'genre' to --pipeline")
    return analysis.genre.label


def _frames(analysis: Analysis) -> Iterable[Label]:
    if "frames" not in analysis.timings_ms:
        raise SubmissionError("the pipeline has no frames analyser; add 'frames' to --pipeline")
    return analysis.frames


# -- SemEval-2025 Task 10 ---------------------------------------------------------------

#: What a narratives submission needs of the pipeline (the rest would only cost time).
NARRATIVE_PIPELINE = ("language", "vectors", "narratives")


def narrative_documents(folder: Path, lang: str | None) -> list[Document | IngestError]:
    """Every ``*.txt`` of ``folder`` as a document whose id is its file name (SemEval-2025
    names articles by file, ``EN_UA_103667.txt``), or the reason it cannot be read (empty,
    binary, not UTF-8), so one bad file costs only itself."""
    from proplens.ingest import decode

    if not folder.is_dir():
        raise SubmissionError(f"{folder}: not a folder of article .txt files")
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".txt" and p.is_file())
    if not paths:
        raise SubmissionError(f"{folder}: no .txt articles")
    out: list[Document | IngestError] = []
    for p in paths:
        text = decode(p.read_bytes(), str(p))
        out.append(
            text
            if isinstance(text, IngestError)
            else Document.from_text(text, id=p.name, lang=lang, source=str(p))
        )
    return out


def narrative_rows(analyses: Iterable[Analysis]) -> list[str]:
    """``article<TAB>narrative;...<TAB>sub-narrative;...``: ``Other`` where the article
    pushes no known narrative, ``NARRATIVE: Other`` under a narrative with no known
    sub-narrative, as the official files write them."""
    rows = []
    for a in analyses:
        if "narratives" not in a.timings_ms:
            raise SubmissionError(
                "the pipeline has no narratives analyser; add 'narratives' to --pipeline"
            )
        names = [n.label for n in a.narratives]
        subs = [s.label for n in a.narratives for s in n.subnarratives]
        subs += [f"{n.label}: Other" for n in a.narratives if not n.subnarratives]
        rows.append(f"{a.document.id}\t{';'.join(names) or 'Other'}\t{';'.join(subs) or 'Other'}")
    return rows
