#!/usr/bin/env python3
"""起草工作总结：.venv/bin/python scripts/report.py 2026-q1 [--docx 总结.docx] [--md 总结.md] [--as-of YYYY-MM-DD]

期次写成 2026-q1（季度）或 2026（全年）。不加 --docx / --md 时把 Markdown 打印到屏幕。
The Word draft follows the habits of official documents (GB/T 9704): A4, title centred in
小二号 (18 pt) 宋体 bold, headings 一、 in 黑体 三号, body 仿宋 三号 (16 pt) with a two-character
first-line indent and 28 pt line spacing. Numbering is written as text, never Word's
auto-numbering, which breaks when pasted into another document.
"""
from __future__ import annotations

import os
import sys
from datetime import datetime
from pathlib import Path

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _cli import ArgumentParser
from community_board.asof import resolve_as_of
from community_board.content import load_content
from community_board.errors import ContentError
from community_board.reports import Period, Report, build_report, fmt_number, narrative, report_periods, report_text

TITLE_FONT = "宋体"
HEADING_FONT = "黑体"
BODY_FONT = "仿宋"  # 仿宋_GB2312 is missing from Windows 10+; 仿宋 ships with every Windows and WPS
LATIN_FONT = "Times New Roman"
TEXT_WIDTH_MM = 210 - 28 - 26  # A4 less the GB/T 9704 margins


def _set_fonts(run_or_style, east_asia: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt
    font = run_or_style.font
    font.name = LATIN_FONT
    if size_pt is not None:
        font.size = Pt(size_pt)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:ascii"), LATIN_FONT)
    fonts.set(qn("w:hAnsi"), LATIN_FONT)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang)
    lang.set(qn("w:eastAsia"), "zh-CN")


def _paragraph(doc, text: str, font: str, size: float, bold: bool = False, indent: bool = True, centre: bool = False):
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.shared import Pt
    p = doc.add_paragraph()
    fmt = p.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(28)
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(0)
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    else:
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if indent:
            fmt.first_line_indent = Pt(size * 2)  # two characters
    run = p.add_run(text)
    _set_fonts(run, font, size, bold)
    return p


def _table(doc, head: tuple[str, ...], rows: list[tuple[str, ...]], first_mm: float):
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Mm
    table = doc.add_table(rows=1, cols=len(head))
    table.style = "Table Grid"
    table.autofit = False
    rest = Mm((TEXT_WIDTH_MM - first_mm) / (len(head) - 1))
    header = table.rows[0]._tr.get_or_add_trPr()
    header.append(header.makeelement(qn("w:tblHeader"), {}))  # repeat the header on a new page
    for cells, values, bold in [(table.rows[0].cells, head, True)] + [
            (table.add_row().cells, r, False) for r in rows]:
        for i, (cell, value) in enumerate(zip(cells, values)):
            cell.width = Mm(first_mm) if i == 0 else rest
            p = cell.paragraphs[0]
            p.alignment = WD_ALIGN_PARAGRAPH.LEFT if i == 0 else WD_ALIGN_PARAGRAPH.CENTER
            _set_fonts(p.add_run(value), HEADING_FONT if bold else BODY_FONT, 12, bold)
    return table


def write_docx(report: Report, path: Path) -> None:
    """An editable Word draft: the narrative, then the figures as appendix tables."""
    from docx import Document
    from docx.shared import Mm

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    _set_fonts(doc.styles["Normal"], BODY_FONT, 16)
    props = doc.core_properties
    props.title = report.title
    props.author = report.community.name
    props.language = "zh-CN"
    stamp = datetime(report.as_of.year, report.as_of.month, report.as_of.day)
    props.created = props.modified = stamp  # from the records, never the clock
    props.last_modified_by = report.community.name
    props.revision = 1

    n = narrative(report)
    _paragraph(doc, n.title, TITLE_FONT, 18, bold=True, centre=True)
    if n.note:
        _paragraph(doc, f"（{n.note}）", BODY_FONT, 16, centre=True)
    _paragraph(doc, "", BODY_FONT, 16, indent=False)
    _paragraph(doc, n.opening, BODY_FONT, 16)
    for s in n.sections:
        _paragraph(doc, s.heading, HEADING_FONT, 16)
        for item in s.items:
            _paragraph(doc, item, BODY_FONT, 16)
    _paragraph(doc, n.closing, BODY_FONT, 16)

    prev = report.period.previous().label
    doc.add_page_break()  # the appendix starts on its own page: staff often drop or move it
    _paragraph(doc, "附表1", HEADING_FONT, 16, indent=False)
    _paragraph(doc, f"{report.period.label}主要数字", TITLE_FONT, 16, bold=True, centre=True)
    lines = report.counts[:1] + tuple(line for _, line in report.stats) + report.counts[1:]
    _table(doc, ("项目", "本期", f"上期（{prev}）", "变化"),
           [(f"{x.label}（{x.unit}）", fmt_number(x.current), x.previous_text, x.change_text) for x in lines], 50)
    _paragraph(doc, "", BODY_FONT, 16, indent=False)
    _paragraph(doc, "附表2", HEADING_FONT, 16, indent=False)
    _paragraph(doc, f"{report.period.label}各月各栏目活动数（项）", TITLE_FONT, 16, bold=True, centre=True)
    months = report.month_counts()
    rows = [(f"{m}月",) + tuple(str(k) for _, k in row) + (str(sum(k for _, k in row)),) for m, row in months]
    rows.append(("合计",) + tuple(str(len(c.activities)) for c in report.columns) + (str(len(report.activities)),))
    _table(doc, ("月份",) + tuple(c.title for c in report.columns) + ("合计",), rows, 18)
    doc.save(str(path))


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description="根据已发布的记录起草季度或年度工作总结")
    parser.add_argument("period", metavar="期次", help="期次：2026-q1（季度）或 2026（全年）")
    parser.add_argument("--docx", metavar="文件.docx", help="写出 Word 草稿（.docx）到这个文件")
    parser.add_argument("--md", metavar="文件.md", help="写出 Markdown 到这个文件")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="按哪一天统计，格式 YYYY-MM-DD（默认：BOARD_AS_OF 或今天）")
    parser.add_argument("--content", default=os.environ.get("BOARD_CONTENT", "content"), metavar="文件夹", help="内容文件夹")
    args = parser.parse_args(argv)
    period = Period.parse(args.period)
    if period is None:
        print(f"期次「{args.period}」看不懂。写成 2026-q1（第一季度）、2026-q4 或 2026（全年）。", file=sys.stderr)
        return 1
    try:
        as_of = resolve_as_of(os.environ, args.as_of)
        content = load_content(Path(args.content), as_of)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    known = report_periods(content)
    if period not in known:
        have = "、".join(p.id for p in known) or "（没有）"
        print(f"{period.label}没有已发布的记录，或晚于统计日期 {as_of}。可以写的期次：{have}。", file=sys.stderr)
        return 1
    report = build_report(content, period)
    text = report_text(report)
    if args.md:
        Path(args.md).write_text(text, encoding="utf-8")
        print(f"已写出 Markdown：{args.md}")
    if args.docx:
        write_docx(report, Path(args.docx))
        print(f"已写出 Word 草稿：{args.docx}（{report.title}）")
    if not args.md and not args.docx:
        sys.stdout.write(text)
    if report.partial:
        print(f"注意：{period.label}尚未结束，数字{report.as_of_note}。", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
