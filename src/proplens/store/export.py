"""Exporting the corpus: JSONL with full analyses, CSV/Parquet with one row per document,
Label Studio tasks with proplens's findings as pre-annotations."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from proplens.engines import MissingExtra
from proplens.report import write_atomic
from proplens.store import Store
from proplens.techniques import TECHNIQUES

COLUMNS = ("id", "doc_id", "source", "path", "lang", "title", "words", "published", "added_at",
           "genre", "model_version", "technique_spans", "author_spans")  # fmt: skip


def flat_row(row: dict[str, Any]) -> dict[str, Any]:
    """One document as a flat record: metadata, span counts, and a count per technique."""
    spans = row["analysis"].get("techniques", [])
    counts = Counter(t["technique"] for t in spans)
    out = {k: row.get(k) for k in COLUMNS if k not in ("technique_spans", "author_spans")}
    out["technique_spans"] = len(spans)
    out["author_spans"] = sum(1 for t in spans if t["speaker"] == "author")
    out.update({t: counts.get(t, 0) for t in TECHNIQUES})
    return out


def export(
    store: Store, fmt: str, output: Path, source: str | None = None, limit: int | None = None
) -> int:
    """Write every document (of ``source``, the first ``limit``) to ``output`` atomically;
    returns how many."""
    rows = store.export_rows(source, limit)
    count = [0]

    def counted(pieces: Iterator[str]) -> Iterator[str]:
        for piece in pieces:
            count[0] += 1
            yield piece

    if fmt == "label-studio":
        write_atomic(output, _json_array(counted(_task_pieces(rows))))
        return count[0]
    if fmt == "jsonl":
        lines = (json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in rows)
        write_atomic(output, counted(lines))
        return count[0]
    flat = [flat_row(r) for r in rows]
    if fmt in ("csv", "parquet"):
        write_records(flat, fmt, output, [*COLUMNS, *TECHNIQUES])
        return len(flat)
    raise ValueError(f"unknown export format {fmt!r}")


def _task_pieces(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    from proplens.store.labelstudio import task_of

    for row in rows:
        yield json.dumps(task_of(row), ensure_ascii=False)


def _json_array(items: Iterator[str]) -> Iterator[str]:
    """A JSON array written item by item (one task a line)."""
    yield "["
    for n, item in enumerate(items):
        yield ("\n" if n == 0 else ",\n") + item
    yield "\n]\n"


def write_records(
    flat: list[dict[str, Any]], fmt: str, output: Path, columns: list[str] | None = None
) -> None:
    """Flat records to a CSV or Parquet file, atomically (the 'parquet' extra for Parquet)."""
    columns = columns or (list(flat[0]) if flat else [])
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=columns)
        writer.writeheader()
        writer.writerows(flat)
        write_atomic(output, buffer.getvalue())
        return
    if fmt == "parquet":
        import os
        import tempfile

        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ModuleNotFoundError:
            raise MissingExtra(
                "Parquet export needs the 'parquet' extra: .venv/bin/pip install -e '.[parquet]'"
            ) from None

        table = pa.Table.from_pylist(flat) if flat else pa.table({c: [] for c in columns})
        output.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".proplens-", dir=output.parent)
        os.close(fd)
        try:
            pq.write_table(table, tmp)
            os.replace(tmp, output)
        finally:
            Path(tmp).unlink(missing_ok=True)
        return
    raise ValueError(f"unknown export format {fmt!r}")
