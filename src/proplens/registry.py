"""Analysers register themselves by name; a pipeline is a list of those names.

Like spaCy's ``@Language.component``, the decorator declares what an analyser needs
and what it produces, so `Pipeline` can reject a bad list of names before any
document is read, instead of failing halfway through a batch.
"""

from __future__ import annotations

import importlib
import pkgutil
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from importlib.metadata import entry_points
from typing import Any

from proplens.analysis import Analysis
from proplens.document import Document

AnalyserFn = Callable[[Analysis], Mapping[str, Any]]

#: What a `Document` provides before any analyser runs.
BASE_PROVIDES = frozenset({"text", "paragraphs", "sentences", "tokens"})
#: Fields an analyser may return; ``document`` replaces the document (e.g. to set ``lang``).
ANALYSIS_FIELDS = frozenset(
    {
        "document",
        "genre",
        "frames",
        "paragraphs",
        "techniques",
        "quotes",
        "actors",
        "threats",
        "artifacts",
    }
)
DEFAULT_PIPELINE: tuple[str, ...] = (
    "language",
    "vectors",
    "parse",
    "genre",
    "frames",
    "quotes",
    "techniques",
    "speakers",
    "actors",
    "threats",
)


class PipelineError(ValueError):
    """A pipeline that cannot run: unknown analyser or an unmet requirement."""


@dataclass(frozen=True)
class AnalyserSpec:
    name: str
    func: AnalyserFn
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    doc: str


_REGISTRY: dict[str, AnalyserSpec] = {}
_discovered = False


def analyser(
    name: str, *, requires: Iterable[str] = (), produces: Iterable[str] = ()
) -> Callable[[AnalyserFn], AnalyserFn]:
    """Register ``func`` as the analyser ``name``.

    ``requires``/``produces`` are capability names such as ``"sentences"``, ``"lang"``,
    ``"quotes"``, ``"techniques"``.
    """

    def register(func: AnalyserFn) -> AnalyserFn:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise PipelineError(f"analyser {name!r} is registered twice")
        _REGISTRY[name] = AnalyserSpec(
            name, func, tuple(requires), tuple(produces), (func.__doc__ or "").strip()
        )
        return func

    return register


def discover() -> None:
    """Import every module of `proplens.analysers` and third-party entry points once."""
    global _discovered
    if _discovered:
        return
    package = importlib.import_module("proplens.analysers")
    for info in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"proplens.analysers.{info.name}")
    for ep in entry_points(group="proplens.analysers"):
        ep.load()
    _discovered = True


def registered() -> dict[str, AnalyserSpec]:
    discover()
    return dict(_REGISTRY)


class Pipeline:
    """An ordered, validated list of analysers; call it on a `Document`."""

    def __init__(self, names: Iterable[str] = DEFAULT_PIPELINE) -> None:
        specs = registered()
        self.names = tuple(names)
        have = set(BASE_PROVIDES)
        self.steps: list[AnalyserSpec] = []
        for name in self.names:
            if name not in specs:
                known = ", ".join(sorted(specs))
                raise PipelineError(f"unknown analyser {name!r} (known: {known})")
            spec = specs[name]
            missing = [r for r in spec.requires if r not in have]
            if missing:
                raise PipelineError(
                    f"analyser {name!r} needs {', '.join(missing)}, which no earlier "
                    f"analyser in {list(self.names)} produces"
                )
            have.update(spec.produces)
            self.steps.append(spec)

    def __call__(self, document: Document) -> Analysis:
        analysis = Analysis(document=document)
        timings: dict[str, float] = {}
        versions: dict[str, str] = {}
        for spec in self.steps:
            t0 = time.perf_counter()
            result = dict(spec.func(analysis))
            timings[spec.name] = (time.perf_counter() - t0) * 1000
            versions.update(result.pop("model_versions", {}))
            artifacts = result.pop("artifacts", None)
            if artifacts:
                result["artifacts"] = {**analysis.artifacts, **artifacts}
            unknown = set(result) - ANALYSIS_FIELDS
            if unknown:
                raise PipelineError(f"analyser {spec.name!r} returned unknown fields {unknown}")
            analysis = replace(analysis, **result)
        return replace(analysis, timings_ms=timings, model_versions=versions)
