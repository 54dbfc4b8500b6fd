"""Known narratives: the article model with a zero-shot reader of the taxonomy's own words.

A different method from the article model alone (docs/models.md, "narratives"). Each
narrative and sub-narrative is written as a sentence ("Ukraine is a puppet of the West"),
embedded with multilingual USE. An article's feature for a label is the highest similarity
of any of its sentences to it, with each language's mean sentence vector taken out first.
A logistic head over those features, one per label, is averaged with the article model. Same
5 article folds per language, thresholds per fold and language from the other folds,
official samples F1 (`proplens.training.narratives.held_out_figures`).

    python experiments/narratives/label_similarity.py [../shared/data/semeval2025-task10]
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.document import Document
from proplens.models.articles import ArticleModel
from proplens.models.encoders import (
    USE_DIM,
    DenseHead,
    centred,
    embed,
    language_means,
    unit_rows,
)
from proplens.training.articles import article_inputs
from proplens.training.narratives import held_out_figures, language_folds, load_narrative_data

DATA = Path("../shared/data/semeval2025-task10")
FOLDS = 5


def label_sentence(label: str) -> str:
    """The words of a taxonomy label a sentence would use ("URW: Blaming the war on others:
    The West are the aggressors" -> "Blaming the war on others. The West are the aggressors")."""
    parts = [p.strip() for p in label.split(":")[1:] if p.strip() and p.strip() != "Other"]
    return ". ".join(parts) or label


def similarity_features(texts: list[str], langs: list[str], labels: list[str]) -> np.ndarray:
    """Per article and label: the best similarity of a sentence to the label's words."""
    label_vectors = unit_rows(
        embed([label_sentence(x) for x in labels], [None] * len(labels))[:, :USE_DIM]
    )
    per_article = []
    for text, lang in zip(texts, langs, strict=True):
        doc = Document.from_text(text, lang=lang)
        sentences = [doc.span_text(s) for s in doc.sentences] or [text[:500]]
        per_article.append(embed(sentences, [lang] * len(sentences))[:, :USE_DIM])
    rows_lang = [lang for v, lang in zip(per_article, langs, strict=True) for _ in v]
    means = language_means(np.vstack(per_article), rows_lang)
    label_vectors = unit_rows(label_vectors - np.vstack(list(means.values())).mean(axis=0))
    out = np.zeros((len(texts), len(labels)), np.float32)
    for i, (v, lang) in enumerate(zip(per_article, langs, strict=True)):
        out[i] = (centred(v, [lang] * len(v), means) @ label_vectors.T).max(axis=0)
    return out


def main(data: Path = DATA) -> dict[str, float]:
    d = load_narrative_data(data)
    inputs = article_inputs(d.texts, d.langs, d.ids)
    fold = language_folds(d.langs, FOLDS, SEED)
    label_sets = (d.narratives, d.subs)
    targets = [[d.gold[a][which] for a in d.ids] for which in (0, 1)]
    feats = [similarity_features(d.texts, d.langs, list(labels)) for labels in label_sets]
    article_p = [np.zeros((len(d.ids), len(x))) for x in label_sets]
    zero_p = [np.zeros((len(d.ids), len(x))) for x in label_sets]
    for k in range(FOLDS):
        train = [i for i in range(len(d.ids)) if fold[i] != k]
        test = [i for i in range(len(d.ids)) if fold[i] == k]
        for w in (0, 1):
            model = ArticleModel(label_sets[w]).fit(
                [inputs[i] for i in train], [targets[w][i] for i in train]
            )
            article_p[w][test] = np.array(model.predict_proba([inputs[i] for i in test]))
            head = DenseHead(tuple(label_sets[w]), standardise=True)
            head.fit(feats[w][train], [targets[w][i] for i in train])
            zero_p[w][test] = head.predict_proba(feats[w][test])
    figures: dict[str, float] = {}
    for view, (pn, ps) in {
        "article": (article_p[0], article_p[1]),
        "similarity": (zero_p[0], zero_p[1]),
        "mean": ((article_p[0] + zero_p[0]) / 2, (article_p[1] + zero_p[1]) / 2),
    }.items():
        for lang, row in held_out_figures(d, pn, ps, fold).items():
            figures[f"{lang} {view} narratives"] = row["narratives_samples_f1"]
            figures[f"{lang} {view} sub-narratives"] = row["subnarratives_samples_f1"]
    show("narratives with label similarity, article folds, samples F1", figures)
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
