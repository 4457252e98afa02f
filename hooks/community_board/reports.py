"""Quarterly and yearly work summaries (工作总结), drafted from the published records.

Pure functions over `Content`: figures (exact totals of every stats key, activities per
column, honours, notices, the change against the previous period) and a narrative in the
form staff already write by hand: 一、<栏目>, then （1）3月5日，<标题>：<摘要>。
Only the published view is used, so drafts and records after the as-of date never count.
Totals are summed as Decimals of the numbers staff wrote, so 0.1 + 0.2 is 0.3, not 0.30000000000000004.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable

from .published import Content
from .quarters import Quarter
from .records import Activity, Community, Honor, Notice
from .schema import NOTICE_KINDS, STATS

_DIGITS = "零一二三四五六七八九"
_PERIOD_ID = re.compile(r"(\d{4})(?:-q([1-4]))?")

# How each total reads in the narrative's opening paragraph; unknown keys fall back to the label.
_PHRASES = {
    "participants": "参与群众累计{n}人次",
    "volunteers": "志愿者服务{n}人次",
    "households_visited": "走访居民家庭{n}户",
    "beneficiaries": "受益群众{n}人次",
    "donations_yuan": "募集捐款{n}元",
    "hours": "服务时长累计{n}小时",
}
CLOSING = "【下一步工作打算：请根据实际情况补充。】"


def cn_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 11 -> 十一, 20 -> 二十, 99 -> 九十九: section numbers of official documents."""
    if not 0 < n < 100:
        raise ValueError(n)
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[ones] if ones else "")


def fmt_number(value: Decimal | float | int) -> str:
    """9000 -> '9000', 2.50 -> '2.5': integers without decimals, never thousands separators."""
    d = _dec(value)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _dec(value: Decimal | float | int) -> Decimal:
    # repr of a float is the shortest decimal that round-trips: the number staff typed.
    return value if isinstance(value, Decimal) else Decimal(repr(value) if isinstance(value, float) else value)


_CJK = r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef“”‘’《》]"
_SPACE_NEAR_CJK = re.compile(rf"(?<={_CJK})[ \t]+|[ \t]+(?={_CJK})")


def official_text(text: str) -> str:
    """Drop the spaces web writing puts between Chinese and digits: '走访 20 户' -> '走访20户'."""
    return _SPACE_NEAR_CJK.sub("", " ".join(text.split()))


def md_date(day: date) -> str:
    return f"{day.month}月{day.day}日"


# --- periods -------------------------------------------------------------------------------

@dataclass(frozen=True, order=True)
class Period:
    """A quarter (number 1..4) or a whole year (number 0)."""

    year: int
    number: int = 0

    @classmethod
    def parse(cls, text: str) -> "Period | None":
        m = _PERIOD_ID.fullmatch(text.strip().lower())
        if not m:
            return None
        return cls(int(m[1]), int(m[2]) if m[2] else 0)

    @classmethod
    def of_quarter(cls, q: Quarter) -> "Period":
        return cls(q.year, q.number)

    @property
    def is_year(self) -> bool:
        return self.number == 0

    @property
    def quarter(self) -> Quarter | None:
        return None if self.is_year else Quarter(self.year, self.number)

    @property
    def id(self) -> str:
        return str(self.year) if self.is_year else f"{self.year}-q{self.number}"

    @property
    def label(self) -> str:
        """2026年第一季度 / 2026年."""
        return f"{self.year}年" if self.is_year else self.quarter.label

    @property
    def doc_label(self) -> str:
        """As it reads in a document title: 2026年第一季度 / 2026年度."""
        return f"{self.year}年度" if self.is_year else self.quarter.label

    @property
    def unit(self) -> str:
        return "年" if self.is_year else "季度"

    @property
    def start(self) -> date:
        return date(self.year, 1, 1) if self.is_year else self.quarter.start

    @property
    def end(self) -> date:
        return date(self.year, 12, 31) if self.is_year else self.quarter.end

    @property
    def months(self) -> tuple[int, ...]:
        return tuple(range(1, 13)) if self.is_year else tuple(range(3 * self.number - 2, 3 * self.number + 1))

    def previous(self) -> "Period":
        return Period(self.year - 1) if self.is_year else Period.of_quarter(self.quarter.previous())

    def holds(self, day: date) -> bool:
        return self.start <= day <= self.end

    @property
    def src_uri(self) -> str:
        return f"reports/{self.id}.md"


def report_periods(content: Content) -> tuple[Period, ...]:
    """Every quarter of the published view and every year holding one, oldest first."""
    quarters = [Period.of_quarter(q) for q in content.quarters]
    years = {Period(p.year) for p in quarters}
    return tuple(sorted(quarters + list(years), key=lambda p: (p.year, p.number if p.number else 5)))


# --- figures -------------------------------------------------------------------------------

def totals(activities: Iterable[Activity]) -> dict[str, Decimal]:
    """Exact sum of every stats key (in schema order), 0 where no activity gave one."""
    sums = {key: Decimal(0) for key in STATS}
    for a in activities:
        for key, value in a.stats:
            sums[key] = sums.get(key, Decimal(0)) + _dec(value)
    return sums


@dataclass(frozen=True)
class Line:
    """One row of a comparison table: this period, the previous one (None: no records then)."""

    label: str
    unit: str
    current: Decimal
    previous: Decimal | None

    @property
    def change(self) -> Decimal | None:
        return None if self.previous is None else self.current - self.previous

    @property
    def change_text(self) -> str:
        if self.change is None:
            return "—"
        if self.change == 0:
            return "持平"
        sign = "+" if self.change > 0 else "-"
        text = f"{sign}{fmt_number(abs(self.change))}"
        if self.previous:
            pct = (abs(self.change) * 100 / self.previous).quantize(Decimal("0.1"), ROUND_HALF_UP)
            text += f"（{sign}{fmt_number(pct)}%）"
        return text

    @property
    def previous_text(self) -> str:
        return "—" if self.previous is None else fmt_number(self.previous)


@dataclass(frozen=True)
class ColumnPart:
    slug: str
    title: str
    activities: tuple[Activity, ...]  # oldest first
    previous_count: int | None


@dataclass(frozen=True)
class Report:
    community: Community
    period: Period
    as_of: date
    activities: tuple[Activity, ...]  # oldest first
    columns: tuple[ColumnPart, ...]  # every column of community.yml, in its order
    stats: tuple[tuple[str, Line], ...]  # (key, line) in schema.STATS order
    counts: tuple[Line, ...]  # activities, honours, notices
    honors: tuple[Honor, ...]
    notices: tuple[Notice, ...]  # oldest first
    notice_kinds: tuple[tuple[str, int], ...]  # every kind, in schema order
    has_previous: bool

    @property
    def partial(self) -> bool:
        return self.as_of < self.period.end

    @property
    def title(self) -> str:
        """夏家桥社区2026年第一季度工作总结."""
        return f"{self.community.name}{self.period.doc_label}工作总结"

    @property
    def as_of_note(self) -> str:
        return f"截至{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日" if self.partial else ""

    def total(self, key: str) -> Decimal:
        return dict(self.stats)[key].current

    def month_counts(self) -> tuple[tuple[int, tuple[tuple[str, int], ...]], ...]:
        """(month, ((column slug, count), ...)) for every month of the period: the chart's data."""
        out = []
        for month in self.period.months:
            row = tuple((c.slug, sum(1 for a in c.activities if a.date.month == month)) for c in self.columns)
            out.append((month, row))
        return tuple(out)


class _ByDate:
    """Records sorted by (date, id), cut by period with a binary search: every report period
    asks, and filtering every record per period was quadratic in a large community."""

    def __init__(self, records: Iterable):
        self.records = tuple(sorted(records, key=lambda r: (r.date, r.id)))
        self.dates = [r.date for r in self.records]

    def within(self, period: Period) -> tuple:
        return self.records[bisect_left(self.dates, period.start):bisect_right(self.dates, period.end)]


class RecordIndex:
    """The published records of one content view, ready to be cut by report period."""

    def __init__(self, content: Content):
        self.activities = _ByDate(content.activities)
        self.notices = _ByDate(content.notices)
        self._dated_honors = _ByDate(h for h in content.honors if h.date is not None)
        self._honors_of_year: dict[int, list[Honor]] = {}
        for h in content.honors:
            self._honors_of_year.setdefault(h.year, []).append(h)

    def honors(self, period: Period) -> tuple[Honor, ...]:
        # A year counts every honour of its honors/YYYY.yml; a quarter only those dated in it.
        found = self._honors_of_year.get(period.year, []) if period.is_year else self._dated_honors.within(period)
        # Date order like everything else in the narrative; undated ones last, in file order.
        return tuple(sorted(found, key=lambda h: (h.date is None, h.date or period.end, h.year, h.index)))


def build_report(content: Content, period: Period, index: RecordIndex | None = None) -> Report:
    """The report of one period; pass one `RecordIndex` when building many."""
    index = index or RecordIndex(content)
    acts = index.activities.within(period)
    notices = index.notices.within(period)
    honors = index.honors(period)
    prev = period.previous()
    first = min(content.quarters) if content.quarters else None
    # Before the first quarter with records there is nothing to compare with: "—", not a false 0.
    has_previous = first is not None and prev.end >= first.start
    p_acts = index.activities.within(prev) if has_previous else ()
    p_notices = index.notices.within(prev) if has_previous else ()
    p_honors = index.honors(prev) if has_previous else ()

    def line(label: str, unit: str, now: int | Decimal, before: int | Decimal) -> Line:
        return Line(label, unit, Decimal(now), Decimal(before) if has_previous else None)

    now_t, prev_t = totals(acts), totals(p_acts)
    stats = tuple((k, line(STATS[k][0], STATS[k][1], now_t[k], prev_t[k])) for k in STATS)
    counts = (line("开展活动", "项", len(acts), len(p_acts)),
              line("荣誉表彰", "项", len(honors), len(p_honors)),
              line("公告与公开", "条", len(notices), len(p_notices)))
    columns = tuple(
        ColumnPart(c.slug, c.title, tuple(a for a in acts if a.column == c.slug),
                   sum(1 for a in p_acts if a.column == c.slug) if has_previous else None)
        for c in content.community.columns)
    kinds = tuple((k, sum(1 for n in notices if n.kind == k)) for k in NOTICE_KINDS)
    return Report(content.community, period, content.as_of, acts, columns, stats, counts,
                  honors, notices, kinds, has_previous)


# --- narrative -----------------------------------------------------------------------------

@dataclass(frozen=True)
class Section:
    heading: str  # 一、学雷锋志愿服务
    items: tuple[str, ...]  # （1）3月5日，……


@dataclass(frozen=True)
class Narrative:
    title: str
    note: str  # 截至…… for a period not yet over, else ""
    opening: str
    sections: tuple[Section, ...]
    closing: str

    def paragraphs(self) -> list[str]:
        """Plain text, one paragraph a line: what staff paste into the official document."""
        out = [self.title]
        if self.note:
            out.append(f"（{self.note}）")
        out.append(self.opening)
        for s in self.sections:
            out.append(s.heading)
            out.extend(s.items)
        out.append(self.closing)
        return out


def _sentence(text: str) -> str:
    text = official_text(text).rstrip("，,;；：: ")
    return text if text.endswith(("。", "！", "？", "…", "”", "）")) else text + "。"


def activity_item(a: Activity) -> str:
    """3月5日，学雷锋走访困难家庭：社区干部走访20户居民家庭……。"""
    title = official_text(a.title).rstrip("。！!")
    if not a.summary:
        return f"{md_date(a.date)}，{title}。"
    # A title with its own colon would read 「A：B：summary」: end the title with a full stop instead.
    joint = "。" if re.search("[：:]", title) else "："
    return f"{md_date(a.date)}，{title}{joint}{_sentence(a.summary)}"


def _honor_title(h: Honor) -> str:
    if h.stars and "星级" in h.title:
        return h.title.replace("星级", f"{cn_numeral(h.stars)}星级", 1)
    return f"{cn_numeral(h.stars)}星{h.title}" if h.stars else h.title


def honor_item(h: Honor) -> str:
    """12月18日，沈国平家庭获社区居委会授予“五星级文明家庭”称号。"""
    when = f"{md_date(h.date)}，" if h.date else ""
    title = official_text(_honor_title(h))
    given = f"获{official_text(h.by)}授予“{title}”称号" if h.by else f"获评“{title}”"
    return f"{when}{official_text(h.name)}{given}。"


def notice_item(n: Notice) -> str:
    return f"{md_date(n.date)}，发布{n.kind}《{official_text(n.title)}》。"


def _opening(r: Report) -> str:
    name, period = r.community.name, r.period
    lead = f"{period.label}，{name}"
    if r.community.motto:
        lead += f"紧紧围绕“{official_text(r.community.motto)}”的总要求"
    busy = [c for c in r.columns if c.activities]
    if not r.activities:
        text = f"{lead}，{'截至目前' if r.partial else '本期'}没有登记活动记录"
    else:
        by_column = "、".join(f"{official_text(c.title)}{len(c.activities)}项" for c in busy)
        text = f"{lead}，共开展活动{len(r.activities)}项（{by_column}）"
        figures = [_PHRASES.get(k, f"{STATS[k][0]}{{n}}{STATS[k][1]}").format(n=fmt_number(line.current))
                   for k, line in r.stats if line.current]
        if figures:
            text += "，" + "，".join(figures)
    extras = []
    honors, notices = r.counts[1].current, r.counts[2].current
    if honors:
        extras.append(f"评选表彰荣誉{fmt_number(honors)}项")
    if notices:
        extras.append(f"发布公告与公开{fmt_number(notices)}条")
    if extras:
        text += "；" + "，".join(extras)
    text += "。"
    acts = r.counts[0]
    if acts.previous is not None:
        word = "上一年度" if period.is_year else "上季度"
        if acts.change == 0:
            text += f"与{word}相比，开展活动数量持平。"
        else:
            more = "增加" if acts.change > 0 else "减少"
            text += f"与{word}相比，开展活动{more}{fmt_number(abs(acts.change))}项。"
    return text


def narrative(r: Report) -> Narrative:
    sections = []
    for c in r.columns:
        if c.activities:
            items = tuple(f"（{i}）{activity_item(a)}" for i, a in enumerate(c.activities, 1))
            sections.append((official_text(c.title), items))
    if r.honors:
        sections.append(("评选表彰", tuple(f"（{i}）{honor_item(h)}" for i, h in enumerate(r.honors, 1))))
    if r.notices:
        sections.append(("居务公开与宣传", tuple(f"（{i}）{notice_item(n)}" for i, n in enumerate(r.notices, 1))))
    numbered = tuple(Section(f"{cn_numeral(i)}、{title}", items) for i, (title, items) in enumerate(sections, 1))
    return Narrative(r.title, r.as_of_note, _opening(r), numbered, CLOSING)


# --- plain Markdown (scripts/report.py --md, and the stored-output test) -------------------

def _md_cell(text: str) -> str:
    return text.replace("|", "\\|")


def report_text(r: Report) -> str:
    """The whole report as plain Markdown: figures, columns, honours, notices and the draft."""
    n = narrative(r)
    prev = r.period.previous().label
    out = [f"# {r.title}", ""]
    if r.partial:
        out += [f"> {r.as_of_note}，{r.period.label}尚未结束，以下为部分统计。", ""]
    out += ["## 概况数字", "", f"| 项目 | 本期 | 上期（{prev}） | 变化 |", "|---|---:|---:|---:|"]
    for line in r.counts[:1] + tuple(line for _, line in r.stats) + r.counts[1:]:
        out.append(f"| {line.label}（{line.unit}） | {fmt_number(line.current)} | {line.previous_text} | {line.change_text} |")
    out += ["", "## 各栏目活动", "", "| 栏目 | 本期 | 上期 | 变化 |", "|---|---:|---:|---:|"]
    for c in r.columns:
        line = Line(c.title, "项", Decimal(len(c.activities)),
                    None if c.previous_count is None else Decimal(c.previous_count))
        out.append(f"| {_md_cell(c.title)} | {len(c.activities)} | {line.previous_text} | {line.change_text} |")
    out += ["", "## 各月活动", "", "| 月份 | " + " | ".join(_md_cell(c.title) for c in r.columns) + " | 合计 |",
            "|---|" + "---:|" * (len(r.columns) + 1)]
    for month, row in r.month_counts():
        out.append(f"| {month}月 | " + " | ".join(str(k) for _, k in row) + f" | {sum(k for _, k in row)} |")
    out += ["", "## 荣誉", ""]
    out += [f"- {honor_item(h)}" for h in r.honors] or ["本期没有评选表彰记录。"]
    out += ["", "## 公告与公开", "", "| 类别 | 条数 |", "|---|---:|"]
    out += [f"| {kind} | {count} |" for kind, count in r.notice_kinds]
    out += [""] + ([f"- {notice_item(x)}" for x in r.notices] or ["本期没有发布公告。"])
    out += ["", "## 工作总结（草稿）", "", n.title, ""]
    if n.note:
        out += [f"（{n.note}）", ""]
    out += [n.opening, ""]
    for s in n.sections:
        out += [s.heading, ""] + [x for item in s.items for x in (item, "")]
    out += [n.closing, ""]
    return "\n".join(out)
