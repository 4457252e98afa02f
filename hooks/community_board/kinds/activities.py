"""Activities (活动): activities/YYYY/YYYY-MM-DD-slug.md, the board's main record, with photos.

Read after community.yml: an activity's column must be one of its columns."""
from __future__ import annotations

import re
from datetime import date
from typing import Any, Mapping

from .. import schema
from ..errors import did_you_mean
from ..schema import STATS, Where, content_file, day, flag, known_numbers, list_of, text, text_list
from .base import Field, Kind, Layout, line_in, record, values
from .community import columns as community_columns
from .dated import first_paragraph, markdown_records, visible

PHOTO_FIELDS = (
    Field("file", str, "照片文件", "content 里的照片，例如 photos/2026/0305-1.jpg。", content_file, required=True,
          widget="image"),
    Field("caption", str, "说明", "照片下面的一句说明。", text, default=""),
    Field("consent", bool, "已征得本人同意", "照片里的人同意公开时写 true。", flag, default=False, public=False),
)


@record(PHOTO_FIELDS)
class Photo:
    pass


def photo_entry(value: Any, where: Where) -> Photo | None:
    """A path, or {file, caption, consent}."""
    if isinstance(value, str):
        value = {"file": value}
    checked = schema.validate(value, PHOTO_FIELDS, where, "照片")
    return None if checked is None else Photo(**values(PHOTO_FIELDS, checked))


FIELDS = (
    Field("id", str, "编号", public=False),  # the file's stem: its URL
    Field("source", str, "文件", public=False),  # the record's file, relative to the project
    Field("title", str, "标题", "活动的标题，例如 学雷锋走访困难家庭。", text, required=True),
    Field("date", date, "日期", "活动的日期，与文件名里的日期相同，例如 2026-03-05。", day, required=True),
    # checked against community.yml by the loader; an id, not published from here
    Field("column", str, "栏目", "community.yml 里 columns 的 slug 之一，例如 leifeng。", text, required=True,
          public=False, widget="column"),
    Field("body", str, "正文", "活动的报道（Markdown），写在第二个 --- 之后。"),
    Field("summary", str, "摘要", "列表里显示的一句话。", text, default="", derived="正文第一段"),
    Field("location", str, "地点", "在哪里举行，例如 社区服务中心。", text, default=""),
    Field("organizers", tuple[str, ...], "主办", "主办单位，例如 [社区居委会]。", text_list, default=()),
    Field("partners", tuple[str, ...], "协办", "协办单位，例如 [人民医院]。", text_list, default=()),
    Field("stats", tuple[tuple[str, float], ...], "数据",  # in schema.STATS order
          "活动的数字，只能用：" + "、".join(f"{k}（{v[0]}）" for k, v in STATS.items()) + "；只写数字。",
          known_numbers(STATS, "数据项"), default=()),
    Field("photos", tuple[Photo, ...], "照片",
          "活动照片：写路径，或 {file: 路径, caption: 说明, consent: true}；每张都要征得照片中人的同意。",
          list_of(photo_entry, "照片"), default=()),
    Field("cover", str | None, "封面照片", "列表里显示的照片，例如 photos/2026/0305-1.jpg。", content_file,
          default=None, derived="第一张照片", public=False, widget="image"),
    Field("featured", bool, "在本季度看板置顶", "写 true 时在本季度的看板上先展示。", flag, default=False),
    Field("publish", date | None, "发布日期", "这一天之前网站上不出现这条活动。", day, default=None),
    Field("draft", bool, "草稿", "写 true 时不发布。", flag, default=False, public=False),
    Field("consent", bool, "已征得当事人同意", "活动里写到或拍到的人同意公开时写 true（也适用于全部照片）。", flag,
          default=False, public=False),
    Field("body_line", int, "正文起始行", default=1, public=False),
)


@record(FIELDS)
class Activity:
    @property
    def cover_photo(self) -> str | None:
        if self.cover:
            return self.cover
        return self.photos[0].file if self.photos else None

    def stat(self, key: str) -> float:
        return dict(self.stats).get(key, 0)


def _placed(rel: tuple[str, ...]) -> bool:
    return len(rel) == 2 and re.fullmatch(r"\d{4}", rel[0]) is not None


def ids(loader: Any) -> set[str]:
    """The id of every activity file, valid or not: a record that names one with an error of
    its own (a board, an event's report) is reported once, not again as a missing id."""
    return {p.stem for p in loader.files(loader.content_dir / ACTIVITIES.layout.top, "*/*.md", every=True)}


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    root = loader.content_dir / ACTIVITIES.layout.top
    columns = community_columns(loaded)  # in display order
    seen: dict[str, str] = {}
    result = []
    for path, (rid, c, doc) in markdown_records(
            loader, root, _placed, ACTIVITIES.table, ACTIVITIES.label,
            "活动写成 activities/年份/年-月-日-短名.md，例如 activities/2026/2026-03-05-leifeng-visit.md。"):
        rel = path.relative_to(root).parts
        file = loader.display(path)
        bad = False
        if rel[0] != str(c["date"].year):
            loader.problems.add(file, None, "文件位置", f"{c['date'].year} 年的活动放在了 {rel[0]} 文件夹里。",
                                f"把文件移到 activities/{c['date'].year}/ 下。")
            bad = True
        if columns is not None and c["column"] not in columns:
            loader.problems.add(file, doc.meta.line_of("column"), "column",
                                f"栏目「{c['column']}」在 community.yml 里没有定义。", did_you_mean(c["column"], columns))
            bad = True
        if rid in seen:
            loader.problems.add(file, None, "文件名", f"活动编号「{rid}」与 {seen[rid]} 重复（网址会冲突）。",
                                "给其中一个换一个英文短名。")
            bad = True
        seen.setdefault(rid, file)
        for i, photo in enumerate(c.get("photos", ())):
            if not (photo.consent or c.get("consent")):
                loader.problems.add(file, line_in(doc.meta, "photos", i), f"photos[{i}].consent",
                                    f"照片 {photo.file} 没有写明已征得照片中人的同意。",
                                    "确认照片里的人同意公开后，在这张照片后加上 consent: true；不同意就删掉这张照片。")
                bad = True
        if bad:
            continue
        fields = values(FIELDS, c)
        fields["summary"] = fields["summary"] or first_paragraph(doc.body)
        result.append(Activity(id=rid, source=file, body=doc.body, body_line=doc.body_line, **fields))
    return {"activities": tuple(sorted(result, key=lambda a: (a.date, a.id), reverse=True))}


# --- the site: /activities/, the columns' listings and each activity's page (Kind.pages; the
# boards show activities as pages.Site's cards) ----------------------------------------------

def _listing(site: Any, base: str, title: str, activities: tuple[Activity, ...], intro: str) -> list:
    """The listing at base (activities/ or columns/<slug>), site.per_page activities a page."""
    from ..pages import PageSpec, _e, cn_date
    specs = []
    pages = max(1, -(-len(activities) // site.per_page))
    for n in range(1, pages + 1):
        src = f"{base}/index.md" if base == "activities" and n == 1 else (
            f"{base}.md" if n == 1 else f"{base}/page/{n}.md")
        chunk = activities[(n - 1) * site.per_page: n * site.per_page]
        items = [f'<li><time datetime="{a.date}">{cn_date(a.date)}</time> {site._new(a)}'
                 f'{site._link(src, ACTIVITIES.src(a), a.title)}'
                 + (f' <span class="cb-meta">{_e(site._column_title(a.column))}</span>' if base == "activities" else "")
                 + f'<p>{_e(a.summary)}</p></li>' for a in chunk]
        heading = title if n == 1 else f"{title}（第 {n} 页）"
        md = [f"<h1>{_e(heading)}</h1>", f"<p>{_e(intro)}</p>"]
        if base == "activities" and n == 1:
            md.append('<p class="cb-columns">栏目：' + " ".join(
                site._link(src, f"columns/{c.slug}.md", c.title, "cb-chip") for c in site.content.community.columns) + "</p>")
        md.append('<ul class="cb-list">' + "".join(items) + "</ul>" if items else "<p>暂无活动。</p>")
        if pages > 1:
            def page_src(k: int) -> str:
                return (f"{base}/index.md" if base == "activities" else f"{base}.md") if k == 1 else f"{base}/page/{k}.md"
            links = []
            if n > 1:
                links.append(site._link(src, page_src(n - 1), "← 上一页", "cb-prev"))
            links.append(f"<span>第 {n} / {pages} 页</span>")
            if n < pages:
                links.append(site._link(src, page_src(n + 1), "下一页 →", "cb-next"))
            md.append('<nav class="cb-pager" aria-label="翻页">' + " ".join(links) + "</nav>")
        specs.append(PageSpec(src, heading, "", intro, kind="listing", before="\n".join(md)))
    return specs


def _columns_index(site: Any):
    from ..pages import PageSpec, _e
    src = "columns/index.md"
    items = []
    for col in site.content.community.columns:
        count = sum(1 for a in site.content.activities if a.column == col.slug)
        items.append(f'<li>{site._link(src, f"columns/{col.slug}.md", col.title)} <span class="cb-meta">{count} 项</span>'
                     + (f"<p>{_e(col.description)}</p>" if col.description else "") + "</li>")
    md = "# 宣传栏目\n\n<ul class=\"cb-list\">" + "".join(items) + "</ul>\n"
    return PageSpec(src, "宣传栏目", md, "社区宣传窗的各个栏目。", kind="columns")


def _page(site: Any, a: Activity):
    from ..pages import READ_ALOUD, PageSpec, _e, _num, cn_date, record_markdown, rel, url_of
    src = ACTIVITIES.src(a)
    base = rel(url_of(src), "")
    rows = [("日期", f'<time datetime="{a.date}">{cn_date(a.date)}</time>'),
            ("栏目", site._link(src, f"columns/{a.column}.md", site._column_title(a.column)))]
    if a.location:
        rows.append(("地点", _e(a.location)))
    if a.organizers:
        rows.append(("主办", _e("、".join(a.organizers))))
    if a.partners:
        rows.append(("协办", _e("、".join(a.partners))))
    facts = "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in rows)
    head = [f"<h1>{site._new(a)}{_e(a.title)}</h1>", READ_ALOUD, f'<dl class="cb-facts">{facts}</dl>']
    if a.stats:
        head.append('<dl class="cb-stats">' + "".join(
            f"<div><dt>{STATS[k][0]}</dt><dd>{_num(v)} <small>{STATS[k][1]}</small></dd></div>"
            for k, v in a.stats) + "</dl>")
    out = []
    if a.photos:
        figures = [f'<figure class="cb-photo">{site.photo_html(p.file, p.caption or a.title, i > 0, base)}'
                   + (f"<figcaption>{_e(p.caption)}</figcaption>" if p.caption else "") + "</figure>"
                   for i, p in enumerate(a.photos)]
        out.append('<div class="cb-photos">' + "".join(figures) + "</div>")
    out.append(f'<p class="cb-back">{site._link(src, f"columns/{a.column}.md", "更多「" + site._column_title(a.column) + "」活动")}'
               f' · {site._link(src, "activities/index.md", "全部活动")}</p>')
    return PageSpec(src, a.title, record_markdown(a.body), a.summary, kind="activity", image=a.cover_photo,
                    updated=a.date, before="\n".join(head), after="\n".join(out))


def pages(site: Any) -> list:
    """/activities/ (every activity), /columns/ and each column's listing, then each activity."""
    c = site.content
    out = _listing(site, "activities", "全部活动", c.activities, "社区开展的全部活动，按时间从新到旧排列。")
    out.append(_columns_index(site))
    for column in c.community.columns:
        mine = tuple(a for a in c.activities if a.column == column.slug)
        out += _listing(site, f"columns/{column.slug}", column.title, mine,
                        column.description or f"「{column.title}」栏目的全部活动。")
    out.extend(_page(site, a) for a in c.activities)
    return out


def feed(content: Any) -> list[tuple]:
    return [(a.date, ACTIVITIES.path(a), a.title, a.summary, "活动") for a in content.activities]


def search(content: Any) -> list:
    from ..search import SearchDoc, plain
    return [SearchDoc(ACTIVITIES.path(a), a.title, "活动", a.date.isoformat(),
                      " ".join((a.summary, a.location, " ".join(a.organizers), " ".join(a.partners), plain(a.body))))
            for a in content.activities]


ACTIVITIES = Kind("activities", "活动", Layout("activities", "activities/YYYY/YYYY-MM-DD-slug.md", files=("photos",)), FIELDS, Activity,
                  url=lambda a: f"/activities/{a.id}/", consent="consent", load=load, listed=visible,
                  pages=pages, feed=feed, search=search, announced=lambda a: a.title, parts=(("photos", PHOTO_FIELDS),))
