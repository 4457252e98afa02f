"""Honours (光荣榜): honors/YYYY.yml, the honours awarded in one year, a list in file order.

An honour's id is its year and its place in the list (2026-001): staff add to the end."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from .. import schema
from ..schema import FLAT_NUMBER, HONOR_KINDS, HONOR_LEVELS, choice, content_file, day, flag, integer_between, text
from ..yamlio import LineDict
from .base import Field, Kind, Layout, line_in, record, values

FIELDS = (
    Field("year", int, "年份", public=False),  # the file's year
    Field("index", int, "序号", public=False),  # position in honors/YYYY.yml: a stable id within the year
    Field("source", str, "文件", public=False),
    Field("title", str, "荣誉名称", "荣誉的名称，例如 星级文明家庭。", text, required=True),
    Field("kind", str, "类别",
          "获得者的类别：" + "、".join(f"{k}（{v}）" for k, v in HONOR_KINDS.items()) + " 之一。",
          choice(HONOR_KINDS), required=True),
    Field("name", str, "获得者", "获得荣誉的家庭、个人、楼栋、单位或团队，照公布的写，例如 施福生家庭。", text,
          required=True),
    Field("stars", int | None, "星级", "星级荣誉才写：1 到 5。", integer_between(1, 5), default=None),
    Field("place", str, "楼栋单元", "只写到楼栋或单元，例如 3栋2单元；不要写门牌号。", text, default=""),
    Field("date", date | None, "日期", "授予的日期，在这一年之内，例如 2026-05-12。", day, default=None),
    Field("by", str, "授予单位", "例如 社区居委会。", text, default=""),
    Field("level", str, "级别", "、".join(HONOR_LEVELS) + " 之一。", choice(HONOR_LEVELS), default=""),
    Field("story", str, "事迹", "一段事迹（Markdown）。", text, default=""),
    Field("photo", str | None, "照片", "content 里的照片，例如 photos/honors/shi.jpg；需要当事人同意。", content_file,
          default=None, widget="image"),
    Field("consent", bool, "已征得本人同意", "照片或事迹写到个人时，征得本人同意后写 true。", flag, default=False,
          public=False),
    Field("line", int, "行号", default=0, public=False),
)
# The file's own keys: `honors` holds the list, its items checked by FIELDS.
FILE_FIELDS = (
    Field("year", int, "年份", "这个文件的年份，与文件名相同，例如 2026。", integer_between(1949, 2999), required=True),
    Field("honors", list, "荣誉列表", "这一年的荣誉，每项以「- 」开头。", lambda v, w: v, required=True),
)
NAME = re.compile(r"\d{4}\.yml")


@record(FIELDS)
class Honor:
    @property
    def id(self) -> str:
        return f"{self.year}-{self.index + 1:03d}"


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    result = []
    for path in loader.files(loader.content_dir / HONORS.layout.top, "*"):
        file = loader.display(path)
        if path.is_dir() or not NAME.fullmatch(path.name):
            loader.problems.add(file, None, "文件名", f"光荣榜文件名「{path.name}」不合规，不会被读取。",
                                "每年一个文件，写成 honors/年份.yml，例如 honors/2026.yml。")
            continue
        year = int(path.stem)
        data = loader.yaml_file(path)
        if data is None:
            continue
        top = schema.validate(data, FILE_FIELDS, loader.where(path, 1), "光荣榜文件")
        if top is None:
            continue
        if top["year"] != year:
            loader.problems.add(file, data.line_of("year"), "year", f"year 写的是 {top['year']}，与文件名 {path.name} 不一致。",
                                f"把 year 改成 {year}，或把文件改名为 {top['year']}.yml。")
            continue
        items = top["honors"]
        if not isinstance(items, list):
            loader.problems.add(file, data.line_of("honors"), "honors", "honors 应为一组荣誉（列表）。", "每项以「- 」开头。")
            continue
        for i, raw in enumerate(items):
            honor = _honor(loader, path, year, i, raw, line_in(data, "honors", i))
            if honor is not None:
                result.append(honor)
    return {"honors": tuple(sorted(result, key=lambda h: (-h.year, h.index)))}


def _honor(loader: Any, path: Any, year: int, i: int, raw: Any, line: int | None) -> Honor | None:
    file = loader.display(path)
    c = schema.validate(raw, HONORS.table, loader.where(path, line, f"honors[{i}]"), HONORS.label)
    if c is None:
        return None
    ok = True
    at = (lambda key: raw.line_of(key)) if isinstance(raw, LineDict) else (lambda key: line)
    if c.get("date") and c["date"].year != year:
        loader.problems.add(file, at("date"), f"honors[{i}].date", f"日期 {c['date']} 不在 {year} 年内。",
                            "放到对应年份的光荣榜文件里，或改正日期。")
        ok = False
    if c.get("place") and FLAT_NUMBER.search(c["place"]):
        loader.problems.add(file, at("place"), f"honors[{i}].place", f"「{c['place']}」写到了门牌号，会暴露住户住址。",
                            "只写到楼栋或单元，例如 3栋2单元。")
        ok = False
    if c.get("photo") and not c.get("consent"):
        loader.problems.add(file, at("photo"), f"honors[{i}].consent", "带照片的荣誉需要当事人同意公开。",
                            "征得同意后加上 consent: true；否则删掉 photo 一行。")
        ok = False
    if not ok:
        return None
    return Honor(year=year, index=i, source=file, line=line or 0, **values(FIELDS, c))


# --- the site: the honour roll's pages (Kind.pages; pages.Site draws each honour) ----------

def _years(site: Any) -> list[int]:
    return sorted({h.year for h in site.content.honors}, reverse=True)


def _by_title(site: Any, here: str, honors: Any, level: int = 3) -> list[str]:
    from ..pages import _e
    groups: dict[str, list[Honor]] = {}
    for h in honors:
        groups.setdefault(h.title, []).append(h)
    out = []
    for title, items in groups.items():
        kinds = "、".join(dict.fromkeys(HONOR_KINDS[h.kind] for h in items))
        out.append(f'<h{level}>{_e(title)}</h{level}><p class="cb-meta">{kinds} · {len(items)} 项</p>')
        out.append('<ul class="cb-honors">' + "".join(site._honor_item(here, h, story=True) for h in items) + "</ul>")
    return out


def _index(site: Any):
    from ..pages import PageSpec
    src = "honors/index.md"
    out = ["<h1>光荣榜</h1>", "<p>星级文明家庭、学习型家庭、文明楼栋、民星……向身边的榜样学习。</p>"]
    for year in _years(site):
        out.append(f'<h2 id="y{year}">{year}年</h2>')
        out.extend(_by_title(site, src, (h for h in site.content.honors if h.year == year)))
        out.append(f'<p>{site._link(src, f"honors/{year}.md", f"{year}年光荣榜")}</p>')
    if not _years(site):
        out.append("<p>暂无光荣榜。</p>")
    return PageSpec(src, "光荣榜", "", "社区光荣榜：星级文明家庭、文明楼栋、民星等。", kind="honors",
                    before="\n".join(out))


def _year(site: Any, year: int):
    from ..pages import PageSpec
    src = f"honors/{year}.md"
    out = [f"<h1>{year}年光荣榜</h1>"] + _by_title(
        site, src, (h for h in site.content.honors if h.year == year), level=2)  # no heading level skipped
    out.append(f'<p>{site._link(src, "honors/index.md", "历年光荣榜")}</p>')
    return PageSpec(src, f"{year}年光荣榜", "", f"{site.content.community.name}{year}年光荣榜。", kind="honors",
                    before="\n".join(out))


def pages(site: Any) -> list:
    """/honors/ (every year) and /honors/YYYY/ (one year, each honour at its anchor)."""
    return [_index(site)] + [_year(site, y) for y in _years(site)]


def listed(h: Honor, as_of: date) -> bool:
    """A year's roll appears in its year; an honour with a date, on that day."""
    return h.year <= as_of.year and (h.date is None or h.date <= as_of)


def search(content: Any) -> list:
    from ..search import SearchDoc, plain
    return [SearchDoc(HONORS.path(h), f"{h.title} · {h.name}", "光荣榜", h.date.isoformat() if h.date else "",
                      " ".join((h.place, h.by, plain(h.story)))) for h in content.honors]


HONORS = Kind("honors", "荣誉", Layout("honors", "honors/YYYY.yml", section="honors", files=("photos",)), FIELDS, Honor,
              url=lambda h: f"/honors/{h.year}/#honor-{h.id}", consent="consent", load=load, listed=listed, search=search,
              pages=pages, announced=lambda h: f"{h.title}：{h.name}")
