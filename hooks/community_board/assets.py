"""Content-hashed asset URLs and the other template filters of our theme overrides.

WeChat's in-app browser caches pages and assets regardless of HTTP headers, so a changed
stylesheet under an unchanged URL can stay stale for days: every asset we reference carries
a hash of its bytes (`board.css?h=1a2b3c4d5e`). Plain Python; the MkDocs hook registers
`template_filters(...)` in `on_env`.
"""
from __future__ import annotations

import hashlib
import logging
import re
from pathlib import Path
from typing import Callable, Iterable

log = logging.getLogger("mkdocs.community_board.assets")

HASH_LENGTH = 10


def file_hash(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:HASH_LENGTH]


def hashed_path(path: str, theme_dirs: Iterable[str | Path], cache: dict[str, str] | None = None) -> str:
    """`path` with `?h=<hash of its bytes>`, looked up in the theme's folders in order.

    A path not found is returned unchanged with a warning: a missing hash costs a stale
    cache, not a broken page.
    """
    if cache is not None and path in cache:
        return cache[path]
    clean = path.split("?", 1)[0].lstrip("/")
    result = path
    for folder in theme_dirs:
        candidate = Path(folder) / clean
        if candidate.is_file():
            result = f"{clean}?h={file_hash(candidate)}"
            break
    else:
        log.warning("资源文件 %s 不在主题目录中，网址没有加上内容哈希。", path)
    if cache is not None:
        cache[path] = result
    return result


def absolute_url(path: str, site_url: str | None) -> str:
    """An absolute URL (what Open Graph wants) for a site path; unchanged without site_url."""
    if not site_url or path.startswith(("http://", "https://")):
        return path
    return site_url.rstrip("/") + "/" + path.lstrip("/")


def root_of(base_url: str | None) -> str:
    """The way up to the site root from a page, ending in "/" ("../../", "./", "/")."""
    base = base_url or ""
    return base if base.endswith("/") else base + "/"


# A tag as a browser reads one: "<" then a letter, "/" or "!" (so "面积 < 100" is text), or a
# comment. Jinja's striptags strips "<.*?>" and then decodes entities: a title written as
# "&lt;/title&gt;" became a real </title>. Here entities stay as the staff wrote them.
_TAG = re.compile(r"<!--.*?(?:-->|$)|<[/!]?[A-Za-z][^>]*(?:>|$)", re.S)


def plain_text(value) -> str:
    """`value` without its tags, whitespace collapsed; entities are left alone (text they stay:
    autoescape then shows "&lt;" as written). For record values put into attributes and <title>."""
    return " ".join(_TAG.sub("", str(value)).split())


def template_filters(theme_dirs: Iterable[str | Path], site_url: str | None) -> dict[str, Callable[[str], str]]:
    """Filters for `env.filters.update(...)`: `hashed`, `absolute`, `root` (root_of) and
    `plain` (plain_text: use it, never `striptags`, which decodes entities).

    Usage in templates: `{{ 'assets/board/board.css' | hashed | url }}`.
    The hash cache lives in the returned closure, i.e. one build: `mkdocs serve` gets new
    filters, hence new hashes, on every rebuild.
    """
    dirs = [Path(d) for d in theme_dirs]
    cache: dict[str, str] = {}
    return {
        "hashed": lambda path: hashed_path(path, dirs, cache),
        "absolute": lambda path: absolute_url(path, site_url),
        "root": root_of,
        "plain": plain_text,
    }


def current_sections(page, nav) -> tuple[bool, ...]:
    """For each top-level nav item: is the page in that section? (aria-current)"""
    url = getattr(page, "url", "") or ""
    return tuple(bool(item.active or (url and item.url not in ("", "./") and url.startswith(item.url)))
                 for item in nav or ())


def partial_once_per(env, template: str):
    """A template global that renders `template` once per (way up to the site root, section
    marked current) and reuses it: the header is the same on every page that shares those,
    and rendering it per page was a fifth of the time spent in templates. The partial must
    use only `root` (base_url ending in "/"), `here` (current_sections) and what is the
    same on every page. One cache per Jinja environment, i.e. per build."""
    from jinja2 import pass_context
    from markupsafe import Markup

    cache: dict = {}

    @pass_context
    def render(ctx):
        here = current_sections(ctx.get("page"), ctx.get("nav"))
        root = root_of(ctx.get("base_url"))
        key = (root, here)
        if key not in cache:
            # Markup: the partial's own output, which autoescape (board_hooks.on_env) escaped.
            cache[key] = Markup(env.get_template(template).render(dict(ctx.get_all(), here=here, root=root)))
        return cache[key]

    return render


_TABLE = re.compile(r"<table(?=[\s>])(.*?)</table>", re.S)


def wrap_tables(html: str) -> str:
    """Put each table in a labelled, keyboard-focusable box that scrolls sideways by itself.

    A wide table (a notice's accounts) must not widen the page at 320 px; the box that
    scrolls instead must be reachable by keyboard (WCAG 2.1.1, axe's
    scrollable-region-focusable). For the hook's on_page_content.
    """
    return _TABLE.sub(lambda m: f'<div class="cb-table" role="region" aria-label="表格" tabindex="0">'
                                f'<table{m.group(1)}</table></div>', html)
