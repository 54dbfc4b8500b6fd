"""Training the known-narrative models (``proplens train narratives``) on SemEval-2025 data.

Both article models (narratives, sub-narratives) are trained on all the languages of the
data at once. Held-out figures: 5 article folds dealt per language; each fold's thresholds
are chosen per language on the other folds' out-of-fold predictions, so no figure sees its
own thresholds. The shipped thresholds are then chosen per language on all out-of-fold
predictions, and the models refitted on every article.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from proplens import __version__
from proplens.eval.narratives import Labels, read_narratives, read_taxonomy, score_narratives
from proplens.models.articles import ArticleModel
from proplens.models.card import write_card
from proplens.models.narratives import OTHER, decide
from proplens.training.articles import article_inputs
from proplens.training.folds import SEED, out_of_fold

Log = Callable[[str], None]
FOLDERS = {"EN": "en", "BG": "bg", "HI": "hi", "PT": "pt", "RU": "ru"}
GRID = (0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6)
DATA_NAME = "SemEval-2025 Task 10 training release (subtask 2), the share in ../shared"


@dataclass
class NarrativeData:
    ids: list[str]
    texts: list[str]
    langs: list[str]
    gold: Labels
    narratives: list[str]
    subs: list[str]


def load_narrative_data(root: Path, limit: int | None = None) -> NarrativeData:
    """Every annotated article of every language folder in ``root`` (first ``limit`` each)."""
    narratives, subs = read_taxonomy(root)
    data = NarrativeData([], [], [], {}, narratives, subs)
    for folder, lang in FOLDERS.items():
        path = root / folder / "subtask-2-annotations.txt"
        if not path.exists():
            continue
        for n, (aid, labels) in enumerate(read_narratives(path).items()):
            if limit is not None and n >= limit:
                break
            text = (root / folder / "raw-documents" / aid).read_text(encoding="utf-8")
            data.ids.append(aid)
            data.texts.append(text.replace("\r\n", "\n"))
            data.langs.append(lang)
            data.gold[aid] = labels
    if not data.ids:
        raise FileNotFoundError(f"{root}: no subtask-2-annotations.txt in EN, BG, HI, PT or RU")
    return data


def language_folds(langs: Sequence[str], folds: int, seed: int) -> np.ndarray:
    """Each language dealt into the folds on its own, so every fold holds each language."""
    order = list(range(len(langs)))
    random.Random(seed).shuffle(order)
    fold = np.zeros(len(langs), np.int64)
    for lang in set(langs):
        for j, i in enumerate(i for i in order if langs[i] == lang):
            fold[i] = j % folds
    return fold


def best_thresholds(
    rows: Sequence[int], data: NarrativeData, p_nar: np.ndarray, p_sub: np.ndarray
) -> tuple[float, float]:
    """The threshold pair that maximises narrative plus sub-narrative samples F1 on ``rows``."""
    best, best_score = (0.5, 0.5), -1.0
    gold = {data.ids[i]: data.gold[data.ids[i]] for i in rows}
    for t1 in GRID:
        for t2 in GRID:
            trial = {
                data.ids[i]: decide(p_nar[i], p_sub[i], data.narratives, data.subs, t1, t2)
                for i in rows
            }
            s = score_narratives(gold, trial, data.narratives, data.subs)
            combined = s.value + s.extra["subnarratives_samples_f1"]
            if combined > best_score:
                best, best_score = (t1, t2), combined
    return best


def held_out_figures(
    data: NarrativeData,
    p_nar: np.ndarray,
    p_sub: np.ndarray,
    fold: np.ndarray,
    tuned_on: tuple[np.ndarray, np.ndarray] | None = None,
) -> dict[str, dict[str, float]]:
    """Per language: samples F1 of narratives and sub-narratives, each fold decided with
    thresholds from the other folds, and the all-Other floor. ``tuned_on``: the
    probabilities the thresholds are chosen on, when they differ from those scored (the
    articles as given, scored rebroken: the shipped thresholds come from the former)."""
    tune_nar, tune_sub = tuned_on or (p_nar, p_sub)
    pred: Labels = {}
    for k in range(int(fold.max()) + 1):
        for lang in sorted(set(data.langs)):
            others = [i for i in range(len(data.ids)) if fold[i] != k and data.langs[i] == lang]
            t1, t2 = best_thresholds(others, data, tune_nar, tune_sub)
            for i in range(len(data.ids)):
                if fold[i] == k and data.langs[i] == lang:
                    pred[data.ids[i]] = decide(
                        p_nar[i], p_sub[i], data.narratives, data.subs, t1, t2
                    )
    out = {}
    for lang in sorted(set(data.langs)):
        mine = [a for a, lg in zip(data.ids, data.langs, strict=True) if lg == lang]
        g = {a: data.gold[a] for a in mine}
        s = score_narratives(g, {a: pred[a] for a in mine}, data.narratives, data.subs)
        floor = score_narratives(
            g, {a: ({OTHER}, {OTHER}) for a in mine}, data.narratives, data.subs
        )
        out[lang] = {
            "articles": len(mine),
            "narratives_samples_f1": round(s.value, 4),
            "subnarratives_samples_f1": round(s.extra["subnarratives_samples_f1"], 4),
            "all_other_narratives_f1": round(floor.value, 4),
        }
    return out


def article_model_factory(labels: Sequence[str]) -> Callable[[], ArticleModel]:
    """A maker of unfitted article models over ``labels``, for the fold harness."""
    return lambda: ArticleModel(labels)


def train_narratives(
    root: Path,
    out: Path,
    *,
    folds: int = 5,
    seed: int = SEED,
    limit: int | None = None,
    log: Log = print,
) -> dict[str, Any]:
    """Cross-validate, then fit both models on every article; save ``out/narratives`` and
    ``out/subnarratives``; returns the held-out figures."""
    t0 = time.time()
    data = load_narrative_data(root, limit)
    inputs = article_inputs(data.texts, data.langs, data.ids)
    log(f"{len(data.ids)} articles, vectors in {time.time() - t0:.0f}s")
    fold = language_folds(data.langs, folds, seed)
    targets = [[data.gold[a][which] for a in data.ids] for which in (0, 1)]
    labels = (data.narratives, data.subs)
    probs = []
    for which in (0, 1):
        held = out_of_fold(
            article_model_factory(labels[which]), inputs, targets[which], fold, log=log
        )
        probs.append(np.array(held, dtype=np.float64))
    figures = held_out_figures(data, probs[0], probs[1], fold)
    for lang, row in figures.items():
        log(f"{lang}: {row}")
    thresholds = {
        lang: list(
            best_thresholds([i for i, lg in enumerate(data.langs) if lg == lang], data, *probs)
        )
        for lang in sorted(set(data.langs))
    }
    pooled = list(best_thresholds(list(range(len(data.ids))), data, *probs))
    info = {
        "version": f"{__version__}+narratives.{seed}",
        "trained_on": {"data": DATA_NAME, "langs": sorted(set(data.langs))},
        "limit_per_lang": limit,
        "folds": folds,
        "cv": figures,
        "thresholds": thresholds,
        "default_thresholds": pooled,
    }
    for which, name in enumerate(("narratives", "subnarratives")):
        ArticleModel(labels[which], info=info).fit(inputs, targets[which]).save(out / name)
    summary = (
        "Known narratives of SemEval-2025 Task 10 (subtask 2: the Ukraine-Russia war and climate "
        "change taxonomies, plus Other): two article models (TF-IDF logistic regressions "
        "averaged with a head over the article's multilingual USE vector), one over the "
        "narratives and one over the sub-narratives, trained on all languages at once; "
        "thresholds per language chosen on held-out folds. Figures: samples F1, with the "
        "floor of labelling every article Other."
    )
    for name in ("narratives", "subnarratives"):
        write_card(out / name, name, summary, "proplens train narratives", figures, DATA_NAME)
    log(f"saved {out / 'narratives'} and {out / 'subnarratives'} in {time.time() - t0:.0f}s")
    return figures
