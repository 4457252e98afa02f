"""Every record kind, one module each; `KINDS` is the one list the loader, the privacy walk,
the site (pages, home page, search, feed, extra files, printed board), `check.py --upcoming`,
the documentation's field tables and the web editor's configuration (issue 17) loop over
(Pelican's list of generators). Boards and reports stay views across kinds (published.py,
reports.py).

To add a kind, touch:
1. its module here, `kinds/<name>.py`: each field once (`Field`: type, required or default,
   normaliser, Chinese label and help, public or not, editor widget), the record made from
   them (`@record(FIELDS)`), its `Layout` (its file or folder in content/, and the folders
   of the files its records name), `url()`, `load()` with its cross-field checks, and what
   it publishes (`listed`, `pages`, `home`, `files`, `feed`, `search`, `sheet`, `moments`,
   `announced`; `parts` for the mappings inside a field). kinds/events.py is the example;
2. one line in `KINDS` below (its place is its loading order: a loader sees the kinds
   before it), and its import;
3. overrides/ (templates, assets/board/board.css) if its pages need a look of their own, and
   mkdocs.yml's nav if it wants a tab of its own;
4. docs/content-format.md: its section, with a `<!-- fields: <name> -->` marker whose table
   `python -m community_board.kinds.docs docs/content-format.md` (in hooks/) writes;
5. tests/test_<name>.py for its own rules (tests/test_kinds.py checks every kind's
   declaration, record, privacy walk, URL and table already).
Nothing else: the Catalog gets a field for it, content/ allows its entry, check_records
walks its records and the docs test asks for its table; pages, the published view
(published.py, by `listed`) and the files read ahead (content.record_files, by its layout)
follow it. scripts/new.py makes a record of a kind written one per Markdown file from its
declaration once the kind has a line in its GENERIC (events); activities, notices and honours
keep makers of their own, their flags from the declarations too.
"""
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

# In loading order (a kind's loader sees the records of the kinds before it), which is also
# the order of their pages in the site and its sitemap.
KINDS: tuple[Kind, ...] = (COMMUNITY, ACTIVITIES, HONORS, SLOGANS, MAXIMS, NOTICES, BOARDS, EVENTS)

# What may stand at the top of content/: each kind's file or folder, then the folders of the
# files records name; anything else is reported (content._check_top_level).
TOP_ENTRIES: tuple[str, ...] = tuple(dict.fromkeys(
    [*(k.layout.top for k in KINDS), *(folder for k in KINDS for folder in k.layout.files)]))


def kind_of(record: Any) -> Kind | None:
    """The declaration of the record's kind; None for a record nested in another (a photo)."""
    return next((k for k in KINDS if type(record) is k.record), None)


__all__ = ["ACTIVITIES", "COMMUNITY", "EVENTS", "Field", "HONORS", "KINDS", "Kind", "Layout", "NOTICES", "SLOGANS",
           "TOP_ENTRIES", "kind_of"]
