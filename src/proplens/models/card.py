"""Model cards: a README.md beside every saved model saying what it is and how to rebuild it."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

SEMEVAL = (
    "the SemEval-2023 Task 3 training split (`../shared/data/semeval2023`);\n"
    "the official dev split is held out and never used."
)


def write_card(
    folder: Path,
    title: str,
    summary: str,
    command: str,
    figures: dict[str, Any],
    data: str = SEMEVAL,
) -> None:
    """Write ``folder/README.md``: purpose, training data, rebuild command, held-out figures."""
    lines = [
        f"# {title}",
        "",
        summary,
        "",
        f"Training data: {data}",
        "",
        f"Rebuild: `{command}` (trained {dt.date.today().isoformat()}).",
        "",
        "Held-out figures (grouped folds, thresholds tuned on the other folds):",
        "",
        "```json",
        json.dumps(
            {
                k: {m: v for m, v in f.items() if not isinstance(v, dict)}
                for k, f in figures.items()
            },
            indent=1,
        ),
        "```",
        "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")
