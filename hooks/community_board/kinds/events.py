"""Events to come (活动预告): events/YYYY-MM-DD-slug.md, the one record whose own date may lie
after the as-of date. The file's date is the day it starts.

Whether an event is listed is decided from the as-of date only, never the clock, so two
builds of the same content on the same as-of date are byte-identical; the calendar file
(`calendar`) takes its DTSTAMP from the record for the same reason."""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Mapping

from ..schema import Invalid, Where, day, flag, integer_between, slug, text
from .base import Field, Kind, Layout, record, values
from .dated import first_paragraph, read_dated

# China has kept one offset all year since 1991: local times convert to UTC with no table.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")
PUBLISH_AHEAD = timedelta(days=30)
_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{1,2}):(\d{2}))?")


def moment(value: Any, where: Where) -> date | datetime:
    """A day (2026-11-28) or a day and a time of day in Asia/Shanghai (2026-11-28 09:00)."""
    hint = "写成 年-月-日，或 年-月-日 时:分（北京时间，24 小时制），例如 2026-11-28 09:00。"
    if not isinstance(value, str):
        raise Invalid(f"应为日期或日期加时间，现在是「{value}」。", hint)
    m = _MOMENT.fullmatch(value.strip())
    if not m:
        raise Invalid(f"日期时间格式不对：「{value}」。", hint)
    start = day(m[1], where)
    if m[2] is None:
        return start
    hour, minute = int(m[2]), int(m[3])
    if hour > 23 or minute > 59:
        raise Invalid(f"没有这个时刻：「{m[2]}:{m[3]}」。", "时在 0 到 23 之间，分在 0 到 59 之间，例如 09:00、14:30。")
    return datetime.combine(start, time(hour, minute))


FIELDS = (
    Field("id", str, "编号", public=False),  # the file's stem: its URL
    Field("source", str, "文件", public=False),
    Field("title", str, "标题", "活动的名称，例如 冬季安全用电讲座。", text, required=True),
    Field("start", date | datetime, "开始时间",
          "日期，或日期加时间（北京时间），例如 2026-11-28 09:00；日期与文件名里的相同。", moment, required=True,
          widget="datetime"),
    Field("place", str, "地点", "在哪里举行，例如 社区服务中心二楼会议室。", text, required=True),
    Field("body", str, "正文", "活动的说明（Markdown），写在第二个 --- 之后。"),
    Field("end", date | datetime | None, "结束时间",
          "日期或日期加时间，例如 2026-11-28 10:30；不写就是开始那天结束。", moment, default=None,
          derived="开始那天结束", widget="datetime"),
    Field("column", str, "栏目", "community.yml 里 columns 的 slug 之一，例如 classroom。", slug, default="",
          widget="column"),
    Field("audience", str, "面向", "欢迎谁来，例如 60 岁以上老人及家属。", text, default=""),
    Field("signup", str, "报名方式", "怎样报名，例如 请拨打社区办公室电话报名；不要写个人手机号。", text, default=""),
    Field("capacity", int | None, "名额", "最多多少人参加，写 1 或更大的整数，例如 40。",
          integer_between(1, 100000), default=None),
    Field("publish", date | None, "发布日期", "这一天之前网站上不出现这条预告。", day, default=None,
          derived="开始前 30 天"),
    Field("report", str, "活动报道", "活动结束后写成的活动记录，写它的文件名去掉 .md，例如 2026-11-28-safe-power-talk。",
          text, default="", public=False),  # an id checked to exist: not published from here
    Field("draft", bool, "草稿", "写 true 时不发布。", flag, default=False, public=False),
    Field("summary", str, "摘要", default="", derived="正文第一段"),
    Field("body_line", int, "正文起始行", default=1, public=False),
)


@record(FIELDS)
class Event:
    @property
    def first_day(self) -> date:
        return self.start.date() if isinstance(self.start, datetime) else self.start

    @property
    def last_day(self) -> date:
        end = self.end if self.end is not None else self.start
        return end.date() if isinstance(end, datetime) else end

    @property
    def publish_on(self) -> date:
        return self.publish if self.publish is not None else self.first_day - PUBLISH_AHEAD

    def coming_on(self, as_of: date) -> bool:
        """Announced on the as-of date: published and not yet over (it ends with its last day)."""
        return not self.draft and self.publish_on <= as_of <= self.last_day

    def past_on(self, as_of: date) -> bool:
        """Over by the as-of date: kept in the archive part of /events/."""
        return not self.draft and self.last_day < as_of

    def listed_on(self, as_of: date) -> bool:
        """In the published view at all: announced, or in the archive."""
        return not self.draft and self.publish_on <= as_of


def coming(events: tuple[Event, ...], as_of: date) -> tuple[Event, ...]:
    """Soonest first (the loader's order)."""
    return tuple(e for e in events if e.coming_on(as_of))


def past(events: tuple[Event, ...], as_of: date) -> tuple[Event, ...]:
    """Most recent first."""
    return tuple(sorted((e for e in events if e.past_on(as_of)), key=lambda e: (e.first_day, e.id), reverse=True))


def _as_start(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value, time())


def _as_end(value: date | datetime) -> datetime:
    return value if isinstance(value, datetime) else datetime.combine(value + timedelta(days=1), time())


def _show(value: date | datetime) -> str:
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value.isoformat()


def _activity_ids(loader: Any) -> set[str]:
    # Every activity file counts, valid or not: one with an error of its own is reported once.
    return {p.stem for p in loader.files(loader.content_dir / "activities", "*/*.md", every=True)}


def _columns(loaded: Mapping[str, tuple]) -> tuple[str, ...] | None:
    community = next(iter(loaded.get("community", ())), None)
    return tuple(c.slug for c in community.columns) if community is not None else None


_NAME_HINT = ("文件名写成 年-月-日-英文短名.md，日期是活动开始的那天，短名只用小写字母、数字和 -，"
              "例如 2026-11-28-safe-power-talk.md（中文标题写在 title 里）。")


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    root = loader.content_dir / EVENTS.layout.top
    columns = _columns(loaded)
    activity_ids: set[str] | None = None
    result = []
    for path in loader.files(root, "**/*"):
        if path.is_dir():
            continue
        file = loader.display(path)
        if path.suffix != ".md" or len(path.relative_to(root).parts) != 1:
            loader.problems.add(file, None, None, "活动预告文件的位置或扩展名不对，不会被读取。",
                                "活动预告写成 events/年-月-日-短名.md，直接放在 events 文件夹里。")
            continue
        found = read_dated(loader, path, EVENTS.table, EVENTS.label, _NAME_HINT)
        if found is None:
            continue
        named_day, c, doc = found
        line = doc.meta.line_of
        wrong: list[tuple[str, str, str]] = []
        start = c["start"]
        first = start.date() if isinstance(start, datetime) else start
        if first.isoformat() != named_day:
            wrong.append(("start", f"开始日期 {first} 与文件名里的日期 {named_day} 不一致。", "把文件名或 start 改成同一天。"))
        if c.get("end") is not None and _as_end(c["end"]) <= _as_start(start):
            wrong.append(("end", f"结束时间 {_show(c['end'])} 不晚于开始时间 {_show(start)}。", "把 end 改到 start 之后，或删掉 end。"))
        if c.get("publish") is not None and c["publish"] > first:
            wrong.append(("publish", f"发布日期 {c['publish']} 晚于活动开始的 {first}，预告永远不会出现。",
                          "把 publish 改到开始之前，或删掉 publish（默认开始前 30 天）。"))
        if c.get("column") and columns is not None and c["column"] not in columns:
            wrong.append(("column", f"community.yml 里没有栏目「{c['column']}」。",
                          "写 community.yml 里 columns 的 slug 之一：" + "、".join(columns) + "。"))
        if c.get("report"):
            activity_ids = _activity_ids(loader) if activity_ids is None else activity_ids
            if c["report"] not in activity_ids:
                wrong.append(("report", f"找不到活动记录「{c['report']}」。",
                              "写 activities 里那篇活动记录的文件名去掉 .md；活动还没写成就先删掉 report。"))
        for key, message, hint in wrong:
            loader.problems.add(file, line(key), key, message, hint)
        if wrong:
            continue
        fields = values(FIELDS, c)
        result.append(Event(id=path.stem, source=file, body=doc.body, body_line=doc.body_line,
                            summary=first_paragraph(doc.body), **fields))
    return {"events": tuple(sorted(result, key=lambda e: (_as_start(e.start), e.id)))}




# --- the calendar file (RFC 5545) ----------------------------------------------------------

def _utc(moment_: datetime) -> str:
    return moment_.replace(tzinfo=SHANGHAI).astimezone(timezone.utc).strftime("%Y%m%dT%H%M%SZ")


def _escape(value: str) -> str:
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def _fold(line: str) -> str:
    """Lines of at most 75 octets, continued with CRLF and a space, never inside a character."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > (75 if not out else 74):
            out.append(current.decode("utf-8"))
            current = b""
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n ".join(out)


def calendar(event: Event, host: str, page_url: str = "") -> str:
    """The event as an iCalendar file: times in UTC (no VTIMEZONE needed), a whole-day event
    as dates; UID <id>@<host> and DTSTAMP from the publish date, so a rebuild changes nothing."""
    if isinstance(event.start, datetime) or isinstance(event.end, datetime):
        end = _as_end(event.end if event.end is not None else event.first_day)
        span = [f"DTSTART:{_utc(_as_start(event.start))}", f"DTEND:{_utc(end)}"]
    else:
        span = [f"DTSTART;VALUE=DATE:{event.first_day:%Y%m%d}",
                f"DTEND;VALUE=DATE:{event.last_day + timedelta(days=1):%Y%m%d}"]
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Community Board//events//ZH", "CALSCALE:GREGORIAN",
             "BEGIN:VEVENT", f"UID:{event.id}@{host}",
             f"DTSTAMP:{_utc(datetime.combine(event.publish_on, time()))}", *span,
             f"SUMMARY:{_escape(event.title)}", f"LOCATION:{_escape(event.place)}"]
    if event.summary:
        lines.append(f"DESCRIPTION:{_escape(event.summary)}")
    if page_url:
        lines.append(f"URL:{page_url}")
    lines += ["END:VEVENT", "END:VCALENDAR"]
    return "".join(_fold(line) + "\r\n" for line in lines)


# --- the site: what events add to it (Kind hooks; pages.py loops over them) ----------------

HOME_EVENTS = 3  # soonest first on the home page; the rest one tap away at /events/
WEEKDAYS = "一二三四五六日"


def when(event: Event) -> str:
    """11月28日（周六）09:00–10:30: the day, weekday and time, as a notice board says it."""
    def day_of(d: date) -> str:
        return f"{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"
    first, last = event.first_day, event.last_day
    text_ = day_of(first)
    if first.year != event.publish_on.year or last.year != first.year:
        text_ = f"{first.year}年" + text_
    start_time = f"{event.start:%H:%M}" if isinstance(event.start, datetime) else ""
    end_time = f"{event.end:%H:%M}" if isinstance(event.end, datetime) else ""
    if last != first:
        return f"{text_}{start_time and ' ' + start_time} 至 {day_of(last)}{end_time and ' ' + end_time}"
    if start_time:
        return f"{text_} {start_time}" + (f"–{end_time}" if end_time else "")
    return text_


def _stamp(value: date | datetime) -> str:
    """A <time datetime>: 2026-11-28T09:00+08:00, or the day alone."""
    return f"{value:%Y-%m-%dT%H:%M}+08:00" if isinstance(value, datetime) else value.isoformat()


def _events(content: Any) -> tuple[Event, ...]:
    return content.kinds.get("events", ())


def _new(site: Any, event: Event) -> str:
    from ..pages import NEW_DAYS, NEW_MARK
    days = (site.content.as_of - event.publish_on).days
    return NEW_MARK if event.coming_on(site.content.as_of) and 0 <= days <= NEW_DAYS else ""


def _item(site: Any, here: str, event: Event) -> str:
    from ..pages import _e
    return (f'<li class="cb-event">{_new(site, event)}{site._link(here, f"events/{event.id}.md", event.title)}'
            f'<p class="cb-event__when"><time datetime="{_stamp(event.start)}">'
            f'{_e(when(event))}</time></p><p class="cb-event__place">地点：{_e(event.place)}</p></li>')


def _report_link(site: Any, here: str, event: Event) -> str:
    shown = {a.id for a in site.content.activities}
    return (" " + site._link(here, f"activities/{event.report}.md", "活动报道")) if event.report in shown else ""


def home(site: Any, src: str) -> list[str]:
    """近期活动预告 right after the notices: within the first two screens of a phone."""
    soon = coming(_events(site.content), site.content.as_of)
    if not soon:
        return []
    out = ['<h2 id="events">近期活动预告</h2>',
           '<ul class="cb-events">' + "".join(_item(site, src, e) for e in soon[:HOME_EVENTS]) + "</ul>"]
    if len(soon) > HOME_EVENTS:
        out.append(f'<p class="cb-back">{site._link(src, "events/index.md", f"全部 {len(soon)} 项活动预告")}</p>')
    return out


def pages(site: Any) -> list:
    from ..pages import PageSpec
    events = _events(site.content)
    if not events:
        return []
    as_of = site.content.as_of
    src = "events/index.md"
    soon, done = coming(events, as_of), past(events, as_of)
    out = ["<h1>活动预告</h1>", "<p>社区近期将要举行的活动，欢迎居民参加。</p>", '<h2 id="coming">即将举行</h2>']
    out.append('<ul class="cb-events">' + "".join(_item(site, src, e) for e in soon) + "</ul>"
               if soon else "<p>目前没有活动预告。</p>")
    out.append('<h2 id="archive">已结束的活动（存档）</h2>')
    out.append('<ul class="cb-events cb-archive">' + "".join(
        _item(site, src, e).replace("</li>", _report_link(site, src, e) + "</li>") for e in done) + "</ul>"
               if done else "<p>暂无存档。</p>")
    specs = [PageSpec(src, "活动预告", "", "社区近期活动预告与往期活动。", kind="events", before="\n".join(out))]
    specs.extend(_page(site, e) for e in events)
    return specs


def _page(site: Any, event: Event):
    from ..pages import READ_ALOUD, PageSpec, _e, record_markdown, rel, url_of
    src = f"events/{event.id}.md"
    as_of = site.content.as_of
    facts = [("时间", f'<time datetime="{_stamp(event.start)}">{_e(when(event))}</time>'
              + ("（已结束）" if event.past_on(as_of) else "")),
             ("地点", _e(event.place))]
    if event.audience:
        facts.append(("面向", _e(event.audience)))
    if event.signup:
        facts.append(("报名", _e(event.signup)))
    if event.capacity:
        facts.append(("名额", f"{event.capacity} 人"))
    if event.column and site.content.community.column(event.column):
        facts.append(("栏目", site._link(src, f"columns/{event.column}.md", site._column_title(event.column))))
    head = (f"<h1>{_new(site, event)}{_e(event.title)}</h1>{READ_ALOUD}" + '<dl class="cb-facts cb-event-facts">'
            + "".join(f"<div><dt>{k}</dt><dd>{v}</dd></div>" for k, v in facts) + "</dl>")
    after = []
    if event.coming_on(as_of):
        after.append(f'<p class="cb-ics"><a href="{rel(url_of(src), f"events/{event.id}.ics")}" download>加入日历</a></p>')
    report = _report_link(site, src, event)
    if event.past_on(as_of) and report:
        after.append(f'<p>活动已结束，请看{report.strip()}。</p>')
    after.append(f'<p class="cb-back">{site._link(src, "events/index.md", "全部活动预告")}</p>')
    return PageSpec(src, event.title, record_markdown(event.body), event.summary or event.title, kind="event",
                    updated=event.publish_on, before=head, after="\n".join(after))


def files(content: Any, site_url: str) -> dict[str, bytes]:
    """events/<id>.ics of each event still to come (an ended one has no use in a calendar)."""
    from urllib.parse import urlsplit
    host = urlsplit(site_url).hostname or "community-board.invalid"
    base = site_url.rstrip("/") + "/" if site_url.startswith(("http://", "https://")) else ""
    return {f"events/{e.id}.ics": calendar(e, host, f"{base}events/{e.id}/" if base else "").encode("utf-8")
            for e in coming(_events(content), content.as_of)}


def feed(content: Any) -> list[tuple]:
    """In the feed from the day it is announced."""
    return [(e.publish_on, f"events/{e.id}/", e.title, f"{when(e)}，{e.place}。{e.summary}", "活动预告")
            for e in _events(content)]


def search(content: Any) -> list:
    from ..search import SearchDoc
    return [SearchDoc(f"events/{e.id}/", e.title, "活动预告", e.first_day.isoformat(),
                      " ".join((when(e), e.place, e.audience, e.signup, e.summary, e.body))) for e in _events(content)]


PRINT_EVENTS = 1  # the printed sheet's side column: bounded, so the board stays one sheet
PRINT_CHARS = 16


def sheet(content: Any, board: Any) -> str:
    """活动预告 on the printed board of the current quarter: the soonest in one line under the
    headline, beside the QR code (the columns below are full on a busy quarter's sheet)."""
    from ..pages import _e
    soon = coming(_events(content), content.as_of) if board.current else ()
    if not soon:
        return ""
    clip = lambda t: t if len(t) <= PRINT_CHARS else t[: PRINT_CHARS - 1] + "…"  # noqa: E731
    items = "；".join(f"<strong>{_e(clip(e.title))}</strong> {_e(when(e))} · {_e(clip(e.place))}"
                     for e in soon[:PRINT_EVENTS])
    more = f"（等 {len(soon)} 项，扫码查看）" if len(soon) > PRINT_EVENTS else ""
    return f'<p class="cb-print__events">活动预告：{items}{more}</p>'


def moments(event: Event) -> tuple[tuple[date, str], ...]:
    """For check.py --upcoming: the day it starts and, when later, the day it ends."""
    days = ((event.first_day, "start"),)
    return days + (((event.last_day, "end"),) if event.last_day != event.first_day else ())


EVENTS = Kind("events", "活动预告", Layout("events", "events/YYYY-MM-DD-slug.md"), FIELDS, Event,
              url=lambda e: f"/events/{e.id}/", load=load, listed=Event.listed_on, pages=pages, home=home,
              files=files, feed=feed, search=search, sheet=sheet, moments=moments)
