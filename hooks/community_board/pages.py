"""Every page of the site as plain Markdown (with a little HTML) and metadata: pure functions.

Nothing here knows MkDocs: a page is a `PageSpec` with its source path, title, description
and Markdown; any Markdown site generator could render these. Links are relative URLs that
we compute ourselves, so the output works under any base path (GitHub Pages project sites).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from html import escape
from typing import Any, Callable, Mapping

from .htmlsafety import staff_html
from .kinds import ACTIVITIES, HONORS, KINDS, NOTICES
from .published import Board, Content
from .records import Activity, Honor, Notice
from .schema import FIGURES

PER_PAGE = 30
NEW_DAYS = 7  # a record published this many days before the as-of date, or fewer, is marked 新
RECENT_WHEN_FEWER, RECENT_COUNT = 3, 6  # home page: earlier activities while a quarter is new
HOME_NOTICES = 4  # the newest current notices at the top of the home page; the rest one tap away

# photo_html(photo, alt, lazy, base) -> HTML; the build passes one backed by processed photos.
PhotoRenderer = Callable[[str, str, bool, str], str]


@dataclass(frozen=True)
class PageSpec:
    """One page. `before` + `markdown` + `after` is the page as plain Markdown (raw HTML blocks
    are Markdown); a renderer may send only `markdown` (what staff wrote) through Markdown and
    place the generated HTML around the result, which is what our MkDocs hooks do: parsing our
    own HTML again was the largest cost of a build."""

    src_uri: str
    title: str
    markdown: str
    description: str = ""
    kind: str = "page"
    image: str | None = None  # a content/ photo for the share image
    updated: date | None = None
    before: str = ""  # generated HTML shown above the Markdown
    after: str = ""   # generated HTML shown below it

    @property
    def url(self) -> str:
        return url_of(self.src_uri)

    def as_markdown(self) -> str:
        return "\n\n".join(part for part in (self.before, self.markdown, self.after) if part) + "\n"


def record_markdown(body: str) -> str:
    """The Markdown of an activity's or notice's page: what staff wrote under the front matter."""
    return body.strip() + "\n"


@lru_cache(maxsize=1 << 16)  # pure; every listing asks for the same few thousand links
def url_of(src_uri: str) -> str:
    """Directory URL of a source path, as MkDocs makes it with use_directory_urls."""
    stem = src_uri[:-3] if src_uri.endswith(".md") else src_uri
    if stem == "index":
        return ""
    if stem.endswith("/index"):
        stem = stem[: -len("/index")]
    return stem + "/"


def rel(from_url: str, to_url: str) -> str:
    """Relative link from one directory URL ("a/b/") to another URL of the site ("c/", "x.jpg")."""
    here = from_url.split("/")[:-1]  # directory segments: "a/b/" -> ["a", "b"]
    there = to_url.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    target = "../" * (len(here) - common) + "/".join(there[common:])
    return target or "./"


def cn_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def published_on(record) -> date:
    """The day a record went on the site: its publish date when it has one, else its date."""
    return max(record.date, record.publish) if record.publish else record.date


def is_new(record, as_of: date) -> bool:
    """Published within NEW_DAYS of the as-of date: from the record's dates, never the clock."""
    return 0 <= (as_of - published_on(record)).days <= NEW_DAYS


NEW_MARK = '<span class="cb-new">新</span>'

# 朗读: hidden in the HTML; board.js shows it where the browser has a Chinese voice and reads
# the title and the staff's text (the elements between the facts and the photos/links).
READ_ALOUD = ('<p class="cb-read-bar"><button class="cb-read" type="button" aria-pressed="false" hidden>'
              '朗读</button></p>')


def _num(value: float) -> str:
    return f"{value:,.0f}".replace(",", "") if float(value).is_integer() else f"{value:g}"


def _e(text: str) -> str:
    return escape(text, quote=True)


_SECTION = re.compile(r'<h2 id="([\w-]+)">([^<]+)</h2>')


def _jump_nav(parts: list[str]) -> str:
    """Links to the home page's sections, in the first screen: whatever a kind adds (notices,
    events to come) is then reachable within two screens in 大字 too."""
    links = [f'<a href="#{i}">{t}</a>' for part in parts for i, t in _SECTION.findall(part)]
    return f'<nav class="cb-jump" aria-label="本页内容">{"".join(links)}</nav>'


@dataclass
class Site:
    """Builds every PageSpec from the published content."""

    content: Content
    photo_html: PhotoRenderer
    per_page: int = PER_PAGE
    pages: list[PageSpec] = field(default_factory=list)
    # attachment file -> its link (url, "PDF，120 KB"), made by attachments.plan
    attachment_links: Mapping[str, Any] = field(default_factory=dict)

    # --- entry point -----------------------------------------------------------------
    def build(self) -> list[PageSpec]:
        c = self.content
        self.pages = []
        current = c.board_of(c.current_quarter)
        self.pages.append(self._board_page("index.md", current, home=True))
        for board in c.boards:
            self.pages.append(self._board_page(f"boards/{board.quarter.id}.md", board, home=False))
        self.pages.append(self._boards_index())
        for kind in KINDS:  # activities, honours, slogans, notices, events: each kind's own pages
            if kind.pages:
                self.pages.extend(kind.pages(self))
        self.pages.append(self._about())
        self.pages.append(self._search())
        return self.pages

    # --- pieces ------------------------------------------------------------------------
    def _link(self, here: str, to_src: str, text: str, cls: str = "") -> str:
        attr = f' class="{cls}"' if cls else ""
        return f'<a href="{rel(url_of(here), url_of(to_src))}"{attr}>{_e(text)}</a>'

    def _new(self, record) -> str:
        return NEW_MARK if is_new(record, self.content.as_of) else ""

    def _column_title(self, slug: str) -> str:
        column = self.content.community.column(slug)
        return column.title if column else slug

    def _card(self, here: str, a: Activity, lazy: bool, featured: bool = False) -> str:
        src = ACTIVITIES.src(a)
        cover = a.cover_photo
        picture = ""
        if cover:
            caption = next((p.caption for p in a.photos if p.file == cover), "") or a.title
            picture = self.photo_html(cover, caption, lazy, rel(url_of(here), ""))
        cls = "cb-card cb-card--featured" if featured else "cb-card"
        tag = '<span class="cb-tag">置顶</span>' if featured else ""
        return (f'<article class="{cls}">{picture}<div class="cb-card__text">'
                f'<h3>{tag}{self._new(a)}{self._link(here, src, a.title)}</h3>'
                f'<p class="cb-meta"><time datetime="{a.date}">{cn_date(a.date)}</time> · '
                f'{self._link(here, f"columns/{a.column}.md", self._column_title(a.column))}</p>'
                f'<p>{_e(a.summary)}</p></div></article>')

    def _notice_item(self, here: str, n: Notice) -> str:
        until = f'，有效期至 {cn_date(n.expires)}' if n.expires else ""
        return (f'<li>{self._new(n)}<span class="cb-kind">{_e(n.kind)}</span> {self._link(here, NOTICES.src(n), n.title)}'
                f'<span class="cb-meta"> <time datetime="{n.date}">{cn_date(n.date)}</time>{until}</span></li>')

    def _stars(self, stars: int | None) -> str:
        if not stars:
            return ""
        return f'<span class="cb-stars" role="img" aria-label="{stars}星">{"★" * stars}{"☆" * (5 - stars)}</span> '

    def _honor_item(self, here: str, h: Honor, story: bool) -> str:
        extra = " · ".join(x for x in (h.place, h.level and f"{h.level}级", h.by) if x)
        parts = [f'<li class="cb-honor" id="{HONORS.anchor(h)[1:]}">{self._stars(h.stars)}<strong>{_e(h.name)}</strong>']
        if extra:
            parts.append(f' <span class="cb-meta">{_e(extra)}</span>')
        if story and h.photo:
            parts.append(self.photo_html(h.photo, h.name, True, rel(url_of(here), "")))
        if story and h.story:
            # Generated HTML is never parsed as Markdown (PageSpec.before): the story is
            # converted and sanitized here, as a body is by the build.
            parts.append(f'<div class="cb-story">{staff_html(h.story)}</div>')
        parts.append("</li>")
        return "".join(parts)

    def _board_page(self, src: str, board: Board, home: bool) -> PageSpec:
        c = self.content
        q = board.quarter
        out = [f'<p class="cb-quarter">{_e(c.community.name)} · {q.label}宣传窗'
               + (f" · 截至{cn_date(c.as_of)}" if board.current else "") + "</p>",
               f"<h1>{_e(board.theme)}</h1>"]
        if home and c.community.phone:
            # Within the first screen: many readers come to the site for the office's number.
            out.append(f'<p class="cb-call"><a href="tel:{_e(c.community.phone.replace(" ", ""))}">'
                       f'居委会电话 {_e(c.community.phone)}</a></p>')
        if home:
            # Notices are what residents act on (water cuts, deadlines): within the first
            # screens of the home page, above the slogans and the quarter's activities.
            out.extend(self._board_notices(src, board, limit=HOME_NOTICES))
            for kind in KINDS:  # what a kind adds within the first screens (events to come)
                if kind.home:
                    out.extend(kind.home(self, src))
        if board.slogans:
            out.append('<div class="cb-slogans">' + "".join(
                f'<p class="cb-slogan">{_e(s.text)}</p>' for s in board.slogans) + "</div>\n")
        out.append('<h2 id="activities">本季活动</h2>')
        if board.activities:
            cards = [self._card(src, a, lazy=i > 1, featured=a in board.featured)
                     for i, a in enumerate(board.activities)]
            out.append('<div class="cb-cards">' + "".join(cards) + "</div>")
        else:
            out.append("<p>本季度还没有活动记录。</p>")
        if home and len(board.activities) < RECENT_WHEN_FEWER:
            # The first weeks of a quarter: keep the window from looking empty.
            shown = {a.id for a in board.activities}
            recent = [a for a in c.activities if a.id not in shown][:RECENT_COUNT]
            if recent:
                out.append('<h2 id="recent">近期活动</h2>')
                out.append('<ul class="cb-list">' + "".join(
                    f'<li><time datetime="{a.date}">{cn_date(a.date)}</time> '
                    f'{self._link(src, ACTIVITIES.src(a), a.title)}<p>{_e(a.summary)}</p></li>'
                    for a in recent) + "</ul>")
        if board.honors:
            out.append(f'<h2 id="honors">光荣榜（{q.year}年）</h2>')
            out.append('<ul class="cb-honors">' + "".join(
                self._honor_item(src, h, story=False) for h in board.honors) + "</ul>\n")
            out.append(f'<p>{self._link(src, f"honors/{q.year}.md", f"查看{q.year}年光荣榜详情")}</p>\n')
        if not home:
            out.extend(self._board_notices(src, board))
        nav = []
        if board.previous:
            nav.append(self._link(src, f"boards/{board.previous.id}.md", f"← 上一季度：{board.previous.label}", "cb-prev"))
        if board.next:
            target = "index.md" if board.next == c.current_quarter else f"boards/{board.next.id}.md"
            nav.append(self._link(src, target, f"下一季度：{board.next.label} →", "cb-next"))
        nav.append(self._link(src, "boards/index.md", "全部往期看板"))
        nav.append(self._link(src, f"boards/{q.id}/print.md", "打印本季宣传窗"))
        out.append('<nav class="cb-pager" aria-label="季度翻页">' + " ".join(nav) + "</nav>\n")
        if home:
            out.insert(3 if c.community.phone else 2, _jump_nav(out))
        title = f"{c.community.name}宣传窗" if home else f"{q.label} · {board.theme}"
        cover = next((a.cover_photo for a in board.activities if a.cover_photo), None)
        return PageSpec(src, title, "", before="\n".join(out), description=f"{c.community.name}{q.label}宣传窗：{board.theme}",
                        kind="home" if home else "board", image=cover,
                        updated=max((a.date for a in board.activities), default=None))

    def _board_notices(self, src: str, board: Board, limit: int | None = None) -> list[str]:
        out = ['<h2 id="notices">公告</h2>']
        shown = board.notices[:limit] if limit else board.notices
        if shown:
            out.append('<ul class="cb-notices">' + "".join(self._notice_item(src, n) for n in shown) + "</ul>")
        else:
            out.append("<p>目前没有公告。</p>")
        if len(shown) < len(board.notices):
            out.append(f'<p class="cb-back">{self._link(src, "notices/index.md", f"全部 {len(board.notices)} 条公告")}</p>')
        return out

    def _boards_index(self) -> PageSpec:
        src = "boards/index.md"
        items = []
        for q in reversed(self.content.quarters):
            target = "index.md" if q == self.content.current_quarter else f"boards/{q.id}.md"
            board = self.content.board_of(q)
            note = "（本季度）" if board.current else ""
            items.append(f"<li>{self._link(src, target, q.label + note)} <span class=\"cb-meta\">{_e(board.theme)}"
                         f" · 活动 {len(board.activities)} 项</span></li>")
        html = "<h1>往期宣传窗</h1><p>每季度更换一次宣传窗内容，往期看板都保存在这里。</p><ul class=\"cb-list\">" + "".join(items) + "</ul>"
        return PageSpec(src, "往期宣传窗", "", before=html, description="历年各季度的社区宣传窗。", kind="boards")

    def _about(self) -> PageSpec:
        com = self.content.community
        out = [f"# {_md(com.full_name or com.name)}", ""]
        if com.motto:
            out.append(f'<p class="cb-slogan">{_e(com.motto)}</p>\n')
        facts = [(k, v) for k, v in (("所在区县", com.district), ("所属街道", com.street), ("地址", com.address),
                                      ("办公时间", com.office_hours)) if v]
        if com.phone:
            facts.append(("办公电话", f'<a href="tel:{_e(com.phone.replace(" ", ""))}">{_e(com.phone)}</a>'))
        out.append('<dl class="cb-facts">' + "".join(
            f"<div><dt>{k}</dt><dd>{v if k == '办公电话' else _e(v)}</dd></div>" for k, v in facts) + "</dl>\n")
        if com.figures:
            out.append("## 社区概况\n")
            out.append('<dl class="cb-stats">' + "".join(
                f"<div><dt>{FIGURES[k][0]}</dt><dd>{_num(v)} <small>{FIGURES[k][1]}</small></dd></div>"
                for k, v in com.figures) + "</dl>\n")
        if com.boundaries:
            out.append("## 四至范围\n")
            out.append("<ul>" + "".join(f"<li>{k}至{_e(v)}</li>" for k, v in com.boundaries) + "</ul>\n")
        if com.facilities:
            out.append("## 服务设施\n")
            out.append("| 设施 | 面积 | 开放时间 | 说明 |\n|---|---|---|---|")
            for f in com.facilities:
                area = f"{_num(f.area_m2)} 平方米" if f.area_m2 is not None else ""
                out.append(f"| {_cell(f.name)} | {area} | {_cell(f.hours)} | {_cell(f.note)} |")
            out.append("")
        if com.honors:
            out.append("## 社区荣誉\n")
            out.append("<ul>" + "".join(f"<li>{h.year}年 {_e(h.title)}" + (f' <span class="cb-meta">{_e(h.by)}</span>' if h.by else "")
                                        + "</li>" for h in sorted(com.honors, key=lambda h: -h.year)) + "</ul>\n")
        out.append('<p class="cb-back">' + self._link("about.md", "columns/index.md", "宣传栏目") + "</p>")
        return PageSpec("about.md", "关于社区", "\n".join(out), f"{com.name}概况、四至范围、服务设施和办公电话。", kind="about")


    def _search(self) -> PageSpec:
        # The contract of assets/board/search.js: it fills #search-results from ?q=.
        base = rel(url_of("search.md"), "")
        # Generated HTML only (`before`): the sanitizer of page Markdown allows no <noscript>.
        html = ('<h1 id="_1">搜索</h1>\n'
                f'<div id="search-results" data-base="{base}"><noscript><p>搜索需要浏览器开启 JavaScript。'
                f'也可以直接看看{self._link("search.md", "activities/index.md", "全部活动")}、'
                f'{self._link("search.md", "honors/index.md", "光荣榜")}和'
                f'{self._link("search.md", "notices/index.md", "公告")}。</p></noscript></div>')
        return PageSpec("search.md", "搜索", "", "搜索本社区的活动、光荣榜和公告。", kind="search", before=html)


def _md(text: str) -> str:
    """Text safe inside a Markdown heading: HTML-escaped, Markdown specials backslashed."""
    out = _e(text)
    for ch in "\\`*_[]#{}":  # {…}: attr_list would make attributes of it
        out = out.replace(ch, "\\" + ch)
    return out


def _cell(text: str) -> str:
    """Text safe in a Markdown table cell: a record value is text, never a link or emphasis."""
    return _md(text).replace("|", "\\|")
