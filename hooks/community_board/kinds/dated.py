"""Dated Markdown records (activities, notices): YYYY-MM-DD-slug.md, YAML front matter and a
Markdown body; the file's stem is the record's id."""
from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path
from typing import Any

from .. import schema
from ..limits import NESTING_HINT, nesting_problem
from ..memo import digest
from ..yamlio import split_front_matter


def visible(record: Any, as_of: date) -> bool:
    """Kind.listed of the dated records: not a draft, dated and published by the as-of date."""
    return (not record.draft and record.date <= as_of
            and (record.publish is None or record.publish <= as_of))


_NAME_HINT = ("文件名写成 年-月-日-英文短名.md，短名只用小写字母、数字和 -，"
              "例如 2026-03-05-leifeng-visit.md（中文标题写在 title 里）。")


def dated_record(loader: Any, path: Path, fields: tuple, what: str):
    """Front matter + body of YYYY-MM-DD-slug.md, checked, its `date` the file name's day;
    (id, checked, doc) or None."""
    found = read_dated(loader, path, fields, what)
    if found is None:
        return None
    named_day, checked, doc = found
    if checked["date"].isoformat() != named_day:
        loader.problems.add(loader.display(path), doc.meta.line_of("date"), "date",
                            f"日期 {checked['date']} 与文件名里的日期 {named_day} 不一致。",
                            "把文件名或 date 改成同一天。")
        return None
    return path.stem, checked, doc


def read_dated(loader: Any, path: Path, fields: tuple, what: str, name_hint: str = _NAME_HINT):
    """(the file name's day, checked fields, doc) of a YYYY-MM-DD-slug.md record, or None
    after its problems are reported: the name, the front matter, every field, the body's
    nesting. What the day must equal is the kind's to say."""
    file = loader.display(path)
    start, ok = len(loader.problems), True
    m = schema.RECORD_NAME.fullmatch(path.stem)
    if not m or not schema.SLUG.fullmatch(m[2]):
        loader.problems.add(file, None, "文件名", f"文件名「{path.name}」不合规。", name_hint)
        ok = False
    text = loader.read(path)
    if text is None:
        return None
    # A file whose text and folder listing an earlier build checked without a problem: its
    # answer (serve after an edit of another file, a daily rebuild with one record more)
    key = loader.listing and ok and digest("dated", loader.listing, file, what, text)
    if key and (known := loader.memo.get(key)) is not None:
        return known
    found = _check_dated(loader, path, file, fields, what, text)
    if found is None or not ok:
        return None
    if key and len(loader.problems) == start:
        loader.memo.put(key, (m[1], *found))
    return m[1], *found


def _check_dated(loader: Any, path: Path, file: str, fields: tuple, what: str, text: str):
    """(checked fields, doc) of a record's text, or None after its problems are reported."""
    before = len(loader.problems)
    doc = split_front_matter(text, file, loader.problems, loader.memo)
    if doc is None or len(loader.problems) != before:
        return None
    checked = schema.validate(doc.meta, fields, loader.where(path, 1), what)
    deep = nesting_problem(doc.body)
    if deep is not None:  # Python-Markdown and jieba must never see it
        loader.problems.add(file, doc.body_line, "正文", f"无法排版：{deep}。", NESTING_HINT)
        return None
    if checked is None:
        return None
    return checked, doc


def markdown_records(loader: Any, root: Path, placed, fields: tuple, what: str, where_hint: str):
    """(path, (id, checked fields, doc)) for each well-placed, valid Markdown record under root;
    anything misplaced or invalid is reported instead."""
    for path in loader.files(root, "**/*"):
        if path.is_dir():
            continue
        if path.suffix != ".md" or not placed(path.relative_to(root).parts):
            loader.problems.add(loader.display(path), None, None, f"{what}文件的位置或扩展名不对，不会被读取。", where_hint)
            continue
        found = dated_record(loader, path, fields, what)
        if found is not None:
            yield path, found



_MD_NOISE = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`>#~]|^\s*[-+]\s+|^\s*\d+\.\s+", re.M)
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def first_paragraph(body: str, limit: int = 90) -> str:
    """Plain text of the body's first paragraph, for lists and descriptions."""
    for block in re.split(r"\n\s*\n", body.strip()):
        if block.lstrip().startswith(("|", "<", "```", "!")):
            continue
        plain = _MD_NOISE.sub("", _MD_LINK.sub(r"\1", block))
        # Markdown shows "&amp;" as "&": so does the summary, which every page escapes as text.
        plain = re.sub(r"\s+", " ", html.unescape(plain)).strip()
        if plain:
            return plain if len(plain) <= limit else plain[: limit - 1] + "…"
    return ""
