"""Reading the entity-framing data and the mention features (SemEval-2025 subtask 1)."""

from __future__ import annotations

from pathlib import Path

from proplens.analysers.parse import spacy_english
from proplens.training.roles import Mention, featurise, locate, read_language

TEXT = "Title\n\nMayor Hale betrayed the town. Residents said Hale lied to them again.\n"


def test_locate_trusts_good_offsets_and_repairs_drifted_ones() -> None:
    first = TEXT.index("Hale")
    assert locate(TEXT, "Hale", first, first + 3) == (first, first + 4)
    second = TEXT.index("Hale", first + 1)
    assert locate(TEXT, "Hale", second - 3, second) == (second, second + 4)  # drifted by 3


def test_features_say_what_the_parse_ties_to_the_mention(tmp_path: Path) -> None:
    folder = tmp_path / "EN"
    (folder / "raw-documents").mkdir(parents=True)
    (folder / "raw-documents" / "EN_UA_1.txt").write_text(TEXT)
    start = TEXT.index("Hale")
    (folder / "subtask-1-annotations.txt").write_text(
        f"EN_UA_1.txt\tHale\t{start}\t{start + 3}\tAntagonist\tTraitor\n"
    )
    ((mention, row, text),) = read_language(tmp_path, "EN")
    assert mention == Mention("EN_UA_1.txt", "Hale", start, start + 4, "en")
    assert row.main == "Antagonist" and row.fine == ("Traitor",)
    (features,) = featurise([(mention, row, text)], spacy_english())
    tokens = set(features.split())
    assert {"name_hale", "domain_ua", "dep_nsubj", "head_betrayed", "r_betrayed"} <= tokens
    assert any(t.startswith("tone_s_neg") for t in tokens)  # "betrayed" is dark
