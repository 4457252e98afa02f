"""Tables that fit a phone: every data cell carries its column's heading.

On a narrow screen (board.css) a labelled table is shown as stacked rows, one card per row,
each value preceded by its heading (`td::before { content: attr(data-label) }`), instead of
being cut off or scrolled sideways. Pure functions over HTML strings; used for the tables
staff write in Markdown (the hook's on_page_content) and for the generated report tables.

A table is labelled only when its shape is plain: one header row in <thead>, no spanning
cells, no table inside it, and no row with more cells than headings. Any other table is left
as it was (it still scrolls inside its own box), since a wrong label misleads more than none.
"""
from __future__ import annotations

import re
from html import escape, unescape

STACK_ATTR = "data-stack"  # marks a labelled table: board.css stacks only these

_TABLE = re.compile(r"<table(?=[\s>])([^>]*)>(.*?)</table>", re.S)
_HEAD = re.compile(r"<thead\b[^>]*>(.*?)</thead>", re.S)
_HEAD_ROW = re.compile(r"<tr\b[^>]*>", re.S)
_TH = re.compile(r"<th\b[^>]*>(.*?)</th>", re.S)
_ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr>", re.S)
_CELL = re.compile(r"<(td|th)\b([^>]*)>")
_TAG = re.compile(r"<[^>]+>")


def _text(html: str) -> str:
    return " ".join(unescape(_TAG.sub("", html)).split())


def _labelled(attrs: str, inner: str) -> str | None:
    """The table with data-label on its cells, or None when its shape is not plain."""
    if re.search(r"colspan|rowspan|<table\b", inner) or STACK_ATTR in attrs:
        return None
    head = _HEAD.search(inner)
    if head is None or len(_HEAD_ROW.findall(head.group(1))) != 1:
        return None
    labels = [_text(h) for h in _TH.findall(head.group(1))]
    if not any(labels):
        return None
    body = inner[head.end():]
    rows = _ROW.findall(body)
    if not rows or any(len(_CELL.findall(r)) > len(labels) for r in rows):
        return None

    def row(match: re.Match) -> str:
        position = iter(labels)

        def cell(c: re.Match) -> str:
            label = next(position)
            if c.group(1) == "th" or not label or "data-label" in c.group(2):
                return c.group(0)
            return f'<td data-label="{escape(label, quote=True)}"{c.group(2)}>'

        return _CELL.sub(cell, match.group(0))

    return f"<table {STACK_ATTR}{attrs}>{inner[:head.end()]}{_ROW.sub(row, body)}</table>"


def label_tables(html: str) -> str:
    """Every plain table of `html` labelled for stacking on a phone; others unchanged."""
    if "<table" not in html:
        return html
    return _TABLE.sub(lambda m: _labelled(m.group(1), m.group(2)) or m.group(0), html)
