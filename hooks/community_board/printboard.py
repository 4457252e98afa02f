"""The printed board: one quarter's window as a single A3 landscape sheet (fits A4 too).

Staff open `/boards/YYYY-qN/print/`, press print and pin the sheet in the physical window:
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

from .pages import PageSpec, PhotoRenderer, cn_date, rel, url_of
from .published import Board, Content

MAX_ACTIVITIES = 6
MAX_HONORS = 12
MAX_NOTICES = 6
MAX_SLOGANS = 6
SUMMARY_CHARS = 60


def _e(text: str) -> str:
    return escape(text, quote=True)


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def print_src(board: Board) -> str:
    return f"boards/{board.quarter.id}/print.md"


@lru_cache(maxsize=1024)  # pure; `mkdocs serve` rebuilds ask for the same codes again
def qr_svg(url: str, label: str = "本站网址二维码") -> str:
    """An inline SVG QR code (segno; error correction M survives a little rain and sun)."""
    import segno

    svg = segno.make(url, error="m", micro=False).svg_inline(scale=4, omitsize=True, border=2)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_e(label)}" ', 1)


def print_page(content: Content, board: Board, photo_html: PhotoRenderer, site_url: str | None = None) -> PageSpec:
    """The print-ready sheet of `board` at boards/<qid>/print.md (URL /boards/<qid>/print/).

    `site_url` is what the QR code opens (mkdocs.yml's site_url); without it there is no QR
    code, and the sheet says where the site can be set.
    """
    src = print_src(board)
    here = url_of(src)
    base = rel(here, "")
    com = content.community
    q = board.quarter
    board_src = "index.md" if board.current else f"boards/{q.id}.md"
    board_link = rel(here, url_of(board_src))

    out: list[str] = []
    out.append(f'<p class="cb-print-note">这是供打印张贴的宣传窗版面：横向打印，A3 纸一张，也可用 A4 纸。'
               f'<a href="{board_link}">返回{_e(q.label)}看板</a></p>')
    out.append('<div class="cb-print">')
    asof = f" · 截至{cn_date(content.as_of)}" if board.current else ""
    if site_url:
        qr = (f'<div class="cb-qr">{qr_svg(site_url)}<p>微信扫一扫<br>看更多社区活动</p>'
              f'<p class="cb-meta">{_e(site_url)}</p></div>')
    else:
        qr = '<p class="cb-meta">（在 mkdocs.yml 中设置 site_url 后，这里会印出网站二维码。）</p>'
    contact = " · ".join(x for x in (com.full_name or com.name, com.phone and f"电话 {com.phone}") if x)
    out.append(f'<header class="cb-print__head"><div class="cb-print__title">'
               f'<p class="cb-quarter">{_e(com.name)} · {_e(q.label)}宣传窗{asof}</p>'
               f'<h1>{_e(board.theme)}</h1><p class="cb-meta">{_e(contact)}</p></div>{qr}</header>')
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
            summary = f"<p>{_e(_clip(a.summary, SUMMARY_CHARS))}</p>" if a.summary else ""
            cards.append(f'<article class="cb-print__act">{picture}<h3>{_e(a.title)}</h3>'
                         f'<p class="cb-meta"><time datetime="{a.date}">{cn_date(a.date)}</time>'
                         + (f" · {_e(a.location)}" if a.location else "") + f"</p>{summary}</article>")
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
            out.append(f"<li>{stars}<strong>{_e(h.name)}</strong> <span class=\"cb-meta\">{_e(h.title)}</span></li>")
        out.append("</ul>")
        if len(board.honors) > MAX_HONORS:
            out.append(f'<p class="cb-meta">等 {len(board.honors)} 项</p>')
    out.append("<h2>公告</h2>")
    if board.notices:
        out.append("<ul>" + "".join(
            f'<li><strong>{_e(n.title)}</strong> <span class="cb-meta">{_e(n.kind)} · {cn_date(n.date)}'
            + (f"，有效期至{cn_date(n.expires)}" if n.expires else "") + "</span></li>"
            for n in board.notices[:MAX_NOTICES]) + "</ul>")
        if len(board.notices) > MAX_NOTICES:
            out.append(f'<p class="cb-meta">等 {len(board.notices)} 项，扫码查看。</p>')
    else:
        out.append("<p>目前没有公告。</p>")
    out.append("</div></div></div>")

    # All generated HTML: `before`, never parsed as Markdown (see PageSpec).
    return PageSpec(src, f"{q.label}宣传窗打印版", "", before="\n".join(out),
                    description=f"{com.name}{q.label}宣传窗的打印版（A3 横向）。", kind="print")
