"""The community's records as frozen data: what staff wrote, validated and normalised.

The rules for each field (types, choices, Chinese labels) live in `schema.py`; this module
only says what a record is. Kinds moved to `kinds/` (slogans, maxims, notices, boards)
declare their record there, from the same field list as their rules, and are re-exported
here for the code that reads them.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# re-exported: declared in their kind's module
from .kinds.boards import BoardChoice
from .kinds.community import Column, Community, CommunityHonor, Facility  # noqa: F401
from .kinds.events import Event
from .kinds.notices import Attachment, Notice  # noqa: F401  (Attachment: for attachments.py and tests)
from .kinds.slogans import Maxim, Slogan


@dataclass(frozen=True)
class Photo:
    file: str  # relative to content/
    caption: str = ""
    consent: bool = False


@dataclass(frozen=True)
class Activity:
    id: str
    source: str  # the record's file, relative to the project
    title: str
    date: date
    column: str
    body: str
    summary: str = ""
    location: str = ""
    organizers: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    stats: tuple[tuple[str, float], ...] = ()  # in schema.STATS order
    photos: tuple[Photo, ...] = ()
    cover: str | None = None
    featured: bool = False
    publish: date | None = None
    draft: bool = False
    consent: bool = False
    body_line: int = 1

    @property
    def cover_photo(self) -> str | None:
        if self.cover:
            return self.cover
        return self.photos[0].file if self.photos else None

    def stat(self, key: str) -> float:
        return dict(self.stats).get(key, 0)


@dataclass(frozen=True)
class Honor:
    year: int
    index: int  # position in honors/YYYY.yml: a stable id within the year
    source: str
    title: str
    kind: str
    name: str
    stars: int | None = None
    place: str = ""
    date: date | None = None
    by: str = ""
    level: str = ""
    story: str = ""
    photo: str | None = None
    consent: bool = False
    line: int = 0

    @property
    def id(self) -> str:
        return f"{self.year}-{self.index + 1:03d}"


@dataclass(frozen=True)
class Catalog:
    """Every valid record, before the as-of date filters anything out."""

    community: Community
    activities: tuple[Activity, ...] = ()
    honors: tuple[Honor, ...] = ()
    slogans: tuple[Slogan, ...] = ()
    maxims: tuple[Maxim, ...] = ()
    notices: tuple[Notice, ...] = ()
    boards: tuple[BoardChoice, ...] = field(default=())
    events: tuple[Event, ...] = ()
