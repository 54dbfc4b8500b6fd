"""Training the technique model from the SemEval-2023 data, with honest held-out figures.

Articles are split into folds (never paragraphs); a `TechniqueModel` fitted through the
model contract on the other folds predicts each fold's paragraphs and sentences
(`proplens.training.folds.out_of_fold`), every threshold applied to fold *k* is tuned on
the out-of-fold predictions of the other folds, so the figures written to ``cv/`` are
measured on text and thresholds the fold never saw. The predictions and gold of every fold
are written in the official formats and scored by `proplens.eval.evaluate`, the same code
as ``proplens evaluate``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.document import Document, Span
from proplens.eval import score_files
from proplens.models.base import Inputs
from proplens.models.card import write_card
from proplens.models.encoders import nested_document_vectors
from proplens.models.linear import FeatureConfig, FloatArray
from proplens.models.techniques import (
    LEXICON_TECHNIQUES,
    ArticleData,
    Lexicon,
    RepeatedPhrases,
    Rows,
    TechniqueModel,
    TechniqueProbs,
    TechniqueTargets,
    paragraph_rows,
    sentence_rows,
)
from proplens.techniques import TECHNIQUES
from proplens.training.folds import SEED, assign_folds, cross_fitted, out_of_fold, tune_thresholds

LEXICON_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
Log = Callable[[str], None]


def load_articles(root: Path, langs: Sequence[str], limit: int | None = None) -> list[ArticleData]:
    """Training articles of ``langs``; ``limit`` keeps the first N per language (for tests)."""
    out: list[ArticleData] = []
    for lang in langs:
        corpus = semeval.load_corpus(root, lang)
        ids = list(corpus.articles)[:limit] if limit else list(corpus.articles)
        for aid in ids:
            doc = Document.from_text(corpus.articles[aid], id=aid, lang=corpus.lang)
            labels = {line: t for (a, line), t in corpus.paragraph_labels.items() if a == aid}
            out.append(ArticleData(doc, labels, corpus.spans.get(aid, [])))
    return out


def article_inputs(articles: Sequence[ArticleData], vectors: bool = True) -> list[Inputs]:
    """Each article as the pipeline hands it to the model: with the ``vectors`` step's
    paragraph and sentence vectors."""
    out = []
    for a in articles:
        if vectors:
            paragraphs, sentences = nested_document_vectors(a.doc)
            out.append(Inputs(a.doc, paragraphs, sentences))
        else:
            out.append(Inputs(a.doc))
    return out


def _flc_f1(gold: list[tuple[str, str, int, int]], pred: list[tuple[str, str, int, int]]) -> float:
    from proplens.eval.metrics import span_classification

    return span_classification(gold, pred).value


def train_techniques(
    root: Path,
    langs: Sequence[str],
    out: Path,
    *,
    folds: int = 3,
    seed: int = SEED,
    limit: int | None = None,
    features: FeatureConfig | None = None,
    c: float = 4.0,
    dense: bool = True,
    sentence_weight: float = 0.5,
    cv_dir: Path | None = None,
    log: Log = print,
) -> TechniqueModel:
    """Cross-validate, then fit on all articles and save the model folder to ``out``."""
    t0 = time.time()
    features = features or FeatureConfig()
    articles = load_articles(root, langs, limit)
    if len(articles) < folds:
        raise ValueError(f"need at least {folds} articles, found {len(articles)}")
    fold_of = assign_folds(len(articles), folds, seed)
    prows, srows = paragraph_rows(articles), sentence_rows(articles)
    log(f"{len(articles)} articles, {len(prows.texts)} paragraphs, {len(srows.texts)} sentences")
    inputs = article_inputs(articles, dense)
    targets = [TechniqueTargets(a.paragraph_labels, a.spans) for a in articles]

    def make() -> TechniqueModel:
        return TechniqueModel.new(
            features=features, C=c, dense=dense, sentence_weight=sentence_weight
        )

    def with_lexicon(model: TechniqueModel, held: Sequence[Inputs]) -> list[Any]:
        return [(p, model.lexicon) for p in model.predict_proba(held)]

    held = out_of_fold(make, inputs, targets, fold_of, predict=with_lexicon, log=log)
    probs: list[TechniqueProbs] = [h[0] for h in held]
    lexicons = [
        next(h[1] for h, f in zip(held, fold_of, strict=True) if f == k) for k in range(folds)
    ]
    oof_p, oof_s = _paragraph_oof(articles, prows, probs), _sentence_oof(srows, probs)
    figures = _cross_validate(articles, fold_of, prows, srows, oof_p, oof_s, lexicons, cv_dir, log)

    log("final fit on all articles")
    model = make().fit(inputs, targets)
    model.paragraph.thresholds_ = tune_thresholds(
        oof_p, prows.targets, TECHNIQUES, objective="micro"
    )
    model.sentence.thresholds_ = tune_thresholds(oof_s, srows.targets, TECHNIQUES)
    model.lexicon.thresholds = _tune_lexicon(articles, range(len(articles)), fold_of, lexicons)
    model.config = trained_config(
        "techniques-linear", "linear", langs, limit, folds, seed, model.config, figures, t0
    )
    model.save(out)
    write_card(
        out,
        "techniques-linear",
        "Persuasion techniques (SemEval-2023 Task 3, 23 labels): a paragraph classifier and a "
        "sentence classifier (TF-IDF word 1-2-grams and char 3-5-grams, one logistic regression "
        "per technique, per-label thresholds; both averaged with a logistic head over "
        "multilingual USE vectors) and a span lexicon for loaded language and name calling. "
        "Inference needs numpy only.",
        "proplens train techniques-linear --data ../shared/data/semeval2023",
        figures,
    )
    log(f"saved {out} in {time.time() - t0:.0f}s")
    return model


def trained_config(
    name: str,
    tag: str,
    langs: Sequence[str],
    limit: int | None,
    folds: int,
    seed: int,
    own: dict[str, Any],
    figures: dict[str, Any],
    t0: float,
) -> dict[str, Any]:
    """A technique model's config.json: what it was trained on, how, its own settings
    (``own``) and its held-out figures; both technique trainers write it."""
    return {
        "name": name,
        "version": f"{__version__}+{tag}.{seed}",
        "trained_on": {"data": "SemEval-2023 Task 3 training split", "langs": list(langs)},
        "limit_per_lang": limit,
        "folds": folds,
        "seed": seed,
        **own,
        "cv": figures,
        "train_seconds": round(time.time() - t0, 1),
    }


def _paragraph_oof(
    articles: Sequence[ArticleData], prows: Rows, probs: Sequence[TechniqueProbs]
) -> FloatArray:
    """The held-out probabilities of every labelled paragraph row."""
    index = [{p.start: k for k, p in enumerate(a.doc.paragraphs)} for a in articles]
    rows = [
        probs[i].paragraphs[index[i][span.start]]
        for i, span in zip(prows.article, prows.spans, strict=True)
    ]
    return (
        np.vstack(rows).astype(np.float32) if rows else np.zeros((0, len(TECHNIQUES)), np.float32)
    )


def _sentence_oof(srows: Rows, probs: Sequence[TechniqueProbs]) -> FloatArray:
    """The held-out probabilities of every sentence row (rows follow each doc's sentences)."""
    blocks = [probs[i].sentences for i in sorted(srows.by_article())]
    return (
        np.vstack(blocks).astype(np.float32)
        if blocks
        else np.zeros((0, len(TECHNIQUES)), np.float32)
    )


def _tune_lexicon(
    articles: Sequence[ArticleData],
    members: Sequence[int] | range,
    fold_of: np.ndarray,
    lexicons: Sequence[Lexicon],
) -> dict[str, float]:
    """Per-technique lexicon threshold maximising FLC-F1 over out-of-fold articles."""
    best: dict[str, float] = {}
    for tech in LEXICON_TECHNIQUES:
        gold = [
            (a.doc.id, t, s, e)
            for i in members
            for a in [articles[i]]
            for t, s, e in a.spans
            if t == tech
        ]
        scored = []
        for thr in LEXICON_GRID:
            pred = []
            for i in members:
                lex = lexicons[int(fold_of[i])]
                saved = lex.thresholds
                lex.thresholds = {tech: thr, **{t: 2.0 for t in LEXICON_TECHNIQUES if t != tech}}
                pred += [
                    (articles[i].doc.id, t, s, e) for s, e, t, _, _ in lex.find(articles[i].doc)
                ]
                lex.thresholds = saved
            scored.append((_flc_f1(gold, pred), thr))
        best[tech] = max(scored)[1]
    return best


def _cross_validate(
    articles: Sequence[ArticleData],
    fold_of: np.ndarray,
    prows: Rows,
    srows: Rows,
    oof_p: FloatArray,
    oof_s: FloatArray,
    lexicons: Sequence[Lexicon],
    cv_dir: Path | None,
    log: Log,
) -> dict[str, Any]:
    """Held-out predictions with cross-fitted thresholds, written and scored per language."""
    p_fold = fold_of[np.array(prows.article, dtype=np.int64)]
    s_fold = fold_of[np.array(srows.article, dtype=np.int64)]
    par_held, _ = cross_fitted(oof_p, prows.targets, TECHNIQUES, p_fold, objective="micro")
    par_pred = {
        (articles[i].doc.id, _line_of(articles[i].doc, span)): labels
        for i, span, labels in zip(prows.article, prows.spans, par_held, strict=True)
    }
    sent_held, _ = cross_fitted(oof_s, srows.targets, TECHNIQUES, s_fold)
    repeated = {i: RepeatedPhrases(a.doc) for i, a in enumerate(articles)}
    span_pred: list[tuple[str, str, int, int]] = []
    for i, span, labels in zip(srows.article, srows.spans, sent_held, strict=True):
        for t in sorted(labels - set(LEXICON_TECHNIQUES), key=TECHNIQUES.index):
            if t == "Repetition" and repeated[i].reason(span) is None:
                continue  # as `TechniqueModel.spans` decides
            span_pred.append((articles[i].doc.id, t, span.start, span.end))
    for k, lex in enumerate(lexicons):
        others = [i for i in range(len(articles)) if fold_of[i] != k]
        lex.thresholds = _tune_lexicon(articles, others, fold_of, lexicons)
        for held in np.flatnonzero(fold_of == k):
            doc = articles[int(held)].doc
            span_pred += [(doc.id, t, s, e) for s, e, t, _, _ in lex.find(doc)]
    return _score_by_language(articles, par_pred, span_pred, cv_dir, log)


def _line_of(doc: Document, span: Span) -> int:
    paragraph = doc.paragraph_at(span.start)
    return paragraph.line if paragraph else 0


def _score_by_language(
    articles: Sequence[ArticleData],
    par_pred: dict[tuple[str, int], set[str]],
    span_pred: list[tuple[str, str, int, int]],
    cv_dir: Path | None,
    log: Log,
) -> dict[str, Any]:
    import tempfile

    figures: dict[str, Any] = {}
    base = cv_dir or Path(tempfile.mkdtemp(prefix="proplens-cv-"))
    for lang in sorted({a.doc.lang or "xx" for a in articles}):
        ids = {a.doc.id for a in articles if a.doc.lang == lang}
        folder = base / lang
        folder.mkdir(parents=True, exist_ok=True)
        gold_st3 = [
            f"{a.doc.id}\t{line}\t{semeval.format_labels(t)}"
            for a in articles
            if a.doc.lang == lang
            for line, t in sorted(a.paragraph_labels.items())
        ]
        pred_st3 = [
            f"{aid}\t{line}\t{semeval.format_labels(t)}"
            for (aid, line), t in sorted(par_pred.items())
            if aid in ids
        ]
        gold_sp = [
            f"{a.doc.id}\t{t}\t{s}\t{e}"
            for a in articles
            if a.doc.lang == lang
            for t, s, e in a.spans
        ]
        pred_sp = [f"{aid}\t{t}\t{s}\t{e}" for aid, t, s, e in span_pred if aid in ids]
        files = {
            "gold-st3.txt": gold_st3,
            "pred-st3.txt": pred_st3,
            "gold-spans.txt": gold_sp,
            "pred-spans.txt": pred_sp,
        }
        scores = score_files(
            folder,
            files,
            {
                "st3": ("st3", "gold-st3.txt", "pred-st3.txt"),
                "si": ("si", "gold-spans.txt", "pred-spans.txt"),
                "flc": ("flc", "gold-spans.txt", "pred-spans.txt"),
            },
        )
        st3, si, flc = scores["st3"], scores["si"], scores["flc"]
        figures[lang] = {
            "articles": len(ids),
            "st3_micro_f1": round(st3.value, 4),
            "si_f1": round(si.value, 4),
            "flc_f1": round(flc.value, 4),
            "st3_per_technique_f1": {t: round(s.f1, 4) for t, s in sorted(st3.per_class.items())},
        }
        log(
            f"{lang}: st3 micro-F1 {st3.value:.4f}  SI-F1 {si.value:.4f}  FLC-F1 {flc.value:.4f}"
            f"  ({len(ids)} articles, held-out folds, files in {folder})"
        )
    (base / "figures.json").write_text(json.dumps(figures, indent=1))
    return figures
