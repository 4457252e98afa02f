"""The work-summary pages: /reports/, /reports/YYYY-qN/ and /reports/YYYY/.

`report_pages(content)` returns PageSpecs like pages.Site does; the lead adds them to the
site's pages. Every piece of user text is HTML-escaped. The pages are generated HTML only (`PageSpec.before`),
headings included: nothing here is staff-written Markdown, and sending these tables through
Python-Markdown cost a quarter of the Markdown time of a build.
"""
from __future__ import annotations

from decimal import Decimal
from html import escape

from .charts import Series, stacked_bars
from .kinds import ACTIVITIES, HONORS, NOTICES
from .pages import PageSpec, cn_date, rel, url_of
from .published import Content
from .tables import label_tables
from .reports import Line, Period, RecordIndex, Report, build_report, fmt_number, honor_item, md_date, narrative, report_periods

INDEX = "reports/index.md"


def _e(text: str) -> str:
    return escape(text, quote=True)


def _h(level: int, anchor: str, text: str) -> str:
    return f'<h{level} id="{anchor}">{_e(text)}</h{level}>'


def _link(here: str, to_src: str, text: str, fragment: str = "", cls: str = "") -> str:
    attr = f' class="{cls}"' if cls else ""
    return f'<a href="{rel(url_of(here), url_of(to_src))}{fragment}"{attr}>{_e(text)}</a>'


def _row(line: Line, label: str | None = None) -> str:
    change = line.change
    cls = "" if change is None or change == 0 else (' class="cb-up"' if change > 0 else ' class="cb-down"')
    return (f'<tr><th scope="row">{_e(label or f"{line.label}（{line.unit}）")}</th>'
            f"<td>{fmt_number(line.current)}</td><td>{line.previous_text}</td><td{cls}>{line.change_text}</td></tr>")


def _table(caption: str, head: tuple[str, ...], rows: list[str]) -> str:
    ths = "".join(f'<th scope="col">{_e(h)}</th>' for h in head)
    # The class sits on a wrapper: Material styles only tables without a class.
    # Labelled cells: on a phone each row becomes a card of labelled values (tables.py).
    return label_tables(f'<div class="cb-report-table"><table><caption>{_e(caption)}</caption>'
                        f"<thead><tr>{ths}</tr></thead><tbody>{''.join(rows)}</tbody></table></div>")


def _figures(r: Report) -> str:
    prev = r.period.previous()
    lines = r.counts[:1] + tuple(line for _, line in r.stats) + r.counts[1:]
    note = "" if r.has_previous else f"<p class=\"cb-meta\">{prev.label}没有记录，无法比较。</p>"
    return _table(f"{r.period.label}主要数字（上期为{prev.label}）", ("项目", "本期", "上期", "变化"),
                  [_row(line) for line in lines]) + note


def _columns(here: str, r: Report) -> str:
    rows = [_row(Line(c.title, "项", Decimal(len(c.activities)),
                      None if c.previous_count is None else Decimal(c.previous_count)), c.title)
            for c in r.columns]
    out = [_table(f"{r.period.label}各栏目活动数（项）", ("栏目", "本期", "上期", "变化"), rows), ""]
    for c in r.columns:
        if not c.activities:
            continue
        out.append(_h(3, f"column-{c.slug}", f"{c.title}（{len(c.activities)}项）"))
        out.append('<ul class="cb-list">' + "".join(
            f'<li><time datetime="{a.date}">{md_date(a.date)}</time> '
            f'{_link(here, ACTIVITIES.src(a), a.title)}</li>' for a in c.activities) + "</ul>\n")
    return "\n".join(out)


def chart_html(r: Report) -> str:
    """The SVG chart and, beside it, the same numbers as a table for screen readers."""
    months = r.month_counts()
    names = tuple(f"{m}月" for m, _ in months)
    series = tuple(Series(c.title, tuple(dict(row)[c.slug] for _, row in months), i)
                   for i, c in enumerate(r.columns))
    used = [s for s in series if any(s.values)]
    title = f"{r.period.label}各月各栏目活动数"
    parts = []
    for name, (_, row) in zip(names, months):
        total = sum(k for _, k in row)
        detail = "、".join(f"{s.name}{s.values[names.index(name)]}项" for s in used if s.values[names.index(name)])
        parts.append(f"{name}{total}项" + (f"（{detail}）" if detail else ""))
    desc = f"堆叠柱状图，共{len(r.activities)}项活动：" + "；".join(parts) + "。"
    if r.partial:
        desc += f"{r.as_of_note}。"
    svg = stacked_bars(f"cb-chart-{r.period.id}", title, desc, names, series,
                       width=480 if not r.period.is_year else 600)
    head = "".join(f'<th scope="col">{_e(s.name)}</th>' for s in used)
    rows = []
    for i, name in enumerate(names):
        cells = "".join(f"<td>{s.values[i]}</td>" for s in used)
        rows.append(f'<tr><th scope="row">{name}</th>{cells}<td>{sum(s.values[i] for s in series)}</td></tr>')
    sums = "".join(f"<td>{sum(s.values)}</td>" for s in used)
    rows.append(f'<tr><th scope="row">合计</th>{sums}<td>{len(r.activities)}</td></tr>')
    table = label_tables(f'<div class="cb-chart-data"><table><caption>{_e(title)}（数据表）</caption>'
             f'<thead><tr><th scope="col">月份</th>{head}<th scope="col">合计</th></tr></thead>'
             f"<tbody>{''.join(rows)}</tbody></table></div>")
    # A div, not a figure: Material gives figures width: fit-content, which shrinks a 100% SVG.
    return f'<div class="cb-report-chart"><div class="cb-chart-figure">{svg}</div>{table}</div>'


def _honors(here: str, r: Report) -> str:
    if not r.honors:
        return "<p>本期没有评选表彰记录。</p>"
    items = "".join(
        f'<li>{_e(honor_item(h))} {_link(here, HONORS.src(h), "详情", HONORS.anchor(h), "cb-meta")}</li>'
        for h in r.honors)
    return f'<ul class="cb-list">{items}</ul>'


def _notices(here: str, r: Report) -> str:
    rows = [f'<tr><th scope="row">{_e(kind)}</th><td>{count}</td></tr>' for kind, count in r.notice_kinds]
    rows.append(f'<tr><th scope="row">合计</th><td>{len(r.notices)}</td></tr>')
    out = [_table(f"{r.period.label}发布的公告与公开（按类别）", ("类别", "条数"), rows)]
    if r.notices:
        out.append('<ul class="cb-notices">' + "".join(
            f'<li><span class="cb-kind">{_e(n.kind)}</span> {_link(here, NOTICES.src(n), n.title)} '
            f'<span class="cb-meta"><time datetime="{n.date}">{cn_date(n.date)}</time></span></li>'
            for n in r.notices) + "</ul>")
    return "\n\n".join(out)


def _draft(r: Report) -> str:
    n = narrative(r)
    body = [f'<p class="cb-draft__title">{_e(n.title)}</p>']
    if n.note:
        body.append(f'<p class="cb-draft__note">（{_e(n.note)}）</p>')
    body.append(f"<p>{_e(n.opening)}</p>")
    for s in n.sections:
        body.append(f'<p class="cb-draft__heading">{_e(s.heading)}</p>')
        body.extend(f"<p>{_e(item)}</p>" for item in s.items)
    body.append(f"<p>{_e(n.closing)}</p>")
    return ('<p class="cb-meta">以下草稿按各栏目活动记录的日期顺序生成，可直接复制到正式文件中；'
            "请核对数字、补充下一步工作打算后再上报。</p>\n\n"
            f'<div class="cb-draft" lang="zh-CN">{"".join(body)}</div>')


def _pager(here: str, r: Report, periods: tuple[Period, ...]) -> str:
    same = [p for p in periods if p.is_year == r.period.is_year]
    i = same.index(r.period)
    nav = []
    if i > 0:
        nav.append(_link(here, same[i - 1].src_uri, f"← {same[i - 1].label}", cls="cb-prev"))
    if i + 1 < len(same):
        nav.append(_link(here, same[i + 1].src_uri, f"{same[i + 1].label} →", cls="cb-next"))
    nav.append(_link(here, INDEX, "全部工作总结"))
    return '<nav class="cb-pager" aria-label="工作总结翻页">' + " ".join(nav) + "</nav>"


def _see_also(here: str, r: Report, content: Content, periods: tuple[Period, ...]) -> str:
    if r.period.is_year:
        links = [_link(here, p.src_uri, p.label) for p in periods if not p.is_year and p.year == r.period.year]
        return "<p>各季度：" + " · ".join(links) + "</p>" if links else ""
    q = r.period.quarter
    board = "index.md" if q == content.current_quarter else f"boards/{q.id}.md"
    return (f"<p>{_link(here, board, f'{q.label}宣传窗')} · "
            f"{_link(here, Period(q.year).src_uri, f'{q.year}年度工作总结')}</p>")


def report_page(content: Content, period: Period, periods: tuple[Period, ...] | None = None,
                report: Report | None = None) -> PageSpec:
    periods = periods or report_periods(content)
    r = report or build_report(content, period)
    here = period.src_uri
    scope = f"{content.community.name} · {period.label}"
    out = [f'<p class="cb-quarter">{_e(scope)}' + (f" · {r.as_of_note}" if r.partial else "") + "</p>",
           _h(1, "report", r.title)]
    if r.partial:
        out += [f'<p class="cb-partial"><strong>{r.as_of_note}</strong>：{period.label}尚未结束，'
                "以下数字为截至当日已发布记录的部分统计，期末会自动更新。</p>", ""]
    out += ['<p class="cb-meta">本页由社区宣传窗已发布的活动、荣誉和公告记录自动汇总；'
            "草稿和未到发布日期的记录不计入。</p>",
            _h(2, "figures", "概况数字"), _figures(r),
            _h(2, "columns", "各栏目活动"), _columns(here, r),
            _h(2, "chart", "图表"), chart_html(r),
            _h(2, "honors", "荣誉"), _honors(here, r),
            _h(2, "notices", "公告与公开"), _notices(here, r),
            _h(2, "draft", "工作总结（草稿）"), _draft(r),
            _see_also(here, r, content, periods), _pager(here, r, periods)]
    description = (f"{content.community.name}{period.label}工作总结：开展活动{len(r.activities)}项"
                   + (f"，{r.as_of_note}" if r.partial else "") + "。")
    return PageSpec(here, r.title, "", description, kind="report", before="\n".join(out),
                    updated=max((a.date for a in r.activities), default=None))


def reports_index(content: Content, periods: tuple[Period, ...] | None = None,
                  reports: dict[Period, Report] | None = None) -> PageSpec:
    periods = periods or report_periods(content)
    if reports is None:
        index = RecordIndex(content)
        reports = {p: build_report(content, p, index) for p in periods}
    out = [_h(1, "reports", "工作总结"), "<p>每季度、每年的工作总结，由已发布的活动、荣誉和公告记录自动汇总，"
           "并附可直接复制使用的总结草稿。</p>"]
    for year in sorted({p.year for p in periods}, reverse=True):
        yr = reports[Period(year)]
        note = f"（{yr.as_of_note}）" if yr.partial else ""
        out.append(_h(2, f"y{year}", f"{year}年"))
        items = [f'<li>{_link(INDEX, Period(year).src_uri, f"{year}年度工作总结{note}")} '
                 f'<span class="cb-meta">活动 {len(yr.activities)} 项</span></li>']
        for p in reversed([p for p in periods if p.year == year and not p.is_year]):
            r = reports[p]
            mark = f"（{r.as_of_note}）" if r.partial else ""
            items.append(f'<li>{_link(INDEX, p.src_uri, f"{p.label}工作总结{mark}")} '
                         f'<span class="cb-meta">活动 {len(r.activities)} 项</span></li>')
        out.append('<ul class="cb-list">' + "".join(items) + "</ul>")
    return PageSpec(INDEX, "工作总结", "", f"{content.community.name}各季度、各年度工作总结。", kind="reports",
                    before="\n".join(out))


def report_pages(content: Content) -> list[PageSpec]:
    """Every report page and the index: add these to the site's pages."""
    periods = report_periods(content)
    index = RecordIndex(content)
    reports = {p: build_report(content, p, index) for p in periods}  # each once: the index reuses them
    return [reports_index(content, periods, reports)] + [report_page(content, p, periods, reports[p]) for p in periods]
