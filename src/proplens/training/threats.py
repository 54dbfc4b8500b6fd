"""Training the threat detector on the written set (data/threats), with grouped folds.

Rows are single sentences (`Document.sentence`), grouped by the base sentence they vary,
so held-out figures measure wording the model never saw; 3,000 SemEval news sentences are
added as (weak) negatives, and the written sentences in five other languages
(`multilingual_train.jsonl`) train the USE head beside the English ones. The TF-IDF
threshold is cross-fitted for the figures; the USE head's threshold is tuned on its
out-of-fold scores of English and other-language rows together.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.document import Document
from proplens.models.base import FloatArray, Inputs, shipped_path
from proplens.models.card import write_card
from proplens.models.encoders import embed
from proplens.models.threats import LABEL, ThreatModel, severity_of
from proplens.training.folds import SEED, cross_fitted, group_folds, out_of_fold, tune_thresholds

DEFAULT_DATA = Path("data/threats/threats.jsonl")
#: Written sentences in the other languages, beside the English set; they train the USE head.
OTHER_LANGUAGES = "multilingual_train.jsonl"
Log = Callable[[str], None]


def read_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def row_inputs(rows: Sequence[dict[str, Any]], lang: str | None = None) -> list[Inputs]:
    """Each row as a one-sentence document with its sentence vector (``lang``: the rows'
    language when they carry none)."""
    langs = [str(r.get("lang") or lang or "en") for r in rows]
    vectors = embed([r["text"] for r in rows], langs) if rows else np.zeros((0, 0), np.float32)
    return [
        Inputs(
            Document.sentence(r["text"], id=str(r.get("id", i)), lang=la), None, vectors[i : i + 1]
        )
        for i, (r, la) in enumerate(zip(rows, langs, strict=True))
    ]


def _targets(rows: Sequence[dict[str, Any]]) -> list[list[set[str]]]:
    return [[{LABEL} if r["threat"] else set()] for r in rows]


def other_language_rows(
    path: Path, semeval_root: Path | None = None, news: int = 0, seed: int = SEED
) -> list[dict[str, Any]]:
    """The written sentences in other languages (none when the file is missing), and
    ``news`` SemEval sentences per language of them as negatives (from articles other than
    those the news false-positive figure reads)."""
    rows = read_rows(path) if path.exists() else []
    if semeval_root is not None and news:
        for lang in sorted({r["lang"] for r in rows}):
            held = {r["group"] for r in _news_or_none(semeval_root, lang, seed)}
            pool = _news_or_none(semeval_root, lang, seed + 1, 3 * news)
            picked = [r for r in pool if r["group"] not in held][:news]
            rows += [r | {"lang": lang, "group": f"{lang}-{r['group']}"} for r in picked]
    return rows


def news_negatives(root: Path, n: int, seed: int, lang: str = "en") -> list[dict[str, Any]]:
    """``n`` sentences of SemEval training articles in ``lang`` as (weak) negatives.

    Real news and opinion sentences, long and short, about conflict and crime too: what the
    detector must learn not to flag. A rare real threat among them only makes it stricter.
    """
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


def _both_heads(model: ThreatModel, inputs: Sequence[Inputs]) -> list[tuple[float, float]]:
    """Each row's TF-IDF and USE-head probability (the figures need both)."""
    tfidf = model.predict_proba(inputs, head="tfidf")
    dense = model.predict_proba(inputs, head="dense") if model.dense_ is not None else tfidf
    return [(float(a[0]), float(b[0])) for a, b in zip(tfidf, dense, strict=True)]


def train_threats(
    data: Path,
    out: Path | None = None,
    *,
    semeval_root: Path | None = None,
    news: int = 9000,
    other_news: int = 0,
    dense: bool = True,
    folds: int = 5,
    seed: int = SEED,
    log: Log = print,
) -> dict[str, Any]:
    """Grouped cross-validation, then a final fit on all rows saved to ``out`` (the shipped
    folder by default)."""
    out = out or shipped_path("threats")
    rows = read_rows(data)
    n_written = len(rows)
    if semeval_root is not None and news:
        rows += news_negatives(semeval_root, news, seed)
    other = (
        other_language_rows(data.parent / OTHER_LANGUAGES, semeval_root, other_news, seed)
        if dense
        else []
    )
    inputs = row_inputs(rows, "en") + row_inputs(other)
    targets = _targets(rows) + _targets(other)
    # English and other-language rows are dealt into folds each on their own
    fold = np.concatenate(
        [
            group_folds([r["group"] for r in rows], folds, seed),
            group_folds([r["group"] for r in other], folds, seed),
        ]
    ).astype(np.int64)
    scored = out_of_fold(
        lambda: ThreatModel(dense=dense), inputs, targets, fold, predict=_both_heads, log=log
    )
    n = len(rows)
    oof = np.array([s[0] for s in scored[:n]], np.float32)
    oof_dense = np.array([s[1] for s in scored], np.float32)
    truth = [t[0] for t in targets[:n]]
    figures = _figures(rows, oof, truth, fold[:n], folds, len({r["group"] for r in rows}))
    log(
        f"threats: precision {figures['precision']:.3f} recall {figures['recall']:.3f} "
        f"F1 {figures['f1']:.3f}, severity (rules) "
        f"{figures['severity_rule_accuracy_on_threats']:.3f} "
        f"({n} sentences, {folds} grouped folds)"
    )
    final = ThreatModel(dense=dense).fit(inputs, targets)
    final.detector.thresholds_ = tune_thresholds(oof[:, None], truth, (LABEL,))
    own = np.array([not str(r["id"]).startswith("news-") for r in rows])
    info: dict[str, Any] = {
        "version": f"{__version__}+threats.{seed}",
        "cv": figures,
        "data": str(data),
        "news_negatives": int((~own).sum()),
    }
    if final.dense_ is not None:
        all_truth = [t[0] for t in targets]
        info["dense_threshold"] = tune_thresholds(oof_dense[:, None], all_truth, (LABEL,))[LABEL]
        written = np.array([r.get("negative_type") != "news" for r in other], dtype=bool)
        if written.any():
            figures["other_languages_written_cv"] = _precision_recall(
                (oof_dense[n:] >= info["dense_threshold"])[written],
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
        {"en": figures},  # the card leaves out the nested figures
        data=f"`data/threats/threats.jsonl`, {n_written} English sentences, and "
        "`data/threats/multilingual_train.jsonl`, 100 in five other languages, written for "
        "proplens (DATASHEET.md).",
    )
    return figures


def _figures(
    rows: Sequence[dict[str, Any]],
    oof: FloatArray,
    truth: Sequence[set[str]],
    fold: np.ndarray,
    folds: int,
    groups: int,
) -> dict[str, Any]:
    """Held-out precision, recall and F1 with cross-fitted thresholds, false positives by
    kind of negative, and how often the severity rules agree with the written labels."""
    held, _ = cross_fitted(oof[:, None], truth, (LABEL,), fold)
    predicted = np.array([LABEL in h for h in held], dtype=bool)
    figures: dict[str, Any] = {"sentences": len(rows), "groups": groups, "folds": folds}
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
    threats = [x for x in rows if x["threat"]]
    figures["severity_rule_accuracy_on_threats"] = round(
        sum(severity_of(x["text"]) == x["severity"] for x in threats) / max(1, len(threats)), 4
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
        thr = model.threshold_for(lang)
        hits = [float(p[0]) >= thr for p in model.predict_proba(row_inputs(mine, lang))]
        threats = [h for h, r in zip(hits, mine, strict=True) if r["threat"]]
        others = [h for h, r in zip(hits, mine, strict=True) if not r["threat"]]
        entry: dict[str, Any] = {
            "written_threats": len(threats),
            "recall_written": round(sum(threats) / max(1, len(threats)), 4),
            "false_positive_rate_written_negatives": round(sum(others) / max(1, len(others)), 4),
        }
        news = _news_or_none(semeval_root, lang, seed)
        if news:
            found = model.predict_proba(row_inputs(news, lang))
            flagged = [float(p[0]) >= thr for p in found]
            entry["false_positive_rate_news"] = round(sum(flagged) / len(flagged), 4)
        figures[lang] = entry
        log(f"threats {lang} (zero-shot): {entry}")
    return figures
