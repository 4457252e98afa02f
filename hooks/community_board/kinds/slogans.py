"""Slogans and family maxims (标语、家庭道德格言): two record kinds in one file, slogans.yml."""
from __future__ import annotations

from datetime import date
from typing import Any, Mapping

from .. import schema
from ..schema import day, text
from .base import Field, Kind, Layout, line_in, record, values

SLOGAN_FIELDS = (
    Field("text", str, "标语", "宣传窗上展示的一句标语，例如 邻里守望，大家相帮。", text, required=True),
    Field("theme", str, "主题", "标语的主题，例如 邻里互助。", text, default=""),
    Field("from", date | None, "开始日期", "从这一天起在宣传窗上展示；不写表示一直展示。", day, default=None,
          attr="start"),
    Field("until", date | None, "结束日期", "展示到这一天为止；不写表示长期展示。", day, default=None),
)
MAXIM_FIELDS = (
    Field("text", str, "格言", "一句家庭道德格言，例如 家和万事兴。", text, required=True),
    Field("by", str, "来自", "格言出自哪个家庭或哪位居民。", text, default=""),
)
# The file's own keys: each holds a list, its items checked by the kinds' tables.
FILE_FIELDS = (
    Field("slogans", list, "标语", "标语的列表，每项以「- 」开头。", lambda v, w: v, default=()),
    Field("maxims", list, "家庭道德格言", "家庭道德格言的列表，每项以「- 」开头。", lambda v, w: v, default=()),
)


@record(SLOGAN_FIELDS)
class Slogan:
    def active_between(self, first: date, last: date) -> bool:
        return (self.start is None or self.start <= last) and (self.until is None or self.until >= first)


@record(MAXIM_FIELDS)
class Maxim:
    pass


def _until_after_from(checked: Mapping[str, Any]) -> tuple[str, str, str] | None:
    """(field, message, hint) when the slogan's window ends before it starts."""
    if checked.get("from") and checked.get("until") and checked["from"] > checked["until"]:
        return ("until", f"结束日期 {checked['until']} 早于开始日期 {checked['from']}。", "把 until 改到 from 之后。")
    return None


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    path = loader.content_dir / SLOGANS.layout.top
    found: dict[str, tuple] = {"slogans": (), "maxims": ()}
    if loader.is_refused(path) or not path.is_file():
        return found
    data = loader.yaml_file(path)
    if data is None:
        return found
    top = schema.validate(data, FILE_FIELDS, loader.where(path, 1), "标语文件")
    if top is None:
        return found
    for kind, check in ((SLOGANS, _until_after_from), (MAXIMS, None)):
        key = kind.layout.section
        items = top.get(key) or []
        if not isinstance(items, list):
            loader.problems.add(loader.display(path), data.line_of(key), key, f"{key} 应为列表。", "每项以「- 」开头。")
            continue
        out = []
        for i, raw in enumerate(items):
            line = line_in(data, key, i)
            c = schema.validate(raw, kind.table, loader.where(path, line, f"{key}[{i}]"), kind.label)
            if c is None:
                continue
            wrong = check(c) if check else None
            if wrong is not None:
                loader.problems.add(loader.display(path), line, f"{key}[{i}].{wrong[0]}", wrong[1], wrong[2])
                continue
            out.append(kind.record(**values(kind.fields, c)))
        found[kind.name] = tuple(out)
    return found


def pages(site: Any) -> list:
    """/slogans/: the slogans and the family maxims, one page for both kinds."""
    from ..pages import PageSpec, _e
    c = site.content
    out = ["# 标语与家庭道德格言", "", "## 宣传标语", ""]
    out.append('<ul class="cb-slogan-list">' + "".join(
        f'<li><p class="cb-slogan">{_e(s.text)}</p>' + (f'<span class="cb-meta">{_e(s.theme)}</span>' if s.theme else "")
        + "</li>" for s in c.slogans) + "</ul>\n" if c.slogans else "暂无标语。\n")
    out.append("## 家庭道德格言\n")
    out.append('<ul class="cb-maxims">' + "".join(
        f'<li><q>{_e(m.text)}</q>' + (f' <span class="cb-meta">—— {_e(m.by)}</span>' if m.by else "") + "</li>"
        for m in c.maxims) + "</ul>\n" if c.maxims else "暂无格言。\n")
    return [PageSpec(SLOGANS.src(None), "标语与格言", "\n".join(out), "社区宣传标语和居民家庭的道德格言。", kind="slogans")]


def search(content: Any) -> list:
    """One document for the page of both kinds."""
    from ..search import SearchDoc
    if not (content.slogans or content.maxims):
        return []
    return [SearchDoc(SLOGANS.path(None), "标语与家庭道德格言", "标语", "",
                      " ".join([s.text for s in content.slogans] + [f"{m.text} {m.by}" for m in content.maxims]))]


def listed(s: Slogan, as_of: date) -> bool:
    """A slogan with a start appears on that day (`until` only takes it off the boards)."""
    return s.start is None or s.start <= as_of


SLOGANS = Kind("slogans", "标语", Layout("slogans.yml", "slogans.yml", section="slogans"), SLOGAN_FIELDS, Slogan,
               url=lambda s: "/slogans/", load=load, listed=listed, search=search, pages=pages,
               announced=lambda s: s.text)
MAXIMS = Kind("maxims", "格言", Layout("slogans.yml", "slogans.yml", section="maxims"), MAXIM_FIELDS, Maxim,
              url=lambda m: "/slogans/")  # read by SLOGANS' loader: one file
