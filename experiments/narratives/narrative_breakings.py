"""Known narratives under four line breakings, for each view of the article model.

Users' texts are broken into lines every way there is, and the owners' held-out articles
may not break as the training ones do. Each fold model (trained on the articles as given)
reads its held-out articles as given, one sentence a line, paragraphs in pairs and all on
one line (`training.rebreak`); the thresholds of each fold and language are chosen on the
other folds' predictions of the articles as given, as the shipped ones are. Views: the
article vector as the mean of its paragraph vectors, or of its sentence vectors (which
no breaking moves). Same 5 article folds per language as `proplens train narratives`,
official samples F1. About 10 minutes on 2 cores.

    python experiments/narratives/narrative_breakings.py [DATA]
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.document import Document
from proplens.models.articles import VIEWS, ArticleModel
from proplens.models.base import Inputs
from proplens.training.articles import breaking_inputs
from proplens.training.folds import out_of_fold
from proplens.training.narratives import held_out_figures, language_folds, load_narrative_data
from proplens.training.rebreak import ARTICLE_BREAKINGS

DATA = Path("../shared/data/semeval2025-task10")
CACHE = Path("build/cache")


def main(data: Path = DATA, cache: Path | None = CACHE) -> dict[str, float]:
    d = load_narrative_data(data)
    docs = [
        Document.from_text(t, id=i, lang=la)
        for t, i, la in zip(d.texts, d.ids, d.langs, strict=True)
    ]
    if cache is not None:
        cache.mkdir(parents=True, exist_ok=True)
    variants = breaking_inputs(docs, 2, cache)
    index = {doc.id: k for k, doc in enumerate(docs)}
    fold = language_folds(d.langs, 5, SEED)

    def every_breaking(model: ArticleModel, held: Sequence[Inputs]) -> list[Any]:
        rows = [index[h.document.id] for h in held]
        probs = {h: model.predict_proba([variants[h][r] for r in rows]) for h in ARTICLE_BREAKINGS}
        return [{h: probs[h][k] for h in ARTICLE_BREAKINGS} for k in range(len(rows))]

    figures: dict[str, float] = {}
    for view in VIEWS:
        held: list[list[Any]] = []
        for which, labels in ((0, d.narratives), (1, d.subs)):
            held.append(
                out_of_fold(
                    maker(labels, view),
                    variants["paragraphs"],
                    [d.gold[a][which] for a in d.ids],
                    fold,
                    predict=every_breaking,
                )
            )
        given = (
            np.array([h["paragraphs"] for h in held[0]]),
            np.array([h["paragraphs"] for h in held[1]]),
        )
        for how in ARTICLE_BREAKINGS:
            p_nar, p_sub = (np.array([h[how] for h in held[w]]) for w in (0, 1))
            for lang, row in held_out_figures(
                d, p_nar, p_sub, fold, tuned_on=(given[0], given[1])
            ).items():
                figures[f"{view} {how} {lang} narratives"] = row["narratives_samples_f1"]
                figures[f"{view} {how} {lang} sub-narratives"] = row["subnarratives_samples_f1"]
    show("narratives under line breakings, article folds, samples F1", figures)
    return figures


def maker(labels: Sequence[str], view: str) -> Callable[[], ArticleModel]:
    return lambda: ArticleModel(labels, view=view)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
