"""Precision and recall of the historical-analogy rules on the written passages, per language.

Row "veiled calls by historical analogy" of docs/models.md (threats section).

    python experiments/threats/analogy_passages.py [data/threats/analogy.jsonl]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from proplens.eval.analogy import passage_figures

DEFAULT = Path("data/threats/analogy.jsonl")


def main(path: Path = DEFAULT) -> dict[str, dict[str, float]]:
    rows = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    out = {}
    for lang in sorted({str(r.get("lang", "en")) for r in rows}):
        out[lang] = passage_figures([r for r in rows if str(r.get("lang", "en")) == lang])
        print(lang, json.dumps(out[lang]))
    return out


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
