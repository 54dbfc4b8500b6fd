"""The 23 persuasion techniques of SemEval-2023 Task 3, with definitions and examples."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Technique:
    name: str
    category: str
    definition: str
    example: str


@cache
def catalogue() -> dict[str, Technique]:
    """All techniques by name, from the packaged ``data/techniques.json``."""
    raw = json.loads(files("proplens").joinpath("data/techniques.json").read_text("utf-8"))
    return {t["name"]: Technique(**t) for t in raw["techniques"]}


TECHNIQUES: tuple[str, ...] = tuple(sorted(catalogue()))


def definition(name: str) -> str:
    technique = catalogue().get(name)
    return technique.definition if technique else name.replace("_", " ")
