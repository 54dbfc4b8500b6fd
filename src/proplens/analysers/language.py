"""Language identification with lingua, built only for the languages proplens knows."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from proplens.analysis import Analysis
from proplens.registry import analyser
from proplens.semeval import normalize_lang

#: Languages the detector chooses among (lingua names); the six SemEval-2023 languages first.
LANGUAGES = (
    "ENGLISH", "RUSSIAN", "FRENCH", "GERMAN", "ITALIAN", "POLISH",
    "SPANISH", "PORTUGUESE", "UKRAINIAN", "ARABIC", "DUTCH", "GREEK", "GEORGIAN",
    "BULGARIAN", "HINDI",  # the SemEval-2025 languages
)  # fmt: skip
UNDETERMINED = "und"


@cache
def _detector() -> Any:
    from lingua import Language, LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_languages(
        *(getattr(Language, name) for name in LANGUAGES)
    ).build()


def detect_language(text: str) -> str:
    """ISO 639-1 code of ``text``'s language, or ``"und"`` when too little text to tell."""
    sample = text[:5000]
    if sum(c.isalpha() for c in sample) < 3:
        return UNDETERMINED
    found = _detector().detect_language_of(sample)
    return found.iso_code_639_1.name.lower() if found else UNDETERMINED


@analyser("language", requires=["text"], produces=["lang"])
def language(analysis: Analysis) -> Mapping[str, Any]:
    """Set the document language: the caller's code if given, else detected."""
    doc = analysis.document
    lang = (
        normalize_lang(doc.lang) if doc.lang and doc.lang != "auto" else detect_language(doc.text)
    )
    return {"lang": lang}


@cache
def language_codes() -> frozenset[str]:
    """The ISO 639-1 codes a caller may name (every language lingua knows)."""
    from lingua import Language

    return frozenset(lang.iso_code_639_1.name.lower() for lang in Language.all())
