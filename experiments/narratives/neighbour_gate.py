"""Known narratives in English read from the nearest training articles.

A different method from the learned heads: instance-based retrieval. Each held-out English
article finds its k most similar English training articles (TF-IDF over word uni- and
bigrams, sublinear, fitted on the training folds only; cosine), and takes

- as its chance of pushing any narrative, the similarity-weighted share of neighbours
  that push one, averaged with the article model's chance that it is not Other;
- as its narratives and sub-narratives, the similarity-weighted votes of the neighbours'
  labels averaged with the article models' probabilities.

The rule of `english_reader.py` then decides: Other below its taxonomy's gate, else the k
most probable narratives and the sub-narratives over a threshold, all chosen on the other
folds. Compared with the shipped rule on the same 5 English article folds for three fold
seeds, official samples F1, and the gate's ROC AUC against the article model's alone.

    python experiments/narratives/neighbour_gate.py [DATA]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from english_reader import SEEDS, article_models_oof, gated_figures

from common import show
from proplens.models.narratives import OTHER
from proplens.training.articles import article_inputs
from proplens.training.narratives import NarrativeData, language_folds, load_narrative_data

DATA = Path("../shared/data/semeval2025-task10")
NEIGHBOURS = (10, 20)


def neighbour_votes(
    d: NarrativeData, rows: list[int], fold: np.ndarray, k: int
) -> dict[str, np.ndarray]:
    """Out-of-fold neighbour votes for the English ``rows``: pushes, narratives, subs."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    f = fold[rows]
    texts = [d.texts[i] for i in rows]
    gold = [d.gold[d.ids[i]] for i in rows]
    nar = np.array([[n in g[0] for n in d.narratives] for g in gold], float)
    sub = np.array([[s in g[1] for s in d.subs] for g in gold], float)
    pushes = np.array([g[0] != {OTHER} for g in gold], float)
    out = {"pushes": np.zeros(len(rows)), "nar": np.zeros_like(nar), "sub": np.zeros_like(sub)}
    for part in range(int(f.max()) + 1):
        tr, te = np.flatnonzero(f != part), np.flatnonzero(f == part)
        tfidf = TfidfVectorizer(sublinear_tf=True, min_df=2, ngram_range=(1, 2))
        x_tr = tfidf.fit_transform([texts[j] for j in tr])
        sim = (tfidf.transform([texts[j] for j in te]) @ x_tr.T).toarray()
        for row, j in zip(sim, te, strict=True):
            near = np.argsort(-row, kind="stable")[:k]
            w = np.maximum(row[near], 1e-6)
            w /= w.sum()
            out["pushes"][j] = w @ pushes[tr[near]]
            out["nar"][j] = w @ nar[tr[near]]
            out["sub"][j] = w @ sub[tr[near]]
    return out


def main(data: Path = DATA) -> dict[str, float]:
    from sklearn.metrics import roc_auc_score

    d = load_narrative_data(data)
    inputs = article_inputs(d.texts, d.langs, d.ids)
    rows = [i for i, lang in enumerate(d.langs) if lang == "en"]
    other = d.narratives.index(OTHER)
    y = np.array([d.gold[d.ids[i]][0] != {OTHER} for i in rows], int)
    figures: dict[str, float] = {}
    for seed in SEEDS:
        fold = language_folds(d.langs, 5, seed)
        p, alone = article_models_oof(d, inputs, fold)
        not_other = 1 - p[0][rows, other]
        figures.update({f"seed {seed} {name}": v for name, v in alone.items()})
        if len(set(y)) > 1:
            figures[f"seed {seed} article model gate AUC"] = float(roc_auc_score(y, not_other))
        for k in NEIGHBOURS:
            near = neighbour_votes(d, rows, fold, k)
            pushes = (near["pushes"] + not_other) / 2
            c = {
                "rows": rows,
                "nar": (p[0][rows] + near["nar"]) / 2,
                "sub": (p[1][rows] + near["sub"]) / 2,
                "pushes": pushes,
            }
            nar, sub = gated_figures(d, c, fold)
            if len(set(y)) > 1:
                figures[f"seed {seed} k={k} gate AUC"] = float(roc_auc_score(y, pushes))
            figures[f"seed {seed} k={k} with neighbours, narratives"] = nar
            figures[f"seed {seed} k={k} with neighbours, sub-narratives"] = sub
    show("English narratives from the nearest training articles, samples F1", figures)
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
