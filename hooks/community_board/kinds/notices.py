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
from .dated import first_paragraph, markdown_records


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


def feed(content: Any) -> list[tuple]:
    return [(n.date, NOTICES.path(n), n.title, n.summary, n.kind) for n in content.notices]


def search(content: Any) -> list:
    from ..search import SearchDoc, plain
    return [SearchDoc(NOTICES.path(n), n.title, "公告", n.date.isoformat(), " ".join((n.kind, plain(n.body))))
            for n in content.notices]


NOTICES = Kind("notices", "公告", Layout("notices", "notices/YYYY-MM-DD-slug.md", files=("files",)), FIELDS, Notice,
               url=lambda n: f"/notices/{n.id}/", consent="consent", load=load, feed=feed, search=search,
               announced=lambda n: n.title, parts=(("attachments", ATTACHMENT_FIELDS),))
