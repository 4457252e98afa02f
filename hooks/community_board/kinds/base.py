"""The declaration of a record kind: each field once, and the dataclass built from it.

A `Field` says everything about one field: the key staff write, the Python type and default
of the record's attribute, the normaliser that checks it, its Chinese label and help, and
whether residents see it. `schema.validate` reads the same `Field` (key, label, normalise,
required), and `record` builds the frozen dataclass from the same list, so the rule, the
type and the default cannot drift apart. A `Kind` adds the file layout, the consent field,
the URL and the loader that reads its files.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Callable, Mapping

from ..schema import Normaliser
from ..yamlio import LineDict, LineList



class _NoDefault:
    """The default of a field that has none (dataclasses.MISSING would mean that for Field too)."""

    def __repr__(self) -> str:
        return "NO_DEFAULT"


NO_DEFAULT = _NoDefault()


@dataclass(frozen=True)
class Field:
    key: str  # as staff write it; also the attribute's name unless `attr` says otherwise
    type: Any  # the record attribute's type, as written in an annotation
    label: str  # Chinese, shown in errors and documentation
    help: str = ""  # Chinese: what to write, for the docs and the questions of scripts/new.py
    normalise: Normaliser | None = None  # None: not written by staff (the loader sets it)
    required: bool = False
    default: Any = NO_DEFAULT
    # Residents see it (a page, search, the feed, an image): the privacy walk checks every
    # string of a public field; only a field declared not public is skipped.
    public: bool = True
    attr: str = ""  # the attribute's name where the key is a Python keyword (`from`)
    # Chinese, for the docs: what the loader puts where it is left out, when that is not a
    # constant (a summary: the body's first paragraph)
    derived: str = ""
    # The web editor's input where the normaliser does not tell it (editor config, issue 17):
    # "column" (a select of community.yml's columns), "image" (a photo file), "file" (an
    # attachment), "markdown", "datetime"; "" derives it from the normaliser.
    widget: str = ""

    @property
    def name(self) -> str:
        return self.attr or self.key

    @property
    def written(self) -> bool:
        return self.normalise is not None


def written(fields: tuple[Field, ...]) -> tuple[Field, ...]:
    """The fields staff write, in declaration order: the table `schema.validate` checks."""
    return tuple(f for f in fields if f.written)


def record(fields: tuple[Field, ...]) -> Callable[[type], type]:
    """Make the decorated class a frozen dataclass whose attributes, types and defaults are
    the declaration's, in its order (which is also the order the privacy walk reports in)."""
    def build(cls: type) -> type:
        cls.__annotations__ = {f.name: f.type for f in fields}
        for f in fields:
            if f.default is not NO_DEFAULT:
                setattr(cls, f.name, f.default)
        # what the privacy walk skips, for a record nested in another (a photo, a column) too
        cls.__not_public__ = frozenset(f.name for f in fields if not f.public)
        return dataclass(frozen=True)(cls)
    return build


def values(fields: tuple[Field, ...], checked: Mapping[str, Any]) -> dict[str, Any]:
    """The record's attributes from the checked front matter: a field left out gets its
    declared default (a required one is always present once validated)."""
    return {f.name: checked[f.key] if f.key in checked else f.default for f in fields if f.written}


@dataclass(frozen=True)
class Layout:
    top: str  # the entry in content/ that holds the kind: a file or a folder
    pattern: str  # the files' names, as staff read it: "boards/YYYY-qN.yml"
    section: str = ""  # the list in that file holding the records, where a file holds a list
    # the folders of content/ holding the files its records name (photos, attachments): they
    # are allowed at the top of content/ beside the kinds' own entries
    files: tuple[str, ...] = ()

    @property
    def glob(self) -> str:
        """The pattern as a glob from content/: "activities/*/*.md"; the top's name as it is."""
        top, *rest = self.pattern.split("/")
        return "/".join([top, *("*" + PurePosixPath(part).suffix for part in rest)])

    @property
    def folder(self) -> bool:
        """The kind is a folder of files (one a record, or a year's records), not one file."""
        return "/" in self.pattern


@dataclass(frozen=True)
class Kind:
    name: str  # the Catalog attribute that holds the records: "slogans"
    label: str  # Chinese: "标语"
    layout: Layout
    fields: tuple[Field, ...]
    record: type
    url: Callable[[Any], str]  # the page that shows the record, from the site's root
    consent: str | None = None  # the field that carries consent for the whole record
    # load(loader, loaded) -> {kind name: records}: reads the kind's files, reporting every
    # problem; `loaded` holds the kinds read before it. None where another kind's loader
    # reads it (maxims are read with slogans: one file).
    load: Callable[[Any, Mapping[str, tuple]], dict[str, tuple]] | None = None
    # What a kind adds to the site; each None where it adds nothing that way. published.py,
    # pages.py, session.py, feed.py, search.py, printboard.py and upcoming.py loop over these
    # instead of naming kinds.
    # (record, as_of): in the published view (published.py); None: every record is
    listed: Callable[[Any, Any], bool] | None = None
    pages: Callable[[Any], list] | None = None  # (pages.Site) -> its PageSpecs
    home: Callable[[Any, str], list[str]] | None = None  # (Site, src) -> HTML on the home page
    files: Callable[[Any, str], dict[str, bytes]] | None = None  # (Content, site_url) -> {path: bytes}
    feed: Callable[[Any], list[tuple]] | None = None  # (Content) -> feed.feed_entries' tuples
    search: Callable[[Any], list] | None = None  # (Content) -> search.SearchDoc list
    sheet: Callable[[Any, Any], str] | None = None  # (Content, Board) -> HTML for the printed board's side
    # (record) -> ((day, action), ...): the days check.py --upcoming announces besides its
    # appearing; actions are upcoming.ACTION_LABELS keys ("start", "end")
    moments: Callable[[Any], tuple] | None = None
    # (record) -> its title in check.py --upcoming's list of what appears; None: the kind's
    # records are not announced one by one (community.yml, maxims, boards)
    announced: Callable[[Any], str] | None = None
    # the tables of the mappings a field holds (an activity's photos): (field key, table), for
    # the docs' tables and the editor's nested inputs
    parts: tuple[tuple[str, tuple[Field, ...]], ...] = ()

    def path(self, record: Any) -> str:
        """The record's URL without the leading /, as the feed, search and --upcoming name it."""
        return self.url(record).lstrip("/")

    def src(self, record: Any) -> str:
        """The Markdown source of the page that shows the record (activities/<id>.md): what
        pages link to, so a link follows the URL the kind declares."""
        return self.path(record).split("#", 1)[0].rstrip("/") + ".md"

    def anchor(self, record: Any) -> str:
        """The place on that page ("#honor-2026-001"), or ""."""
        url = self.url(record)
        return url[url.index("#"):] if "#" in url else ""

    @property
    def not_public(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if not f.public)

    @property
    def table(self) -> tuple[Field, ...]:
        return written(self.fields)


def line_in(data: Any, key: str, index: int) -> int | None:
    """The line of item `index` of the list `key` in a YAML mapping, else the mapping's."""
    seq = data.get(key) if isinstance(data, dict) else None
    if isinstance(seq, LineList):
        return seq.line_of(index)
    return data.line if isinstance(data, LineDict) else None
