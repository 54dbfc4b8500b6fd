"""Annotations and the `Analysis` that carries them: the `proplens/analysis@1` contract.

Every annotation is addressed by character offsets into the original text. An
`Analysis` is immutable; each analyser returns the fields it produces and the
pipeline builds the next `Analysis` with `dataclasses.replace`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from proplens.document import Document

SCHEMA_ID = "proplens/analysis@1"
AUTHOR = "author"


@dataclass(frozen=True, slots=True)
class Label:
    """A document-level label with its probability (0..1)."""

    label: str
    score: float


@dataclass(frozen=True, slots=True)
class TechniqueSpan:
    """One persuasion technique found at ``[start, end)``.

    ``speaker`` is ``"author"`` unless the span lies inside a quote, then the quoted
    speaker. ``reason`` is one sentence a person can check against the text.
    """

    start: int
    end: int
    technique: str
    score: float
    reason: str
    speaker: str = AUTHOR
    #: The actor an attack (name calling, loaded language...) is aimed at, if one is found.
    target: str | None = None
    #: Whether reports show the span by default: its score reaches its technique's
    #: threshold for held-out precision (the JSON keeps every span either way).
    shown: bool = True


@dataclass(frozen=True, slots=True)
class ParagraphTechniques:
    """The techniques of one paragraph; ``id`` is the 1-based line number."""

    id: int
    start: int
    end: int
    techniques: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    start: int
    end: int
    speaker: str | None
    speaker_start: int | None = None
    speaker_end: int | None = None


@dataclass(frozen=True, slots=True)
class Actor:
    name: str
    type: str
    mentions: tuple[tuple[int, int], ...]
    stance: float | None = None


@dataclass(frozen=True, slots=True)
class Threat:
    start: int
    end: int
    severity: str
    score: float
    target: str | None = None
    #: Why it was flagged, in words a moderator can check against the text.
    reason: str | None = None
    #: Who utters it: ``"author"``, or the quoted speaker when it lies inside a quote.
    speaker: str = AUTHOR


@dataclass(frozen=True, slots=True)
class Narrative:
    """A known narrative (SemEval-2025 taxonomy) the article pushes, with its probability,
    its sub-narratives and the sentences that carry it most, best first."""

    label: str
    score: float
    subnarratives: tuple[Label, ...] = ()
    sentences: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class Analysis:
    """Everything proplens found in one document."""

    document: Document
    genre: Label | None = None
    frames: tuple[Label, ...] = ()
    #: The techniques of each paragraph (``paragraphs`` in the JSON form).
    paragraph_techniques: tuple[ParagraphTechniques, ...] = ()
    techniques: tuple[TechniqueSpan, ...] = ()
    quotes: tuple[Quote, ...] = ()
    actors: tuple[Actor, ...] = ()
    threats: tuple[Threat, ...] = ()
    #: Known narratives (empty: the article pushes none of them, SemEval's "Other").
    narratives: tuple[Narrative, ...] = ()
    timings_ms: dict[str, float] = field(default_factory=dict)
    model_versions: dict[str, str] = field(default_factory=dict)
    #: Intermediate results shared between analysers (e.g. ``"parse"``), never serialised.
    artifacts: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_dict(cls, payload: dict[str, Any], text: str) -> Analysis:
        """Rebuild an `Analysis` from its JSON form and the document text (e.g. from a store)."""
        d = payload["document"]
        doc = Document.from_text(
            text,
            id=d["id"],
            lang=d.get("lang"),
            source=d.get("source"),
            published=d.get("published"),
        )
        genre = payload.get("genre")
        return cls(
            document=doc,
            genre=Label(genre["label"], genre["score"]) if genre else None,
            frames=tuple(Label(f["label"], f["score"]) for f in payload.get("frames", [])),
            paragraph_techniques=tuple(
                ParagraphTechniques(p["id"], p["start"], p["end"], tuple(p["techniques"]))
                for p in payload.get("paragraphs", [])
            ),
            techniques=tuple(
                TechniqueSpan(
                    t["start"],
                    t["end"],
                    t["technique"],
                    t["score"],
                    t["reason"],
                    t["speaker"],
                    t.get("target"),
                    t.get("shown", True),
                )
                for t in payload.get("techniques", [])
            ),
            quotes=tuple(
                Quote(q["start"], q["end"], q["speaker"], q["speaker_start"], q["speaker_end"])
                for q in payload.get("quotes", [])
            ),
            actors=tuple(
                Actor(a["name"], a["type"], tuple((m[0], m[1]) for m in a["mentions"]), a["stance"])
                for a in payload.get("actors", [])
            ),
            threats=tuple(
                Threat(
                    t["start"],
                    t["end"],
                    t["severity"],
                    t["score"],
                    t.get("target"),
                    t.get("reason"),
                    t.get("speaker", AUTHOR),
                )
                for t in payload.get("threats", [])
            ),
            narratives=tuple(
                Narrative(
                    n["label"],
                    n["score"],
                    tuple(Label(x["label"], x["score"]) for x in n.get("subnarratives", [])),
                    tuple((x["start"], x["end"]) for x in n.get("sentences", [])),
                )
                for n in payload.get("narratives", [])
            ),
            timings_ms=dict(payload.get("timings_ms", {})),
            model_versions=dict(payload.get("models", {})),
        )

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, schema ``proplens/analysis@1`` (see docs/schema.md)."""
        doc = self.document
        text = doc.text
        return {
            "schema": SCHEMA_ID,
            "document": {
                "id": doc.id,
                "source": doc.source,
                "lang": doc.lang,
                "chars": len(text),
                "words": doc.word_count,
                "sha256": doc.sha256,
                "published": doc.published,
            },
            "genre": _label(self.genre) if self.genre else None,
            "frames": [_label(f) for f in self.frames],
            "paragraphs": [
                {"id": p.id, "start": p.start, "end": p.end, "techniques": list(p.techniques)}
                for p in self.paragraph_techniques
            ],
            "techniques": [
                {
                    "start": t.start,
                    "end": t.end,
                    "text": text[t.start : t.end],
                    "technique": t.technique,
                    "score": round(t.score, 4),
                    "speaker": t.speaker,
                    "target": t.target,
                    "reason": t.reason,
                    "shown": t.shown,
                }
                for t in self.techniques
            ],
            "quotes": [
                {
                    "start": q.start,
                    "end": q.end,
                    "text": text[q.start : q.end],
                    "speaker": q.speaker,
                    "speaker_start": q.speaker_start,
                    "speaker_end": q.speaker_end,
                }
                for q in self.quotes
            ],
            "actors": [
                {
                    "name": a.name,
                    "type": a.type,
                    "mentions": [list(m) for m in a.mentions],
                    "stance": a.stance,
                }
                for a in self.actors
            ],
            "threats": [
                {
                    "start": t.start,
                    "end": t.end,
                    "text": text[t.start : t.end],
                    "severity": t.severity,
                    "score": round(t.score, 4),
                    "target": t.target,
                    "speaker": t.speaker,
                    "reason": t.reason,
                }
                for t in self.threats
            ],
            "narratives": [
                {
                    **_label(Label(n.label, n.score)),
                    "subnarratives": [_label(x) for x in n.subnarratives],
                    "sentences": [
                        {"start": a, "end": b, "text": text[a:b]} for a, b in n.sentences
                    ],
                }
                for n in self.narratives
            ],
            "models": dict(self.model_versions),
            "timings_ms": {k: round(v, 2) for k, v in self.timings_ms.items()},
        }


def _label(label: Label) -> dict[str, Any]:
    return {"label": label.label, "score": round(label.score, 4)}
