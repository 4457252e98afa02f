"""Quarters: the rhythm of the publicity window. Q1 is January to March, and so on."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_CN = "一二三四"
_ID = re.compile(r"(\d{4})-q([1-4])")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, text: str) -> "Quarter | None":
        m = _ID.fullmatch(text.strip().lower())
        return cls(int(m[1]), int(m[2])) if m else None

    @property
    def id(self) -> str:
        return f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        return f"{self.year}年第{_CN[self.number - 1]}季度"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end
