"""What a reader gives for an input it cannot read, and the text clean-ups every reader
shares."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from proplens.document import Document


@dataclass(frozen=True)
class IngestError:
    """A document that could not be read: where, and what is wrong with it."""

    source: str
    problem: str

    def __str__(self) -> str:
        return f"{self.source}: {self.problem}"


Item = Document | IngestError

#: Characters no store or report can hold: lone surrogates (JSON escapes such as
#: "\ud800") and NUL. Each is replaced by U+FFFD, one for one, so offsets do not move.
_UNSTORABLE = re.compile("[\ud800-\udfff\x00]")


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def storable(text: str) -> str:
    """``text`` with every unstorable character replaced (same length)."""
    return _UNSTORABLE.sub("\ufffd", text)


def display_path(path: os.PathLike[str] | str) -> str:
    """A path as text that can be printed and stored: bytes of a file name that are not
    UTF-8 are shown as ``\\xNN`` escapes."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")
