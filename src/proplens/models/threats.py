"""Threat and call-to-violence detection, trained on data/threats/threats.jsonl.

Detection has two sentence classifiers: a `LinearTextModel` over TF-IDF n-grams for English
(the language of the written set) and a logistic head over multilingual USE vectors
(without the language one-hot) for the other languages, zero-shot through USE's shared
space; each has its threshold tuned out of fold for F1. Averaging the two for English scored
better on the written folds but missed the real threats of the sample articles, whose long
sentences the USE head scores low, so English keeps the TF-IDF detector alone. Folds group
the variants of each base sentence, so the held-out figures measure wording the model never
saw. Severity is by rule, because a moderator must be able to check it: lethal
violence is high (medium when only wished), bodily harm medium, the rest (veiled
intimidation, vague punishment) low. A learned three-way severity model reached only 0.38
accuracy on the same folds. Training: `proplens.training.threats`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from proplens.models.base import FloatArray, Inputs, model_class, stamp
from proplens.models.encoders import USE_LANGS, DenseHead, without_language
from proplens.models.linear import FeatureConfig, LinearTextModel

FEATURES = FeatureConfig(word_ngrams=(1, 3), char_ngrams=(3, 5), max_features=50_000, min_df=1)
#: Languages of the written training set: they get the TF-IDF detector too.
TFIDF_LANGS = frozenset({"en"})
_LETHAL = re.compile(
    r"\b(kill\w*|dead|death|die|shoot|shot|bullet|execut\w+|slaughter\w*|blow up|bomb\w*|hang"
    r"|rope|throat|coffin|wipe\w* out|cut off|blood|jihad|arms|armed|sword|war|stoned|grave"
    r"|lined up against a wall"
    r"|убь\w*|убить|убива\w*|смерт\w*|сдохн\w*|оружи\w*|сожж\w*|сожг\w*|уничтож\w*"
    r"|tuer|tuez|tuerons|mort\w*|crève\w*|armes|extermin\w*|brûler\w*"
    r"|töte\w*|töten|tod\w*|verreck\w*|waffen|vernicht\w*|niederbrenn\w*"
    r"|uccid\w*|mort[ei]|crepi\w*|armi|stermin\w*|bruce\w*"
    r"|zabij\w*|zabić|śmier\w*|zdech\w*|broń|wytęp\w*|spal\w*)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(beat\w*|bones?|hurt|bleed|fists?|smash\w*|stretcher|teeth|fire|burn\w*|crush\w*|force"
    r"|flogged|suffer|stones|sticks|attack\w*|storm|drag|broken windows|hiding|punish\w*)\b",
    re.IGNORECASE,
)
_WISH = re.compile(
    r"\b(hope|may|pray|deserve\w*|would dance|rot|would not mind|nobody would cry|should"
    r"|пусть|mögen|möge|niech)\b",
    re.IGNORECASE,
)


def severity_of(sentence: str) -> str:
    """low / medium / high, by the harm named and whether it is threatened or only wished."""
    return _severity_and_why(sentence)[0]


def _severity_and_why(sentence: str) -> tuple[str, str]:
    """The severity and the words that set it, for the reason shown to a moderator."""
    wish = _WISH.search(sentence)
    as_wish = f", wished ('{wish.group(0)}')" if wish else ""
    if lethal := _LETHAL.search(sentence):
        return ("medium" if wish else "high"), f"lethal harm named ('{lethal.group(0)}'){as_wish}"
    if harm := _HARM.search(sentence):
        return ("low" if wish else "medium"), f"harm named ('{harm.group(0)}'){as_wish}"
    return "low", "no harm named"


LABEL = "threat"


@model_class("threats")
class ThreatModel:
    """Sentence threat detector: TF-IDF for `TFIDF_LANGS`, a USE head for the others.

    Learned state: ``detector_`` (TF-IDF, with its threshold and the model's ``info``) and
    ``dense_`` (the USE head; None when trained without vectors).
    """

    def __init__(self, *, C: float = 4.0, dense: bool = True) -> None:
        self.C, self.dense = C, dense
        self.detector_: LinearTextModel | None = None
        self.dense_: DenseHead | None = None

    @property
    def detector(self) -> LinearTextModel:
        if self.detector_ is None:
            raise ValueError("the threat model is not fitted")
        return self.detector_

    @property
    def info(self) -> dict[str, Any]:
        return self.detector.info

    @property
    def version(self) -> str:
        return str(self.info.get("version", "unknown"))

    def supports(self, lang: str | None) -> bool:
        return lang in TFIDF_LANGS or (self.dense_ is not None and lang in USE_LANGS)

    def _uses_tfidf(self, lang: str | None) -> bool:
        return lang in TFIDF_LANGS or self.dense_ is None

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[Sequence[set[str]]]) -> ThreatModel:
        """The TF-IDF detector on the sentences of `TFIDF_LANGS` inputs; the USE head (with
        ``dense``) on the sentence vectors of all of them."""
        texts, truth, rows, y = [], [], [], []
        for inp, labels in zip(inputs, targets, strict=True):
            doc = inp.document
            sentences = [doc.span_text(s) for s in doc.sentences]
            if len(labels) != len(sentences):
                raise ValueError(f"{doc.id}: {len(labels)} targets for {len(sentences)} sentences")
            if doc.lang in TFIDF_LANGS:
                texts += sentences
                truth += list(labels)
            if self.dense:
                rows.append(inp.sentences("the threat model"))
                y += list(labels)
        langs: list[str | None] = [next(iter(TFIDF_LANGS))] * len(texts)
        self.detector_ = LinearTextModel((LABEL,), FEATURES, C=self.C).fit(texts, langs, truth)
        self.dense_ = (
            DenseHead((LABEL,)).fit(without_language(np.vstack(rows)), y) if rows else None
        )
        return self

    def predict_proba(self, inputs: Sequence[Inputs], *, head: str = "auto") -> list[FloatArray]:
        """The threat probability of every sentence of each input (compare with
        `threshold_for` its language). ``head`` picks the detector: ``"auto"`` by language,
        ``"tfidf"`` or ``"dense"`` whatever the language (for training figures)."""
        if head not in ("auto", "tfidf", "dense"):
            raise ValueError(f"unknown threat head {head!r}")
        out = []
        for inp in inputs:
            doc = inp.document
            texts = [doc.span_text(s) for s in doc.sentences]
            tfidf = head == "tfidf" or (head == "auto" and self._uses_tfidf(doc.lang))
            if not texts:
                out.append(np.zeros(0, np.float32))
            elif tfidf:
                out.append(self.detector.predict_proba(texts, [doc.lang] * len(texts))[:, 0])
            else:
                if self.dense_ is None:
                    raise ValueError("this threat model has no USE head")
                vectors = without_language(inp.sentences("the threat model"))
                out.append(self.dense_.predict_proba(vectors)[:, 0])
        return out

    def predict(self, inputs: Sequence[Inputs]) -> list[list[tuple[str, ...]]]:
        """``("threat",)`` or ``()`` for every sentence of each input."""
        out: list[list[tuple[str, ...]]] = []
        for inp, probs in zip(inputs, self.predict_proba(inputs), strict=True):
            threshold = self.threshold_for(inp.document.lang)
            out.append([(LABEL,) if p >= threshold else () for p in probs])
        return out

    def reason(self, sentence: str, lang: str | None, score: float) -> str:
        """Why ``sentence`` was flagged: the score, the words behind it, the severity's cue."""
        threshold = self.threshold_for(lang)
        if self._uses_tfidf(lang):
            cues = self.detector.cues(sentence, lang, LABEL)
            head = f"threat detector {score:.2f} (threshold {threshold:.2f})"
            head += f", cue words: {', '.join(repr(c) for c in cues)}" if cues else ""
        else:
            head = f"multilingual threat head {score:.2f} (threshold {threshold:.2f})"
        severity, why = _severity_and_why(sentence)
        return f"{head}; {severity}: {why}"

    def threshold_for(self, lang: str | None) -> float:
        """The threshold that goes with `predict_proba` for ``lang``."""
        if not self._uses_tfidf(lang):
            return float(self.info.get("dense_threshold", 0.5))
        return self.threshold

    @property
    def threshold(self) -> float:
        """The threshold of the TF-IDF detector (English)."""
        return self.detector.thresholds_.get(LABEL, 0.5)

    def save(self, folder: Path) -> None:
        self.detector.save(folder / "detector")
        if self.dense_ is not None:
            self.dense_.save(folder / "detector", "dense_head")
        stamp(folder, "threats", C=self.C, dense=self.dense_ is not None)

    @classmethod
    def load(cls, folder: Path) -> ThreatModel:
        detector = LinearTextModel.load(folder / "detector")
        model = cls(C=detector.C)
        model.detector_ = detector
        model.dense_ = DenseHead.load(folder / "detector")
        model.dense = model.dense_ is not None
        return model
