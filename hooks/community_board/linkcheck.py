"""Internal links of a built site: every href, src and srcset in every HTML page must resolve.

Run after a build and before the site goes live (scripts/publish.py) and by the tests. Links
to other hosts (http:, mailto:, tel: ...) are not followed: this workplace has no network and
the site must not depend on one. Only the path is checked, not the #fragment.
"""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

_URL_ATTRS = {"href", "src", "poster"}
_SRCSET_ATTRS = {"srcset"}


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if not value:
                continue
            if name in _URL_ATTRS:
                self.urls.append(value.strip())
            elif name in _SRCSET_ATTRS:
                # "a.webp 480w, b.webp 960w": the URL is the first word of each candidate
                self.urls += [c.split()[0] for c in value.split(",") if c.strip()]


def page_urls(html: str) -> list[str]:
    """Every URL an HTML page refers to, in document order."""
    collector = _Collector()
    collector.feed(html)
    collector.close()
    return collector.urls


def _internal_path(url: str) -> str | None:
    """The path part of a link into this site, or None for other hosts and pure fragments."""
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or url.startswith("//"):
        return None
    return unquote(parts.path) or None


def resolve(page: str, url: str, base_path: str = "/") -> str | None:
    """Site-relative target of `url` on `page` (site-relative POSIX path of the HTML file).

    Returns None for links that leave the site; "" stands for the site's root. A target
    outside the site (../ past the root, or an absolute path outside `base_path`) resolves
    to a path starting with "../", which never exists.
    """
    path = _internal_path(url)
    if path is None:
        return None
    if path.startswith("/"):
        base = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        if not (path + "/").startswith(base) and path != base.rstrip("/"):
            return "../" + path.lstrip("/")
        joined = path[len(base):] if len(path) >= len(base) else ""
    else:
        joined = posixpath.join(posixpath.dirname(page), path)
    target = posixpath.normpath(joined) if joined else "."
    if path.endswith("/") and target != ".":
        target += "/"
    return "" if target in (".", "./") else target


def _exists(site_dir: Path, target: str) -> bool:
    if target.startswith("../") or target == "..":
        return False
    candidate = site_dir / target if target else site_dir
    if target.endswith("/") or not target:
        return (candidate / "index.html").is_file()
    return candidate.is_file() or (candidate / "index.html").is_file()


def broken_links(site_dir: Path, base_path: str = "/") -> list[str]:
    """One Chinese line per broken internal link: page, link as written, what is missing.

    `base_path` is the path part of site_url ("/board/"): absolute links such as those on
    404.html start with it.
    """
    site_dir = Path(site_dir)
    found: set[str] = set()
    for html_file in sorted(site_dir.rglob("*.html")):
        page = html_file.relative_to(site_dir).as_posix()
        text = html_file.read_text("utf-8", errors="replace")
        for url in page_urls(text):
            target = resolve(page, url, base_path)
            if target is None or _exists(site_dir, target):
                continue
            shown = target or "/"
            found.add(f"{page}：链接「{url}」指向的 {shown} 不存在")
    return sorted(found)
