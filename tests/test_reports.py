"""Work summaries: exact totals, the narrative's form, the chart, the pages and the Word draft."""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_board.charts import PALETTE, PATTERNS, Series, contrast_ratio, stacked_bars
from community_board.content import load_content
from community_board.pages import Site, url_of
from community_board.published import published
from community_board.records import Activity, Catalog, Column, Community, Honor, Notice
from community_board.report_pages import chart_html, report_page, report_pages
from community_board.reports import (Period, build_report, cn_numeral, fmt_number, narrative, official_text,
                                     report_periods, report_text)
from community_board.schema import STATS

ROOT = Path(__file__).resolve().parent.parent
STORED = Path(__file__).parent / "data" / "report-2026-q1.md"
DEMO_AS_OF = date(2026, 11, 25)
COMMUNITY = Community(name="夏家桥社区", motto="以人为本，服务为民",
                      columns=(Column("leifeng", "学雷锋志愿服务"), Column("environment", "环境整治")))


@pytest.fixture(scope="module")
def demo():
    return load_content(ROOT / "content", DEMO_AS_OF)


# --- exact totals: random records against an independent sum ------------------------------

amounts = st.one_of(st.integers(0, 100_000).map(str),
                    st.tuples(st.integers(0, 9999), st.integers(0, 99)).map(lambda t: f"{t[0]}.{t[1]:02d}"))
START = date(2025, 1, 1)
# First and last days of every quarter: where an off-by-one in a period would show.
EDGES = sorted({(q - START).days + d for y in (2025, 2026) for m in (1, 4, 7, 10)
                for q in (date(y, m, 1),) for d in (-1, 0)} - {-1} | {729})
days = st.one_of(st.integers(0, 729), st.sampled_from(EDGES))  # 2025-01-01 .. 2026-12-31
records = st.lists(st.fixed_dictionaries({
    "day": days,
    "column": st.sampled_from(["leifeng", "environment"]),
    "stats": st.dictionaries(st.sampled_from(list(STATS)), amounts),
    "draft": st.booleans(),
    "publish_lag": st.one_of(st.none(), st.integers(0, 60)),
}), max_size=25)


@settings(max_examples=100, deadline=None)
@given(records, days)
def test_every_total_equals_an_independent_sum_of_published_records(raw, as_of_day):
    start = START
    as_of = start + timedelta(days=as_of_day)
    acts = []
    for i, r in enumerate(raw):
        day = start + timedelta(days=r["day"])
        publish = None if r["publish_lag"] is None else day + timedelta(days=r["publish_lag"])
        stats = tuple((k, float(r["stats"][k])) for k in STATS if k in r["stats"])
        acts.append(Activity(id=f"{day}-a{i}", source="x.md", title=f"活动{i}", date=day, column=r["column"],
                             body="", summary="摘要", stats=stats, draft=r["draft"], publish=publish))
    acts.sort(key=lambda a: (a.date, a.id), reverse=True)
    content = published(Catalog(COMMUNITY, activities=tuple(acts)), as_of)
    visible = [(start + timedelta(days=r["day"]), r) for r in raw
               if not r["draft"] and start + timedelta(days=r["day"]) <= as_of
               and (r["publish_lag"] is None or start + timedelta(days=r["day"] + r["publish_lag"]) <= as_of)]

    def expected(period: Period, key: str) -> Fraction:
        return sum((Fraction(r["stats"][key]) for d, r in visible if period.holds(d) and key in r["stats"]), Fraction(0))

    periods = report_periods(content)
    assert all(p.start <= as_of for p in periods)  # nothing after the as-of date
    for period in periods:
        report = build_report(content, period)
        text = report_text(report)
        assert len(report.activities) == sum(1 for d, _ in visible if period.holds(d))
        for key, (label, unit) in STATS.items():
            want = expected(period, key)
            assert Fraction(report.total(key)) == want, (period.id, key)
            shown = str(want.numerator) if want.denominator == 1 else format(
                Decimal(want.numerator) / Decimal(want.denominator), "f").rstrip("0")
            assert f"| {label}（{unit}） | {shown} |" in text
            line = dict(report.stats)[key]
            if line.previous is not None:
                assert Fraction(line.change) == want - expected(period.previous(), key)
        for col in report.columns:
            assert len(col.activities) == sum(1 for d, r in visible if period.holds(d) and r["column"] == col.slug)
        months = report.month_counts()
        assert [m for m, _ in months] == list(period.months)
        assert sum(k for _, row in months for _, k in row) == len(report.activities)


# --- formatting --------------------------------------------------------------------------

@pytest.mark.parametrize("n, text", [(1, "一"), (2, "二"), (9, "九"), (10, "十"), (11, "十一"), (12, "十二"),
                                     (20, "二十"), (21, "二十一"), (99, "九十九")])
def test_chinese_section_numerals(n, text):
    assert cn_numeral(n) == text


@pytest.mark.parametrize("value, text", [(9000, "9000"), (9000.0, "9000"), (9260, "9260"), (2.5, "2.5"),
                                         (Decimal("0.1") + Decimal("0.2"), "0.3"), (Decimal("12.50"), "12.5"),
                                         (123456789, "123456789")])
def test_amounts_are_written_without_needless_decimals_or_separators(value, text):
    assert fmt_number(value) == text


@pytest.mark.parametrize("raw, text", [("走访 20 户居民家庭", "走访20户居民家庭"), ("B 超检查", "B超检查"),
                                      ("元宵节 “包汤圆，庆团圆”", "元宵节“包汤圆，庆团圆”"),
                                      ("Hello world", "Hello world")])
def test_official_text_drops_web_spacing_between_chinese_and_digits(raw, text):
    assert official_text(raw) == text


# --- the demo ----------------------------------------------------------------------------

def test_stored_report_of_the_demo_first_quarter(demo):
    """Regenerate after an intended change:
    python scripts/report.py 2026-q1 --as-of 2026-11-25 --md tests/data/report-2026-q1.md"""
    assert report_text(build_report(demo, Period(2026, 1))) == STORED.read_text(encoding="utf-8")


def test_narrative_reads_like_the_seed_summaries(demo):
    n = narrative(build_report(demo, Period(2026)))
    assert n.title == "夏家桥社区2026年度工作总结"
    assert [s.heading.split("、")[0] for s in n.sections] == [cn_numeral(i) for i in range(1, len(n.sections) + 1)]
    assert n.sections[0].heading == "一、学雷锋志愿服务"
    assert n.sections[0].items[0] == ("（1）3月5日，学雷锋走访困难家庭：社区干部走访20户居民家庭，"
                                      "重点慰问2户低保家庭和11户残疾人家庭。")
    for s in n.sections:
        assert [re.match(r"（(\d+)）", i)[1] for i in s.items] == [str(k) for k in range(1, len(s.items) + 1)]
        days = [tuple(map(int, re.match(r"（\d+）(\d+)月(\d+)日", i).groups())) for i in s.items]
        assert days == sorted(days)
    assert "截至2026年11月25日" in n.note
    assert "七夕" not in "".join(n.paragraphs())  # 2026-08-20-qixi-draft is a draft


def test_only_quarters_up_to_the_as_of_date_and_the_current_one_is_marked_partial():
    content = load_content(ROOT / "content", date(2026, 5, 20))
    ids = [p.id for p in report_periods(content)]
    assert ids[-2:] == ["2026-q2", "2026"] and "2026-q3" not in ids
    current = report_page(content, Period(2026, 2)).as_markdown()
    assert "截至2026年5月20日" in current and "尚未结束" in current
    assert "截至" not in report_page(content, Period(2026, 1)).as_markdown()
    assert "2026-06-19-duanwu-zongzi" not in report_page(content, Period(2026, 2)).as_markdown()  # after the as-of date


def test_every_link_of_the_report_pages_reaches_a_page_of_the_site(demo):
    pages = Site(demo, lambda *a: "").build() + report_pages(demo)
    urls = {url_of(p.src_uri) for p in pages}
    srcs = [p.src_uri for p in report_pages(demo)]
    assert srcs[0] == "reports/index.md" and "reports/2026-q1.md" in srcs and "reports/2025.md" in srcs
    for page in report_pages(demo):
        for href in re.findall(r'href="([^"#]*)', page.as_markdown()):
            target = posixpath.normpath(posixpath.join("/" + url_of(page.src_uri), href)).lstrip("/")
            assert target + "/" in urls or target in ("", "."), (page.src_uri, href)
    q1 = next(p for p in report_pages(demo) if p.src_uri == "reports/2026-q1.md").as_markdown()
    assert 'href="../../activities/2026-03-05-leifeng-visit/"' in q1
    assert q1.startswith('<p class="cb-quarter">') and '<h1 id="report">夏家桥社区2026年第一季度工作总结</h1>' in q1
    for section in ("概况数字", "各栏目活动", "图表", "荣誉", "公告与公开", "工作总结（草稿）"):
        assert re.search(f'<h2 id="[a-z]+">{re.escape(section)}</h2>', q1), section


def test_user_text_is_escaped_on_the_page():
    community = Community(name="夏家桥社区", columns=(Column("leifeng", "<b>栏目</b>"),))
    act = Activity(id="2026-03-05-x", source="x.md", title="<script>alert(1)</script> *x*", date=date(2026, 3, 5),
                   column="leifeng", body="", summary="<img src=x onerror=alert(1)>")
    content = published(Catalog(community, activities=(act,)), date(2026, 3, 31))
    md = report_page(content, Period(2026, 1)).as_markdown()
    assert "<script>" not in md and "<img" not in md and "<b>" not in md
    assert "&lt;script&gt;" in md and "&lt;b&gt;栏目&lt;/b&gt;" in md


def test_honours_and_notices_count_in_their_quarter_and_year():
    honors = (Honor(2026, 0, "h.yml", "星级文明家庭", "family", "施福生家庭", stars=5, date=date(2026, 2, 1), by="社区居委会"),
              Honor(2026, 1, "h.yml", "文明楼栋", "building", "南苑小区 1 幢"))  # undated: counts in the year only
    notices = (Notice("2026-02-03-a", "a.md", "停水通知", date(2026, 2, 3), "", kind="通知公告"),
               Notice("2026-01-10-b", "b.md", "财务公开", date(2026, 1, 10), "", kind="财务公开"))
    content = published(Catalog(COMMUNITY, honors=honors, notices=notices), date(2026, 12, 31))
    q1, year = build_report(content, Period(2026, 1)), build_report(content, Period(2026))
    assert [h.name for h in q1.honors] == ["施福生家庭"] and len(year.honors) == 2
    assert dict(q1.notice_kinds) == {"通知公告": 1, "居务公开": 0, "财务公开": 1, "党务公开": 0, "政策宣传": 0}
    items = narrative(q1).sections
    assert items[0].items[0] == "（1）2月1日，施福生家庭获社区居委会授予“五星级文明家庭”称号。"
    assert items[1].items == ("（1）1月10日，发布财务公开《财务公开》。", "（2）2月3日，发布通知公告《停水通知》。")


# --- the chart ---------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"


def test_chart_is_accessible_static_svg(demo):
    html = chart_html(build_report(demo, Period(2026, 1)))
    svg_text = re.search(r"<svg.*</svg>", html)[0]
    svg = ET.fromstring(svg_text)
    assert svg.get("role") == "img" and svg.get("width") == "100%" and svg.get("viewBox", "").startswith("0 0 ")
    assert svg.find(f"{SVG}title").text == "2026年第一季度各月各栏目活动数"
    assert "3月5项" in svg.find(f"{SVG}desc").text
    assert not [el for el in svg.iter() if "style" in el.attrib or el.tag in (f"{SVG}script", f"{SVG}style", f"{SVG}foreignObject")]
    assert "<script" not in html and "style=" not in html
    labels = [t.text for t in svg.iter(f"{SVG}text") if t.text and t.text.endswith("月")]
    assert labels == ["1月", "2月", "3月"]
    assert '<caption>2026年第一季度各月各栏目活动数（数据表）</caption>' in html
    bare = re.sub(r' data-label="[^"]*"', "", html)  # each value labelled for phones (tables.py)
    assert '<th scope="row">3月</th><td>2</td><td>1</td><td>0</td><td>1</td><td>1</td><td>5</td>' in bare
    assert '<td data-label="合计">5</td></tr>' in html
    assert chart_html(build_report(demo, Period(2026, 1))) == html  # deterministic
    year = ET.fromstring(re.search(r"<svg.*</svg>", chart_html(build_report(demo, Period(2026))))[0])
    assert [t.text for t in year.iter(f"{SVG}text") if t.text and t.text.endswith("月")] == [f"{m}月" for m in range(1, 13)]


def test_each_series_differs_by_pattern_and_colour_with_enough_contrast():
    assert all(contrast_ratio(c) >= 4.5 for c in PALETTE)
    svg = stacked_bars("t", "标题", "说明", ("1月", "2月"),
                       tuple(Series(f"栏目{i}", (1, i), i) for i in range(len(PATTERNS))))
    fills = set(re.findall(r'<rect x="[^"]+" y="[^"]+" width="16" height="16" fill="([^"]+)"', svg))
    assert len(fills) == len(PATTERNS)  # every legend swatch looks different
    assert len(set(re.findall(r'<pattern id="([^"]+)"', svg))) == len(PATTERNS) - 1  # all but the solid one


# --- the Word draft and the script -------------------------------------------------------

def test_word_draft_has_official_fonts_sizes_and_text_numbering(demo, tmp_path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt
    from report import write_docx

    path = tmp_path / "总结.docx"
    report = build_report(demo, Period(2026, 1))
    write_docx(report, path)
    doc = docx.Document(str(path))
    paras = [p for p in doc.paragraphs if p.text]

    def east_asia(p):
        return p.runs[0].element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia"))

    title = paras[0]
    assert title.text == "夏家桥社区2026年第一季度工作总结"
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER and title.runs[0].font.size == Pt(18)
    assert east_asia(title) == "宋体"
    heading = next(p for p in paras if p.text == "一、学雷锋志愿服务")
    assert east_asia(heading) == "黑体" and heading.runs[0].font.size == Pt(16)
    item = next(p for p in paras if p.text.startswith("（1）3月5日，学雷锋走访困难家庭"))
    assert east_asia(item) == "仿宋" and item.runs[0].font.size == Pt(16)
    assert [p.text for p in paras if re.match("[一二三四五六七八九十]+、", p.text)] == [s.heading for s in narrative(report).sections]
    assert doc.element.body.find(".//" + qn("w:numPr")) is None  # no Word auto-numbering
    figures = {row.cells[0].text: row.cells[1].text for row in doc.tables[0].rows}
    assert figures["开展活动（项）"] == "7" and figures["走访户数（户）"] == "68"
    assert doc.core_properties.title == report.title


def test_script_writes_markdown_and_refuses_unknown_periods(tmp_path, capsys):
    from report import main
    out = tmp_path / "总结.md"
    assert main(["2026-q1", "--as-of", "2026-11-25", "--content", str(ROOT / "content"), "--md", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == STORED.read_text(encoding="utf-8")
    assert main(["2026q5", "--as-of", "2026-11-25", "--content", str(ROOT / "content")]) == 1
    assert "看不懂" in capsys.readouterr().err
    assert main(["2027-q1", "--as-of", "2026-11-25", "--content", str(ROOT / "content")]) == 1
    assert "没有已发布的记录" in capsys.readouterr().err
