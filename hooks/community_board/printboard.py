"""The printed board: one quarter's window as a single landscape sheet, in A3 or A4.

Staff open `/boards/YYYY-qN/print/` (A3) or `/boards/YYYY-qN/print/a4/` (A4), press print
and pin the sheet in the physical window. Each version names its paper (`@page` size, via
the named pages `a3`/`a4` in board.css), so the browser's own default paper cannot shrink it;
sizes are for reading behind glass at a few steps (A3: headline 64 pt, body 15 pt, dates and
places 17 pt; A4 the same layout at 1/√2). It carries
the quarter's theme, its slogans, featured activities with photos, the honour roll, the
current notices and a QR code that leads passers-by to the site. A pure function from the
published content to a `PageSpec`; the sheet's layout is print CSS in board.css (kind
"print" makes the page template drop header, navigation and footer).

How much fits one sheet is bounded here, not left to chance: at most MAX_ACTIVITIES
activities, MAX_HONORS honours and MAX_NOTICES notices, with the rest counted ("等 N 项").
"""
from __future__ import annotations

from functools import lru_cache
from html import escape
from urllib.parse import urlsplit

from .kinds import KINDS
from .pages import PageSpec, PhotoRenderer, cn_date, rel, url_of
from .published import Board, Content

MAX_ACTIVITIES = 6
MAX_HONORS = 8
MAX_NOTICES = 4
MAX_SLOGANS = 3
SUMMARY_CHARS = 28
PLACE_CHARS = 14
TITLE_CHARS = 20
NOTICE_CHARS = 18

# paper -> (source path suffix, label): A3 is the window's sheet, A4 what an office printer has
PAPERS = {"A3": ("print.md", "A3"), "A4": ("print/a4.md", "A4")}

# Hosts that are never a community's site: RFC 2606/6761 names kept for examples and tests.
_PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net", "localhost", "127.0.0.1")
_PLACEHOLDER_SUFFIXES = (".example", ".test", ".invalid", ".localhost", ".example.org", ".example.com",
                         ".example.net")


def _e(text: str) -> str:
    return escape(text, quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _short_date(day, since) -> str:
    """An end date without its year when it is the start's year: the line fits the column."""
    return f"{day.month}月{day.day}日" if day.year == since.year else cn_date(day)


def print_src(board: Board, paper: str = "A3") -> str:
    return f"boards/{board.quarter.id}/{PAPERS[paper][0]}"


def placeholder_site_url(site_url: str | None) -> str | None:
    """A warning in Chinese when `site_url` is unset or a placeholder: the printed QR code
    would send passers-by to a site that is not the community's. None when it is real."""
    host = (urlsplit(site_url).hostname or "") if site_url else ""
    if host and host not in _PLACEHOLDER_HOSTS and not host.endswith(_PLACEHOLDER_SUFFIXES):
        return None
    shown = site_url or "（未设置）"
    return (f"提醒：mkdocs.yml 的 site_url 还是占位网址 {shown}，打印版宣传窗上的二维码会指向它，"
            "居民扫码打不开本站。请在 mkdocs.yml 中把 site_url 改成本站的真实网址"
            "（或在构建时设置环境变量 BOARD_SITE_URL），再打印张贴。")


@lru_cache(maxsize=1024)  # pure; `mkdocs serve` rebuilds ask for the same codes again
def qr_svg(url: str, label: str = "本站网址二维码") -> str:
    """An inline SVG QR code (segno; error correction M survives a little rain and sun)."""
    import segno

    svg = segno.make(url, error="m", micro=False).svg_inline(scale=4, omitsize=True, border=2)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_e(label)}" ', 1)


def print_page(content: Content, board: Board, photo_html: PhotoRenderer, site_url: str | None = None,
               paper: str = "A3") -> PageSpec:
    """The print-ready sheet of `board` on `paper` ("A3": boards/<qid>/print.md, URL
    /boards/<qid>/print/; "A4": /boards/<qid>/print/a4/).

    `site_url` is what the QR code opens (mkdocs.yml's site_url); without it there is no QR
    code, and the sheet says where the site can be set.
    """
    src = print_src(board, paper)
    other = "A4" if paper == "A3" else "A3"
    other_link = rel(url_of(src), url_of(print_src(board, other)))
    here = url_of(src)
    base = rel(here, "")
    com = content.community
    q = board.quarter
    board_src = "index.md" if board.current else f"boards/{q.id}.md"
    board_link = rel(here, url_of(board_src))

    out: list[str] = []
    warning = placeholder_site_url(site_url) if site_url else None
    out.append(f'<div class="cb-print-note"><p>这是供打印张贴的宣传窗版面（{paper} 纸横向，一张）。'
               f'打印时纸张选 {paper}、方向选横向、缩放选 100%。'
               f'<a href="{other_link}">改用 {other} 纸的版本</a> · <a href="{board_link}">返回{_e(q.label)}看板</a></p>'
               + (f"<p><strong>{_e(warning)}</strong></p>" if warning else "") + "</div>")
    out.append(f'<div class="cb-print cb-print--{paper.lower()}">')
    asof = f" · 截至{cn_date(content.as_of)}" if board.current else ""
    if site_url:
        qr = (f'<div class="cb-qr">{qr_svg(site_url)}<div class="cb-qr__text"><p>微信扫一扫<br>看更多社区活动</p>'
              f'<p class="cb-meta">{_e(site_url)}</p></div></div>')
    else:
        qr = '<p class="cb-meta">（在 mkdocs.yml 中设置 site_url 后，这里会印出网站二维码。）</p>'
    contact = " · ".join(x for x in (com.full_name or com.name, com.phone and f"电话 {com.phone}") if x)
    out.append(f'<header class="cb-print__head"><div class="cb-print__title">'
               f'<p class="cb-quarter">{_e(com.name)} · {_e(q.label)}宣传窗{asof}</p>'
               f'<h1>{_e(board.theme)}</h1><p class="cb-meta">{_e(contact)}</p>'
               # a kind's line beside the QR code (the soonest event), where the sheet has room
               + "".join(kind.sheet(content, board) for kind in KINDS if kind.sheet) + f'</div>{qr}</header>')
    if board.slogans:
        out.append('<div class="cb-slogans cb-print__slogans">' + "".join(
            f'<p class="cb-slogan">{_e(s.text)}</p>' for s in board.slogans[:MAX_SLOGANS]) + "</div>")

    out.append('<div class="cb-print__grid"><section class="cb-print__main"><h2>本季活动</h2>')
    shown = board.activities[:MAX_ACTIVITIES]
    if shown:
        cards = []
        for a in shown:
            picture = ""
            if a.cover_photo:
                caption = next((p.caption for p in a.photos if p.file == a.cover_photo), "") or a.title
                picture = photo_html(a.cover_photo, caption, False, base)
            # A photo tells the story on a sheet; a card without one says it in a line instead.
            summary = f"<p>{_e(_clip(a.summary, SUMMARY_CHARS))}</p>" if a.summary and not picture else ""
            cls = "cb-print__act" if picture else "cb-print__act cb-print__act--text"  # no empty frame
            cards.append(f'<article class="{cls}">{picture}<h3>{_e(_clip(a.title, TITLE_CHARS))}</h3>'
                         f'<p class="cb-meta"><time datetime="{a.date}">{cn_date(a.date)}</time>'
                         + (f" · {_e(_clip(a.location, PLACE_CHARS))}" if a.location else "") + f"</p>{summary}</article>")
        out.append('<div class="cb-print__acts">' + "".join(cards) + "</div>")
        rest = len(board.activities) - len(shown)
        if rest > 0:
            out.append(f'<p class="cb-meta">本季度另有 {rest} 项活动，扫码查看。</p>')
    else:
        out.append("<p>本季度还没有活动记录。</p>")
    out.append("</section>")

    out.append('<div class="cb-print__side">')
    if board.honors:
        out.append(f"<h2>光荣榜（{q.year}年）</h2><ul>")
        for h in board.honors[:MAX_HONORS]:
            stars = f'<span class="cb-stars" role="img" aria-label="{h.stars}星">{"★" * h.stars}</span> ' if h.stars else ""
            out.append(f"<li>{stars}<strong>{_e(h.name)}</strong> <span class=\"cb-print__what\">{_e(h.title)}</span></li>")
        out.append("</ul>")
        if len(board.honors) > MAX_HONORS:
            out.append(f'<p class="cb-meta">等 {len(board.honors)} 项</p>')
    out.append("<h2>公告</h2>")
    if board.notices:
        out.append("<ul>" + "".join(
            f'<li><strong>{_e(_clip(n.title, NOTICE_CHARS))}</strong> <span class="cb-meta">{cn_date(n.date)}'
            + (f" 至{_short_date(n.expires, n.date)}" if n.expires else "") + "</span></li>"
            for n in board.notices[:MAX_NOTICES]) + "</ul>")
        if len(board.notices) > MAX_NOTICES:
            out.append(f'<p class="cb-meta">等 {len(board.notices)} 项，扫码查看。</p>')
    else:
        out.append("<p>目前没有公告。</p>")
    out.append("</div></div></div>")

    # All generated HTML: `before`, never parsed as Markdown (see PageSpec).
    return PageSpec(src, f"{q.label}宣传窗打印版（{paper}）", "", before="\n".join(out),
                    description=f"{com.name}{q.label}宣传窗的打印版（{paper} 横向）。", kind="print")
