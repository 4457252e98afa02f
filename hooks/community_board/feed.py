"""/feed.xml: an Atom feed of the newest records (each kind says which: activities, notices,
events), absolute links from site_url."""
from __future__ import annotations

from datetime import date
from xml.sax.saxutils import escape

from .kinds import KINDS
from .published import Content

FEED_SIZE = 30


def _stamp(day: date) -> str:
    return f"{day.isoformat()}T00:00:00+08:00"


def feed_entries(content: Content) -> list[tuple[date, str, str, str, str]]:
    """(date, site path, title, summary, category) of each entry, newest first: the text of
    the feed, which the post-build scan reads (sitescan.scan_feed) instead of feed.xml."""
    return sorted([entry for kind in KINDS if kind.feed for entry in kind.feed(content)],
                  key=lambda e: (e[0], e[1]), reverse=True)[:FEED_SIZE]


def feed_header(content: Content, title: str) -> tuple[str, str]:
    """The texts of the feed outside its entries: its title and author."""
    return title, content.community.full_name or content.community.name


def atom_feed(content: Content, site_url: str, title: str) -> bytes:
    """Deterministic bytes: `updated` is the newest entry's date, never the build time."""
    base = site_url.rstrip("/") + "/"
    entries = feed_entries(content)
    feed_title, author = feed_header(content, title)
    updated = entries[0][0] if entries else content.as_of
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-CN">',
           f"<title>{escape(feed_title)}</title>",
           f'<link href="{escape(base)}"/>',
           f'<link rel="self" href="{escape(base)}feed.xml"/>',
           f"<id>{escape(base)}</id>",
           f"<updated>{_stamp(updated)}</updated>",
           f"<author><name>{escape(author)}</name></author>"]
    for day, path, entry_title, summary, category in entries:
        out += ["<entry>",
                f"<title>{escape(entry_title)}</title>",
                f'<link href="{escape(base + path)}"/>',
                f"<id>{escape(base + path)}</id>",
                f"<updated>{_stamp(day)}</updated>",
                f'<category term="{escape(category)}"/>',
                f"<summary>{escape(summary)}</summary>",
                "</entry>"]
    out.append("</feed>\n")
    return "\n".join(out).encode("utf-8")
