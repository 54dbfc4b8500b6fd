"""A fine-tuned transformer that marks which words lie inside a persuasion technique span.

all-MiniLM-L6-v2 (English) fine-tuned as a token tagger on the SemEval training spans, with
their labels ignored: it answers *where* an author persuades, word by word, which sentence
classifiers cannot (their spans are whole sentences). *Which* technique a marked stretch
shows comes from the sentence model and the lexicon (`TechniqueModel.spans`).

Runs as int8 ONNX with `onnxruntime` and the `tokenizers` word pieces; trained by
`proplens train tagger` (the ``train`` extra, torch; `proplens.training.tagger`). An
article is cut into windows of ``window`` pieces every ``stride`` pieces; a piece's
probability is its mean over the windows that hold it.
"""

from __future__ import annotations

import itertools
import json
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from proplens.models.base import CONFIG, Inputs, model_class, stamp

#: (start, end, mean probability of its pieces)
TaggedSpan = tuple[int, int, float]

#: Windows read in one model call: memory stays bounded on a book-length text (a
#: 1,000-word article needs two).
WINDOWS_PER_RUN = 8
#: Set to "1" by batch workers, which already fill the cores (see `store.batch`).
THREADS_ENV = "PROPLENS_ONNX_THREADS"


def windows(n: int, window: int, stride: int) -> list[tuple[int, int]]:
    """(start, end) piece ranges covering ``0..n``, consecutive ones ``stride`` apart.

    Without overlap (``stride >= window``) the ranges are as equal as possible, so that a
    batch of them wastes no work on padding (400 pieces: 200 + 200, not 254 + 146).
    """
    if n <= window:
        return [(0, n)] if n else []
    if stride >= window:
        parts = -(-n // window)
        cuts = [round(i * n / parts) for i in range(parts + 1)]
        return list(itertools.pairwise(cuts))
    out = []
    start = 0
    while True:
        end = min(start + window, n)
        out.append((start, end))
        if end == n:
            return out
        start += stride


def _selected(
    offsets: Sequence[tuple[int, int]], ranges: Sequence[tuple[int, int]] | None
) -> npt.NDArray[np.int64]:
    """Indices of the pieces that start inside ``ranges`` (None: every piece)."""
    if ranges is None:
        return np.arange(len(offsets), dtype=np.int64)
    starts = np.array([s for s, _ in offsets], np.int64)
    keep = np.zeros(len(offsets), bool)
    for lo, hi in ranges:
        keep[(starts >= lo) & (starts < hi)] = True
    return np.flatnonzero(keep).astype(np.int64)


def decode(
    text: str,
    offsets: list[tuple[int, int]],
    probs: npt.NDArray[np.float32],
    threshold: float,
    join: int,
) -> list[TaggedSpan]:
    """Runs of pieces at or above ``threshold`` as character spans over whole words.

    Runs separated by white space only, or closer than ``join`` characters, become one; a run
    that starts or ends inside a word (a word piece) is widened to the word's edges, so a
    span never cuts a word.
    """
    runs: list[list[Any]] = []
    for (start, end), p in zip(offsets, probs, strict=True):
        if p < threshold or end <= start:
            continue
        if runs and (start - runs[-1][1] <= join or not text[runs[-1][1] : start].strip()):
            runs[-1][1] = end
            runs[-1][2].append(float(p))
        else:
            runs.append([start, end, [float(p)]])
    out = []
    for start, end, ps in runs:
        while start > 0 and text[start - 1].isalnum():
            start -= 1
        while end < len(text) and text[end].isalnum():
            end += 1
        out.append((start, end, sum(ps) / len(ps)))
    return out


#: Character offsets of each word piece and its probability of lying inside a span.
TokenProbs = tuple[list[tuple[int, int]], npt.NDArray[np.float32]]
#: The files of a saved tagger.
FILES = ("model.onnx", "tokenizer.json", CONFIG, "README.md")


@model_class("span_tagger")
@dataclass
class SpanTagger:
    """The ONNX tagger, its word-piece tokenizer and the decoding settings of its card.

    ``config`` holds the parameters (``window``, ``stride``, ``threshold``, ``gate``,
    ``epochs``...); ``folder`` the fitted model's files (None until `fit`).
    """

    folder: Path | None = None
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.folder is not None:
            self._open(self.folder)

    def _open(self, folder: Path) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        options = ort.SessionOptions()
        threads = int(os.environ.get(THREADS_ENV, "0"))
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        self.session = ort.InferenceSession(
            str(folder / "model.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_truncation()
        self.tokenizer.no_padding()
        self.folder = folder

    def fit(
        self,
        inputs: Sequence[Inputs],
        targets: Sequence[Sequence[tuple[str, int, int]]],
        *,
        out: Path | None = None,
    ) -> SpanTagger:
        """Fine-tune the base encoder on the gold spans (technique, start, end) of each input
        and export it as int8 ONNX into ``out`` (a temporary folder by default). Needs the
        ``train`` extra."""
        from proplens.models.techniques import ArticleData
        from proplens.training.tagger import base_encoder_path, export_onnx, fine_tune

        base = base_encoder_path()
        articles = [
            ArticleData(i.document, {}, list(t)) for i, t in zip(inputs, targets, strict=True)
        ]
        model = fine_tune(articles, base, epochs=float(self.config.get("epochs", 2.0)))
        folder = out or Path(tempfile.mkdtemp(prefix="proplens-tagger-"))
        export_onnx(model, base, folder, {**self.config, "articles": len(articles)})
        self.config = json.loads((folder / CONFIG).read_text("utf-8"))
        self._open(folder)
        return self

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[TokenProbs]:
        """Each word piece's offsets and inside probability, the whole of each document read."""
        return [self.inside_probs(i.document.text) for i in inputs]

    def predict(
        self,
        inputs: Sequence[Inputs],
        ranges: Sequence[Sequence[tuple[int, int]] | None] | None = None,
    ) -> list[list[TaggedSpan]]:
        """The marked stretches of each document; ``ranges[i]`` limits what is read of
        document ``i`` (None: all of it)."""
        chosen = ranges if ranges is not None else [None] * len(inputs)
        return [self.spans(i.document.text, ranges=r) for i, r in zip(inputs, chosen, strict=True)]

    def save(self, folder: Path) -> None:
        if self.folder is None:
            raise ValueError("the span tagger is not fitted")
        folder.mkdir(parents=True, exist_ok=True)
        if folder.resolve() != self.folder.resolve():
            for name in FILES:
                if (self.folder / name).exists():
                    shutil.copy(self.folder / name, folder / name)
        stamp(folder, "span_tagger")

    @property
    def langs(self) -> tuple[str, ...]:
        return tuple(self.config.get("langs", ["en"]))

    @property
    def gate(self) -> float:
        """Read only sentences whose best technique probability reaches this (0: all)."""
        return float(self.config.get("gate", 0.0))

    @property
    def threshold(self) -> float:
        return float(self.config.get("threshold", 0.5))

    def inside_probs(
        self, text: str, ranges: Sequence[tuple[int, int]] | None = None
    ) -> tuple[list[tuple[int, int]], npt.NDArray[np.float32]]:
        """Each word piece's character offsets and its probability of lying inside a span.

        With ``ranges`` only the pieces inside them are read, packed one after another into
        the windows (the ranges are whole sentences, so a window reads consecutive selected
        sentences); the others get 0.
        """
        enc = self.tokenizer.encode(text, add_special_tokens=False)
        offsets = enc.offsets
        ids = np.array(enc.ids, np.int64)
        picked = _selected(offsets, ranges)
        window, stride = int(self.config.get("window", 254)), int(self.config.get("stride", 128))
        parts = windows(len(picked), window, stride)
        total = np.zeros(len(offsets), np.float32)
        count = np.zeros(len(offsets), np.float32)
        if not parts:
            return offsets, total
        for first in range(0, len(parts), WINDOWS_PER_RUN):
            some = parts[first : first + WINDOWS_PER_RUN]
            inside = self._run(ids, picked, some)
            for row, (start, end) in enumerate(some):
                total[picked[start:end]] += inside[row, 1 : end - start + 1]
                count[picked[start:end]] += 1
        return offsets, (total / np.maximum(count, 1)).astype(np.float32)

    def _run(
        self,
        ids: npt.NDArray[np.int64],
        picked: npt.NDArray[np.int64],
        parts: Sequence[tuple[int, int]],
    ) -> npt.NDArray[np.float32]:
        """The model's inside probabilities for a batch of windows, markers included."""
        cls, sep = self._special_ids()
        width = max(end - start for start, end in parts) + 2
        batch = np.zeros((len(parts), width), np.int64)
        mask = np.zeros((len(parts), width), np.int64)
        for row, (start, end) in enumerate(parts):
            batch[row, 0], batch[row, end - start + 1] = cls, sep
            batch[row, 1 : end - start + 1] = ids[picked[start:end]]
            mask[row, : end - start + 2] = 1
        (inside,) = self.session.run(None, {"input_ids": batch, "attention_mask": mask})
        return np.asarray(inside, np.float32)

    def _special_ids(self) -> tuple[int, int]:
        cls, sep = self.tokenizer.token_to_id("[CLS]"), self.tokenizer.token_to_id("[SEP]")
        if cls is None or sep is None:
            raise ValueError(f"{self.folder}: the tokenizer has no [CLS]/[SEP] pieces")
        return int(cls), int(sep)

    def spans(
        self,
        text: str,
        threshold: float | None = None,
        ranges: Sequence[tuple[int, int]] | None = None,
    ) -> list[TaggedSpan]:
        """Stretches of ``text`` (of ``ranges`` in it, if given) the tagger marks as
        persuasive, on word boundaries."""
        offsets, probs = self.inside_probs(text, ranges)
        cut = self.threshold if threshold is None else threshold
        return decode(text, offsets, probs, cut, int(self.config.get("join", 0)))

    @classmethod
    def load(cls, folder: Path) -> SpanTagger:
        config = json.loads((folder / CONFIG).read_text("utf-8"))
        return cls(folder, {k: v for k, v in config.items() if k != "class"})


SHIPPED = "span-tagger-en"


@cache
def shipped_tagger_langs() -> frozenset[str]:
    """The languages the packaged tagger reads, from its card, without loading the model
    (a worker that sees no English text never pays for it); none when it is not installed."""
    from proplens.models import base

    if not base.available(SHIPPED) or not (base.shipped_path(SHIPPED) / "model.onnx").exists():
        return frozenset()
    return frozenset(base.read_config(SHIPPED).get("langs", ["en"]))
