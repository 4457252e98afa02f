"""Every record kind, one module each; `KINDS` is the one list the loader and the privacy
walk loop over (Pelican's list of generators). Kinds not yet moved here are still read by
content.py's own loaders (honours).

To add a kind: write its module (fields, dataclass, layout, url, load) and add it here."""
from __future__ import annotations

from typing import Any

from .activities import ACTIVITIES
from .base import Field, Kind, Layout
from .boards import BOARDS
from .community import COMMUNITY
from .events import EVENTS
from .honors import HONORS
from .notices import NOTICES
from .slogans import MAXIMS, SLOGANS

# In loading order: a kind's loader sees the records of the kinds before it.
KINDS: tuple[Kind, ...] = (COMMUNITY, ACTIVITIES, HONORS, NOTICES, SLOGANS, MAXIMS, BOARDS, EVENTS)

# What may stand at the top of content/: each kind's file or folder, then the folders of the
# files records name; anything else is reported (content._check_top_level).
TOP_ENTRIES: tuple[str, ...] = tuple(dict.fromkeys(
    [*(k.layout.top for k in KINDS), *(folder for k in KINDS for folder in k.layout.files)]))


def kind_of(record: Any) -> Kind | None:
    """The declaration of the record's kind; None for a kind not yet moved here."""
    return next((k for k in KINDS if type(record) is k.record), None)


__all__ = ["ACTIVITIES", "COMMUNITY", "EVENTS", "Field", "HONORS", "KINDS", "Kind", "Layout", "NOTICES", "SLOGANS",
           "TOP_ENTRIES", "kind_of"]
