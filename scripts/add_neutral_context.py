"""Add the neutral sentence context to a trained technique model folder.

`proplens train techniques` saves ``sentence/neutral_context.npy`` (the training mean of the
sentence head's paragraph and article columns, `models.techniques.neutral_context`) and sets
``short_document_sentences`` in ``config.json``. A folder trained before session 11 lacks
both; this computes them from the same data by the same functions, without refitting
anything, so the rest of the model stays byte-identical.

Usage: python scripts/add_neutral_context.py [DATA] [MODEL_FOLDER]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from proplens.models.techniques import (
    NEUTRAL_FILE,
    SHORT_DOCUMENT_SENTENCES,
    neutral_context,
    shipped_model_path,
)
from proplens.models.training import load_articles, sentence_inputs, sentence_rows


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    folder = Path(sys.argv[2]) if len(sys.argv) > 2 else shipped_model_path()
    config = json.loads((folder / "config.json").read_text("utf-8"))
    articles = load_articles(root, config["trained_on"]["langs"], config.get("limit_per_lang"))
    srows = sentence_rows(articles)
    neutral = neutral_context(sentence_inputs(articles, srows))
    np.save(folder / "sentence" / NEUTRAL_FILE, neutral)
    config["short_document_sentences"] = SHORT_DOCUMENT_SENTENCES
    (folder / "config.json").write_text(json.dumps(config, indent=1))
    print(f"{len(srows.texts)} sentences; wrote {folder / 'sentence' / NEUTRAL_FILE}")


if __name__ == "__main__":
    main()
