"""The build cache: pure results kept on disk from one build to the next (`.cache/build/`).

A daily rebuild (the as-of date moves a day, one activity is added) repeats nearly all of the
last build's work: the staff's Markdown, the parsed YAML, the privacy checks' answers, the
search terms, every page's HTML, the post-build scan of unchanged files, and the whole checked
catalog while content/ and every file it was read from are unchanged (content.read_catalog). The memo (memo.py)
keeps those results by a digest of all their inputs; this file is the memo on disk, read when
a build starts and written when it has passed every check.

Nothing in a key can be stale. What the keys do not hold is the cache's `version`: our code
(every file of this package and the hook file), every installed package's version, Python's,
mkdocs.yml, and the BOARD_ settings other than the as-of date, the worker count and the cache
folders. A build whose version differs starts with an empty cache. An entry no build has used
for KEEP_BUILDS builds is dropped, so the file holds a few builds' worth, however long the site
lives (and a result one build did not need, such as each document's search terms when the
whole index was unchanged, is still there for the next).

A damaged file (truncated by a full disk, a bit flipped) fails its checksum and is ignored:
the build is then a cold one, never a crash and never different bytes. The file is pickled:
it is read only from the project's own `.cache/`, which is as trusted as the hook code next to
it; anyone who can write there can write hooks/ too.
"""
from __future__ import annotations

import copyreg
from contextlib import contextmanager
import hashlib
import os
import pickle
import sys
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any, Mapping

from .memo import Memo, digest

FILE_NAME = "cache.pickle"
MAGIC = b"community-board build cache 2\n"
_CHECKSUM = 32  # bytes of blake2b over the pickled payload, which they follow
# BOARD_ settings that do not change what any cached work computes: the as-of date is an
# input of the pages themselves (their HTML is in the keys), the others say where or how fast.
_NOT_IN_VERSION = frozenset({"BOARD_AS_OF", "BOARD_JOBS", "BOARD_BUILD_CACHE", "BOARD_CACHE", "BOARD_SHARE_CACHE"})
_PACKAGE = Path(__file__).resolve().parent
KEEP_BUILDS = 3


def cache_dir_of(project_dir: Path, env: Mapping[str, str]) -> Path:
    return Path(env.get("BOARD_BUILD_CACHE") or Path(project_dir) / ".cache" / "build")


def version(config_file: Path | None, env: Mapping[str, str]) -> str:
    """What every cached result depends on besides its key (see the module's docstring)."""
    parts: list[str | bytes] = [MAGIC, sys.version]
    parts += sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    code = [p for p in _PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    code.append(_PACKAGE.parent / "board_hooks.py")
    for path in sorted(code):
        if path.is_file():
            parts += [path.relative_to(_PACKAGE.parent).as_posix(), path.read_bytes()]
    if config_file is not None and Path(config_file).is_file():
        parts.append(Path(config_file).read_bytes())
    parts += sorted(f"{k}={v}" for k, v in env.items() if k.startswith("BOARD_") and k not in _NOT_IN_VERSION)
    return digest(*parts)


class BuildCache(Memo):
    """A memo read from `folder` and written back by `save`, with the entries of one build.

    `begin_build` starts a build's record of the keys it uses (read or written); `commit` keeps
    that record once the build has passed, and `save` writes those entries."""

    def __init__(self, folder: Path, version: str, items: dict[str, Any] | None = None,
                 ages: dict[str, int] | None = None):
        super().__init__(max_entries=2_000_000)  # more than one build at 10,000 activities uses
        self.folder, self.version = Path(folder), version
        for key, value in (items or {}).items():
            self._items[key] = value
        self.loaded = len(self._items)  # entries read from disk: 0 is a cold build
        self._age = {k: (ages or {}).get(k, 0) for k in self._items}  # builds since one used it
        self._used: set[str] = set()
        self._kept: set[str] = set()

    @classmethod
    def load(cls, folder: Path, version: str) -> "BuildCache":
        return cls(folder, version, *_read(Path(folder) / FILE_NAME, version))

    @property
    def warm(self) -> bool:
        return len(self) > 0

    def begin_build(self) -> None:
        self._used = set()

    def get(self, key: str, default: Any = None) -> Any:
        if key not in self._items:
            return default
        self._used.add(key)
        value = super().get(key, default)
        if type(value) is _Packed:
            value = self._items[key] = value.value()
        return value

    def __contains__(self, key: str) -> bool:
        found = key in self._items
        if found:
            self._used.add(key)
        return found

    def put(self, key: str, value: Any) -> None:
        self._used.add(key)
        super().put(key, value)

    def touch(self, keys) -> None:
        """Entries this build used elsewhere (a forked worker read them): kept."""
        self._used.update(k for k in keys if k in self._items)

    @contextmanager
    def recording(self):
        """The keys used while inside, for one result that stands for all of them (the whole
        catalog: a build that takes it must keep what made it, for the day one file changes)."""
        outer, self._used = self._used, set()
        used = self._used
        try:
            yield used
        finally:
            outer |= used
            self._used = outer

    def commit(self) -> None:
        self._kept = set(self._used)

    def save(self) -> None:
        """Write the entries of the last committed build and those read from disk that one of
        the KEEP_BUILDS builds before used; a cache that cannot be written is left as it was
        (the build itself has succeeded, and the next one is only slower)."""
        ages = {k: a + 1 for k, a in self._age.items() if a + 1 < KEEP_BUILDS and k in self._items}
        ages.update((k, 0) for k in self._kept if k in self._items)
        tmp = None
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile(dir=self.folder, prefix=".cache-", delete=False) as out:
                tmp = out.name
                out.write(MAGIC)
                # pickled straight into the file (at 10,000 activities the payload is 200 MB,
                # which a copy in memory would add to the build's peak), the checksum after it
                checked = _Checksummed(out)
                _dump((self.version, {k: self._items[k] for k in ages}, ages), checked)
                out.write(checked.digest())
            os.replace(tmp, self.folder / FILE_NAME)  # whole or not at all, for a build beside us
            tmp = None
        except OSError:
            pass
        finally:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)


_SEP = "\x1f"  # between the terms of a document: no normalised term holds a control character


class _Checksummed:
    """A file to pickle into that hashes what goes through it."""

    def __init__(self, out):
        self._out, self._hash = out, hashlib.blake2b(digest_size=_CHECKSUM)

    def write(self, data) -> int:
        self._hash.update(data)
        return self._out.write(data)

    def digest(self) -> bytes:
        return self._hash.digest()


def _dump(value, out) -> None:
    """pickle, with each document's search terms (search.DocTerms, two thirds of the file at
    2,000 activities and most of the time to write it: 600,000 small strings) as a few joined
    strings; a term holding the separator keeps the plain form."""
    from .search import DocTerms

    pickler = pickle.Pickler(out, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table | {DocTerms: _pack_terms}
    pickler.dump(value)


def packed(value):
    """A value as the cache keeps it: a document's search terms (search.DocTerms) as a few
    joined strings, small to send from a worker and to hold, unpacked when a build asks."""
    from .search import DocTerms

    if isinstance(value, DocTerms):
        form = _packed_form(value)
        if form is not None:
            return _Packed(*form)
    return value


def _packed_form(terms) -> tuple[tuple[str, ...], tuple[int, ...]] | None:
    body_terms = [t for t, _ in terms.body]
    sets = (terms.title, body_terms, terms.syllables, terms.title_bigrams, terms.chars)
    joined = tuple(_SEP.join(s) for s in sets)
    if any(j.count(_SEP) != max(len(s) - 1, 0) for j, s in zip(joined, sets)):
        return None
    return joined, tuple(n for _, n in terms.body)


def _pack_terms(terms):
    form = _packed_form(terms)
    return tuple.__reduce_ex__(terms, pickle.HIGHEST_PROTOCOL) if form is None else (_unpack_terms, form)


def _unpack_terms(joined: tuple[str, ...], counts: tuple[int, ...]) -> "_Packed":
    return _Packed(joined, counts)


class _Packed:
    """A document's terms as read from the file, unpacked only if a build asks for them (a
    build whose search documents are all unchanged takes the whole index instead)."""

    __slots__ = ("joined", "counts")

    def __init__(self, joined: tuple[str, ...], counts: tuple[int, ...]):
        self.joined, self.counts = joined, counts

    def __reduce__(self):
        return _unpack_terms, (self.joined, self.counts)

    def value(self):
        from .search import DocTerms

        title, body, syllables, bigrams, chars = (j.split(_SEP) if j else [] for j in self.joined)
        return DocTerms(frozenset(title), tuple(zip(body, self.counts)), frozenset(syllables),
                        frozenset(bigrams), frozenset(chars))


def _read(path: Path, version: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The entries of a cache file of this version and their ages; empty when there is none,
    it is of another version, or it is damaged in any way."""
    try:
        data = path.read_bytes()
    except OSError:
        return {}, {}
    if len(data) < len(MAGIC) + _CHECKSUM or not data.startswith(MAGIC):
        return {}, {}
    payload = memoryview(data)[len(MAGIC):-_CHECKSUM]
    if hashlib.blake2b(payload, digest_size=_CHECKSUM).digest() != data[-_CHECKSUM:]:
        return {}, {}
    try:
        stored_version, items, ages = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - a file that passed its checksum but not unpickling: ignored
        return {}, {}
    if stored_version != version or not isinstance(items, dict) or not isinstance(ages, dict):
        return {}, {}
    return items, ages
