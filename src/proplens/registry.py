"""Analysers register themselves by name; a pipeline is a list of those names.

Like spaCy's ``@Language.component``, the decorator declares what an analyser needs
(``requires``), what it reads when an earlier step made it (``uses``) and exactly what it
returns (``produces``). `Pipeline` rejects a bad list of names before any document is
read, hands each analyser only what it declared, and rejects a result that returns more
or less than ``produces``: the declarations are true because nothing else works.

Names are of three kinds: the `Document`'s own (`BASE_PROVIDES`), the fields of an
`Analysis` (`FIELDS`, plus ``"lang"``, which sets the document's language), and any
other name, an artifact handed between analysers and never serialised (``"parse"``,
``"sentence_vectors"``...).
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
#: `Analysis` fields an analyser may produce, with the value an analyser sees when it
#: declared neither ``requires`` nor ``uses`` on it.
FIELDS: dict[str, Any] = {
    "genre": None,
    "frames": (),
    "paragraph_techniques": (),
    "techniques": (),
    "quotes": (),
    "actors": (),
    "threats": (),
    "narratives": (),
}
#: Produced by returning the language code: the pipeline sets it on the document.
LANG = "lang"
#: Metadata any analyser may return beside what it produces: ``{model name: version}``.
MODEL_VERSIONS = "model_versions"
DEFAULT_PIPELINE: tuple[str, ...] = (
    "language",
    "vectors",
    "parse",
    "genre",
    "frames",
    "narratives",
    "quotes",
    "techniques",
    "threats",
    "actors",
    "attribution",
)


class PipelineError(ValueError):
    """A pipeline that cannot run: unknown analyser, unmet requirement, untrue declaration."""


@dataclass(frozen=True)
class AnalyserSpec:
    name: str
    func: AnalyserFn
    requires: tuple[str, ...]
    produces: tuple[str, ...]
    doc: str
    uses: tuple[str, ...] = ()

    @property
    def reads(self) -> frozenset[str]:
        """Everything this analyser may see of an `Analysis`."""
        return frozenset(self.requires) | frozenset(self.uses)


_REGISTRY: dict[str, AnalyserSpec] = {}
_discovered = False


def analyser(
    name: str,
    *,
    requires: Iterable[str] = (),
    produces: Iterable[str] = (),
    uses: Iterable[str] = (),
) -> Callable[[AnalyserFn], AnalyserFn]:
    """Register ``func`` as the analyser ``name``.

    ``requires``: names an earlier step (or the document) must provide; ``uses``: names
    read when present and done without otherwise; ``produces``: the exact keys of the
    mapping ``func`` returns (besides an optional ``"model_versions"``).
    """

    def register(func: AnalyserFn) -> AnalyserFn:
        if name in _REGISTRY and _REGISTRY[name].func is not func:
            raise PipelineError(f"analyser {name!r} is registered twice")
        spec = AnalyserSpec(
            name,
            func,
            tuple(requires),
            tuple(produces),
            (func.__doc__ or "").strip(),
            tuple(uses),
        )
        bad = set(spec.produces) & BASE_PROVIDES
        if bad:
            raise PipelineError(f"analyser {name!r} cannot produce {sorted(bad)}: the document's")
        _REGISTRY[name] = spec
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


def view(analysis: Analysis, reads: frozenset[str]) -> Analysis:
    """``analysis`` as an analyser that reads ``reads`` sees it: other fields empty, other
    artifacts absent."""
    hidden = {f: empty for f, empty in FIELDS.items() if f not in reads}
    artifacts = {k: v for k, v in analysis.artifacts.items() if k in reads}
    return replace(analysis, **hidden, artifacts=artifacts)


def apply(spec: AnalyserSpec, analysis: Analysis, result: Mapping[str, Any]) -> Analysis:
    """``analysis`` with ``result`` merged in, after checking it returns exactly
    ``spec.produces``."""
    returned = set(result) - {MODEL_VERSIONS}
    declared = set(spec.produces)
    if returned != declared:
        extra, missing = sorted(returned - declared), sorted(declared - returned)
        raise PipelineError(
            f"analyser {spec.name!r} returned {sorted(returned)} but declares "
            f"produces={sorted(declared)}"
            + (f"; undeclared: {extra}" if extra else "")
            + (f"; missing: {missing}" if missing else "")
        )
    fields = {k: v for k, v in result.items() if k in FIELDS}
    artifacts = {
        k: v for k, v in result.items() if k not in FIELDS and k not in (LANG, MODEL_VERSIONS)
    }
    document = analysis.document
    if LANG in result:
        document = document.with_lang(str(result[LANG]))
    return replace(
        analysis,
        document=document,
        artifacts={**analysis.artifacts, **artifacts},
        model_versions={**analysis.model_versions, **dict(result.get(MODEL_VERSIONS, {}))},
        **fields,
    )


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
        for spec in self.steps:
            t0 = time.perf_counter()
            result = spec.func(view(analysis, spec.reads))
            timings[spec.name] = (time.perf_counter() - t0) * 1000
            analysis = apply(spec, analysis, result)
        return replace(analysis, timings_ms=timings)
