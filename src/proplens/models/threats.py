"""Threat and call-to-violence detection, trained on data/threats/threats.jsonl.

Detection is a `LinearTextModel` over sentences (threshold tuned out of fold for F1); folds
group the variants of each base sentence, so the held-out figures measure wording the model
never saw. Severity is by rule, because a moderator must be able to check it: lethal
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
from proplens.models.linear import FeatureConfig, LinearTextModel, tune_thresholds

FEATURES = FeatureConfig(word_ngrams=(1, 3), char_ngrams=(3, 5), max_features=50_000, min_df=1)
DEFAULT_DATA = Path("data/threats/threats.jsonl")
_LETHAL = re.compile(
    r"\b(kill\w*|dead|death|die|shoot|shot|bullet|execut\w+|slaughter\w*|blow up|bomb\w*|hang"
    r"|rope|throat|coffin|wipe\w* out|cut off|blood|jihad|arms|armed|sword|war|stoned|grave"
    r"|lined up against a wall|убить|убьём|смерть)\b",
    re.IGNORECASE,
)
_HARM = re.compile(
    r"\b(beat\w*|bones?|hurt|bleed|fists?|smash\w*|stretcher|teeth|fire|burn\w*|crush\w*|force"
    r"|flogged|suffer|stones|sticks|attack\w*|storm|drag|broken windows|hiding|punish\w*)\b",
    re.IGNORECASE,
)
_WISH = re.compile(
    r"\b(hope|may|pray|deserve\w*|would dance|rot|would not mind|nobody would cry|should)\b",
    re.IGNORECASE,
)


def severity_of(sentence: str) -> str:
    """low / medium / high, by the harm named and whether it is threatened or only wished."""
    wished = bool(_WISH.search(sentence))
    if _LETHAL.search(sentence):
        return "medium" if wished else "high"
    if _HARM.search(sentence):
        return "low" if wished else "medium"
    return "low"


Log = Callable[[str], None]


@dataclass(frozen=True)
class ThreatModel:
    detector: LinearTextModel

    @property
    def version(self) -> str:
        return str(self.detector.info.get("version", "unknown"))

    def score(self, sentences: Sequence[str], lang: str | None) -> list[tuple[float, str]]:
        """(threat probability, severity) per sentence."""
        if not sentences:
            return []
        p = self.detector.predict_proba(sentences, [lang] * len(sentences))[:, 0]
        return [(float(p[i]), severity_of(s)) for i, s in enumerate(sentences)]

    @property
    def threshold(self) -> float:
        return self.detector.thresholds_.get("threat", 0.5)

    def save(self, folder: Path) -> None:
        self.detector.save(folder / "detector")

    @classmethod
    def load(cls, folder: Path) -> ThreatModel:
        return cls(LinearTextModel.load(folder / "detector"))


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


def _fit(rows: Sequence[dict[str, Any]]) -> ThreatModel:
    texts = [r["text"] for r in rows]
    langs: list[str | None] = ["en"] * len(rows)
    detector = LinearTextModel(("threat",), FEATURES, C=4.0).fit(
        texts, langs, [{"threat"} if r["threat"] else set() for r in rows]
    )
    return ThreatModel(detector)


def news_negatives(root: Path, n: int, seed: int) -> list[dict[str, Any]]:
    """``n`` sentences of English SemEval training articles as (weak) negatives.

    Real news and opinion sentences, long and short, about conflict and crime too: what the
    detector must learn not to flag. A rare real threat among them only makes it stricter.
    """
    from proplens.document import Document

    corpus = semeval.load_corpus(root, "en")
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
    oof = np.zeros(len(rows), np.float32)
    oof_sev: list[str | None] = [None] * len(rows)
    for k in range(folds):
        train = [r for r, f in zip(rows, fold, strict=True) if f != k]
        model = _fit(train)
        test_idx = np.flatnonzero(fold == k)
        scored = model.score([rows[i]["text"] for i in test_idx], "en")
        for i, (p, sev) in zip(test_idx, scored, strict=True):
            oof[i] = p
            oof_sev[i] = sev
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
    figures["precision"] = round(tp / max(1, int(predicted.sum())), 4)
    figures["recall"] = round(tp / max(1, int(y.sum())), 4)
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
    final = _fit(rows)
    final.detector.thresholds_ = tune_thresholds(oof[:, None], truth, ("threat",))
    info = {
        "version": f"{__version__}+threats.{seed}",
        "cv": figures,
        "data": str(data),
        "news_negatives": int((~own).sum()),
    }
    final.detector.info.update(info)
    final.save(out)
    write_card(
        out,
        "threats",
        "Threats and calls to violence in sentences (detector: TF-IDF word 1-3-grams and char "
        "3-5-grams + logistic regression, threshold tuned out of fold; severity by rule, see "
        "proplens/models/threats.py). English only.",
        "proplens train threats",
        {"en": {k: v for k, v in figures.items() if not isinstance(v, dict)}},
        data="`data/threats/threats.jsonl`, 523 sentences written for proplens (DATASHEET.md).",
    )
    return figures
