"""SemEval-2025 Task 10 subtask 1 (entity framing): the file format and the official measures.

A row is ``article<TAB>mention<TAB>start<TAB>end<TAB>main role<TAB>fine role[<TAB>...]``,
keyed by (article, mention without double quotes, start, end) as the official scorer keys
it; a prediction file must hold exactly the gold keys. The measures, from the task's
published definitions:

- exact-match ratio: the share of mentions whose main role and fine-role set both equal
  the gold (the official script compares the fine roles as a list, in file order; a set
  is what the task defines, and what this compares);
- main-role accuracy;
- micro and macro precision, recall and F1 over fine roles (the labels in gold or
  predictions; a label never predicted nor in gold has no score; zero divisions count 1,
  as the official script sets).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from proplens.eval.metrics import ClassScore, Score, f1, unmatched

MAIN_ROLES = ("Protagonist", "Antagonist", "Innocent")
FINE_ROLES: dict[str, tuple[str, ...]] = {
    "Protagonist": ("Guardian", "Martyr", "Peacemaker", "Rebel", "Underdog", "Virtuous"),
    "Antagonist": (
        "Instigator", "Conspirator", "Tyrant", "Foreign Adversary", "Traitor", "Spy",
        "Saboteur", "Corrupt", "Incompetent", "Terrorist", "Deceiver", "Bigot",
    ),
    "Innocent": ("Forgotten", "Exploited", "Victim", "Scapegoat"),
}  # fmt: skip
ALL_FINE = tuple(r for roles in FINE_ROLES.values() for r in roles)
HEADER = ["article_id", "entity_mention", "start_offset", "end_offset", "main_role"]

Key = tuple[str, str, int, int]


@dataclass(frozen=True)
class RoleRow:
    article: str
    mention: str
    start: int
    end: int  # inclusive, as in the official files
    main: str
    fine: tuple[str, ...]

    @property
    def key(self) -> Key:
        return (self.article, self.mention.replace('"', ""), self.start, self.end)

    def line(self) -> str:
        return "\t".join([self.article, self.mention, str(self.start), str(self.end),
                          self.main, *self.fine])  # fmt: skip


class RoleFileError(ValueError):
    """A role file that cannot be scored; the message names the file and the line."""


def read_mentions(path: Path) -> list[tuple[str, str, int, int]]:
    """(article, mention, start, end) of each line of an entity-mention file (the official
    input: the first four fields; any further fields are ignored)."""
    out = []
    for number, parts in _lines(path):
        if len(parts) < 4:
            raise RoleFileError(f"{path}:{number}: expected article, mention, start, end")
        out.append(
            (parts[0], parts[1], _offset(path, number, parts[2]), _offset(path, number, parts[3]))
        )
    return out


def read_roles(path: Path, *, check: bool = True) -> dict[Key, RoleRow]:
    """The rows of a role file by key; with ``check``, unknown roles and a fine role of
    another main role are errors naming the line."""
    rows: dict[Key, RoleRow] = {}
    for number, parts in _lines(path):
        if len(parts) < 5:
            raise RoleFileError(f"{path}:{number}: expected at least 5 tab-separated fields")
        main, fine = parts[4].strip(), tuple(p.strip() for p in parts[5:] if p.strip())
        if check and main not in MAIN_ROLES:
            raise RoleFileError(f"{path}:{number}: unknown main role {main!r}")
        if check and (bad := [r for r in fine if r not in FINE_ROLES[main]]):
            raise RoleFileError(f"{path}:{number}: {bad[0]!r} is not a fine role of {main}")
        row = RoleRow(parts[0], parts[1], _offset(path, number, parts[2]),
                      _offset(path, number, parts[3]), main, fine)  # fmt: skip
        if row.key in rows:
            raise RoleFileError(f"{path}:{number}: the mention {row.key} appears twice")
        rows[row.key] = row
    return rows


def _lines(path: Path) -> list[tuple[int, list[str]]]:
    out = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        parts = line.rstrip("\n\r").split("\t")
        if number == 1 and parts[:5] == HEADER:
            continue
        out.append((number, parts))
    return out


def _offset(path: Path, number: int, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise RoleFileError(f"{path}:{number}: offset {value[:20]!r} is not a number") from None


def score_roles(gold: Mapping[Key, RoleRow], pred: Mapping[Key, RoleRow]) -> Score:
    """The official measures; the headline (last line) is the exact-match ratio."""
    if problem := unmatched(gold, pred, "mention"):
        raise RoleFileError(problem)
    keys = sorted(gold)
    n = len(keys)
    exact = sum(
        gold[k].main == pred[k].main and set(gold[k].fine) == set(pred[k].fine) for k in keys
    )
    main = sum(gold[k].main == pred[k].main for k in keys)
    labels = sorted({r for k in keys for r in (*gold[k].fine, *pred[k].fine)})
    per_class = {}
    tp_all = pred_all = gold_all = 0
    for label in labels:
        tp = sum(label in gold[k].fine and label in pred[k].fine for k in keys)
        n_pred = sum(label in pred[k].fine for k in keys)
        n_gold = sum(label in gold[k].fine for k in keys)
        p = tp / n_pred if n_pred else 1.0
        r = tp / n_gold if n_gold else 1.0
        per_class[label] = ClassScore(p, r, f1(p, r), n_gold)
        tp_all, pred_all, gold_all = tp_all + tp, pred_all + n_pred, gold_all + n_gold
    micro_p = tp_all / pred_all if pred_all else 1.0
    micro_r = tp_all / gold_all if gold_all else 1.0
    macro_f1 = sum(c.f1 for c in per_class.values()) / len(per_class) if per_class else 1.0
    return Score(
        "exact_match_ratio",
        exact / n if n else 0.0,
        micro_p,
        micro_r,
        per_class,
        extra={
            "main_role_accuracy": main / n if n else 0.0,
            "fine_micro_f1": f1(micro_p, micro_r),
            "fine_macro_f1": macro_f1,
            "mentions": float(n),
        },
    )


def evaluate_roles(gold: Path, pred: Path) -> Score:
    return score_roles(read_roles(gold, check=False), read_roles(pred))
