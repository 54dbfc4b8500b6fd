"""Fitting small networks with torch (the ``train`` extra); proplens runs them with numpy.

`MlpHead` fits through scikit-learn on a few thousand rows; the word-level technique
model has about a million (one per word), where scikit-learn's MLP takes hours and torch
minutes. The weights come back as arrays in `MlpHead`'s layout.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]


def fit_mlp(
    x: npt.NDArray[Any],
    y: npt.NDArray[np.bool_],
    *,
    hidden: int = 512,
    epochs: int = 3,
    lr: float = 1e-3,
    weight_decay: float = 1e-2,
    dropout: float = 0.2,
    batch: int = 1024,
    seed: int = 0,
) -> tuple[FloatArray, FloatArray, FloatArray, FloatArray]:
    """(w1, b1, w2, b2) of ``relu(x w1 + b1) w2 + b2`` trained for binary cross-entropy on
    every column of ``y`` at once (AdamW, one-cycle schedule, dropout on input and hidden).

    ``x`` may be float16 (a million word rows fit in memory that way); batches are cast.
    Plain cross-entropy, no class weights: the outputs stay probabilities, which the
    thresholds and the calibration read.
    """
    import torch

    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    xs = torch.from_numpy(np.ascontiguousarray(x))
    ys = torch.from_numpy(np.ascontiguousarray(y, dtype=np.float32))
    net = torch.nn.Sequential(
        torch.nn.Dropout(dropout),
        torch.nn.Linear(xs.shape[1], hidden),
        torch.nn.ReLU(),
        torch.nn.Dropout(dropout),
        torch.nn.Linear(hidden, ys.shape[1]),
    )
    opt = torch.optim.AdamW(net.parameters(), lr=lr, weight_decay=weight_decay)
    steps = max(1, epochs * ((len(xs) + batch - 1) // batch))
    schedule = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=lr, total_steps=steps)
    loss = torch.nn.BCEWithLogitsLoss()
    net.train()
    for _ in range(epochs):
        order = torch.randperm(len(xs), generator=gen)
        for i in range(0, len(xs), batch):
            idx = order[i : i + batch]
            opt.zero_grad()
            loss(net(xs[idx].float()), ys[idx]).backward()
            opt.step()
            schedule.step()
    first: Any = net[1]
    second: Any = net[4]
    return (
        first.weight.detach().numpy().T.copy(),
        first.bias.detach().numpy().copy(),
        second.weight.detach().numpy().T.copy(),
        second.bias.detach().numpy().copy(),
    )
