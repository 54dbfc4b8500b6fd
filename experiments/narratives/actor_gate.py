"""Does the author's stance towards the war's and the climate debate's sides tell English
articles that push a narrative from ``Other`` ones?

Most narratives are a stance towards a side: "Discrediting Ukraine", "Discrediting the
West", "Praise of Russia", "Criticism of climate movement", "Distrust towards media". The
pipeline's actors analyser gives each actor the author's stance and the attacks aimed at
it. Each actor is put in a side by its name (Ukraine, the West, Russia, media,
climate activists, institutions), and each side gets four features: its mentions per
1,000 words (log), the mean and the lowest stance of its actors, attacks on it per 1,000
words. A logistic regression over them (and over them with the persuasion profile of
`persuasion_gate.py`, and beside the article model's chance of not Other) reads whether
the article pushes any narrative; area under the ROC curve on the same 5 English article
folds (seed 13).

    python experiments/narratives/actor_gate.py [DATA] [DB]

``DB``: a store holding these articles analysed, as `discovery_purity.py` builds it;
without it each article is analysed first.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from persuasion_gate import analyses, profile

from common import SEED, show
from proplens.models.articles import ArticleModel
from proplens.models.narratives import OTHER
from proplens.training.articles import article_inputs
from proplens.training.folds import out_of_fold
from proplens.training.narratives import language_folds, load_narrative_data

DATA = Path("../shared/data/semeval2025-task10")
SIDES = {
    "ukraine": r"ukrain|zelensk|kyiv|kiev|kuleba|yermak|azov|poroshenko|donbas|bandera",
    "west": r"\bu\.?s\.?a?\b|united states|america|washington|biden|nato|\beu\b|europe|\buk\b"
    r"|britain|british|london|german|france|french|macron|scholz|sunak|pentagon|white house"
    r"|blinken|\bcia\b|\bg7\b|\bwest|brussels|stoltenberg|congress|senate",
    "russia": r"russia|putin|kremlin|moscow|lavrov|peskov|shoigu|medvedev|wagner|prigozhin",
    "media": r"media|\bbbc\b|\bcnn\b|reuters|times|guardian|\bmsm\b|press|journalist|fact.?check",
    "activists": r"greta|thunberg|activist|extinction rebellion|just stop oil|greenpeace|\bgore\b",
    "institutions": r"\bun\b|united nations|\bwef\b|world economic forum|ipcc|government"
    r"|met office|nasa|\bwho\b|\bepa\b|\bimf\b|davos|commission|ministry|scientist",
}


def side_features(payload: dict[str, Any]) -> list[float]:
    """Per side: mentions (log, per 1,000 words), mean and lowest stance, attacks on it."""
    per = 1000.0 / max(1, int(payload["document"]["words"]))
    targets = [str(t["target"]) for t in payload.get("techniques", []) if t.get("target")]
    out: list[float] = []
    for pattern in SIDES.values():
        side = re.compile(pattern, re.I)
        actors = [a for a in payload.get("actors", []) if side.search(a["name"])]
        mentions = sum(len(a["mentions"]) for a in actors)
        rated = [(a["stance"], len(a["mentions"])) for a in actors if a["stance"] is not None]
        weight = sum(w for _, w in rated)
        mean = sum(s * w for s, w in rated) / weight if weight else 0.0
        attacks = sum(1 for t in targets if side.search(t))
        out += [float(np.log1p(mentions * per)), mean, min((s for s, _ in rated), default=0.0),
                attacks * per]  # fmt: skip
    return out


def main(data: Path = DATA, db: str | None = None) -> dict[str, float]:
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import roc_auc_score
    from sklearn.preprocessing import StandardScaler

    d = load_narrative_data(data)
    fold = language_folds(d.langs, 5, SEED)
    inputs = article_inputs(d.texts, d.langs, d.ids)
    held = out_of_fold(
        lambda: ArticleModel(d.narratives), inputs, [d.gold[a][0] for a in d.ids], fold
    )
    rows = [i for i, lang in enumerate(d.langs) if lang == "en"]
    payloads = analyses(d, db)
    sides = np.array([side_features(payloads[i]) for i in rows])
    persuasion = np.array([profile(payloads[i], "en", ["en"]) for i in rows])
    other = d.narratives.index(OTHER)
    not_other = np.array([1 - held[i][other] for i in rows])
    y = np.array([d.gold[d.ids[i]][0] != {OTHER} for i in rows], int)
    f = fold[rows]

    def held_out(x: np.ndarray, c: float) -> np.ndarray:
        out = np.zeros(len(y))
        for k in range(int(f.max()) + 1):
            tr, te = f != k, f == k
            scale = StandardScaler().fit(x[tr])
            clf = LogisticRegression(C=c, max_iter=2000).fit(scale.transform(x[tr]), y[tr])
            out[te] = clf.predict_proba(scale.transform(x[te]))[:, 1]
        return out

    logit = np.log(np.clip(not_other, 1e-4, 1 - 1e-4) / np.clip(1 - not_other, 1e-4, 1))
    figures = {"article model alone": float(roc_auc_score(y, not_other))}
    for c in (0.03, 0.1, 0.3):
        figures[f"sides, C={c}"] = float(roc_auc_score(y, held_out(sides, c)))
        figures[f"sides + persuasion, C={c}"] = float(
            roc_auc_score(y, held_out(np.c_[sides, persuasion], c))
        )
        figures[f"article model + sides, C={c}"] = float(
            roc_auc_score(y, held_out(np.c_[logit, sides], c))
        )
    show("English: pushes a narrative or Other, ROC AUC on article folds", figures)
    return figures


if __name__ == "__main__":
    main(
        Path(sys.argv[1]) if len(sys.argv) > 1 else DATA, sys.argv[2] if len(sys.argv) > 2 else None
    )
