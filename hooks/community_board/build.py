"""One build's worth of state, made from content/ before MkDocs writes anything.

`prepare` loads and validates the records, processes the photos they reference and lays out
every page. The MkDocs hook file only moves this into MkDocs; scripts can use it directly.
Each build makes a fresh `BuildState`: nothing survives from one `mkdocs serve` rebuild to
the next except the photo cache on disk.
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Callable, Mapping

from .asof import resolve_as_of
from . import attachments
from .attachments import KINDS
from .buildcache import cache_dir_of as build_cache_dir_of
from .content import read_catalog
from .errors import ContentError, Problem, Problems
from .pages import PageSpec, Site
from .photos import (
    PhotoRequest, PhotoSet, PhotoSettings, picture_html, process_photos, variant_path, verify_photos,
)
from .printboard import PAPERS, print_page
from .privacy import KnownNames
from .memo import Memo
from .published import Content, published
from .records import Catalog
from .report_pages import report_pages
from .share import SharePlan, cover_from_photos, plan_share_images


@dataclass(frozen=True)
class BuildState:
    project_dir: Path
    content_dir: Path
    cache_dir: Path
    content: Content
    photos: dict[str, PhotoSet]
    pages: tuple[PageSpec, ...]
    share: SharePlan = field(default_factory=SharePlan)
    attachment_files: dict[str, bytes] = field(default_factory=dict)  # site path -> checked bytes
    attachment_records: dict[str, str] = field(default_factory=dict)  # site path -> its notice's file
    # by page: (serve memo key, HTML ready to use instead of converting); see session.py
    render_keys: dict = field(default_factory=dict, compare=False)
    # under serve, by page: (memo key of the rendered page, its HTML from an earlier build)
    served_pages: dict = field(default_factory=dict, compare=False)
    shell_digest: str = field(default="", compare=False)  # under serve: what every page's shell reads

    @cached_property
    def by_src(self) -> dict[str, PageSpec]:
        return {p.src_uri: p for p in self.pages}


def content_dir_of(project_dir: Path, env: Mapping[str, str]) -> Path:
    return Path(env.get("BOARD_CONTENT") or project_dir / "content")


def cache_dir_of(project_dir: Path, env: Mapping[str, str]) -> Path:
    return Path(env.get("BOARD_CACHE") or Path(project_dir) / ".cache" / "photos")


def photo_requests(content: Content | Catalog) -> list[PhotoRequest]:
    """Every photo the records reference (of a published view: nothing withheld is processed),
    image attachments of notices included: they go through the photo pipeline too."""
    requests = []
    for n in content.notices:
        requests += [PhotoRequest(a.file, n.source, a.field) for a in n.attachments
                     if a.kind is not None and KINDS[a.kind].image]
    for a in content.activities:
        requests += [PhotoRequest(p.file, a.source, f"photos[{i}].file") for i, p in enumerate(a.photos)]
        if a.cover and all(p.file != a.cover for p in a.photos):
            requests.append(PhotoRequest(a.cover, a.source, "cover"))
    requests += [PhotoRequest(h.photo, h.source, f"honors[{h.index}].photo") for h in content.honors if h.photo]
    return requests


def prepare(project_dir: Path, env: Mapping[str, str] | None = None, jobs: int | None = None,
            site_url: str | None = None, memo: Memo | None = None,
            known_names: Callable[[], KnownNames] | None = None,
            content_ready: Callable[[Content], None] | None = None) -> BuildState:
    """`known_names`: names tagged ahead in another process (privacy.names_ahead);
    `content_ready`: told the published content as soon as the records passed, before the
    photos and the pages (the session starts the search index there)."""
    env = os.environ if env is None else env
    project_dir = Path(project_dir)
    content_dir = content_dir_of(project_dir, env)
    cache_dir = cache_dir_of(project_dir, env)
    share_dir = Path(env.get("BOARD_SHARE_CACHE") or project_dir / ".cache" / "share")
    as_of = resolve_as_of(env)
    # Records, photos and attachments are all checked before anything is reported, as by
    # check.py: a bad record does not hide a bad photo.
    catalog, problems = read_catalog(content_dir, memo, known_names)
    for folder, variable in ((cache_dir, "BOARD_CACHE"), (share_dir, "BOARD_SHARE_CACHE"),
                             (build_cache_dir_of(project_dir, env), "BOARD_BUILD_CACHE")):
        _check_writable(folder, variable, problems)
    content = published(catalog, as_of)
    if content_ready is not None and not problems.items:
        content_ready(content)
    settings = PhotoSettings()
    wanted = photo_requests(content)
    try:
        photos = process_photos(wanted, content_dir, cache_dir, settings, problems, jobs=jobs)
    except OSError as exc:  # the disk filled up, or the folder changed, while photos were written
        raise ContentError([_cache_problem(cache_dir, "BOARD_CACHE", exc)]) from None
    verify_photos(set(photo_requests(catalog)) - set(wanted), content_dir, cache_dir, settings, problems, jobs=jobs)
    files = attachments.plan(content.notices, content_dir, lambda f: image_link(photos, cache_dir, f), problems)
    problems.raise_if_any()

    def render(source: str, alt: str, lazy: bool, base: str) -> str:
        return picture_html(photos[source], alt, lazy=lazy, base=base)

    pages = (tuple(Site(content, render, attachment_links=files.links).build()) + tuple(report_pages(content))
             + tuple(print_page(content, b, render, site_url=site_url, paper=paper)
                     for b in content.boards for paper in PAPERS))
    _refuse_duplicates(pages)
    try:
        share = plan_share_images(pages, cover_from_photos(photos, cache_dir), f"{content.community.name}宣传窗",
                                  content.community.name, share_dir, env.get("BOARD_CJK_FONT"), jobs=jobs)
    except OSError as exc:
        raise ContentError([_cache_problem(share_dir, "BOARD_SHARE_CACHE", exc)]) from None
    return BuildState(project_dir, content_dir, cache_dir, content, photos, pages, share, files.files, files.records)


def image_link(photos: dict[str, PhotoSet], cache_dir: Path, source: str) -> attachments.Link | None:
    """An image attachment links to its largest processed JPEG: no metadata, never the original."""
    photo = photos.get(source)
    if photo is None:
        return None
    big = photo.largest("jpeg")
    try:
        size = variant_path(cache_dir, photo, big).stat().st_size
    except OSError:
        size = 0
    return attachments.Link(big.url, attachments.link_label("jpeg", size))


def _check_writable(folder: Path, variable: str, problems: Problems) -> None:
    """A cache folder we cannot write is a Chinese message before any work, not a traceback
    from deep inside a photo worker."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".probe-"):
            pass
    except OSError as exc:
        problems.items.append(_cache_problem(folder, variable, exc))


def _cache_problem(folder: Path, variable: str, exc: OSError) -> Problem:
    reason = exc.strerror or exc.__class__.__name__
    return Problem(f"缓存文件夹 {folder}", None, None,
                   f"无法写入缓存文件夹（{reason}），网站没有更新。",
                   f"检查这个文件夹（或它上面的某一级）是否存在、是否是文件夹、是否有写入权限、磁盘是否已满；"
                   f"或用环境变量 {variable} 指向一个可以写入的文件夹。")


def _refuse_duplicates(pages: tuple[PageSpec, ...]) -> None:
    seen: set[str] = set()
    for page in pages:
        if page.src_uri in seen:  # MkDocs would silently keep only one of them
            raise ContentError([Problem(page.src_uri, None, None, "两个页面的网址相同。",
                                        "检查是否有同名的活动、公告或栏目短名。")])
        seen.add(page.src_uri)
