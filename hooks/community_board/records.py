"""The community's records as frozen data: what staff wrote, validated and normalised.

Each kind declares its record in its own module in `kinds/`, from the same field list as its
rules; they are re-exported here for the code that reads them. `Catalog` holds every valid
record: community.yml's one record, then a tuple for each kind in KINDS, a field made for
each, so a new kind needs no line here.
"""
from __future__ import annotations

import dataclasses

from .kinds import KINDS
# re-exported: declared in their kind's module
from .kinds.activities import Activity, Photo  # noqa: F401
from .kinds.boards import BoardChoice  # noqa: F401
from .kinds.community import Column, Community, CommunityHonor, Facility  # noqa: F401
from .kinds.honors import Honor  # noqa: F401
from .kinds.notices import Attachment, Notice  # noqa: F401  (Attachment: for attachments.py and tests)
from .kinds.slogans import Maxim, Slogan  # noqa: F401

# community.yml is KINDS' first kind and a single record (None when it could not be read)
Catalog = dataclasses.make_dataclass(
    "Catalog",
    [("community", Community | None)]
    + [(k.name, tuple[k.record, ...], dataclasses.field(default=())) for k in KINDS if k is not KINDS[0]],
    frozen=True)
Catalog.__module__ = __name__
Catalog.__doc__ = """Every valid record, before the as-of date filters anything out: `community`,
then the records of each kind by its name (activities newest first, ...)."""
