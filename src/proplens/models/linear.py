"""A multi-label linear text classifier: TF-IDF features + one logistic regression per label.

Trained with scikit-learn (the ``train`` extra) but exported as plain arrays, so
inference needs only numpy: a model is a folder with ``config.json`` (labels,
thresholds, feature settings, figures), ``vocab.json`` and ``weights.npz``.
The same ``fit``/``predict_proba`` surface serves every learned proplens model.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from proplens.models.base import sigmoid

FloatArray = npt.NDArray[np.float32]
_WORD = re.compile(r"\w+", re.UNICODE)
#: Words whose character n-gram indices a model keeps (a few tens of MB at most).
CHAR_CACHE_WORDS = 200_000


@dataclass(frozen=True)
class FeatureConfig:
    """Which features to extract; ``char_ngrams`` = (min, max) inside word boundaries."""

    word_ngrams: tuple[int, int] = (1, 2)
    char_ngrams: tuple[int, int] | None = (3, 5)
    max_features: int = 200_000
    min_df: int = 2
    lang_feature: bool = True

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> FeatureConfig:
        chars = raw.get("char_ngrams")
        return cls(
            word_ngrams=tuple(raw["word_ngrams"]),
            char_ngrams=tuple(chars) if chars else None,
            max_features=int(raw["max_features"]),
            min_df=int(raw["min_df"]),
            lang_feature=bool(raw.get("lang_feature", True)),
        )


def featurize(text: str, lang: str | None, config: FeatureConfig) -> list[str]:
    """Feature strings for ``text``: ``w:`` word n-grams, ``c:`` char n-grams, ``lang:``."""
    words = _words(text)
    feats = word_features(words, lang, config)
    for w in words:
        feats.extend(char_features(w, config))
    return feats


def tfidf_vectorizer(config: FeatureConfig) -> Any:
    """scikit-learn's TF-IDF (sublinear tf, l2 norm) over `featurize` lists, as
    `LinearTextModel` learns it (needs scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    return TfidfVectorizer(
        analyzer=lambda d: d,
        sublinear_tf=True,
        min_df=config.min_df,
        max_features=config.max_features,
        dtype=np.float32,
    )


def _words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def word_features(words: Sequence[str], lang: str | None, config: FeatureConfig) -> list[str]:
    """The ``lang:`` feature and the ``w:`` word n-grams of a text's lower-cased words."""
    feats: list[str] = [f"lang:{lang or 'xx'}"] if config.lang_feature else []
    lo, hi = config.word_ngrams
    for n in range(lo, hi + 1):
        feats.extend("w:" + " ".join(words[i : i + n]) for i in range(len(words) - n + 1))
    return feats


def char_features(word: str, config: FeatureConfig) -> list[str]:
    """The ``c:`` character n-grams of one word, padded with a space on either side."""
    if not config.char_ngrams:
        return []
    clo, chi = config.char_ngrams
    padded = f" {word} "
    return [
        "c:" + padded[i : i + n] for n in range(clo, chi + 1) for i in range(len(padded) - n + 1)
    ]


@dataclass
class LinearTextModel:
    """One-vs-rest logistic regression over TF-IDF features (sublinear tf, l2 norm).

    Parameters are set in ``__init__``; learned state ends in ``_``.
    """

    labels: tuple[str, ...]
    features: FeatureConfig = field(default_factory=FeatureConfig)
    C: float = 4.0
    thresholds_: dict[str, float] = field(default_factory=dict)
    vocab_: dict[str, int] = field(default_factory=dict, repr=False)
    idf_: FloatArray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    coef_: FloatArray = field(default_factory=lambda: np.zeros((0, 0), np.float32), repr=False)
    intercept_: FloatArray = field(default_factory=lambda: np.zeros(0, np.float32), repr=False)
    info: dict[str, Any] = field(default_factory=dict)
    _names: list[str] = field(default_factory=list, repr=False, compare=False)
    _char_cache: dict[str, list[int]] = field(default_factory=dict, repr=False, compare=False)

    def fit(
        self, texts: Sequence[str], langs: Sequence[str | None], targets: Sequence[set[str]]
    ) -> LinearTextModel:
        """Learn vocabulary, idf and one classifier per label (needs scikit-learn)."""
        from sklearn.linear_model import LogisticRegression

        config = self.features
        self._char_cache.clear()
        docs = [featurize(t, lang, config) for t, lang in zip(texts, langs, strict=True)]
        vectorizer = tfidf_vectorizer(config)
        x = vectorizer.fit_transform(docs)
        y = np.array([[label in t for label in self.labels] for t in targets], dtype=np.int8)
        coef = np.zeros((x.shape[1], len(self.labels)), np.float32)
        intercept = np.full(len(self.labels), -10.0, np.float32)
        for j in range(len(self.labels)):
            if 0 < y[:, j].sum() < len(y):
                clf = LogisticRegression(C=self.C, solver="liblinear", class_weight="balanced")
                clf.fit(x, y[:, j])
                coef[:, j] = clf.coef_[0]
                intercept[j] = clf.intercept_[0]
        self.vocab_ = {f: int(i) for f, i in vectorizer.vocabulary_.items()}
        self.idf_ = vectorizer.idf_.astype(np.float32)
        self.coef_ = coef
        self.intercept_ = intercept
        return self

    def vectorize(self, text: str, lang: str | None) -> tuple[npt.NDArray[np.int64], FloatArray]:
        """Sparse TF-IDF row as (feature indices, values), matching scikit-learn's.

        Counts the features `featurize` lists, without listing them: a word's character
        n-grams are looked up once per model and word (words repeat across a document's
        sentences, paragraphs and article), which is most of the work.
        """
        words, vocab = _words(text), self.vocab_
        found = [vocab[f] for f in word_features(words, lang, self.features) if f in vocab]
        if self.features.char_ngrams:
            for word, n in Counter(words).items():
                found.extend(self._char_indices(word) * n)
        if not found:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        idx, counts = np.unique(np.array(found, np.int64), return_counts=True)
        values = (1.0 + np.log(counts.astype(np.float32))) * self.idf_[idx]
        values /= np.linalg.norm(values) or 1.0
        return idx, values.astype(np.float32)

    def _char_indices(self, word: str) -> list[int]:
        """Vocabulary indices of one word's character n-grams, with repeats; cached."""
        found = self._char_cache.get(word)
        if found is None:
            if len(self._char_cache) >= CHAR_CACHE_WORDS:
                self._char_cache.clear()
            vocab = self.vocab_
            found = [vocab[g] for g in char_features(word, self.features) if g in vocab]
            self._char_cache[word] = found
        return found

    def predict_proba(self, texts: Sequence[str], langs: Sequence[str | None]) -> FloatArray:
        """Probabilities, shape ``(len(texts), len(labels))``."""
        out = np.empty((len(texts), len(self.labels)), np.float32)
        for i, (text, lang) in enumerate(zip(texts, langs, strict=True)):
            idx, values = self.vectorize(text, lang)
            logits = values @ self.coef_[idx] + self.intercept_
            out[i] = sigmoid(logits)
        return out

    def predict(self, texts: Sequence[str], langs: Sequence[str | None]) -> list[set[str]]:
        probs = self.predict_proba(texts, langs)
        return [
            {lab for j, lab in enumerate(self.labels) if row[j] >= self.thresholds_.get(lab, 0.5)}
            for row in probs
        ]

    def cues(
        self,
        text: str,
        lang: str | None,
        label: str,
        k: int = 3,
        row: tuple[npt.NDArray[np.int64], FloatArray] | None = None,
    ) -> list[str]:
        """The ``k`` word features of ``text`` that push ``label`` up most (for reasons).

        ``row`` is ``vectorize(text, lang)`` when the caller asks for several labels.
        """
        j = self.labels.index(label)
        idx, values = self.vectorize(text, lang) if row is None else row
        names = self.feature_names()
        contrib = values * self.coef_[idx, j]
        order = np.argsort(-contrib)
        out: list[str] = []
        for o in order:
            feat = names[int(idx[o])]
            if (
                feat.startswith("w:")
                and contrib[o] > 0
                and _is_cue(feat[2:])
                and feat[2:] not in out
            ):
                out.append(feat[2:])
            if len(out) == k:
                break
        return out

    def feature_names(self) -> list[str]:
        """Feature strings by index (built once, on first use)."""
        if len(self._names) != len(self.vocab_):
            self._names = sorted(self.vocab_, key=self.vocab_.__getitem__)
        return self._names

    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        config = {
            "kind": "linear-tfidf-ovr",
            "labels": list(self.labels),
            "features": asdict(self.features),
            "C": self.C,
            "thresholds": self.thresholds_,
            "info": self.info,
        }
        (folder / "config.json").write_text(json.dumps(config, indent=1, ensure_ascii=False))
        vocab = self.feature_names()
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
        np.savez_compressed(
            folder / "weights.npz",
            idf=self.idf_.astype(np.float16),
            coef=self.coef_.astype(np.float16),
            intercept=self.intercept_,
        )

    @classmethod
    def load(cls, folder: Path) -> LinearTextModel:
        config = json.loads((folder / "config.json").read_text("utf-8"))
        vocab = json.loads((folder / "vocab.json").read_text("utf-8"))
        with np.load(folder / "weights.npz") as w:
            idf, coef, intercept = w["idf"], w["coef"], w["intercept"]
        return cls(
            labels=tuple(config["labels"]),
            features=FeatureConfig.from_dict(config["features"]),
            C=config["C"],
            thresholds_={k: float(v) for k, v in config["thresholds"].items()},
            vocab_={f: i for i, f in enumerate(vocab)},
            idf_=idf.astype(np.float32),
            coef_=coef.astype(np.float32),
            intercept_=intercept.astype(np.float32),
            info=config.get("info", {}),
        )


#: Function words that are no evidence a person can check, in the six training languages.
STOPWORDS = frozenset(
    """a an and are as at be but by for from has have he her his in is it its of on or she
    that the their they this to was were which who will with we you not no so if than then
    there these those what when where how all also been can could would should do does did
    и в не на что с по как а но к из у за от о же то это так для он она они мы вы его её их
    le la les de des du un une et est en que qui dans pour pas au aux ce il elle ils sur se
    der die das und ist nicht ein eine zu den von mit sich des auf für im dem es
    il lo la gli le di che e un una per non con del della si da in è sono
    i w nie na z że się to do jest o jak a po co ale""".split()  # noqa: SIM905 (a word list)
)


def _is_cue(phrase: str) -> bool:
    """A word feature worth showing as evidence: not only function words or single letters."""
    words = phrase.split()
    return any(len(w) > 2 and w not in STOPWORDS and not w.isdigit() for w in words)
