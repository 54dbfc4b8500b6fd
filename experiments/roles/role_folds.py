"""Entity roles on English article folds: the majority baseline against linear mention models.

Section "entity roles" of docs/models.md. Each setting is scored with the official measures
(`proplens.eval.roles`): exact-match ratio (EMR), main-role accuracy, fine-role micro-F1.

- ``majority``: the training folds' most frequent main role and its most frequent fine role;
- ``en``: `LinearTextModel` over the mention features of `proplens.training.roles` (name,
  words by side, the parse's relations, tone), English mentions only;
- ``all``: the same trained on English, Bulgarian, Hindi and Portuguese (the others get the
  language-independent features only);
- ``en+pipeline``: ``en`` plus what the proplens pipeline finds about the mention's actor
  (stance, attacks aimed at it, the techniques of its sentence, whether it is quoted).

    python experiments/roles/role_folds.py [../shared/data/semeval2025-task10]
"""

from __future__ import annotations

import random
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.analysers.parse import spacy_english
from proplens.api import analyse
from proplens.eval.roles import ALL_FINE, FINE_ROLES, MAIN_ROLES, RoleRow, score_roles
from proplens.models.linear import FeatureConfig, LinearTextModel
from proplens.training.roles import analysis_features, featurise, read_language

DATA = Path("../shared/data/semeval2025-task10")
FOLDS = 5
LABELS = (*MAIN_ROLES, *ALL_FINE)
FEATURES = FeatureConfig(word_ngrams=(1, 1), char_ngrams=None, min_df=1, lang_feature=False)


def _decide(probs: np.ndarray) -> tuple[str, tuple[str, ...]]:
    """The most probable main role; its fine roles over 0.5, else its most probable one."""
    main = MAIN_ROLES[int(np.argmax(probs[: len(MAIN_ROLES)]))]
    fine = {r: float(probs[LABELS.index(r)]) for r in FINE_ROLES[main]}
    chosen = [r for r, p in fine.items() if p >= 0.5]
    return main, tuple(chosen or [max(fine, key=lambda r: fine[r])])


def _majority(rows: list[RoleRow]) -> tuple[str, tuple[str, ...]]:
    main = Counter(r.main for r in rows).most_common(1)[0][0]
    fine = Counter(f for r in rows if r.main == main for f in r.fine).most_common(1)
    return main, (fine[0][0],) if fine else ()


def main(
    data: Path = DATA, folders: tuple[str, ...] = ("EN", "BG", "HI", "PT")
) -> dict[str, float]:
    present = [f for f in folders if (data / f / "subtask-1-annotations.txt").exists()]
    items = {f: read_language(data, f) for f in present}
    nlp = spacy_english()
    texts = {f: featurise(items[f], nlp) for f in present}
    analyses: dict[str, object] = {}
    with_pipeline = []
    for (m, _, text), features in zip(items["EN"], texts["EN"], strict=True):
        if m.article not in analyses:
            analyses[m.article] = analyse(text, "en")
        with_pipeline.append(features + " " + " ".join(analysis_features(analyses[m.article], m)))
    articles = sorted({m.article for m, _, _ in items["EN"]})
    random.Random(SEED).shuffle(articles)
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    english = items["EN"]
    gold = {row.key: row for _, row, _ in english}
    figures: dict[str, float] = {}
    for setting in ("majority", "en", "all", "en+pipeline"):
        pred: dict[tuple[str, str, int, int], RoleRow] = {}
        for k in range(FOLDS):
            test = [i for i, (m, _, _) in enumerate(english) if fold_of[m.article] == k]
            train = [i for i, (m, _, _) in enumerate(english) if fold_of[m.article] != k]
            if not test or not train:
                continue
            source = with_pipeline if setting == "en+pipeline" else texts["EN"]
            x = [source[i] for i in train]
            y = [english[i][1] for i in train]
            if setting == "all":
                for f in present[1:]:
                    x += texts[f]
                    y += [row for _, row, _ in items[f]]
            if setting == "majority":
                decided = [_majority(y)] * len(test)
            else:
                model = LinearTextModel(LABELS, FEATURES, C=1.0)
                model.fit(x, [None] * len(x), [{r.main, *r.fine} for r in y])
                probs = model.predict_proba([source[i] for i in test], [None] * len(test))
                decided = [_decide(p) for p in probs]
            for i, (main_role, fine) in zip(test, decided, strict=True):
                row = english[i][1]
                pred[row.key] = RoleRow(
                    row.article, row.mention, row.start, row.end, main_role, fine
                )
        score = score_roles({k: gold[k] for k in pred}, pred)
        figures[f"{setting} EMR"] = score.value
        figures[f"{setting} main accuracy"] = score.extra["main_role_accuracy"]
        figures[f"{setting} fine micro-F1"] = score.extra["fine_micro_f1"]
    show("entity roles, English article folds", figures)
    return figures


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DATA)
