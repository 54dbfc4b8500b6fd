"""The one contract of every learned model, and the one way to load a model folder.

In the spirit of scikit-learn's estimators and spaCy's ``to_disk``/``from_disk``: every
model has ``fit``, ``predict_proba``, ``predict``, ``save`` and ``load``; parameters are
set in ``__init__`` and learned state ends in ``_``; a saved model is a folder with a
``config.json`` whose ``"class"`` names the model class, its weights and a ``README.md``
card. Models read `Inputs`: the `Document` and the vectors the pipeline already
computed. A model never segments text again nor embeds it: an input that lacks the
vectors a model reads is an error, not a reason to compute them.

`load` takes a shipped model's name (``"genre"``) or a folder and picks the class from
the folder's config.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from importlib import import_module
from importlib.resources import files
from pathlib import Path
from typing import Any, Protocol, TypeVar, runtime_checkable

import numpy as np
import numpy.typing as npt

from proplens.document import Document

FloatArray = npt.NDArray[np.float32]
CONFIG = "config.json"
CLASS_KEY = "class"

#: The module of each model class, imported only when a folder of that class is loaded
#: (loading the sentiment head never imports the technique model).
CLASS_MODULES = {
    "article": "proplens.models.articles",
    "sentiment": "proplens.models.sentiment",
    "techniques": "proplens.models.techniques",
    "technique_words": "proplens.models.technique_words",
    "threats": "proplens.models.threats",
}


class ModelNotFound(FileNotFoundError):
    """No model folder where one was asked for; the message says how to build it."""


@dataclass(frozen=True)
class Inputs:
    """What a model reads of one document.

    ``paragraph_vectors`` and ``sentence_vectors`` are the ``vectors`` step's (one row per
    paragraph and per sentence of ``document``), None where a caller has none; a model that
    reads them raises `MissingVectors` then.
    """

    document: Document
    paragraph_vectors: FloatArray | None = None
    sentence_vectors: FloatArray | None = None
    #: One row per `Document.words`: USE token features averaged per word, projected
    #: (`proplens.models.encoders.document_features`).
    word_vectors: FloatArray | None = None

    def words(self, model: str) -> FloatArray:
        """The word vectors, or a clear error naming the model that needs them."""
        if self.word_vectors is None:
            raise MissingVectors(f"{model} reads word vectors; run the vectors step")
        if len(self.word_vectors) != len(self.document.words):
            raise MissingVectors(
                f"{model}: {len(self.word_vectors)} word vectors for "
                f"{len(self.document.words)} words"
            )
        return self.word_vectors

    def paragraphs(self, model: str) -> FloatArray:
        """The paragraph vectors, or a clear error naming the model that needs them."""
        if self.paragraph_vectors is None:
            raise MissingVectors(f"{model} reads paragraph vectors; run the vectors step")
        if self.document.paragraphs and len(self.paragraph_vectors) != len(
            self.document.paragraphs
        ):
            raise MissingVectors(
                f"{model}: {len(self.paragraph_vectors)} paragraph vectors for "
                f"{len(self.document.paragraphs)} paragraphs"
            )
        return self.paragraph_vectors

    def sentences(self, model: str) -> FloatArray:
        """The sentence vectors, or a clear error naming the model that needs them."""
        if self.sentence_vectors is None:
            raise MissingVectors(f"{model} reads sentence vectors; run the vectors step")
        if len(self.sentence_vectors) != len(self.document.sentences):
            raise MissingVectors(
                f"{model}: {len(self.sentence_vectors)} sentence vectors for "
                f"{len(self.document.sentences)} sentences"
            )
        return self.sentence_vectors


class MissingVectors(ValueError):
    """A model was given an input without the vectors it reads."""


M = TypeVar("M", bound="Model")


@runtime_checkable
class Model(Protocol):
    """The surface every learned model has (see the module docstring)."""

    def fit(self: M, inputs: Sequence[Inputs], targets: Sequence[Any]) -> M: ...

    def predict_proba(self, inputs: Sequence[Inputs]) -> list[Any]: ...

    def predict(self, inputs: Sequence[Inputs]) -> list[Any]: ...

    def save(self, folder: Path) -> None: ...

    @classmethod
    def load(cls: type[M], folder: Path) -> M: ...


_CLASSES: dict[str, type[Any]] = {}
T = TypeVar("T")


def sigmoid(logits: npt.ArrayLike) -> npt.NDArray[np.float32]:
    """The logistic function without overflow: ``1 / (1 + exp(-x))`` warns for x < -88 in
    float32, and such a warning on a user's terminal reads like a fault."""
    x = np.asarray(logits, dtype=np.float32)
    return np.asarray(np.exp(-np.logaddexp(np.float32(0), -x)), dtype=np.float32)


def model_class(name: str) -> Callable[[type[T]], type[T]]:
    """Register a model class under ``name``, the ``"class"`` its saved configs carry."""

    def register(cls: type[T]) -> type[T]:
        if CLASS_MODULES.get(name) != cls.__module__:
            raise ValueError(f"model class {name!r}: add its module to CLASS_MODULES")
        _CLASSES[name] = cls
        cls.model_class = name  # type: ignore[attr-defined]
        return cls

    return register


def shipped_path(name: str) -> Path:
    """The folder of the shipped model ``name`` (it may not exist in a partial install)."""
    return Path(str(files("proplens").joinpath(f"data/models/{name}")))


def folder_of(name_or_path: str | Path) -> Path:
    """A shipped model's folder for a bare name, else the path itself."""
    text = str(name_or_path)
    if isinstance(name_or_path, Path) or "/" in text or "\\" in text:
        return Path(name_or_path)
    return shipped_path(text)


def read_config(name_or_path: str | Path) -> dict[str, Any]:
    """A model folder's ``config.json`` (its card's machine half), without loading weights."""
    folder = folder_of(name_or_path)
    path = folder / CONFIG
    if not path.is_file():
        raise ModelNotFound(
            f"{folder}: no model there (no {CONFIG}); rebuild it with `make models`"
        )
    config: dict[str, Any] = json.loads(path.read_text("utf-8"))
    return config


def available(name_or_path: str | Path) -> bool:
    """Whether a model folder exists."""
    try:
        read_config(name_or_path)
    except ModelNotFound:
        return False
    return True


def load(name_or_path: str | Path) -> Any:
    """Load the model in a folder (or the shipped model of that name) by its config's class."""
    folder = folder_of(name_or_path)
    kind = read_config(folder).get(CLASS_KEY)
    if kind not in CLASS_MODULES:
        known = ", ".join(sorted(CLASS_MODULES))
        raise ModelNotFound(f"{folder}/{CONFIG}: unknown model class {kind!r} (known: {known})")
    import_module(CLASS_MODULES[kind])
    return _CLASSES[kind].load(folder)


@cache
def shipped(name: str) -> Any:
    """The shipped model ``name``, loaded once per process."""
    return load(name)


def stamp(folder: Path, kind: str, **params: Any) -> None:
    """Write ``"class"`` (and the model's own parameters) first in ``folder/config.json``,
    keeping what a part of the model wrote there."""
    path = folder / CONFIG
    existing = json.loads(path.read_text("utf-8")) if path.exists() else {}
    existing.pop(CLASS_KEY, None)
    config = {CLASS_KEY: kind, **params, **{k: v for k, v in existing.items() if k not in params}}
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(config, indent=1, ensure_ascii=False), encoding="utf-8")
