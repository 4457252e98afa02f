"""Notices and public disclosures (公告): notices/YYYY-MM-DD-slug.md, with attachments.

What an attachment's file holds is judged after loading (attachments.check_notice), with the
community's public phone number known."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Mapping

from .. import schema
from ..schema import NOTICE_KINDS, Where, choice, content_file, day, flag, one_or_list, text
from .base import Field, Kind, Layout, record, values
from .dated import first_paragraph, markdown_records, visible


@dataclass(frozen=True)
class Attachment:
    """A file a notice links to; what it holds is judged by attachments.check_notice."""

    file: str  # relative to content/
    title: str = ""  # the link's text; else the file's name
    reviewed: bool = False  # a person checked it for private data (needed where no text can be read)
    field: str = "attachments[0]"  # where the notice names it, for error messages
    line: int | None = None  # in the notice's front matter
    # found by attachments.inspect while loading; None when the file was refused
    kind: str | None = None
    size: int = 0
    sha256: str = ""


ATTACHMENT_FIELDS = (
    Field("file", str, "附件文件", "content 里的文件，例如 files/2026-tingshui.pdf。", content_file, required=True,
          widget="file"),
    Field("title", str, "链接上显示的名称", "例如 停水范围示意；不写就显示文件名。", text, default=""),
    Field("reviewed", bool, "已由工作人员检查过没有个人信息", "扫描件、图片等读不出文字的文件，检查过后写 true。", flag,
          default=False, public=False),
)


def attachment_entry(value: Any, where: Where) -> Attachment | None:
    """A path, or {file, title, reviewed}; what the file holds is judged by the loader."""
    if isinstance(value, str):
        return Attachment(content_file(value, where), field=where.field, line=where.line)
    checked = schema.validate(value, ATTACHMENT_FIELDS, where, "附件")
    if checked is None:
        return None
    return Attachment(**values(ATTACHMENT_FIELDS, checked), field=where.field, line=where.line)
FIELDS = (
    Field("id", str, "编号", public=False),  # the file's stem: its URL
    Field("source", str, "文件", public=False),
    Field("title", str, "标题", "公告的标题，例如 停水通知。", text, required=True),
    Field("date", date, "日期", "发布日期，与文件名里的日期相同，例如 2026-03-01。", day, required=True),
    Field("body", str, "正文", "公告的正文（Markdown），写在第二个 --- 之后。"),
    Field("kind", str, "类别", "、".join(NOTICE_KINDS) + " 之一；不写就是 通知公告。", choice(NOTICE_KINDS),
          default=NOTICE_KINDS[0]),
    Field("expires", date | None, "截止日期", "过了这一天，公告离开当前看板和当前公告列表，仍留在往期归档里。", day,
          default=None),
    Field("attachments", tuple[Attachment, ...], "附件",
          "content 里的文件：写路径，或 {file: 路径, title: 链接上显示的名称, reviewed: true}。",
          one_or_list(attachment_entry, "附件"), default=()),
    Field("summary", str, "摘要", "列表里显示的一句话。", text, default="", derived="正文第一段"),
    Field("publish", date | None, "发布日期", "这一天之前网站上不出现这条公告。", day, default=None),
    Field("draft", bool, "草稿", "写 true 时不发布。", flag, default=False, public=False),
    Field("consent", bool, "已征得当事人同意", "公告里写到的人同意公开时写 true。", flag, default=False, public=False),
    Field("body_line", int, "正文起始行", default=1, public=False),
)


@record(FIELDS)
class Notice:
    def current_on(self, day: date) -> bool:
        return self.date <= day and (self.expires is None or self.expires >= day)


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    root = loader.content_dir / NOTICES.layout.top
    result = []
    for path, (rid, c, doc) in markdown_records(
            loader, root, lambda rel: len(rel) == 1, NOTICES.table, NOTICES.label,
            "公告写成 notices/年-月-日-短名.md，直接放在 notices 文件夹里。"):
        file = loader.display(path)
        if c.get("expires") and c["expires"] < c["date"]:
            loader.problems.add(file, doc.meta.line_of("expires"), "expires",
                                f"截止日期 {c['expires']} 早于发布日期 {c['date']}。", "把 expires 改到 date 之后。")
            continue
        fields = values(FIELDS, c)
        fields["summary"] = fields["summary"] or first_paragraph(doc.body)
        result.append(Notice(id=rid, source=file, body=doc.body, body_line=doc.body_line, **fields))
    return {"notices": tuple(sorted(result, key=lambda n: (n.date, n.id), reverse=True))}


# --- the site: /notices/ and each notice's page (Kind.pages; the boards list them too) -----

def _index(site: Any):
    from ..pages import PageSpec
    src = "notices/index.md"
    c = site.content
    current, expired = c.current_notices, c.expired_notices
    out = ["<h1>公告</h1>", "<p>通知公告与居务、财务、党务公开。</p>", '<h2 id="current">当前公告</h2>']
    out.append('<ul class="cb-notices">' + "".join(site._notice_item(src, n) for n in current) + "</ul>"
               if current else "<p>目前没有公告。</p>")
    out.append('<h2 id="archive">已过期公告（存档）</h2>')
    out.append('<ul class="cb-notices cb-archive">' + "".join(site._notice_item(src, n) for n in expired) + "</ul>"
               if expired else "<p>暂无存档。</p>")
    return PageSpec(src, "公告", "", "社区通知公告与居务、财务、党务公开。", kind="notices", before="\n".join(out))


def _page(site: Any, n: Notice):
    from ..pages import READ_ALOUD, PageSpec, _e, cn_date, record_markdown
    src = NOTICES.src(n)
    state = "已过期" if n.expires and n.expires < site.content.as_of else "有效"
    facts = [("类别", _e(n.kind)), ("发布日期", f'<time datetime="{n.date}">{cn_date(n.date)}</time>')]
    if n.expires:
        facts.append(("有效期至", f"{cn_date(n.expires)}（{state}）"))
    head = f"<h1>{site._new(n)}{_e(n.title)}</h1>{READ_ALOUD}" + '<dl class="cb-facts">' + "".join(
        f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>"
    out = []
    if n.attachments:
        out.append('<h2 id="attachments">附件</h2>')
        out.append('<ul class="cb-attachments">' + "".join(_attachment_item(site, src, a) for a in n.attachments)
                   + "</ul>")
    out.append(f'<p class="cb-back">{site._link(src, "notices/index.md", "全部公告")}</p>')
    return PageSpec(src, n.title, record_markdown(n.body), n.summary, kind="notice", updated=n.date,
                    before=head, after="\n".join(out))


def _attachment_item(site: Any, src: str, a: Attachment) -> str:
    """The link says the attachment's title (else its file name), its type and size."""
    import posixpath
    from urllib.parse import quote
    from ..pages import _e, rel, url_of
    link = site.attachment_links.get(a.file)
    href = link.url if link else "attachments/" + a.file
    label = f' <span class="cb-meta">（{_e(link.label)}）</span>' if link else ""
    return (f'<li><a href="{_e(quote(rel(url_of(src), href)))}">{_e(a.title or posixpath.basename(a.file))}</a>'
            f'{label}</li>')


def pages(site: Any) -> list:
    return [_index(site)] + [_page(site, n) for n in site.content.notices]


def feed(content: Any) -> list[tuple]:
    return [(n.date, NOTICES.path(n), n.title, n.summary, n.kind) for n in content.notices]


def search(content: Any) -> list:
    from ..search import SearchDoc, plain
    return [SearchDoc(NOTICES.path(n), n.title, "公告", n.date.isoformat(), " ".join((n.kind, plain(n.body))))
            for n in content.notices]


NOTICES = Kind("notices", "公告", Layout("notices", "notices/YYYY-MM-DD-slug.md", files=("files",)), FIELDS, Notice,
               url=lambda n: f"/notices/{n.id}/", consent="consent", load=load, listed=visible, feed=feed, search=search,
               pages=pages, announced=lambda n: n.title, parts=(("attachments", ATTACHMENT_FIELDS),))
