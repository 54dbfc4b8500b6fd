"""Renderers from an `Analysis` to the formats people and machines read, and safe writing."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from proplens.analysis import Analysis
from proplens.report.html import render_html
from proplens.report.text import render_markdown, render_text


def render_json(analysis: Analysis) -> str:
    return json.dumps(analysis.to_dict(), ensure_ascii=False, indent=1) + "\n"


RENDERERS: dict[str, Callable[[Analysis], str]] = {
    "json": render_json,
    "html": render_html,
    "md": render_markdown,
    "text": render_text,
}
SUFFIX = {"json": ".json", "html": ".html", "md": ".md", "text": ".txt"}


def render(analysis: Analysis, fmt: str) -> str:
    try:
        return RENDERERS[fmt](analysis)
    except KeyError:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(RENDERERS)}") from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, content: str | Iterable[str]) -> None:
    """Write via a temporary file in the same folder and rename: never a half-written file.

    ``content`` may be an iterable of pieces, written as they come (an export of a large
    corpus is never held whole in memory). The temporary name is short whatever ``path``
    is called, so any name the file system takes for the report it also takes for the
    temporary file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".proplens-", suffix=".tmp", dir=path.parent)
    os.chmod(tmp, 0o666 & ~_umask())  # mkstemp creates 0600; reports are ordinary files
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            for piece in [content] if isinstance(content, str) else content:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
