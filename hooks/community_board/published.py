"""What may be published on the as-of date, and the boards derived from it.

Nothing dated after the as-of date, published after it, or marked draft survives `published`:
every page, feed, index and image downstream is made from this view only.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .kinds import KINDS
from .quarters import Quarter
from .records import Activity, BoardChoice, Catalog, Community, Honor, Maxim, Notice, Slogan


@dataclass(frozen=True)
class Board:
    """One quarter's publicity window."""

    quarter: Quarter
    theme: str
    slogans: tuple[Slogan, ...]
    featured: tuple[Activity, ...]
    others: tuple[Activity, ...]
    notices: tuple[Notice, ...]
    honors: tuple[Honor, ...]
    current: bool
    previous: Quarter | None
    next: Quarter | None

    @property
    def activities(self) -> tuple[Activity, ...]:
        return self.featured + self.others


@dataclass(frozen=True)
class Content:
    as_of: date
    community: Community
    # the published records of every kind but community.yml, by kind name: each kind's
    # `listed` decides (nothing dated after the as-of date, published after it, or a draft);
    # a kind without one is shown whole (maxims, the boards' choices)
    kinds: dict[str, tuple]
    withheld: int  # records kept back (future, scheduled or draft): for the checker's summary

    def records(self, kind) -> tuple:
        """The published records of a kind."""
        return self.kinds.get(kind.name, ())

    # The views' names for the first kinds (boards and reports are made of them).
    @property
    def activities(self) -> tuple[Activity, ...]:  # newest first
        return self.kinds["activities"]

    @property
    def honors(self) -> tuple[Honor, ...]:  # newest year first, file order within a year
        return self.kinds["honors"]

    @property
    def slogans(self) -> tuple[Slogan, ...]:
        return self.kinds["slogans"]

    @property
    def maxims(self) -> tuple[Maxim, ...]:
        return self.kinds["maxims"]

    @property
    def notices(self) -> tuple[Notice, ...]:  # newest first
        return self.kinds["notices"]

    @property
    def choices(self) -> tuple[BoardChoice, ...]:  # boards/YYYY-qN.yml; `boards` are the views
        return self.kinds["boards"]

    @property
    def current_quarter(self) -> Quarter:
        return Quarter.of(self.as_of)

    @cached_property
    def quarters(self) -> tuple[Quarter, ...]:
        """Quarters with records, oldest first, always ending with the current one."""
        found = {Quarter.of(r.date) for r in self.activities + self.notices}
        found.update(q for q in (Quarter.parse(c.quarter) for c in self.choices) if q)
        found.add(self.current_quarter)
        return tuple(sorted(q for q in found if q <= self.current_quarter))

    @property
    def archived_quarters(self) -> tuple[Quarter, ...]:
        return self.quarters[:-1]

    @property
    def current_notices(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.notices if n.current_on(self.as_of))

    @property
    def expired_notices(self) -> tuple[Notice, ...]:
        """The archive: notices whose `expires` has passed."""
        return tuple(n for n in self.notices if n.expires is not None and n.expires < self.as_of)

    @cached_property
    def _activities_by_quarter(self) -> dict[Quarter, list[Activity]]:
        by: dict[Quarter, list[Activity]] = {}
        for a in self.activities:  # newest first, kept within each quarter
            by.setdefault(Quarter.of(a.date), []).append(a)
        return by

    def board(self, quarter: Quarter) -> Board:
        choice = next((c for c in self.choices if c.quarter == quarter.id), None)
        mine = self._activities_by_quarter.get(quarter, [])
        by_id = {a.id: a for a in mine}
        chosen = [by_id[i] for i in (choice.featured if choice else ()) if i in by_id]
        chosen += [a for a in mine if a.featured and a.id not in (choice.featured if choice else ())]
        shown = {a.id for a in chosen}
        others = tuple(a for a in mine if a.id not in shown)
        if choice and choice.slogans is not None:
            texts = {s.text: s for s in self.slogans}
            slogans = tuple(texts[t] for t in choice.slogans if t in texts)
        else:
            slogans = tuple(s for s in self.slogans if s.active_between(quarter.start, quarter.end))
        cutoff = min(quarter.end, self.as_of)
        index = self._quarter_index.get(quarter)
        return Board(
            quarter=quarter,
            theme=(choice.theme if choice and choice.theme else f"{quarter.label}社区宣传窗"),
            slogans=slogans,
            featured=tuple(chosen),
            others=others,
            notices=tuple(n for n in self.notices if n.current_on(cutoff)),
            honors=tuple(h for h in self.honors
                         if h.year == quarter.year and (h.date is None or h.date <= cutoff)),
            current=quarter == self.current_quarter,
            previous=self.quarters[index - 1] if index else None,
            next=self.quarters[index + 1] if index is not None and index + 1 < len(self.quarters) else None,
        )

    @cached_property
    def _quarter_index(self) -> dict[Quarter, int]:
        return {q: i for i, q in enumerate(self.quarters)}

    @cached_property
    def boards(self) -> tuple[Board, ...]:
        return tuple(self.board(q) for q in self.quarters)

    def board_of(self, quarter: Quarter) -> Board:
        """The board of a quarter with records, computed once per build."""
        return self.boards[self._quarter_index[quarter]]


def published(catalog: Catalog, as_of: date) -> Content:
    kinds = {k.name: tuple(r for r in getattr(catalog, k.name) if k.listed is None or k.listed(r, as_of))
             for k in KINDS if k is not KINDS[0]}  # community.yml: one record, always shown
    withheld = sum(len(getattr(catalog, name)) - len(shown) for name, shown in kinds.items())
    return Content(as_of, catalog.community, kinds, withheld)
