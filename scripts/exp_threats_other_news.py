"""Experiment: news sentences of the other languages as negatives for the threat USE head.

The USE head that serves Russian, French, German, Italian and Polish learns from the English
set, the 3,000 English news negatives and 100 written sentences in those languages. Here 300
SemEval sentences per language are added as negatives too, from articles other than those
the news false-positive figure reads. Prints the English figures, the held-out figures on
the written sentences, and per language the recall and false positives on the unseen
evaluation set and the false-positive rate on news.

Usage: python scripts/exp_threats_other_news.py [DATA]
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from proplens.models.threats import train_threats


def main() -> None:
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/data/semeval2023")
    for n in (0, 300):
        with tempfile.TemporaryDirectory() as out:
            f = train_threats(
                Path("data/threats/threats.jsonl"),
                Path(out),
                semeval_root=root,
                other_news=n,
                log=lambda _: None,
            )
        print(f"{n} news per language: English P {f['precision']} R {f['recall']}; written "
              f"other languages {f.get('other_languages_written_cv')}")  # fmt: skip
        for lang, e in sorted(f["other_languages"].items()):
            print(
                f"  {lang}: recall {e['recall_written']}, false positives written "
                f"{e['false_positive_rate_written_negatives']}, news "
                f"{e.get('false_positive_rate_news')}"
            )


if __name__ == "__main__":
    main()
