"""The official SemEval measures, implemented from their published definitions.

- ``st1``: macro-F1 over genres (the labels seen in gold or predictions, as sklearn does).
- ``st2``: micro-F1 over (article, frame) pairs.
- ``st3``: micro-F1 over (article, paragraph, technique) triples.
- ``si``: SemEval-2020 Task 11 span identification: labels ignored, overlapping spans
  merged per article, partial overlap credited as ``|s ∩ t| / |s|`` (precision) and
  ``|s ∩ t| / |t|`` (recall).
- ``flc``: the same with credit only where labels match, merged per article and label;
  micro-averaged over techniques, with per-technique figures.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

K = TypeVar("K")


@dataclass(frozen=True)
class ClassScore:
    precision: float
    recall: float
    f1: float
    support: float


@dataclass(frozen=True)
class Score:
    """A headline ``metric``/``value`` with per-class detail."""

    metric: str
    value: float
    precision: float = 0.0
    recall: float = 0.0
    per_class: dict[str, ClassScore] = field(default_factory=dict)
    #: Further named figures, printed before the headline.
    extra: dict[str, float] = field(default_factory=dict)

    def report(self) -> str:
        """Per-class lines, then ``METRIC VALUE`` as the last line."""
        lines = []
        if self.per_class or self.precision or self.recall:  # not for per-article means
            lines.append(f"{'class':40s} {'P':>7s} {'R':>7s} {'F1':>7s} {'support':>8s}")
            for name, c in sorted(self.per_class.items()):
                lines.append(
                    f"{name:40s} {c.precision:7.4f} {c.recall:7.4f} {c.f1:7.4f} {c.support:8g}"
                )
            lines.append(f"precision {self.precision:.4f}")
            lines.append(f"recall {self.recall:.4f}")
        lines += [f"{name} {value:.4f}" for name, value in self.extra.items()]
        lines.append(f"{self.metric} {self.value:.4f}")
        return "\n".join(lines)


def unmatched(gold: Iterable[K], pred: Iterable[K], what: str) -> str | None:
    """Why a prediction file cannot be scored against its gold one: keys (``what``:
    "mention", "article") missing or extra, with the first of them; None when they match."""
    gold_keys, pred_keys = set(gold), set(pred)
    missing, extra = gold_keys - pred_keys, pred_keys - gold_keys
    if not missing and not extra:
        return None
    first = sorted(missing or extra)[0]  # type: ignore[type-var]
    return (
        f"the prediction file has {len(missing)} gold {what}(s) missing and {len(extra)} "
        f"extra; the first: {first}"
    )


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def _prf(tp: float, n_pred: float, n_gold: float) -> tuple[float, float, float]:
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    return p, r, f1(p, r)


def micro_f1_sets(
    gold: Mapping[K, set[str]], pred: Mapping[K, set[str]], metric: str = "micro-F1"
) -> Score:
    """Micro-F1 over (key, label) pairs; keys are articles or (article, line)."""
    tp: dict[str, int] = defaultdict(int)
    n_pred: dict[str, int] = defaultdict(int)
    n_gold: dict[str, int] = defaultdict(int)
    for key, labels in gold.items():
        for label in labels:
            n_gold[label] += 1
            if label in pred.get(key, set()):
                tp[label] += 1
    for labels in pred.values():
        for label in labels:
            n_pred[label] += 1
    per_class = {}
    for label in set(n_gold) | set(n_pred):
        p, r, f = _prf(tp[label], n_pred[label], n_gold[label])
        per_class[label] = ClassScore(p, r, f, n_gold[label])
    p, r, f = _prf(sum(tp.values()), sum(n_pred.values()), sum(n_gold.values()))
    return Score(metric, f, p, r, per_class)


def macro_f1_single(gold: Mapping[str, str], pred: Mapping[str, str]) -> Score:
    """Macro-F1 of single-label predictions; a gold article without prediction counts as wrong."""
    labels = sorted(set(gold.values()) | {pred[k] for k in gold if k in pred})
    per_class = {}
    for label in labels:
        tp = sum(1 for k, g in gold.items() if g == label and pred.get(k) == label)
        n_pred = sum(1 for k in gold if pred.get(k) == label)
        n_gold = sum(1 for g in gold.values() if g == label)
        p, r, f = _prf(tp, n_pred, n_gold)
        per_class[label] = ClassScore(p, r, f, n_gold)
    n = len(per_class) or 1
    value = sum(c.f1 for c in per_class.values()) / n
    precision = sum(c.precision for c in per_class.values()) / n
    recall = sum(c.recall for c in per_class.values()) / n
    return Score("macro-F1", value, precision, recall, per_class)


Interval = tuple[int, int]


def merge_intervals(spans: Iterable[Interval]) -> list[Interval]:
    """Union of half-open intervals; overlapping or touching ones become one."""
    out: list[list[int]] = []
    for start, end in sorted(spans):
        if end <= start:
            continue
        if out and start <= out[-1][1]:
            out[-1][1] = max(out[-1][1], end)
        else:
            out.append([start, end])
    return [(s, e) for s, e in out]


def _overlap_credit(pred: list[Interval], gold: list[Interval]) -> tuple[float, float]:
    """(Σ_s Σ_t |s∩t|/|s|, Σ_t Σ_s |s∩t|/|t|) for one article, both lists merged."""
    p_credit = r_credit = 0.0
    for s0, s1 in pred:
        for t0, t1 in gold:
            inter = min(s1, t1) - max(s0, t0)
            if inter > 0:
                p_credit += inter / (s1 - s0)
                r_credit += inter / (t1 - t0)
    return p_credit, r_credit


SpanRows = Iterable[tuple[str, str, int, int]]


def span_identification(gold: SpanRows, pred: SpanRows) -> Score:
    """SI: labels ignored, spans merged per article."""
    g: dict[str, list[Interval]] = defaultdict(list)
    p: dict[str, list[Interval]] = defaultdict(list)
    for aid, _, s, e in gold:
        g[aid].append((s, e))
    for aid, _, s, e in pred:
        p[aid].append((s, e))
    pc = rc = 0.0
    n_pred = n_gold = 0
    for aid in set(g) | set(p):
        pm, gm = merge_intervals(p.get(aid, [])), merge_intervals(g.get(aid, []))
        n_pred += len(pm)
        n_gold += len(gm)
        a, b = _overlap_credit(pm, gm)
        pc += a
        rc += b
    precision = pc / n_pred if n_pred else 0.0
    recall = rc / n_gold if n_gold else 0.0
    return Score("SI-F1", f1(precision, recall), precision, recall)


def span_classification(gold: SpanRows, pred: SpanRows) -> Score:
    """FLC: partial-overlap credit only between spans of the same technique."""
    g: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    p: dict[tuple[str, str], list[Interval]] = defaultdict(list)
    for aid, tech, s, e in gold:
        g[(aid, tech)].append((s, e))
    for aid, tech, s, e in pred:
        p[(aid, tech)].append((s, e))
    pc: dict[str, float] = defaultdict(float)
    rc: dict[str, float] = defaultdict(float)
    np_: dict[str, int] = defaultdict(int)
    ng: dict[str, int] = defaultdict(int)
    for key in set(g) | set(p):
        tech = key[1]
        pm, gm = merge_intervals(p.get(key, [])), merge_intervals(g.get(key, []))
        np_[tech] += len(pm)
        ng[tech] += len(gm)
        a, b = _overlap_credit(pm, gm)
        pc[tech] += a
        rc[tech] += b
    per_class = {}
    for tech in set(np_) | set(ng):
        prec = pc[tech] / np_[tech] if np_[tech] else 0.0
        rec = rc[tech] / ng[tech] if ng[tech] else 0.0
        per_class[tech] = ClassScore(prec, rec, f1(prec, rec), ng[tech])
    total_p, total_g = sum(np_.values()), sum(ng.values())
    precision = sum(pc.values()) / total_p if total_p else 0.0
    recall = sum(rc.values()) / total_g if total_g else 0.0
    return Score("FLC-F1", f1(precision, recall), precision, recall, per_class)
