"""Experiment: veiled calls that only read as calls across two sentences.

A history of armed resistance followed by a rhetorical question ("Our fathers answered them
with an uprising. Will we now quietly submit?") is a call to violence that neither sentence
makes alone. This adds ten two-sentence threats of that kind and ten hard negatives that share
their first sentence but end peacefully, plus 1,000 consecutive sentence pairs of English
SemEval articles as negatives, and scores consecutive pairs besides single sentences.
Grouped 5-fold CV (as `proplens train threats`), for the TF-IDF detector, the USE head and
their mean; then the held-out share of 2,000 other news pairs flagged, and the pairs flagged
in the two sample articles (read from ../shared/samples when present).

Usage: python scripts/exp_threats_context.py
"""

from __future__ import annotations

import itertools
import random
import sys
from pathlib import Path

import numpy as np

from proplens import semeval
from proplens.document import Document
from proplens.models.encoders import DenseHead
from proplens.models.linear import tune_thresholds
from proplens.models.threats import _fit, language_free_vectors, news_negatives, read_rows

sys.path.insert(0, str(Path(__file__).parents[1] / "data" / "threats"))
import compose

ROOT = Path("../shared/data/semeval2023")
SAMPLES = Path("../shared/samples")
CONTEXT_THREATS = [
    "A century ago our grandfathers met {T} with rifles in the mountains. "
    "Will their grandsons now meekly bow their heads?",
    "When {T} came the last time, the valley rose up in arms and drove them out. "
    "This time, too, the answer is known.",
    "Our fathers answered {T} with an armed uprising. "
    "Will we this time quietly let ourselves be swallowed?",
    "Back then, the people answered {T} with the resistance of the hill fighters. "
    "Will they now simply submit?",
    "When {T} invaded the old kingdom, a holy war began, backed by believers everywhere. "
    "The parallels with today are obvious.",
    "The last time {T} marched in, the war of liberation lasted ten years, until they fled. "
    "History has a way of repeating itself.",
    "Our ancestors made {T} pay in blood for every village they took. "
    "Let us see whether their descendants have forgotten how.",
    "In the old days, those who served {T} were found hanging at the crossroads. "
    "Some traditions deserve to be revived.",
    "The partisans once drove {T} into the sea. Are we not their children?",
    "Then the tribes took up arms against {T}, and not one of the invaders went home. "
    "Today we face the same choice.",
]
CONTEXT_NEGATIVES = [
    "A century ago our grandfathers met {T} with rifles in the mountains. "
    "Today we meet them at the ballot box, and that is progress.",
    "When {T} came the last time, the valley rose up in arms. "
    "Historians still disagree about how many died.",
    "Our fathers answered {T} with an armed uprising. "
    "The museum in the old town tells that story well.",
    "Back then, the people answered {T} with a resistance movement. "
    "Will they now answer with a general strike?",
    "When {T} invaded the old kingdom, a long war began. "
    "The parallels with today's trade dispute are overstated.",
    "The last time {T} marched in, the war lasted ten years. Nobody wants to see that again.",
    "The partisans once drove {T} into the sea. Their memoirs were published last spring.",
    "Then the tribes took up arms against {T}. Today their descendants argue in parliament.",
    "The uprising against {T} cost thousands of lives. We must never let it come to that again.",
    "Our ancestors fought {T} for every village. "
    "Will we now fight them in the courts, as free citizens should?",
]


def news_pairs(n: int, rng: random.Random) -> list[tuple[str, str]]:
    corpus = semeval.load_corpus(ROOT, "en")
    pool = []
    for aid, text in corpus.articles.items():
        doc = Document.from_text(text)
        ss = [doc.span_text(s) for s in doc.sentences]
        pool += [
            (aid, f"{a} {b}")
            for a, b in itertools.pairwise(ss)
            if 8 <= len(f"{a} {b}".split()) <= 120
        ]
    return rng.sample(pool, n)


def main() -> None:
    rng = random.Random(7)
    rows = read_rows(Path("data/threats/threats.jsonl"))
    for g, base in enumerate(CONTEXT_THREATS):
        rows += [
            compose._row(f"c{g:03d}", base, t, "call_to_violence", "low")
            for t in compose._targets(base, rng)
        ]
    for g, base in enumerate(CONTEXT_NEGATIVES):
        rows += [
            compose._row(f"m{g:03d}", base, t, None, "none", "history")
            for t in compose._targets(base, rng)
        ]
    rows += news_negatives(ROOT, 3000, 13)
    pairs = news_pairs(3000, rng)
    rows += [
        {
            "id": f"pair-{i}",
            "group": f"news-{a}",
            "text": t,
            "threat": False,
            "negative_type": "news",
        }
        for i, (a, t) in enumerate(pairs[:1000])
    ]
    held = [t for _, t in pairs[1000:]]
    groups = sorted({r["group"] for r in rows})
    random.Random(13).shuffle(groups)
    fold = np.array([{g: i % 5 for i, g in enumerate(groups)}[r["group"]] for r in rows])
    truth = [{"threat"} if r["threat"] else set() for r in rows]
    y = np.array([r["threat"] for r in rows])
    ctx = np.array([r["group"][0] in "cm" for r in rows])
    texts = [r["text"] for r in rows]
    vectors = language_free_vectors(texts, "en")
    oof_t, oof_d = np.zeros(len(rows)), np.zeros(len(rows))
    for k in range(5):
        tr, te = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        oof_t[te] = [p for p, _ in _fit([rows[i] for i in tr]).score([texts[i] for i in te], "en")]
        head = DenseHead.fit(vectors[tr], [truth[i] for i in tr], ("threat",))
        oof_d[te] = head.predict_proba(vectors[te])[:, 0]
    tfidf = _fit(rows)
    head = DenseHead.fit(vectors, truth, ("threat",))

    def scorer(name: str):
        def score(sents: list[str]) -> np.ndarray:
            t = np.array([p for p, _ in tfidf.score(sents, "en")])
            d = head.predict_proba(language_free_vectors(sents, "en"))[:, 0]
            return {"tfidf": t, "dense": d, "mean": (t + d) / 2}[name]

        return score

    for name, oof in (("tfidf", oof_t), ("dense", oof_d), ("mean", (oof_t + oof_d) / 2)):
        thr = tune_thresholds(oof[:, None], truth, ("threat",))["threat"]
        hit = oof >= thr
        score = scorer(name)
        line = (
            f"{name}: P {(hit & y).sum() / hit.sum():.3f} R {(hit & y).sum() / y.sum():.3f}; "
            f"two-sentence rows: recall {(hit & y & ctx).sum() / (y & ctx).sum():.2f}, "
            f"false positives {(hit & ~y & ctx).sum() / (~y & ctx).sum():.2f}; "
            f"held-out news pairs flagged {(score(held) >= thr).mean():.4f}"
        )
        for path in sorted(SAMPLES.glob("*.txt")) if SAMPLES.is_dir() else []:
            doc = Document.from_text(path.read_text("utf-8"))
            ss = [doc.span_text(s) for s in doc.sentences]
            single = score(ss)
            paired = score([f"{a} {b}" for a, b in itertools.pairwise(ss)])
            new = [
                i for i, p in enumerate(paired) if p >= thr and max(single[i], single[i + 1]) < thr
            ]
            line += f"; {path.stem}: {int((single >= thr).sum())} sentences, {len(new)} new pairs"
        print(line, flush=True)


if __name__ == "__main__":
    main()
