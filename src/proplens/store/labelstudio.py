"""Label Studio round trip: stored documents out as tasks with pre-annotations, analysts'
corrections back in as gold.

Offsets are where such integrations break, so this module owns both directions:

- Label Studio's text regions count in JavaScript string units (UTF-16 code units), Python
  in code points: a character outside the Basic Multilingual Plane (an emoji, some CJK)
  is one code point and two units. Offsets are converted on the way out and back.
- An export carries the task's text as Label Studio holds it. When that text is not the
  stored one character for character (line endings rewritten, whitespace trimmed by a
  pre-processing step), offsets are carried over by aligning the two texts, and a
  region whose words cannot be found where it says is refused, naming the task.
- Every region's ``text`` is checked against the stored text at its converted offsets.

The pre-annotations are proplens's findings: every technique span (as the SemEval span
files hold them, also those a report hides below its display threshold) with its score
and reason, quotes linked to their speakers, threats with their severity, the genre.
"""

from __future__ import annotations

import bisect
import difflib
import json
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

from proplens.models.articles import GENRES
from proplens.store.gold import GoldAnnotation, GoldDraft, document_of
from proplens.store.store import Store
from proplens.techniques import TECHNIQUES

TEXT = "text"  # the Text tag's name, and the task field it shows
SEVERITIES = ("low", "medium", "high")
VOICE = ("Quote", "Speaker")
#: Label Studio control names and the gold kinds they hold.
CONTROLS = {"technique": "technique", "voice": None, "threat": "threat", "genre": "genre"}


class LabelStudioError(ValueError):
    """An export that cannot be imported; the message names the file and the task."""


# -- offsets -----------------------------------------------------------------------------


def _utf16_prefix(text: str) -> list[int]:
    """UTF-16 length of ``text[:i]`` for every i (only computed for texts that need it)."""
    out = [0]
    for ch in text:
        out.append(out[-1] + (2 if ord(ch) > 0xFFFF else 1))
    return out


def _is_bmp(text: str) -> bool:
    return all(ord(ch) <= 0xFFFF for ch in text)


def to_utf16(text: str, offset: int) -> int:
    """A code-point offset of ``text`` as Label Studio counts it."""
    if _is_bmp(text[:offset]):
        return offset
    return _utf16_prefix(text[:offset])[-1]


def from_utf16(text: str, offset: int) -> int | None:
    """A Label Studio offset of ``text`` as a code-point offset (None: inside a pair)."""
    if _is_bmp(text):
        return offset if 0 <= offset <= len(text) else None
    prefix = _utf16_prefix(text)
    i = bisect.bisect_left(prefix, offset)
    return i if i < len(prefix) and prefix[i] == offset else None


class OffsetMap:
    """Offsets of one text (Label Studio's) carried to another (the stored one) through
    their alignment; identity when the texts are equal."""

    def __init__(self, theirs: str, ours: str) -> None:
        self.same = theirs == ours
        self.blocks: list[tuple[int, int, int]] = []
        if not self.same:
            matcher = difflib.SequenceMatcher(None, theirs, ours, autojunk=False)
            self.blocks = [(a, b, n) for a, b, n in matcher.get_matching_blocks() if n]

    def start(self, i: int) -> int | None:
        if self.same:
            return i
        for a, b, n in self.blocks:
            if a <= i < a + n:
                return b + (i - a)
        return None

    def end(self, i: int) -> int | None:
        if self.same:
            return i
        for a, b, n in self.blocks:
            if a < i <= a + n:
                return b + (i - a)
        return None


# -- export ------------------------------------------------------------------------------


def label_config() -> str:
    """The labelling configuration that matches `tasks` (Label Studio's XML)."""

    def labels(name: str, values: Iterable[str]) -> str:
        inner = "\n".join(f"    <Label value={quoteattr(v)}/>" for v in values)
        return f'  <Labels name="{name}" toName="{TEXT}">\n{inner}\n  </Labels>'

    genres = "\n".join(f"    <Choice value={quoteattr(g)}/>" for g in GENRES)
    return "\n".join(
        [
            "<View>",
            '  <Header value="$title"/>',
            labels("technique", TECHNIQUES),
            labels("voice", VOICE),
            labels("threat", SEVERITIES),
            '  <Relations><Relation value="said by"/></Relations>',
            f'  <Text name="{TEXT}" value="${TEXT}"/>',
            f'  <Choices name="genre" toName="{TEXT}" choice="single" showInline="true">',
            genres,
            "  </Choices>",
            "</View>",
            "",
        ]
    )


def _region(rid: str, control: str, text: str, start: int, end: int, label: str) -> dict[str, Any]:
    return {
        "id": rid,
        "from_name": control,
        "to_name": TEXT,
        "type": "labels",
        "value": {
            "start": to_utf16(text, start),
            "end": to_utf16(text, end),
            "text": text[start:end],
            "labels": [label],
        },
    }


def task_of(row: Mapping[str, Any]) -> dict[str, Any]:
    """One stored document as a Label Studio task with proplens's findings predicted."""
    text = row["text"]
    analysis = row["analysis"]
    result: list[dict[str, Any]] = []
    for i, t in enumerate(analysis.get("techniques", [])):
        region = _region(f"t{i}", "technique", text, t["start"], t["end"], t["technique"])
        region["score"] = t["score"]
        if t.get("reason"):
            region["meta"] = {"text": [t["reason"]]}
        result.append(region)
    for i, q in enumerate(analysis.get("quotes", [])):
        result.append(_region(f"q{i}", "voice", text, q["start"], q["end"], "Quote"))
        if q.get("speaker_start") is not None and q.get("speaker_end") is not None:
            result.append(
                _region(f"s{i}", "voice", text, q["speaker_start"], q["speaker_end"], "Speaker")
            )
            result.append(
                {"type": "relation", "from_id": f"q{i}", "to_id": f"s{i}",
                 "direction": "right", "labels": ["said by"]}
            )  # fmt: skip
    for i, th in enumerate(analysis.get("threats", [])):
        region = _region(f"h{i}", "threat", text, th["start"], th["end"], th["severity"])
        region["score"] = th["score"]
        result.append(region)
    if analysis.get("genre"):
        result.append(
            {"id": "g", "from_name": "genre", "to_name": TEXT, "type": "choices",
             "value": {"choices": [analysis["genre"]["label"]]},
             "score": analysis["genre"]["score"]}
        )  # fmt: skip
    return {
        "data": {
            TEXT: text,
            "title": row.get("title") or row["doc_id"],
            "proplens_id": row["id"],
            "doc_id": row["doc_id"],
            "sha256": row["sha256"],
            "source": row.get("source") or "",
        },
        "predictions": [{"model_version": row["model_version"], "result": result}],
    }


def export_tasks(store: Store) -> Iterator[dict[str, Any]]:
    for row in store.export_rows():
        yield task_of(row)


# -- import ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportReport:
    drafts: list[GoldDraft]
    problems: list[str]


def read_export(path: Path) -> list[dict[str, Any]]:
    """The tasks of a Label Studio JSON export (``JSON`` or ``JSON_MIN`` is not enough:
    the full ``JSON`` export carries the annotations with their regions)."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise LabelStudioError(f"{path}: cannot read ({exc.strerror or exc})") from None
    try:
        payload = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise LabelStudioError(
            f"{path}: not UTF-8 text; expected a Label Studio JSON export"
        ) from None
    except json.JSONDecodeError as exc:
        raise LabelStudioError(
            f"{path}: malformed JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})"
        ) from None
    if isinstance(payload, dict) and "data" in payload:
        payload = [payload]
    if not isinstance(payload, list) or not all(isinstance(t, dict) for t in payload):
        raise LabelStudioError(
            f"{path}: not a Label Studio JSON export (expected a list of tasks, each an object "
            "with 'data' and 'annotations')"
        )
    return payload


def _task_name(task: Mapping[str, Any], n: int) -> str:
    data = task.get("data") if isinstance(task.get("data"), dict) else {}
    doc = f" ({data.get('doc_id')})" if isinstance(data, dict) and data.get("doc_id") else ""
    return f"task {task.get('id', f'#{n + 1}')}{doc}"


def _annotator(annotation: Mapping[str, Any], default: str | None) -> str:
    if default:
        return default
    who = annotation.get("completed_by")
    if isinstance(who, dict):
        return str(who.get("email") or who.get("username") or f"user {who.get('id')}")
    return f"label-studio user {who}" if who is not None else "label-studio"


def _spans(
    results: Sequence[Any], theirs: str, ours: str, mapping: OffsetMap
) -> tuple[list[GoldAnnotation], list[str]]:
    """The regions of one annotation as gold annotations on the stored text."""
    out: list[GoldAnnotation] = []
    problems: list[str] = []
    regions: dict[str, tuple[str, int, int]] = {}
    relations: list[tuple[str, str]] = []
    for r in results:
        if not isinstance(r, dict):
            problems.append("a result that is not an object")
            continue
        kind, rid, value = r.get("type"), str(r.get("id", "?")), r.get("value") or {}
        if kind == "relation":
            relations.append((str(r.get("from_id")), str(r.get("to_id"))))
            continue
        control = r.get("from_name")
        if control not in CONTROLS:
            problems.append(f"region {rid}: control {control!r} is not in proplens's config")
            continue
        if kind == "choices":
            choices = value.get("choices") or []
            if control == "genre" and choices:
                if choices[0] not in GENRES:
                    problems.append(f"region {rid}: unknown genre {choices[0]!r}")
                else:
                    out.append(GoldAnnotation("genre", choices[0]))
            continue
        labels = value.get("labels") or []
        if not labels:
            problems.append(f"region {rid}: no label")
            continue
        located = _locate(value, theirs, ours, mapping)
        if isinstance(located, str):
            problems.append(f"region {rid} ({labels[0]}): {located}")
            continue
        start, end = located
        for label in labels:
            if control == "technique" and label not in TECHNIQUES:
                problems.append(f"region {rid}: unknown technique {label!r}")
            elif control == "threat" and label not in SEVERITIES:
                problems.append(f"region {rid}: unknown threat severity {label!r}")
            elif control == "voice" and label not in VOICE:
                problems.append(f"region {rid}: unknown voice label {label!r}")
            elif control == "voice":
                regions[rid] = (label, start, end)
            else:
                out.append(GoldAnnotation(str(CONTROLS[control]), label, start, end))
    said_by = {q: s for q, s in relations}
    for rid, (label, start, end) in regions.items():
        if label == "Quote":
            speaker = regions.get(said_by.get(rid, ""))
            name = ours[speaker[1] : speaker[2]] if speaker and speaker[0] == "Speaker" else None
            out.append(GoldAnnotation("quote", "Quote", start, end, name))
        else:
            out.append(GoldAnnotation("speaker", "Speaker", start, end))
    return out, problems


def _locate(
    value: Mapping[str, Any], theirs: str, ours: str, mapping: OffsetMap
) -> tuple[int, int] | str:
    """A region's offsets in the stored text, checked against the words it says it holds."""
    start, end, said = value.get("start"), value.get("end"), value.get("text")
    if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end:
        return f"no valid start/end ({start!r}, {end!r})"
    candidates = []
    for s, e in ((from_utf16(theirs, start), from_utf16(theirs, end)), (start, end)):
        if s is not None and e is not None and e <= len(theirs):
            candidates.append((s, e))
    for s, e in candidates:
        if said is None or theirs[s:e] == said:
            ms, me = mapping.start(s), mapping.end(e)
            if ms is not None and me is not None and ms < me and _same_words(ours[ms:me], said):
                return ms, me
    shown = (said or "")[:40]
    return f"offsets {start}-{end} do not hold the region's text {shown!r} in the stored document"


def _same_words(ours: str, said: str | None) -> bool:
    """The stored characters hold the region's words (line ends may have been rewritten)."""
    return said is None or ours.split() == said.split()


def gold_drafts(
    store: Store, tasks: Sequence[Mapping[str, Any]], annotator: str | None = None
) -> ImportReport:
    """Every usable annotation of every task as a draft gold version; the problems of the
    others, each naming its task. A task with any bad region is refused whole (half an
    analyst's corrections would be wrong gold)."""
    drafts: list[GoldDraft] = []
    problems: list[str] = []
    for n, task in enumerate(tasks):
        name = _task_name(task, n)
        data = task.get("data")
        if not isinstance(data, dict) or not isinstance(data.get(TEXT), str):
            problems.append(f"{name}: no data.{TEXT}; not a task exported by proplens")
            continue
        annotations = task.get("annotations")
        if not isinstance(annotations, list):
            problems.append(f"{name}: no annotations list (export with the JSON format)")
            continue
        doc_id = document_of(store, data.get("sha256"), data.get("proplens_id"))
        if doc_id is None:
            problems.append(f"{name}: no stored document matches it (sha256 or proplens_id)")
            continue
        row = store.get(doc_id)
        assert row is not None
        ours, theirs = row["text"], data[TEXT]
        mapping = OffsetMap(theirs, ours)
        task_drafts, task_problems = [], []
        for a in annotations:
            if not isinstance(a, dict) or a.get("was_cancelled"):
                continue
            results = a.get("result")
            if not isinstance(results, list):
                task_problems.append(f"annotation {a.get('id')}: no result list")
                continue
            spans, bad = _spans(results, theirs, ours, mapping)
            task_problems += [f"annotation {a.get('id')}, {p}" for p in bad]
            origin = (
                f"label-studio task {task.get('id')} annotation {a.get('id')} "
                f"updated {a.get('updated_at') or a.get('created_at') or '?'}"
            )
            task_drafts.append(GoldDraft(doc_id, _annotator(a, annotator), origin, tuple(spans)))
        if task_problems:
            problems += [f"{name}: {p}" for p in task_problems]
        else:
            drafts += task_drafts
    return ImportReport(drafts, problems)
