"""What may be published on the as-of date, and the boards derived from it.

Nothing dated after the as-of date, published after it, or marked draft survives `published`:
every page, feed, index and image downstream is made from this view only.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from .kinds import KINDS
from .quarters import Quarter
from .records import Activity, BoardChoice, Catalog, Community, Honor, Maxim, Notice, Slogan


def _visible(record, as_of: date) -> bool:
    return (not record.draft and record.date <= as_of
            and (record.publish is None or record.publish <= as_of))


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
    activities: tuple[Activity, ...]  # newest first
    honors: tuple[Honor, ...]  # newest year first, file order within a year
    slogans: tuple[Slogan, ...]
    maxims: tuple[Maxim, ...]
    notices: tuple[Notice, ...]  # newest first
    choices: tuple[BoardChoice, ...]
    withheld: int  # records kept back (future, scheduled or draft): for the checker's summary
    # the published records of each kind that publishes itself (Kind.listed), by kind name
    kinds: dict[str, tuple] = field(default_factory=dict)

    def records(self, kind) -> tuple:
        """The published records of a kind: those of a kind that publishes itself are in
        `kinds`, the others in the attribute of the kind's name."""
        return self.kinds.get(kind.name, ()) if kind.listed else getattr(self, kind.name)

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
    activities = tuple(a for a in catalog.activities if _visible(a, as_of))
    notices = tuple(n for n in catalog.notices if _visible(n, as_of))
    honors = tuple(h for h in catalog.honors
                   if h.year <= as_of.year and (h.date is None or h.date <= as_of))
    slogans = tuple(s for s in catalog.slogans if s.start is None or s.start <= as_of)
    withheld = (len(catalog.activities) - len(activities) + len(catalog.notices) - len(notices)
                + len(catalog.honors) - len(honors) + len(catalog.slogans) - len(slogans))
    kinds = {k.name: tuple(r for r in getattr(catalog, k.name) if k.listed(r, as_of)) for k in KINDS if k.listed}
    withheld += sum(len(getattr(catalog, name)) - len(shown) for name, shown in kinds.items())
    return Content(as_of, catalog.community, activities, honors, slogans, catalog.maxims,
                   notices, catalog.boards, withheld, kinds)
