"""Experiment: Repetition spans from what the article actually repeats.

The shipped model finds Repetition like any other technique, by classifying sentences, and
its reasons read "'pray' points to Repetition". Yet 79% of the English gold Repetition spans
(median 12 characters) are strings that occur at least twice in their article ("illegal
aliens", "jihad"). Here the candidates are the maximal repeated word n-grams of an article
(1-4 words, not beginning or ending on a stop word, inside one paragraph, seen at least
twice); each occurrence is scored by a logistic regression over how often and how widely the
n-gram repeats and how rare its words are in the training articles. Same 3 article folds as
`proplens train techniques` (seed 13); the threshold applied to a fold is tuned for FLC on
the out-of-fold scores of the other folds. Scored per language with the official SI and FLC
measures: (a) Repetition alone, against the sentence spans of the shipped model's CV files
(build/cv/techniques/<lang>/pred-spans.txt), and (b) all spans, with the CV files' Repetition
spans replaced or complemented.

Usage: python scripts/exp_repetition.py [DATA]
"""

from __future__ import annotations

import math
import sys
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from proplens import semeval
from proplens.eval.metrics import span_classification, span_identification
from proplens.models import techniques as tm
from proplens.models.linear import assign_folds
from proplens.models.training import ArticleData, load_articles

LANGS = ["en", "ru", "fr", "de", "it", "pl"]
TECH = "Repetition"
MAX_N = 4


def occurrences(doc) -> dict[str, list[tuple[int, int, int]]]:
    """Maximal repeated n-grams: ``{gram: [(start, end, paragraph index)]}``."""
    stops = tm.stop_words(doc.lang or "")
    found: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for p_index, para in enumerate(doc.paragraphs):
        words = [w for w in tm.word_tokens(doc) if para.start <= w.start < para.end]
        lowered = [doc.text[w.start : w.end].lower() for w in words]
        for i in range(len(words)):
            for n in range(1, MAX_N + 1):
                if i + n > len(words):
                    break
                gram = lowered[i : i + n]
                if gram[0] in stops or gram[-1] in stops or max(map(len, gram)) < 3:
                    continue
                if any(not w.isalpha() for w in gram):
                    continue
                found[" ".join(gram)].append((words[i].start, words[i + n - 1].end, p_index))
    repeated = {g: occ for g, occ in found.items() if len(occ) >= 2}
    # keep a gram only where no longer repeated gram covers it as often
    maximal = {}
    for g, occ in repeated.items():
        longer = [h for h in repeated if len(h) > len(g) and f" {g} " in f" {h} "]
        if any(len(repeated[h]) >= len(occ) for h in longer):
            continue
        maximal[g] = occ
    return maximal


#: Per gram over the training articles' candidates: (occurrences inside a Repetition span,
#: occurrences); a training article's own counts are taken out when it is featurised.
PRIOR: dict[str, tuple[int, int]] = {}


def features(doc, gram: str, occ, df: Counter, n_docs: int, own: int) -> list[list[float]]:
    """``own``: how many of ``occ`` lie inside a gold Repetition span when ``doc`` is a
    training article (its counts are in PRIOR and must not score itself), else -1."""
    words = gram.split()
    inside, seen = PRIOR.get(gram, (0, 0))
    if own >= 0:
        inside, seen = inside - own, seen - len(occ)
    idf = [math.log((n_docs + 1) / (df.get(w, 0) + 1)) for w in words]
    n_words = max(1, doc.word_count)
    paragraphs = len({p for _, _, p in occ})
    capital = sum(doc.text[s].isupper() for s, _, _ in occ) / len(occ)
    base = [
        math.log(len(occ)),
        len(words),
        math.log(len(gram)),
        min(idf),
        sum(idf) / len(idf),
        capital,
        math.log(paragraphs),
        len(occ) / n_words * 100,
        float(any(p == 0 for _, _, p in occ)),
        (inside + 0.1) / (seen + 10),
        math.log1p(seen),
    ]
    lang = [float(doc.lang == x) for x in LANGS]
    return [[*base, float(k == 0), k / len(occ), *lang] for k in range(len(occ))]


def article_rows(article: ArticleData, df: Counter, n_docs: int, training: bool):
    doc = article.doc
    gold = [(s, e) for t, s, e in article.spans if t == TECH]
    rows, labels, spans = [], [], []
    for gram, occ in occurrences(doc).items():
        inside = [int(any(s < ge and gs < e for gs, ge in gold)) for s, e, _ in occ]
        rows += features(doc, gram, occ, df, n_docs, sum(inside) if training else -1)
        labels += inside
        spans += [(doc.id, TECH, s, e, gram, len(occ)) for s, e, _ in occ]
    return rows, labels, spans


def document_frequency(articles) -> Counter:
    df: Counter = Counter()
    for a in articles:
        df.update({a.doc.text[w.start : w.end].lower() for w in tm.word_tokens(a.doc)})
    return df


def repetition_prior(articles) -> dict[str, tuple[int, int]]:
    """PRIOR for ``articles``."""
    inside: Counter = Counter()
    seen: Counter = Counter()
    for a in articles:
        gold = [(s, e) for t, s, e in a.spans if t == TECH]
        for gram, occ in occurrences(a.doc).items():
            seen[gram] += len(occ)
            inside[gram] += sum(any(s < ge and gs < e for gs, ge in gold) for s, e, _ in occ)
    return {g: (inside[g], seen[g]) for g in seen}


def flc(gold, pred) -> float:
    return span_classification(gold, pred).value


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    articles = load_articles(root, LANGS)
    fold_of = assign_folds(len(articles), 3, 13)
    gold_all = [(a.doc.id, t, s, e) for a in articles for t, s, e in a.spans]
    per_article = []
    for k in range(3):
        train = [a for i, a in enumerate(articles) if fold_of[i] != k]
        df = document_frequency(train)
        PRIOR.clear()
        PRIOR.update(repetition_prior(train))
        x, y = [], []
        for a in train:
            r, lab, _ = article_rows(a, df, len(train), True)
            x += r
            y += lab
        clf = LogisticRegression(C=1.0, max_iter=2000).fit(np.array(x), np.array(y))
        for i in np.flatnonzero(fold_of == k):
            r, lab, spans = article_rows(articles[int(i)], df, len(train), False)
            p = clf.predict_proba(np.array(r))[:, 1] if r else np.zeros(0)
            per_article.append((int(i), spans, p))
        print(f"fold {k}: {len(y)} training occurrences, {sum(y)} inside a Repetition span")
    spans_of = {i: (s, p) for i, s, p in per_article}
    gold_rep = [g for g in gold_all if g[1] == TECH]

    def predicted(indices, threshold):
        return [
            sp[:4] for i in indices for sp, q in zip(*spans_of[i], strict=True) if q >= threshold
        ]

    grid = [0.03, 0.05, 0.07, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6]
    chosen: dict[int, float] = {}
    for k in range(3):
        others = [i for i in range(len(articles)) if fold_of[i] != k]
        ids = {articles[i].doc.id for i in others}
        g = [x for x in gold_rep if x[0] in ids]
        chosen[k] = max(grid, key=lambda t: flc(g, predicted(others, t)))
    print("thresholds by fold", chosen)
    detector = [
        sp
        for k in range(3)
        for sp in predicted([i for i in range(len(articles)) if fold_of[i] == k], chosen[k])
    ]
    for lang in LANGS:
        ids = {a.doc.id for a in articles if a.doc.lang == lang}
        cv = Path("build/cv/techniques") / lang
        shipped = semeval.read_spans(cv / "pred-spans.txt")
        gold = semeval.read_spans(cv / "gold-spans.txt")
        g_rep = [x for x in gold if x[1] == TECH]
        s_rep = [x for x in shipped if x[1] == TECH]
        d_rep = [x for x in detector if x[0] in ids]
        rest = [x for x in shipped if x[1] != TECH]
        line = (
            f"{lang} Repetition FLC shipped {flc(g_rep, s_rep):.3f} (n={len(s_rep)}) "
            f"detector {flc(g_rep, d_rep):.3f} (n={len(d_rep)}, gold {len(g_rep)}) "
            f"both {flc(g_rep, s_rep + d_rep):.3f} | all FLC/SI shipped "
            f"{flc(gold, shipped):.3f}/{span_identification(gold, shipped).value:.3f}"
        )
        for name, pred in (("replace", rest + d_rep), ("add", shipped + d_rep)):
            line += f" {name} {flc(gold, pred):.3f}/{span_identification(gold, pred).value:.3f}"
        print(line)


if __name__ == "__main__":
    main()
