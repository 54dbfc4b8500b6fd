"""The word-level technique model: every word and every sentence labelled, whatever the lines.

Two networks with one hidden layer, run with numpy:

- a **sentence head** over the sentence's USE vector, the mean vector of the sentences
  around it (`WINDOW` either side, across line breaks), the article's mean and two log
  lengths: which techniques the sentence takes part in;
- a **word head** over each word's own USE token features (projected, see
  `encoders.document_features`), the mean of its neighbours' inside the sentence and
  the sentence's vector: which techniques the word lies inside.

A paragraph's technique probability is the mean of the highest sentence probability and
the highest word probability inside it, so a technique found in a text is found in
whichever line holds its words: re-breaking the lines moves nothing but the line numbers.
Spans are runs of words above a technique's threshold (gaps of up to `GAP` words bridged),
trimmed so that they neither begin nor end on a function word; the span's score is a
calibrated probability that an annotator marked that technique there (Platt scaling of
the run's mean word probability, fitted out of fold by the trainer), and
``display_thresholds_`` is the lowest score at which that technique's spans were right at
least `DISPLAY_PRECISION` of the time held out.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from proplens.document import Document, Span
from proplens.models.base import Inputs, model_class, stamp
from proplens.models.encoders import USE_DIM, MlpHead
from proplens.models.linear import FloatArray
from proplens.models.techniques import (
    RawSpan,
    RepeatedPhrases,
    TechniqueFindings,
    TechniqueTargets,
    stop_words,
)
from proplens.techniques import TECHNIQUES, definition

SHIPPED_MODEL = "techniques-words"
#: Sentences either side whose mean vector a sentence is read with.
WINDOW = 2
#: Words either side (inside the sentence) whose mean a word is read with.
WORD_WINDOW = 2
#: Words below threshold that may lie inside one span.
GAP = 3
#: The held-out precision a technique's spans must reach to be shown by default.
DISPLAY_PRECISION = 0.6
NAME = "the word-level technique model"


@dataclass(frozen=True)
class WordProbs:
    """Per-technique probabilities of one document: a row per paragraph, per sentence and
    per word (`Document.words`)."""

    paragraphs: FloatArray
    sentences: FloatArray
    words: FloatArray


#: Feature rows built and read at once at prediction: a long text's tables (4 to 6 kB a
#: row) are never held whole.
BLOCK_ROWS = 8192


def sentence_features(doc: Document, vectors: FloatArray) -> FloatArray:
    """The sentence head's rows: own vector, neighbours' mean, article mean, log lengths.

    The neighbours are the `WINDOW` sentences before and after in the whole text, never
    the sentence's paragraph: a paragraph is wherever the lines happened to break.
    """
    width = vectors.shape[1] + 2 * USE_DIM + 2
    blocks = list(sentence_feature_blocks(doc, vectors, len(doc.sentences) or 1))
    return np.vstack(blocks) if blocks else np.zeros((0, width), np.float32)


def sentence_feature_blocks(
    doc: Document, vectors: FloatArray, step: int = BLOCK_ROWS
) -> Iterator[FloatArray]:
    """`sentence_features`, ``step`` rows at a time."""
    n = len(doc.sentences)
    if n == 0:
        return
    use = vectors[:, :USE_DIM].astype(np.float32)
    sums = np.vstack([np.zeros((1, USE_DIM), np.float32), np.cumsum(use, axis=0)])
    article = use.mean(axis=0, keepdims=True)
    for r0 in range(0, n, step):
        rows = np.arange(r0, min(n, r0 + step))
        lo = np.maximum(rows - WINDOW, 0)
        hi = np.minimum(rows + WINDOW + 1, n)
        around = (sums[hi] - sums[lo] - use[rows]) / np.maximum(hi - lo - 1, 1)[:, None]
        lengths = np.array(
            [
                [math.log1p(s.end - s.start), math.log1p(len(doc.span_text(s).split()))]
                for s in doc.sentences[r0 : r0 + len(rows)]
            ],
            np.float32,
        )
        yield np.hstack(
            [vectors[rows], around, np.repeat(article, len(rows), axis=0), lengths]
        ).astype(np.float32)


def word_sentences(doc: Document) -> np.ndarray:
    """The index of the sentence holding each word (-1: none)."""
    starts = np.array([s.start for s in doc.sentences], np.int64)
    ends = np.array([s.end for s in doc.sentences], np.int64)
    pos = np.array([w.start for w in doc.words], np.int64)
    if not len(starts):
        return np.full(len(pos), -1, np.int64)
    i = np.searchsorted(starts, pos, side="right") - 1
    inside = (i >= 0) & (pos < ends[np.maximum(i, 0)])
    return np.where(inside, i, -1)


def word_features(doc: Document, words: FloatArray, sentences: FloatArray) -> FloatArray:
    """The word head's rows: the word's vector, its neighbours' mean (`WORD_WINDOW` either
    side, inside its sentence) and its sentence's vector."""
    width = 2 * words.shape[1] + sentences.shape[1]
    blocks = list(word_feature_blocks(doc, words, sentences, len(words) or 1))
    return np.vstack(blocks) if blocks else np.zeros((0, width), np.float32)


def word_feature_blocks(
    doc: Document, words: FloatArray, sentences: FloatArray, step: int = BLOCK_ROWS
) -> Iterator[FloatArray]:
    """`word_features`, ``step`` rows at a time."""
    n = len(words)
    if n == 0:
        return
    sent = word_sentences(doc)
    sums = np.vstack([np.zeros((1, words.shape[1]), np.float32), np.cumsum(words, axis=0)])
    idx = np.arange(n)
    # the first and last word of each word's sentence bound its window
    change = np.r_[True, sent[1:] != sent[:-1]]
    first = np.maximum.accumulate(np.where(change, idx, 0))
    change_end = np.r_[sent[1:] != sent[:-1], True]
    last = np.minimum.accumulate(np.where(change_end, idx, n - 1)[::-1])[::-1]
    for r0 in range(0, n, step):
        rows = idx[r0 : r0 + step]
        lo = np.maximum(rows - WORD_WINDOW, first[rows])
        hi = np.minimum(rows + WORD_WINDOW, last[rows]) + 1
        around = (sums[hi] - sums[lo] - words[rows]) / np.maximum(hi - lo - 1, 1)[:, None]
        own_sentence = np.zeros((len(rows), sentences.shape[1]), np.float32)
        known = sent[rows] >= 0
        if len(sentences):
            own_sentence[known] = sentences[sent[rows][known]]
        yield np.hstack([words[rows], around, own_sentence]).astype(np.float32)


def overlap_targets(units: Sequence[Span], spans: Sequence[tuple[str, int, int]]) -> np.ndarray:
    """(units x techniques): which gold spans touch each unit, as the official line labels
    are derived from the spans (a technique belongs to every line its span overlaps)."""
    y = np.zeros((len(units), len(TECHNIQUES)), bool)
    if not units:
        return y
    starts = np.array([u.start for u in units])
    ends = np.array([u.end for u in units])
    for tech, s, e in spans:
        y[(starts < e) & (ends > s), TECHNIQUES.index(tech)] = True
    return y


@dataclass
class _Norm:
    shift: FloatArray
    scale: FloatArray

    @classmethod
    def fit(cls, x: np.ndarray) -> _Norm:
        shift = np.zeros(x.shape[1], np.float64)
        square = np.zeros(x.shape[1], np.float64)
        for i in range(0, len(x), 65536):  # float16 tables of a million rows, in blocks
            block = x[i : i + 65536].astype(np.float64)
            shift += block.sum(axis=0)
            square += (block**2).sum(axis=0)
        mean = shift / max(1, len(x))
        std = np.sqrt(np.maximum(square / max(1, len(x)) - mean**2, 0)) + 1e-6
        return cls(mean.astype(np.float32), std.astype(np.float32))

    def apply(self, x: np.ndarray, dtype: Any = np.float32) -> FloatArray:
        out = np.empty(x.shape, dtype)
        for i in range(0, len(x), 65536):
            out[i : i + 65536] = (x[i : i + 65536].astype(np.float32) - self.shift) / self.scale
        return out


def _unfitted_head() -> MlpHead:
    return MlpHead(TECHNIQUES, backend="torch")


@model_class("technique_words")
@dataclass
class WordTechniqueModel:
    """Sentence head, word head, thresholds and calibration, saved as one folder.

    ``config`` holds the parameters (``hidden``, ``epochs``, ``seeds``; see `new`); `fit`
    learns the heads; ``paragraph_thresholds_``, ``span_thresholds_``, ``calibration_``
    and ``display_thresholds_`` are tuned out of fold by
    `proplens.training.technique_words`.
    """

    config: dict[str, Any] = field(default_factory=dict)
    sentence_head: MlpHead = field(default_factory=_unfitted_head)
    word_head: MlpHead = field(default_factory=_unfitted_head)
    sentence_norm_: _Norm | None = None
    word_norm_: _Norm | None = None
    paragraph_thresholds_: dict[str, float] = field(default_factory=dict)
    span_thresholds_: dict[str, float] = field(default_factory=dict)
    #: Per technique (a, b): calibrated score = sigmoid(a * logit(raw) + b).
    calibration_: dict[str, tuple[float, float]] = field(default_factory=dict)
    display_thresholds_: dict[str, float] = field(default_factory=dict)

    @classmethod
    def new(
        cls, *, hidden: int = 512, epochs: int = 3, seeds: int = 1, **config: Any
    ) -> WordTechniqueModel:
        """An unfitted model with these parameters (``config`` adds name, version...)."""
        model = cls(config={**config, "hidden": hidden, "epochs": epochs, "seeds": seeds})
        model.sentence_head = MlpHead(
            TECHNIQUES,
            hidden=hidden,
            seeds=seeds,
            backend="torch",
            epochs=8 * epochs,
            alpha=1e-2,
        )
        model.word_head = MlpHead(
            TECHNIQUES, hidden=hidden, seeds=seeds, backend="torch", epochs=epochs, alpha=1e-2
        )
        return model

    @property
    def version(self) -> str:
        return str(self.config.get("version", "unknown"))

    def fit(
        self, inputs: Sequence[Inputs], targets: Sequence[TechniqueTargets]
    ) -> WordTechniqueModel:
        """Learn both heads from whole articles (thresholds stay: they are tuned out of fold)."""
        sx = [sentence_features(i.document, i.sentences(NAME)) for i in inputs]
        sy = [
            overlap_targets(i.document.sentences, t.spans)
            for i, t in zip(inputs, targets, strict=False)
        ]
        s_table = np.vstack(sx)
        self.sentence_norm_ = _Norm.fit(s_table)
        self.sentence_head.fit(self.sentence_norm_.apply(s_table), np.vstack(sy))
        del s_table
        wx = [
            word_features(i.document, i.words(NAME), i.sentences(NAME)).astype(np.float16)
            for i in inputs
        ]
        wy = [
            overlap_targets(i.document.words, t.spans)
            for i, t in zip(inputs, targets, strict=False)
        ]
        w_table = np.vstack(wx)
        del wx
        self.word_norm_ = _Norm.fit(w_table)
        self.word_head.fit(self.word_norm_.apply(w_table, np.float16), np.vstack(wy))
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[WordProbs]:
        out = []
        for inp in inputs:
            doc = inp.document
            sentences = self._sentence_probs(inp)
            words = self._word_probs(inp)
            out.append(WordProbs(paragraph_probs(doc, sentences, words), sentences, words))
        return out

    def _sentence_probs(self, inp: Inputs) -> FloatArray:
        if not inp.document.sentences or self.sentence_norm_ is None:
            return np.zeros((len(inp.document.sentences), len(TECHNIQUES)), np.float32)
        norm, head = self.sentence_norm_, self.sentence_head
        blocks = sentence_feature_blocks(inp.document, inp.sentences(NAME))
        return np.vstack([head.predict_proba(norm.apply(x)) for x in blocks])

    def _word_probs(self, inp: Inputs) -> FloatArray:
        if not inp.document.words or self.word_norm_ is None:
            return np.zeros((len(inp.document.words), len(TECHNIQUES)), np.float32)
        norm, head = self.word_norm_, self.word_head
        blocks = word_feature_blocks(inp.document, inp.words(NAME), inp.sentences(NAME))
        return np.vstack([head.predict_proba(norm.apply(x)) for x in blocks])

    def predict(self, inputs: Sequence[Inputs]) -> list[TechniqueFindings]:
        return [
            TechniqueFindings(
                self.paragraph_labels(i.document, p.paragraphs), self.spans(i.document, p)
            )
            for i, p in zip(inputs, self.predict_proba(inputs), strict=True)
        ]

    def paragraph_labels(self, doc: Document, probs: FloatArray) -> dict[int, set[str]]:
        """``{line: techniques}``: each paragraph's techniques above their thresholds."""
        thr = self.paragraph_thresholds_
        return {
            p.line: {t for j, t in enumerate(TECHNIQUES) if probs[i, j] >= thr.get(t, 0.5)}
            for i, p in enumerate(doc.paragraphs)
        }

    def spans(
        self,
        doc: Document,
        probs: WordProbs,
        thresholds: dict[str, float] | None = None,
        *,
        calibrate: bool = True,
        context: SpanContext | None = None,
        reasons: bool = True,
    ) -> list[RawSpan]:
        """Runs of words above their technique's threshold, as spans with calibrated scores.

        Repetition is said only of a run that repeats a phrase of its article (the
        word head cannot count); its reason names the phrase. ``context`` (the document's
        function words and repeated phrases) may be reused across calls; the trainer
        decodes one document at many thresholds without ``reasons``.
        """
        thresholds = self.span_thresholds_ if thresholds is None else thresholds
        context = context or SpanContext(doc)
        words = doc.words
        out: list[RawSpan] = []
        for j, tech in enumerate(TECHNIQUES):
            thr = thresholds.get(tech, 2.0)
            if thr > 1.0 or not len(words):
                continue
            for a, b in word_runs(probs.words[:, j], thr, context.is_stop):
                raw = float(probs.words[a : b + 1, j].mean())
                span = Span(words[a].start, words[b].end)
                reason = self._reason(doc, probs, j, a, b, raw) if reasons else ""
                if tech == "Repetition":
                    said = context.repeated.reason(span)
                    if said is None:
                        continue
                    reason = said
                score = self.calibrated(tech, raw) if calibrate else raw
                out.append(RawSpan(span.start, span.end, tech, score, reason))
        return sorted(out)

    def calibrated(self, tech: str, raw: float) -> float:
        """The probability that an annotator marked ``tech`` here, from a run's mean word
        probability (identity before calibration is fitted)."""
        a, b = self.calibration_.get(tech, (1.0, 0.0))
        p = min(max(raw, 1e-6), 1 - 1e-6)
        return float(1.0 / (1.0 + math.exp(-(a * math.log(p / (1 - p)) + b))))

    def shown(self, tech: str, score: float) -> bool:
        """Whether a span is shown by default: its score reaches the technique's display
        threshold (held-out precision `DISPLAY_PRECISION`)."""
        return score >= self.display_thresholds_.get(tech, 1.01)

    def _reason(self, doc: Document, probs: WordProbs, j: int, a: int, b: int, raw: float) -> str:
        tech = TECHNIQUES[j]
        k = a + int(np.argmax(probs.words[a : b + 1, j]))
        strongest = doc.span_text(doc.words[k])
        name = tech.replace("_", " ")
        return (
            f"Word model: these words read as {name} (mean {raw:.2f}, strongest on "
            f"'{strongest}' {probs.words[k, j]:.2f}). {definition(tech)}"
        )

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.sentence_head.save(folder, "sentence_head")
        self.word_head.save(folder, "word_head")
        norms: dict[str, Any] = {}
        for name, norm in (("sentence", self.sentence_norm_), ("word", self.word_norm_)):
            if norm is not None:
                norms[f"{name}_shift"], norms[f"{name}_scale"] = norm.shift, norm.scale
        np.savez_compressed(folder / "norms.npz", **norms)
        state = {
            "paragraph_thresholds": self.paragraph_thresholds_,
            "span_thresholds": self.span_thresholds_,
            "calibration": self.calibration_,
            "display_thresholds": self.display_thresholds_,
        }
        (folder / "thresholds.json").write_text(json.dumps(state, indent=1))
        (folder / "config.json").write_text(json.dumps(self.config, indent=1))
        stamp(folder, "technique_words")

    @classmethod
    def load(cls, folder: Path) -> WordTechniqueModel:
        config = {
            k: v
            for k, v in json.loads((folder / "config.json").read_text("utf-8")).items()
            if k != "class"
        }
        sentence_head = MlpHead.load(folder, "sentence_head") or _unfitted_head()
        word_head = MlpHead.load(folder, "word_head") or _unfitted_head()
        with np.load(folder / "norms.npz") as w:
            norms = {k: w[k] for k in w.files}
        state = json.loads((folder / "thresholds.json").read_text("utf-8"))
        return cls(
            config=config,
            sentence_head=sentence_head,
            word_head=word_head,
            sentence_norm_=_norm(norms, "sentence"),
            word_norm_=_norm(norms, "word"),
            paragraph_thresholds_=state["paragraph_thresholds"],
            span_thresholds_=state["span_thresholds"],
            calibration_={k: (v[0], v[1]) for k, v in state["calibration"].items()},
            display_thresholds_=state["display_thresholds"],
        )


class SpanContext:
    """What span decoding needs of a document besides the probabilities: which words are
    function words of its language, and the phrases it repeats (found when first asked)."""

    def __init__(self, doc: Document) -> None:
        stops = stop_words(doc.lang or "xx")
        self.is_stop = np.array([doc.span_text(w).lower() in stops for w in doc.words], bool)
        self.repeated = RepeatedPhrases(doc)


def _norm(arrays: dict[str, Any], name: str) -> _Norm | None:
    if f"{name}_shift" not in arrays:
        return None
    return _Norm(arrays[f"{name}_shift"], arrays[f"{name}_scale"])


def paragraph_probs(doc: Document, sentences: FloatArray, words: FloatArray) -> FloatArray:
    """Each paragraph's probability of each technique: the mean of its highest sentence
    probability and its highest word probability. Nothing else of the paragraph is read,
    so neither its length nor its neighbours change what it is said to hold."""
    out = np.zeros((len(doc.paragraphs), len(TECHNIQUES)), np.float32)
    if not doc.paragraphs:
        return out
    s_best = _best_in(doc, [s.start for s in doc.sentences], sentences)
    w_best = _best_in(doc, [w.start for w in doc.words], words)
    return np.asarray((s_best + w_best) / 2, np.float32)


def _best_in(doc: Document, starts: Sequence[int], probs: FloatArray) -> FloatArray:
    out = np.zeros((len(doc.paragraphs), probs.shape[1] if probs.ndim == 2 else 0), np.float32)
    if not len(starts):
        return np.zeros((len(doc.paragraphs), len(TECHNIQUES)), np.float32)
    pos = np.asarray(starts)
    for i, p in enumerate(doc.paragraphs):
        lo, hi = np.searchsorted(pos, p.start), np.searchsorted(pos, p.end)
        if hi > lo:
            out[i] = probs[lo:hi].max(axis=0)
    return out


def word_runs(p: FloatArray, threshold: float, is_stop: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) word of each run of words with ``p >= threshold`` (runs closer than
    `GAP` words joined), trimmed until they begin and end on a content word that is
    itself above the threshold."""
    chosen = np.flatnonzero(p >= threshold)
    runs: list[tuple[int, int]] = []
    if not len(chosen):
        return runs
    breaks = np.flatnonzero(np.diff(chosen) > GAP + 1)
    firsts = np.r_[chosen[0], chosen[breaks + 1]]
    lasts = np.r_[chosen[breaks], chosen[-1]]
    for a, b in zip(firsts.tolist(), lasts.tolist(), strict=True):
        while a <= b and (is_stop[a] or p[a] < threshold):
            a += 1
        while b >= a and (is_stop[b] or p[b] < threshold):
            b -= 1
        if a <= b:
            runs.append((a, b))
    return runs
