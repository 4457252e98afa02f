"""Load content/: every file read once, every rule checked, every problem reported together.

`load_catalog` gives every valid record; `Catalog` -> `view(as_of)` gives what may be
published on a day. `load_content` does both and is what the hooks and scripts call.
"""
from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Callable

from . import attachments, guard, privacy
from .errors import ContentError, Problems, nearest
from .limits import MAX_FILE_BYTES
from .memo import Memo, digest
from .records import Catalog
from .kinds import KINDS, TOP_ENTRIES
from .kinds.dated import first_paragraph  # noqa: F401  (re-exported)
from .schema import Where
from .yamlio import decode, load_yaml

KNOWN_TOP = TOP_ENTRIES  # the kinds name their own places (kinds/__init__.py)



@dataclass
class _Loader:
    content_dir: Path
    problems: Problems
    texts: dict[str, str] = field(default_factory=dict)  # every file's text, for the privacy scan
    memo: Memo | None = None
    # str(path) of every entry the walk refused (and reported once): never opened or listed
    refused: set[str] = field(default_factory=set)
    # str(path) -> digest of the bytes read: the inputs a cached catalog is checked against
    read_digests: dict[str, str] = field(default_factory=dict)
    # digest of content/'s entries (_listing) under a build cache: with a file's text, what a
    # record's checks depend on (file fields look at the folder), so it keys their answers
    listing: str | None = None

    def display(self, path: Path) -> str:
        # string slicing, not Path.relative_to: this runs several times for each of 10,000 files
        text = str(path)
        root = str(self.content_dir)
        rel = text[len(root) + 1:] if text.startswith(root + os.sep) else path.relative_to(self.content_dir).as_posix()
        return f"{self.content_dir.name}/{rel.replace(os.sep, '/')}"

    def where(self, path: Path, line: int | None = None, field: str = "") -> Where:
        return Where(self.display(path), line, field, self.problems, self.content_dir)

    def is_refused(self, path: Path) -> bool:
        return str(path) in self.refused

    def read(self, path: Path) -> str | None:
        """The file's text; None after a problem. Judged by lstat before it is opened and
        opened without blocking: a named pipe called x.md would hang the tools for ever."""
        file = self.display(path)
        if self.is_refused(path):
            return None
        why = entry_problem(path, os.path.realpath(self.content_dir))
        if why is not None:
            self.refuse(path, why)
            return None
        try:
            fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
            with os.fdopen(fd, "rb") as handle:
                info = os.fstat(handle.fileno())
                if not stat.S_ISREG(info.st_mode):  # swapped for a pipe since the lstat
                    self.refuse(path, _NOT_REGULAR)
                    return None
                if info.st_size > MAX_FILE_BYTES:
                    self.problems.add(file, None, None,
                                      f"文件太大（{info.st_size // 1024} KB，上限 {MAX_FILE_BYTES // 1024} KB），网站不会读取。",
                                      "一条记录不需要这么长：检查是否误粘贴了大量内容，或把内容拆成几条记录。")
                    return None
                raw = handle.read(MAX_FILE_BYTES + 1)
                if self.listing is not None:  # a catalog kept in the build cache is checked against these
                    self.read_digests[str(path)] = digest(raw)
        except OSError as exc:
            self.problems.add(file, None, None, f"无法读取文件（{exc.strerror}）。", "检查文件权限，或重新保存该文件。")
            return None
        text = decode(raw, file, self.problems)
        if text is not None:
            self.texts[file] = text
        return text

    def refuse(self, path: Path, why: tuple[str, str]) -> None:
        if str(path) not in self.refused:
            self.refused.add(str(path))
            self.problems.add(self.display(path), None, None, *why)

    def files(self, folder: Path, pattern: str, every: bool = False) -> list[Path]:
        """The entries of folder matching pattern but those the walk refused; every=True:
        those too (a board may name an activity whose file has problems of its own)."""
        return _files(folder, pattern, None if every else self)

    def yaml_file(self, path: Path) -> Any:
        text = self.read(path)
        return None if text is None else load_yaml(text, self.display(path), self.problems, memo=self.memo)


_NOT_REGULAR = ("不是普通文件（可能是管道、设备或套接字），网站不会打开它。",
                "删掉它；content 文件夹里只放普通的文字、图片和文档文件。")


def entry_problem(path: Path, content_real: str) -> tuple[str, str] | None:
    """Why an entry met by the walk may not be read (message, hint), judged without opening
    it. The walk follows no link, so a plain file or folder needs no more than its lstat;
    anything else is judged by attachments.unsafe, the one rule for every path in content/."""
    try:
        if stat.S_IFMT(os.lstat(path).st_mode) in (stat.S_IFREG, stat.S_IFDIR):
            return None
    except (OSError, ValueError):
        pass
    return attachments.unsafe(Path(content_real), path)


def _walk(loader: _Loader) -> list[Path]:
    """Every regular file under content/, folders walked without following links; every
    entry that may not be read is reported once and remembered as refused. Hidden entries
    (an editor's lock link .#x.md) are never read, so never refused."""
    content_real = os.path.realpath(loader.content_dir)
    found, stack = [], [loader.content_dir]
    while stack:
        folder = stack.pop()
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            loader.problems.add(loader.display(folder), None, None, f"无法打开文件夹（{exc.strerror}）。",
                                "检查文件夹权限。")
            continue
        for entry in entries:
            path = Path(entry.path)
            why = entry_problem(path, content_real)
            if why is not None:
                if not entry.name.startswith("."):
                    loader.refuse(path, why)
                else:
                    loader.refused.add(str(path))
            elif entry.is_dir(follow_symlinks=False):
                stack.append(path)
            elif entry.is_file():
                found.append(path)
    return sorted(found)


def _files(folder: Path, pattern: str, loader: _Loader | None = None) -> list[Path]:
    """The entries of folder matching pattern; with a loader, none the walk refused."""
    if (loader is not None and loader.is_refused(folder)) or not folder.is_dir():
        return []
    skip = loader.refused if loader is not None else ()
    return sorted(p for p in folder.glob(pattern) if not p.name.startswith(".") and str(p) not in skip)


def load_catalog(content_dir: Path, memo: Memo | None = None,
                 known_names: Callable[[], privacy.KnownNames] | None = None) -> Catalog:
    """Every record of content_dir, validated; raises ContentError listing every problem.

    `memo` keeps the privacy detectors' answers between `mkdocs serve` rebuilds;
    `known_names` gives names tagged ahead in another process (privacy.names_ahead)."""
    catalog, problems = read_catalog(content_dir, memo, known_names)
    problems.raise_if_any()
    return catalog


@dataclass(frozen=True)
class _CachedCatalog:
    """A problem-free catalog in the build cache, keyed by the listing of content/; valid while
    every file it read holds the same bytes. `used`: the cache keys its making used, joined."""
    catalog: Catalog
    reads: tuple[tuple[str, str, str], ...]  # (path, "b" blake2b of memo.digest or "s" sha256, hex)
    used: str


_SEP = "\x1f"  # between cache keys, which are hex digests or words
_READ_BOUND = max(MAX_FILE_BYTES, attachments.MAX_BYTES)  # no file the catalog read was larger


def read_catalog(content_dir: Path, memo: Memo | None = None,
                 known_names: Callable[[], privacy.KnownNames] | None = None) -> tuple[Catalog, Problems]:
    """Every valid record and every problem found, without raising (but for a missing
    folder): the callers add what the photos say before reporting everything in one go.

    With a build cache (buildcache.BuildCache), a daily rebuild takes the whole catalog of
    the last build when content/ lists the same entries (names, types, where links point)
    and every file the catalog was made from (records, attachments) has the same bytes: the
    inputs of everything read_catalog does. Anything else is read and checked again."""
    content_dir = Path(content_dir)
    recording = getattr(memo, "recording", None)
    listing = _listing(content_dir) if recording is not None else None
    if listing is None:
        return _read_catalog(content_dir, memo, known_names, None)[:2]
    key = digest("catalog", str(content_dir), os.path.realpath(content_dir), listing)
    cached = memo.get(key)
    if isinstance(cached, _CachedCatalog) and all(_same_bytes(*read) for read in cached.reads):
        memo.touch(cached.used.split(_SEP))
        return cached.catalog, Problems()
    with recording() as used:
        catalog, problems, loader = _read_catalog(content_dir, memo, known_names, listing)
    if not problems.items:
        reads = [(path, "b", d) for path, d in loader.read_digests.items()]
        reads += [(str(content_dir / a.file), "s", a.sha256) for n in catalog.notices for a in n.attachments]
        memo.put(key, _CachedCatalog(catalog, tuple(sorted(set(reads))), _SEP.join(sorted(used))))
    return catalog, problems


def _listing(content_dir: Path) -> str | None:
    """A digest of every entry under content_dir, hidden ones too: its path, its type and where
    a link points (what the walk, the kinds' globs and the checks of file fields look at).
    None when a folder cannot be listed (the walk reports it)."""
    h = hashlib.blake2b(digest_size=16)
    stack = [str(content_dir)]
    try:
        while stack:
            folder = stack.pop()
            for entry in sorted(os.scandir(folder), key=lambda e: e.name):
                if entry.is_symlink():
                    kind = "l" + os.readlink(entry.path)
                elif entry.is_dir(follow_symlinks=False):
                    kind = "d"
                    stack.append(entry.path)
                else:
                    kind = "f" if entry.is_file(follow_symlinks=False) else "o"
                h.update(f"{entry.path}\0{kind}\0".encode("utf-8", "surrogateescape"))
    except OSError:
        return None
    return h.hexdigest()


def _same_bytes(path: str, algorithm: str, expected: str) -> bool:
    data, why = attachments.read_regular(Path(path), _READ_BOUND)
    return why is None and (digest(data) if algorithm == "b" else hashlib.sha256(data).hexdigest()) == expected


def _read_catalog(content_dir: Path, memo: Memo | None, known_names: Callable[[], privacy.KnownNames] | None,
                  listing: str | None) -> tuple[Catalog, Problems, _Loader]:
    problems = Problems()
    loader = _Loader(content_dir, problems, memo=memo, listing=listing)
    if not content_dir.is_dir():
        problems.add(str(content_dir), None, None, "找不到内容文件夹。", "在项目根目录下建立 content 文件夹，或检查 BOARD_CONTENT 设置。")
        raise ContentError(problems.items)
    files = _walk(loader)
    _check_top_level(loader)
    # a kind's loader may check its references against the kinds read before it (community.yml first)
    loaded: dict[str, tuple] = {}
    for kind in KINDS:
        if kind.load is not None:
            loaded.update(kind.load(loader, loaded))
    community = next(iter(loaded["community"]), None)
    allowed = guard.allowed_numbers(community)
    # with what their attachments hold: the privacy walk reads that too
    loaded["notices"] = tuple(replace(n, attachments=attachments.check_notice(n, content_dir, allowed, problems, memo))
                              if n.attachments else n for n in loaded["notices"])
    for file, text in loader.texts.items():
        guard.check_text(file, text, allowed, problems, memo)
    guard.check_file_names(_all_files(files, loader), allowed, problems)
    guard.check_records([r for kind in KINDS for r in loaded[kind.name]], problems, memo,
                        known_names() if known_names else None, loader.texts)
    return Catalog(community, **{k.name: loaded[k.name] for k in KINDS if k.name != "community"}), problems, loader


def _all_files(files: list[Path], loader: _Loader) -> list[str]:
    return [loader.display(p) for p in files]


def _check_top_level(loader: _Loader) -> None:
    """Only the names of KNOWN_TOP (each kind's file or folder, and the folders of the files
    records name): anything else is a typo that would silently drop records, or a file put
    where nothing reads it. Entries the walk refused are reported already."""
    allowed = "、".join(KNOWN_TOP)
    for entry in sorted(loader.content_dir.iterdir()):
        if entry.name.startswith(".") or entry.name in KNOWN_TOP or loader.is_refused(entry):
            continue
        guess = nearest(entry.name, KNOWN_TOP)
        loader.problems.add(loader.display(entry), None, None,
                            f"「{entry.name}」不是约定的文件或文件夹名，其中内容不会被读取。",
                            (f"是不是想写「{guess}」？请改名。" if guess else "移走或删掉它。")
                            + f"content 里只能有：{allowed}。")


def load_content(content_dir: Path, as_of: date, memo: Memo | None = None,
                 known_names: Callable[[], privacy.KnownNames] | None = None):
    """The published view of content_dir on as_of; raises ContentError with every problem."""
    from .published import published
    return published(load_catalog(content_dir, memo, known_names), as_of)


def record_files(content_dir: Path) -> list[Path]:
    """Every file of the kinds kept as a folder of files (activities, notices, honours' years,
    boards, events), where its layout puts them: the many files worth reading ahead."""
    content_dir = Path(content_dir)
    real = os.path.realpath(content_dir)
    # Only what the loader will read: a pipe named x.md must not hang a worker either, nor a
    # file past the size bound keep one busy.
    found = dict.fromkeys(p for k in KINDS if k.layout.folder for p in content_dir.glob(k.layout.glob))
    return sorted(p for p in found if entry_problem(p, real) is None and _size(p) <= MAX_FILE_BYTES)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return MAX_FILE_BYTES + 1
