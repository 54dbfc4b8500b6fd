"""Training the word-level technique model, measured as a user's text will vary.

Folds by article (`assign_folds`, seed 13). Each fold's model predicts its held-out
articles three times: as given (one paragraph a line), re-broken one sentence a line, and
with paragraphs joined in pairs (`proplens.training.rebreak`), each re-broken copy read
from scratch (segmented and embedded again). Every threshold applied to fold *k* is
tuned on the other folds: the paragraph thresholds on the three breakings pooled (they
must serve any breaking), the span thresholds on pooled FLC, the calibration and the
display thresholds on the other folds' spans. The figures are written in the official
formats per language and breaking and scored by `proplens.eval` (`proplens evaluate`).
"""

from __future__ import annotations

import hashlib
import json
import math
import pickle
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from proplens import semeval
from proplens.document import Document
from proplens.eval import score_files
from proplens.eval.metrics import _overlap_credit, merge_intervals
from proplens.models.base import Inputs
from proplens.models.card import write_card
from proplens.models.encoders import WordProjection, document_features
from proplens.models.technique_words import (
    DISPLAY_PRECISION,
    SpanContext,
    WordProbs,
    WordTechniqueModel,
)
from proplens.models.technique_words import SHIPPED_MODEL as WORD_MODEL_NAME
from proplens.models.techniques import ArticleData, RawSpan, TechniqueTargets
from proplens.techniques import TECHNIQUES
from proplens.training.folds import SEED, assign_folds, out_of_fold, tune_thresholds
from proplens.training.rebreak import BREAKINGS, line_labels, rebroken
from proplens.training.techniques import load_articles, trained_config

Log = Callable[[str], None]
SPAN_GRID = (0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7)
#: Articles whose raw word features the projection is fitted on (every n-th).
PROJECTION_EVERY = 6
OFF = 2.0  # a threshold no probability reaches: the technique gives no spans


def _raw_features(doc: Document) -> Any:
    return document_features(doc, raw=True)


def _projected(args: tuple[Document, WordProjection | None]) -> Any:
    doc, projection = args
    return document_features(doc, projection, words=projection is not None)


def featurise(
    docs: Sequence[Document],
    projection: WordProjection | None,
    workers: int = 2,
    cache: Path | None = None,
) -> list[Inputs]:
    """`Inputs` with paragraph, sentence and word vectors, ``workers`` processes at once
    (no word vectors without a ``projection``).

    With ``cache`` (a folder) the vectors are kept in a file named by a hash of the texts
    and the projection, so a second run on the same data reads them back.
    """
    path = None
    if cache is not None:
        key = hashlib.sha256(b"" if projection is None else projection.components_.tobytes())
        for d in docs:
            key.update(f"{d.id}\0{d.lang}\0{d.text}\0".encode("utf-8", "surrogatepass"))
        path = cache / f"features-{key.hexdigest()[:16]}.pkl"
        if path.exists():
            with path.open("rb") as fh:
                found = pickle.load(fh)
            return [
                Inputs(d, p, s, w if projection is not None else None)
                for d, (p, s, w) in zip(docs, found, strict=True)
            ]
    with ProcessPoolExecutor(workers) as pool:
        found = list(pool.map(_projected, [(d, projection) for d in docs], chunksize=8))
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as fh:
            pickle.dump(found, fh, protocol=5)
    return [
        Inputs(d, p, s, w if projection is not None else None)
        for d, (p, s, w) in zip(docs, found, strict=True)
    ]


def fit_projection(
    docs: Sequence[Document], workers: int = 2, cache: Path | None = None
) -> WordProjection:
    """The PCA of raw word features over every `PROJECTION_EVERY`-th training article."""
    sample = list(docs[::PROJECTION_EVERY]) or list(docs)
    path = None
    if cache is not None:
        key = hashlib.sha256()
        for d in sample:
            key.update(f"{d.id}\0{d.lang}\0{d.text}\0".encode("utf-8", "surrogatepass"))
        path = cache / f"projection-{key.hexdigest()[:16]}.npz"
        if path.exists():
            return WordProjection.load(path)
    with ProcessPoolExecutor(workers) as pool:
        raw = [w for _, _, w in pool.map(_raw_features, sample, chunksize=4)]
    projection = WordProjection.fit(np.vstack(raw))
    if path is not None:
        projection.save(path)
    return projection


def train_technique_words(
    root: Path,
    langs: Sequence[str],
    out: Path,
    *,
    folds: int = 3,
    seed: int = SEED,
    limit: int | None = None,
    hidden: int = 512,
    epochs: int = 3,
    seeds: int = 1,
    workers: int = 2,
    cv_dir: Path | None = None,
    cache: Path | None = None,
    extra: Sequence[ArticleData] = (),
    extra_from: str | None = None,
    log: Log = print,
) -> WordTechniqueModel:
    """Cross-validate on three breakings, then fit on all articles and save to ``out``.

    ``extra`` articles (analysts' gold from a store, named by ``extra_from``) join the
    training side of every fold and the final fit; the held-out figures stay on the SemEval
    articles, so they compare with a model trained without them."""
    t0 = time.time()
    articles = load_articles(root, langs, limit)
    if len(articles) < folds:
        raise ValueError(f"need at least {folds} articles, found {len(articles)}")
    fold_of = assign_folds(len(articles), folds, seed)
    docs = [a.doc for a in articles]
    projection = fit_projection(docs, workers, cache)
    log(f"{len(articles)} articles; word projection fitted ({time.time() - t0:.0f}s)")
    variants: dict[str, list[Inputs]] = {}
    for how in BREAKINGS:
        copies = docs if how == "paragraphs" else [rebroken(d, how) for d in docs]
        variants[how] = featurise(copies, projection, workers, cache)
        log(f"features, {how}: {time.time() - t0:.0f}s")
    inputs = variants["paragraphs"]
    targets = [TechniqueTargets(a.paragraph_labels, a.spans) for a in articles]
    index = {a.doc.id: i for i, a in enumerate(articles)}

    def make() -> WordTechniqueModel:
        return WordTechniqueModel.new(hidden=hidden, epochs=epochs, seeds=seeds)

    def every_breaking(model: WordTechniqueModel, held: Sequence[Inputs]) -> list[Any]:
        rows = [index[h.document.id] for h in held]
        probs = {how: model.predict_proba([variants[how][i] for i in rows]) for how in BREAKINGS}
        return [{how: probs[how][k] for how in BREAKINGS} for k in range(len(rows))]

    extra_inputs = featurise([a.doc for a in extra], projection, workers, cache) if extra else []
    extra_targets = [TechniqueTargets(a.paragraph_labels, a.spans) for a in extra]
    if extra:
        log(f"{len(extra)} gold article(s) from {extra_from} join every fold's training")
    held = out_of_fold(
        make, inputs, targets, fold_of, predict=every_breaking, log=log,
        extra=(extra_inputs, extra_targets),
    )  # fmt: skip
    log(f"out of fold: {time.time() - t0:.0f}s")
    cv = _CrossValidation(articles, variants, held, fold_of)
    figures = cv.score(cv_dir, log)

    log("final fit on all articles")
    model = make().fit(inputs + extra_inputs, targets + extra_targets)
    model.paragraph_thresholds_ = cv.paragraph_thresholds(range(folds))
    model.span_thresholds_ = cv.span_thresholds(range(folds))
    spans = cv.oof_spans(model.span_thresholds_)
    model.calibration_ = fit_calibration(spans)
    model.display_thresholds_ = display_thresholds(spans, model.calibration_)
    model.config = trained_config(
        WORD_MODEL_NAME, "words", langs, limit, folds, seed, model.config, figures, t0
    )
    if extra:
        model.config["trained_on"]["extra_gold"] = {"store": extra_from, "articles": len(extra)}
    model.save(out)
    projection.save(out / "projection.npz")
    write_card(
        out,
        WORD_MODEL_NAME,
        "Persuasion techniques (SemEval-2023 Task 3, 23 labels) of every word and sentence: "
        "two one-hidden-layer networks over multilingual USE features (a word's token "
        "features, its neighbours', its sentence's vector; a sentence's vector, its "
        "neighbours', its article's), trained jointly on six languages with torch and run "
        "with numpy. Paragraph techniques are the mean of the best sentence and the best "
        "word inside; spans are runs of words, with calibrated scores. Figures per language "
        "and line breaking.",
        "proplens train techniques --data ../shared/data/semeval2023",
        {k: v for k, v in figures.items() if isinstance(v, dict)},
    )
    log(f"saved {out} in {time.time() - t0:.0f}s")
    return model


class _CrossValidation:
    """The held-out predictions of every article under every breaking, and the tuning and
    scoring done on them (each fold's thresholds from the other folds)."""

    def __init__(
        self,
        articles: Sequence[ArticleData],
        variants: dict[str, list[Inputs]],
        held: Sequence[dict[str, WordProbs]],
        fold_of: np.ndarray,
    ) -> None:
        self.articles, self.variants, self.held, self.fold_of = articles, variants, held, fold_of
        self.folds = int(fold_of.max()) + 1
        self.lines = {how: self._lines(how) for how in BREAKINGS}
        self._span_stats: dict[tuple[int, float], list[tuple[float, int, float, int]]] = {}
        self._contexts: dict[tuple[int, str], SpanContext] = {}

    def _lines(self, how: str) -> tuple[list[tuple[int, int]], np.ndarray, list[set[str]]]:
        """(article, line) rows of one breaking, their probabilities and gold labels."""
        keys, probs, gold = [], [], []
        for i, a in enumerate(self.articles):
            doc = self.variants[how][i].document
            labels = a.paragraph_labels if how == "paragraphs" else line_labels(doc, a.spans)
            if how != "paragraphs":  # only lines holding text the official template labels
                labelled = [p for p in a.doc.paragraphs if p.line in a.paragraph_labels]
                keep = {
                    p.line
                    for p in doc.paragraphs
                    if any(q.start < p.end and p.start < q.end for q in labelled)
                }
                labels = {line: t for line, t in labels.items() if line in keep}
            p = self.held[i][how].paragraphs
            for row, par in enumerate(doc.paragraphs):
                if par.line in labels:
                    keys.append((i, par.line))
                    probs.append(p[row])
                    gold.append(labels[par.line])
        table = np.vstack(probs) if probs else np.zeros((0, len(TECHNIQUES)), np.float32)
        return keys, table, gold

    def paragraph_thresholds(self, folds: Sequence[int] | range) -> dict[str, float]:
        """Thresholds tuned for pooled micro-F1 on the lines of ``folds``, all breakings."""
        probs, gold = [], []
        for how in BREAKINGS:
            keys, p, g = self.lines[how]
            rows = [r for r, (i, _) in enumerate(keys) if self.fold_of[i] in folds]
            probs.append(p[rows])
            gold += [g[r] for r in rows]
        return tune_thresholds(np.vstack(probs), gold, TECHNIQUES, objective="micro")

    def spans_of(
        self, i: int, thresholds: dict[str, float], how: str = "paragraphs", reasons: bool = False
    ) -> list[RawSpan]:
        """Article i's held-out spans (raw scores) under ``thresholds``."""
        key = (i, how)
        if key not in self._contexts:
            self._contexts[key] = SpanContext(self.variants[how][i].document)
        doc = self.variants[how][i].document
        return _SPANS.spans(
            doc,
            self.held[i][how],
            thresholds,
            calibrate=False,
            context=self._contexts[key],
            reasons=reasons,
        )

    def _stats(self, j: int, thr: float) -> list[tuple[float, int, float, int]]:
        """Per article (precision credit, spans, recall credit, gold spans) of technique j
        at word threshold ``thr``: the pieces of the pooled FLC."""
        key = (j, thr)
        if key not in self._span_stats:
            tech = TECHNIQUES[j]
            only = {t: (thr if t == tech else OFF) for t in TECHNIQUES}
            rows = []
            for i, a in enumerate(self.articles):
                pred = merge_intervals((s.start, s.end) for s in self.spans_of(i, only))
                gold = merge_intervals((s, e) for t, s, e in a.spans if t == tech)
                pc, rc = _overlap_credit(pred, gold)
                rows.append((pc, len(pred), rc, len(gold)))
            self._span_stats[key] = rows
        return self._span_stats[key]

    def span_thresholds(self, folds: Sequence[int] | range) -> dict[str, float]:
        """Word thresholds per technique for the pooled FLC over the articles of ``folds``:
        each technique's own best, then two passes of coordinate ascent on the pool."""
        members = [i for i in range(len(self.articles)) if self.fold_of[i] in folds]

        def totals(j: int, thr: float) -> tuple[float, float, float, float]:
            if thr > 1:
                return (
                    0.0,
                    0.0,
                    0.0,
                    float(sum(self._stats(j, SPAN_GRID[0])[i][3] for i in members)),
                )
            rows = self._stats(j, thr)
            return tuple(float(sum(rows[i][c] for i in members)) for c in range(4))  # type: ignore[return-value]

        table = {(j, t): totals(j, t) for j in range(len(TECHNIQUES)) for t in (*SPAN_GRID, OFF)}
        choice = {
            j: max(SPAN_GRID, key=lambda t: _f1(*table[(j, t)])) for j in range(len(TECHNIQUES))
        }
        for _ in range(2):
            for j in range(len(TECHNIQUES)):
                rest = [table[(k, choice[k])] for k in range(len(TECHNIQUES)) if k != j]
                base = [sum(r[c] for r in rest) for c in range(4)]

                def pooled(t: float, j: int = j, base: list[float] = base) -> float:
                    return _f1(*(b + x for b, x in zip(base, table[(j, t)], strict=True)))

                choice[j] = max((*SPAN_GRID, OFF), key=pooled)
        return {TECHNIQUES[j]: float(t) for j, t in choice.items()}

    def oof_spans(
        self, thresholds: dict[str, float] | None = None
    ) -> list[tuple[int, RawSpan, bool]]:
        """Every held-out span (article, span, whether a gold span of its technique overlaps
        it), under ``thresholds`` or each fold's cross-fitted ones."""
        out = []
        per_fold = (
            None
            if thresholds
            else [self.span_thresholds(self._others(k)) for k in range(self.folds)]
        )
        for i, a in enumerate(self.articles):
            thr = thresholds or per_fold[int(self.fold_of[i])]  # type: ignore[index]
            for span in self.spans_of(i, thr):
                hit = any(
                    t == span.technique and s < span.end and e > span.start for t, s, e in a.spans
                )
                out.append((i, span, hit))
        return out

    def _others(self, k: int) -> list[int]:
        return [f for f in range(self.folds) if f != k]

    def score(self, cv_dir: Path | None, log: Log) -> dict[str, Any]:
        """Per language and breaking: st3, SI and FLC, held out; calibration figures."""
        import tempfile

        base = cv_dir or Path(tempfile.mkdtemp(prefix="proplens-cv-"))
        par_thr = [self.paragraph_thresholds(self._others(k)) for k in range(self.folds)]
        span_thr = [self.span_thresholds(self._others(k)) for k in range(self.folds)]
        figures: dict[str, Any] = {}
        langs = sorted({a.doc.lang or "xx" for a in self.articles})
        spans_by: dict[str, list[tuple[int, RawSpan]]] = defaultdict(list)
        for how in ("paragraphs", "sentences"):
            for i in range(len(self.articles)):
                thr = span_thr[int(self.fold_of[i])]
                spans_by[how] += [(i, s) for s in self.spans_of(i, thr, how)]
        for lang in langs:
            ids = {i for i, a in enumerate(self.articles) if a.doc.lang == lang}
            row: dict[str, Any] = {"articles": len(ids)}
            for how in BREAKINGS:
                keys, probs, gold = self.lines[how]
                gold_rows, pred_rows = [], []
                for r, (i, line) in enumerate(keys):
                    if i not in ids:
                        continue
                    thr = par_thr[int(self.fold_of[i])]
                    labels = {t for j, t in enumerate(TECHNIQUES) if probs[r, j] >= thr[t]}
                    aid = self.articles[i].doc.id
                    gold_rows.append(f"{aid}\t{line}\t{semeval.format_labels(gold[r])}")
                    pred_rows.append(f"{aid}\t{line}\t{semeval.format_labels(labels)}")
                files = {"gold-st3.txt": gold_rows, "pred-st3.txt": pred_rows}
                measures = {"st3": ("st3", "gold-st3.txt", "pred-st3.txt")}
                if how in spans_by:
                    files["gold-spans.txt"] = [
                        f"{self.articles[i].doc.id}\t{t}\t{s}\t{e}"
                        for i in sorted(ids)
                        for t, s, e in self.articles[i].spans
                    ]
                    files["pred-spans.txt"] = [
                        f"{self.articles[i].doc.id}\t{s.technique}\t{s.start}\t{s.end}"
                        for i, s in spans_by[how]
                        if i in ids
                    ]
                    measures["si"] = ("si", "gold-spans.txt", "pred-spans.txt")
                    measures["flc"] = ("flc", "gold-spans.txt", "pred-spans.txt")
                scores = score_files(base / lang / how, files, measures)
                row[f"st3_{how}"] = round(scores["st3"].value, 4)
                if "si" in scores:
                    row[f"si_{how}"] = round(scores["si"].value, 4)
                    row[f"flc_{how}"] = round(scores["flc"].value, 4)
            figures[lang] = row
            log(f"{lang}: " + "  ".join(f"{k} {v}" for k, v in row.items()))
        figures["calibration"] = self._calibration_figures()
        log(f"calibration: {figures['calibration']}")
        (base / "figures.json").write_text(json.dumps(figures, indent=1))
        return figures

    def _calibration_figures(self) -> dict[str, Any]:
        """ECE and reliability of span scores, and precision of the spans shown by default,
        each fold calibrated on the other folds' spans."""
        spans = self.oof_spans()
        scored: list[tuple[float, bool, bool]] = []
        for k in range(self.folds):
            train = [x for x in spans if self.fold_of[x[0]] != k]
            test = [x for x in spans if self.fold_of[x[0]] == k]
            cal = fit_calibration(train)
            shown = display_thresholds(train, cal)
            for _, span, hit in test:
                p = _calibrate(cal, span.technique, span.score)
                scored.append((p, hit, p >= shown.get(span.technique, 1.01)))
        return calibration_report(scored)


def _f1(pc: float, n_pred: float, rc: float, n_gold: float) -> float:
    p = pc / n_pred if n_pred else 0.0
    r = rc / n_gold if n_gold else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


_SPANS = WordTechniqueModel()  # only its span decoding is used (thresholds passed in)


def _logit(p: float) -> float:
    p = min(max(p, 1e-6), 1 - 1e-6)
    return math.log(p / (1 - p))


def _calibrate(cal: dict[str, tuple[float, float]], tech: str, raw: float) -> float:
    a, b = cal.get(tech, (1.0, 0.0))
    return 1.0 / (1.0 + math.exp(-(a * _logit(raw) + b)))


def fit_calibration(
    spans: Sequence[tuple[int, RawSpan, bool]], minimum: int = 30
) -> dict[str, tuple[float, float]]:
    """Platt scaling per technique of a span's raw score against whether an annotator marked
    that technique there; techniques with fewer than ``minimum`` spans share one fit."""
    from sklearn.linear_model import LogisticRegression

    def fit(rows: Sequence[tuple[int, RawSpan, bool]]) -> tuple[float, float]:
        y = np.array([h for _, _, h in rows])
        if len(rows) < 2 or y.all() or not y.any():
            rate = float(y.mean()) if len(rows) else 0.5
            return 0.0, _logit(rate)
        x = np.array([[_logit(s.score)] for _, s, _ in rows])
        clf = LogisticRegression(C=1.0).fit(x, y)
        return float(clf.coef_[0][0]), float(clf.intercept_[0])

    shared = fit(spans)
    by_tech: dict[str, list[tuple[int, RawSpan, bool]]] = defaultdict(list)
    for row in spans:
        by_tech[row[1].technique].append(row)
    return {t: (fit(by_tech[t]) if len(by_tech[t]) >= minimum else shared) for t in TECHNIQUES}


def display_thresholds(
    spans: Sequence[tuple[int, RawSpan, bool]],
    calibration: dict[str, tuple[float, float]],
    precision: float = DISPLAY_PRECISION,
    minimum: int = 10,
) -> dict[str, float]:
    """Per technique, the lowest calibrated score above which at least ``precision`` of the
    spans were marked by annotators (at least ``minimum`` of them); 1.01 (never shown by
    default) where no score does."""
    out = {}
    by_tech: dict[str, list[tuple[float, bool]]] = defaultdict(list)
    for _, span, hit in spans:
        by_tech[span.technique].append((_calibrate(calibration, span.technique, span.score), hit))
    for tech in TECHNIQUES:
        rows = sorted(by_tech.get(tech, []), reverse=True)
        best = 1.01
        hits = 0
        for n, (score, hit) in enumerate(rows, start=1):
            hits += hit
            if n >= minimum and hits / n >= precision:
                best = score
        out[tech] = round(best, 4)
    return out


def calibration_report(
    scored: Sequence[tuple[float, bool, bool]], bins: int = 10
) -> dict[str, Any]:
    """Expected calibration error, the reliability curve (mean score, observed rate, count
    per bin) and the precision and share of the spans shown by default."""
    if not scored:
        return {"spans": 0}
    p = np.array([s for s, _, _ in scored])
    y = np.array([h for _, h, _ in scored], float)
    shown = np.array([s for _, _, s in scored])
    edges = np.linspace(0, 1, bins + 1)
    which = np.clip(np.digitize(p, edges) - 1, 0, bins - 1)
    curve, ece = [], 0.0
    for b in range(bins):
        m = which == b
        if m.any():
            curve.append([round(float(p[m].mean()), 3), round(float(y[m].mean()), 3), int(m.sum())])
            ece += m.mean() * abs(p[m].mean() - y[m].mean())
    return {
        "spans": len(scored),
        "ece": round(float(ece), 4),
        "reliability": curve,
        "shown_share": round(float(shown.mean()), 4),
        "shown_precision": round(float(y[shown].mean()), 4) if shown.any() else None,
        "all_precision": round(float(y.mean()), 4),
    }
