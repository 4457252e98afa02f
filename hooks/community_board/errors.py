"""Errors are data: every check appends a `Problem`; the run reports them all at once.

A `Problem` names the file (relative to the project, POSIX slashes), the line where it can be
known, the field, what is wrong and how to fix it, in Chinese, for staff who are not
programmers. `ContentError` is the model's one exception type: it carries every problem.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str | None
    message: str
    hint: str = ""

    def format(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        what = f"字段「{self.field}」：{self.message}" if self.field else self.message
        text = f"{where}：{what}"
        if self.hint:
            text += f"\n    怎么改：{self.hint}"
        return text


class ContentError(Exception):
    """Raised once, after loading, when any record is bad; carries every problem."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(problems, key=_sort_key)
        super().__init__(self.report())

    def report(self) -> str:
        lines = [p.format() for p in self.problems]
        lines.append(f"共发现 {len(self.problems)} 处错误，请逐一改正后再试。")
        return "\n".join(lines)


def _sort_key(p: Problem):
    return (p.file, p.line or 0, p.field or "", p.message)


@dataclass
class Problems:
    """A collector handed to every check; nothing raises mid-way."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int | None, fld: str | None, message: str, hint: str = "") -> None:
        self.items.append(Problem(file, line, fld, message, hint))

    def extend(self, problems: Iterable[Problem]) -> None:
        self.items.extend(problems)

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def raise_if_any(self) -> None:
        if self.items:
            raise ContentError(self.items)


def nearest(word: str, choices: Iterable[str]) -> str | None:
    """The closest valid spelling, for 'did you mean' hints (enviroment -> environment)."""
    found = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    guess = nearest(word, choices)
    listed = "、".join(choices)
    if guess:
        return f"是不是想写「{guess}」？可用的有：{listed}。"
    return f"可用的有：{listed}。"
