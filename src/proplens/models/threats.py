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
accuracy on the same folds.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.models.card import write_card
from proplens.models.encoders import (
    LANGS,
    USE_DIM,
    USE_LANGS,
    DenseHead,
    FloatArray,
    embed,
    without_language,
)
from proplens.models.linear import FeatureConfig, LinearTextModel, tune_thresholds

FEATURES = FeatureConfig(word_ngrams=(1, 3), char_ngrams=(3, 5), max_features=50_000, min_df=1)
DEFAULT_DATA = Path("data/threats/threats.jsonl")
#: Written sentences in the other languages, beside the English set; they train the USE head.
OTHER_LANGUAGES = "multilingual_train.jsonl"
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


Log = Callable[[str], None]


@dataclass(frozen=True)
class ThreatModel:
    detector: LinearTextModel
    #: USE head; the only detector for languages outside `TFIDF_LANGS`.
    dense: DenseHead | None = None

    @property
    def version(self) -> str:
        return str(self.detector.info.get("version", "unknown"))

    def supports(self, lang: str | None) -> bool:
        return lang in TFIDF_LANGS or (self.dense is not None and lang in USE_LANGS)

    def score(
        self, sentences: Sequence[str], lang: str | None, vectors: FloatArray | None = None
    ) -> list[tuple[float, str]]:
        """(threat probability, severity) per sentence; compare with `threshold_for`.

        ``vectors`` are the sentences' `embed` vectors when the caller already has them.
        """
        if not sentences:
            return []
        if lang in TFIDF_LANGS or self.dense is None:
            p = self.detector.predict_proba(sentences, [lang] * len(sentences))[:, 0]
        else:
            if vectors is None or len(vectors) != len(sentences):
                vectors = embed(sentences, [lang] * len(sentences))
            p = self.dense.predict_proba(without_language(vectors))[:, 0]
        return [(float(p[i]), severity_of(s)) for i, s in enumerate(sentences)]

    def reason(self, sentence: str, lang: str | None, score: float) -> str:
        """Why ``sentence`` was flagged: the score, the words behind it, the severity's cue."""
        threshold = self.threshold_for(lang)
        if lang in TFIDF_LANGS or self.dense is None:
            cues = self.detector.cues(sentence, lang, "threat")
            head = f"threat detector {score:.2f} (threshold {threshold:.2f})"
            head += f", cue words: {', '.join(repr(c) for c in cues)}" if cues else ""
        else:
            head = f"multilingual threat head {score:.2f} (threshold {threshold:.2f})"
        severity, why = _severity_and_why(sentence)
        return f"{head}; {severity}: {why}"

    def threshold_for(self, lang: str | None) -> float:
        """The threshold that goes with `score` for ``lang``."""
        if self.dense is not None and lang not in TFIDF_LANGS:
            return float(self.detector.info.get("dense_threshold", 0.5))
        return self.threshold

    @property
    def threshold(self) -> float:
        """The threshold of the TF-IDF detector (English)."""
        return self.detector.thresholds_.get("threat", 0.5)

    def save(self, folder: Path) -> None:
        self.detector.save(folder / "detector")
        if self.dense is not None:
            self.dense.save(folder / "detector", "dense_head")

    @classmethod
    def load(cls, folder: Path) -> ThreatModel:
        return cls(LinearTextModel.load(folder / "detector"), DenseHead.load(folder / "detector"))


def language_free_vectors(sentences: Sequence[str], lang: str | None) -> FloatArray:
    """USE vectors with the language one-hot zeroed, so the head transfers across languages."""
    return without_language(embed(sentences, [lang] * len(sentences)))


def threat_model_path() -> Path:
    return Path(str(files("proplens").joinpath("data/models/threats")))


@cache
def load_threat_model() -> ThreatModel:
    path = threat_model_path()
    if not (path / "detector" / "config.json").exists():
        raise FileNotFoundError(f"{path}: no threat model there; rebuild it with `make models`")
    return ThreatModel.load(path)


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def _truth(rows: Sequence[dict[str, Any]]) -> list[set[str]]:
    return [{"threat"} if r["threat"] else set() for r in rows]


def _fit(
    rows: Sequence[dict[str, Any]],
    vectors: FloatArray | None = None,
    other: tuple[FloatArray, list[set[str]]] | None = None,
) -> ThreatModel:
    """The English TF-IDF detector on ``rows``; the USE head on their ``vectors`` plus the
    ``other`` languages' written sentences (vectors, truth) when given."""
    texts = [r["text"] for r in rows]
    langs: list[str | None] = ["en"] * len(rows)
    truth = _truth(rows)
    detector = LinearTextModel(("threat",), FEATURES, C=4.0).fit(texts, langs, truth)
    dense = None
    if vectors is not None:
        x, y = vectors, truth
        if other is not None and len(other[0]):
            x, y = np.vstack([vectors, other[0]]), truth + other[1]
        dense = DenseHead.fit(x, y, ("threat",))
    return ThreatModel(detector, dense)


def other_language_rows(
    path: Path, semeval_root: Path | None = None, news: int = 0, seed: int = 13
) -> tuple[list[dict[str, Any]], FloatArray]:
    """The written sentences in other languages (`multilingual_train.jsonl`; none when the
    file is missing), ``news`` SemEval sentences per language of them as negatives (from
    articles other than those the news false-positive figure reads), and their
    language-free USE vectors."""
    rows = read_rows(path) if path.exists() else []
    if semeval_root is not None and news:
        for lang in sorted({r["lang"] for r in rows}):
            held = {r["group"] for r in _news_or_none(semeval_root, lang, seed)}
            pool = _news_or_none(semeval_root, lang, seed + 1, 3 * news)
            picked = [r for r in pool if r["group"] not in held][:news]
            rows += [r | {"lang": lang, "group": f"{lang}-{r['group']}"} for r in picked]
    vectors = np.zeros((len(rows), USE_DIM + len(LANGS)), np.float32)
    for lang in sorted({r["lang"] for r in rows}):
        idx = [i for i, r in enumerate(rows) if r["lang"] == lang]
        vectors[idx] = language_free_vectors([rows[i]["text"] for i in idx], lang)
    return rows, vectors


def news_negatives(root: Path, n: int, seed: int, lang: str = "en") -> list[dict[str, Any]]:
    """``n`` sentences of SemEval training articles in ``lang`` as (weak) negatives.

    Real news and opinion sentences, long and short, about conflict and crime too: what the
    detector must learn not to flag. A rare real threat among them only makes it stricter.
    """
    from proplens.document import Document

    corpus = semeval.load_corpus(root, lang)
    pool = [
        (aid, doc.span_text(s))
        for aid, text in corpus.articles.items()
        for doc in [Document.from_text(text)]
        for s in doc.sentences
        if 4 <= len(doc.span_text(s).split()) <= 80
    ]
    picked = random.Random(seed).sample(pool, min(n, len(pool)))
    return [
        {"id": f"news-{i}", "group": f"news-{aid}", "text": text, "threat": False,
         "kind": "none", "severity": "none", "target": None, "negative_type": "news"}
        for i, (aid, text) in enumerate(picked)
    ]  # fmt: skip


def train_threats(
    data: Path,
    out: Path,
    *,
    semeval_root: Path | None = None,
    news: int = 3000,
    other_news: int = 0,
    dense: bool = True,
    folds: int = 5,
    seed: int = 13,
    log: Log = print,
) -> dict[str, Any]:
    """Grouped cross-validation, then a final fit on all rows saved to ``out``."""
    rows = read_rows(data)
    if semeval_root is not None and news:
        rows += news_negatives(semeval_root, news, seed)
    groups = sorted({r["group"] for r in rows})
    random.Random(seed).shuffle(groups)
    fold_of_group = {g: i % folds for i, g in enumerate(groups)}
    fold = np.array([fold_of_group[r["group"]] for r in rows])
    vectors = language_free_vectors([r["text"] for r in rows], "en") if dense else None
    other, other_vectors = (
        other_language_rows(data.parent / OTHER_LANGUAGES, semeval_root, other_news, seed)
        if dense
        else ([], None)
    )
    other_truth = _truth(other)
    other_groups = sorted({r["group"] for r in other})
    random.Random(seed).shuffle(other_groups)
    other_fold = np.array([other_groups.index(r["group"]) % folds for r in other], dtype=np.int64)
    oof = np.zeros(len(rows), np.float32)
    oof_dense = np.zeros(len(rows), np.float32)
    oof_other = np.zeros(len(other), np.float32)
    oof_sev: list[str | None] = [None] * len(rows)
    for k in range(folds):
        train_idx = np.flatnonzero(fold != k)
        extra = None
        if other_vectors is not None:
            keep = np.flatnonzero(other_fold != k)
            extra = (other_vectors[keep], [other_truth[i] for i in keep])
        model = _fit(
            [rows[i] for i in train_idx], None if vectors is None else vectors[train_idx], extra
        )
        if model.dense is not None and other_vectors is not None and len(other):
            held = other_fold == k
            oof_other[held] = model.dense.predict_proba(other_vectors[held])[:, 0]
        test_idx = np.flatnonzero(fold == k)
        scored = model.score([rows[i]["text"] for i in test_idx], "en")
        for i, (p, sev) in zip(test_idx, scored, strict=True):
            oof[i] = p
            oof_sev[i] = sev
        if model.dense is not None and vectors is not None:
            oof_dense[test_idx] = model.dense.predict_proba(vectors[test_idx])[:, 0]
    truth = [{"threat"} if r["threat"] else set() for r in rows]
    figures: dict[str, Any] = {"sentences": len(rows), "groups": len(groups), "folds": folds}
    predicted = np.zeros(len(rows), bool)
    for k in range(folds):
        others = np.flatnonzero(fold != k)
        thr = tune_thresholds(oof[others, None], [truth[i] for i in others], ("threat",))["threat"]
        predicted[fold == k] = oof[fold == k] >= thr
    own = np.array([not str(r["id"]).startswith("news-") for r in rows])
    y = np.array([r["threat"] for r in rows])
    tp = int((predicted & y).sum())
    figures["precision_on_written_set"] = round(tp / max(1, int((predicted & own).sum())), 4)
    figures |= _precision_recall(predicted, y)
    p, r = figures["precision"], figures["recall"]
    figures["f1"] = round(2 * p * r / (p + r) if p + r else 0.0, 4)
    by_type: dict[str, float] = {}
    for kind in sorted({str(x["negative_type"]) for x in rows if not x["threat"]}):
        idx = [i for i, x in enumerate(rows) if not x["threat"] and x["negative_type"] == kind]
        by_type[kind] = round(float(predicted[idx].mean()), 4)
    figures["false_positive_rate_by_negative_type"] = by_type
    sev_idx = [i for i, x in enumerate(rows) if x["threat"]]
    figures["severity_rule_accuracy_on_threats"] = round(
        sum(oof_sev[i] == rows[i]["severity"] for i in sev_idx) / max(1, len(sev_idx)), 4
    )
    log(
        f"threats: precision {p:.3f} recall {r:.3f} F1 {figures['f1']:.3f}, severity (rules) "
        f"{figures['severity_rule_accuracy_on_threats']:.3f} "
        f"({len(rows)} sentences, {folds} grouped folds)"
    )
    final = _fit(rows, vectors, None if other_vectors is None else (other_vectors, other_truth))
    final.detector.thresholds_ = tune_thresholds(oof[:, None], truth, ("threat",))
    info: dict[str, Any] = {
        "version": f"{__version__}+threats.{seed}",
        "cv": figures,
        "data": str(data),
        "news_negatives": int((~own).sum()),
    }
    if final.dense is not None:
        dense_oof = np.concatenate([oof_dense, oof_other])[:, None]
        info["dense_threshold"] = tune_thresholds(dense_oof, truth + other_truth, ("threat",))[
            "threat"
        ]
        written = np.array([r.get("negative_type") != "news" for r in other], dtype=bool)
        if written.any():
            figures["other_languages_written_cv"] = _precision_recall(
                (oof_other >= info["dense_threshold"])[written],
                np.array([bool(r["threat"]) for r in other])[written],
            )
            info["other_language_sentences"] = int(written.sum())
            info["other_language_news"] = int((~written).sum())
        final.detector.info.update(info)
        figures["other_languages"] = multilingual_figures(
            final, data.parent / "multilingual_eval.jsonl", semeval_root, seed, log
        )
    final.detector.info.update(info)
    final.save(out)
    write_card(
        out,
        "threats",
        "Threats and calls to violence in sentences (detector: TF-IDF word 1-3-grams and char "
        "3-5-grams + logistic regression for English; a logistic head over multilingual USE "
        "vectors for the other languages, zero-shot; "
        "thresholds tuned out of fold; severity by rule, see proplens/models/threats.py).",
        "proplens train threats",
        {"en": {k: v for k, v in figures.items() if not isinstance(v, dict)}},
        data="`data/threats/threats.jsonl`, 567 English sentences, and "
        "`data/threats/multilingual_train.jsonl`, 100 in five other languages, written for "
        "proplens (DATASHEET.md).",
    )
    return figures


def _precision_recall(hit: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """Precision and recall of boolean predictions ``hit`` against truth ``y``."""
    tp = int((hit & y).sum())
    return {
        "precision": round(tp / max(1, int(hit.sum())), 4),
        "recall": round(tp / max(1, int(y.sum())), 4),
    }


def _news_or_none(root: Path | None, lang: str, seed: int, n: int = 500) -> list[dict[str, Any]]:
    """``n`` news sentences in ``lang`` (by default the 500 the false-positive figure reads),
    or none without that language's data."""
    if root is None:
        return []
    try:
        return news_negatives(root, n, seed + 1, lang)
    except (OSError, ValueError):
        return []


def multilingual_figures(
    model: ThreatModel, eval_path: Path, semeval_root: Path | None, seed: int, log: Log
) -> dict[str, Any]:
    """Zero-shot figures per language: recall and false positives on the written multilingual
    set, and the false-positive rate on 500 SemEval news sentences of that language."""
    figures: dict[str, Any] = {}
    rows = read_rows(eval_path) if eval_path.exists() else []
    for lang in sorted({r["lang"] for r in rows}):
        mine = [r for r in rows if r["lang"] == lang]
        scores = [p for p, _ in model.score([r["text"] for r in mine], lang)]
        thr = model.threshold_for(lang)
        hits = [p >= thr for p in scores]
        threats = [h for h, r in zip(hits, mine, strict=True) if r["threat"]]
        others = [h for h, r in zip(hits, mine, strict=True) if not r["threat"]]
        entry: dict[str, Any] = {
            "written_threats": len(threats),
            "recall_written": round(sum(threats) / max(1, len(threats)), 4),
            "false_positive_rate_written_negatives": round(sum(others) / max(1, len(others)), 4),
        }
        news = _news_or_none(semeval_root, lang, seed)
        if news:
            flagged = [p >= thr for p, _ in model.score([r["text"] for r in news], lang)]
            entry["false_positive_rate_news"] = round(sum(flagged) / len(flagged), 4)
        figures[lang] = entry
        log(f"threats {lang} (zero-shot): {entry}")
    return figures
