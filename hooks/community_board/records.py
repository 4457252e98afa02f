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
from .kinds.activities import Activity, Photo  # noqa: F401
from .kinds.boards import BoardChoice
from .kinds.community import Column, Community, CommunityHonor, Facility  # noqa: F401
from .kinds.events import Event
from .kinds.honors import Honor
from .kinds.notices import Attachment, Notice  # noqa: F401  (Attachment: for attachments.py and tests)
from .kinds.slogans import Maxim, Slogan


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
