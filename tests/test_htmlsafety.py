"""Hostile or careless HTML in records, resources from other hosts, and the CSP."""
from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_board.htmlsafety import CSP, check_raw_html, csp_for, external_resources, inline_script_hashes


@pytest.mark.parametrize(
    "body,line,words",
    [
        ("第一段。\n\n<script>alert(1)</script>", 3, "<script>"),
        ('<iframe src="https://v.qq.com/x"></iframe>', 1, "<iframe>"),
        ('<object data="a.swf"></object>', 1, "<object>"),
        ('<embed src="a.swf">', 1, "<embed>"),
        ('<link rel="stylesheet" href="https://x.com/a.css">', 1, "<link>"),
        ('<style>@import url(https://x.com/a.css);</style>', 1, "<style>"),
        ('正文\n<img src="a.jpg" onerror="alert(1)">', 2, "onerror"),
        ('<p ONCLICK="x()">点我</p>', 1, "onclick"),
        ("[点此报名](javascript:alert(1))", 1, "javascript:"),
        ('<a href="jav&#x61;script:alert(1)">链接</a>', 1, "javascript:"),
        ('<a href="java&#9;script:alert(1)">链接</a>', 1, "javascript:"),
        ('<a href="javas&NewLine;cript:alert(1)">链接</a>', 1, "javascript:"),
        ('前言\n\n<a href="java\nscript:alert(1)">链接</a>', 3, "javascript:"),
        ("[报名](https://x.com){ onclick=\"x()\" }", 1, "onclick"),
        ('<img src="https://img.example.com/a.jpg">', 1, "img.example.com"),
        ('<img src="//img.example.com/a.jpg">', 1, "img.example.com"),
        ('<img srcset="a.jpg 1x, https://x.com/b.jpg 2x">', 1, "x.com/b.jpg"),
        ('<div style="background:url(https://x.com/bg.png)">x</div>', 1, "x.com/bg.png"),
        ("![合影](https://img.example.com/a.jpg)", 1, "img.example.com"),
        ("- 列表\n\n    <script>x</script>", 3, "<script>"),  # list continuation: still HTML
        # an image written into the text would skip the photo pipeline (GPS, camera metadata)
        ('<img src="data:image/png;base64,iVBORw0KGgo=">', 1, "data:"),
        # what the regex linter missed (issue 14)
        ('正文\n\n<div markdown="1">\n<script src="https://x.example/a.js"></script>\n</div>', 4, "<script>"),
        ('<div>\n\n<script src="a.js"></script>\n\n</div>', 3, "<script>"),
        ("<p>`<script>alert(1)</script>`</p>", 1, "<script>"),
        ('## 标题 {: title="}" onclick="alert(1)" }', 1, "onclick"),
        ("第一段。\n\n<!-- 内部备注：王某某 -->", 3, "注释"),
        ('<p><svg><image href="https://x.example/a.png"/></svg></p>', 1, "<svg>"),
    ],
)
def test_hostile_html_is_refused_with_line_and_fix(body, line, words):
    found = check_raw_html(body)
    assert found, body
    assert found[0].line == line and words in found[0].message
    assert found[0].hint


@pytest.mark.parametrize(
    "body",
    [
        "社区开展学雷锋活动，共 20 人参加。",
        "写法示例：`<script>` 是脚本标签。",
        "```html\n<script>alert(1)</script>\n<iframe src=x>\n```",
        "~~~\n<img src=x onerror=alert(1)>\n~~~",
        "说明：\n\n    <script>缩进的代码块</script>\n",
        "``<iframe>`` 双反引号",
        '<a href="https://www.gov.cn/">中国政府网</a>',
        "![合影](../photos/2026/0305-1.jpg)",
        "<p>段落</p><br><strong>加粗</strong>",
        "面积 < 100 平方米，人数 > 20 人",
        "[链接](https://example.org/?q=onclick=1)",
    ],
)
def test_harmless_text_and_code_are_not_flagged(body):
    assert check_raw_html(body) == []


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("<>/=\"'` \n~{}![]()-:&#;abcjonsriptvlkhef社区1")), max_size=120))
def test_no_markdown_crashes_the_html_check(text):
    for f in check_raw_html(text):
        assert f.line >= 1 and f.message and f.hint


# --- external resources in a built page -----------------------------------------------------


@pytest.mark.parametrize(
    "html,hit",
    [
        ('<script src="https://cdn.example.com/a.js"></script>', "cdn.example.com"),
        ('<script src="//cdn.example.com/a.js"></script>', "cdn.example.com"),
        ('<link rel="stylesheet" href="https://fonts.googleapis.com/css?family=Roboto">', "fonts.googleapis.com"),
        ('<link rel="preconnect" href="https://fonts.gstatic.com" crossorigin>', "fonts.gstatic.com"),
        ('<link rel="icon" href="http://x.com/favicon.ico">', "x.com"),
        ('<img src="HTTPS://x.com/a.png">', "x.com"),
        ('<img srcset="a.png 1x, https://x.com/b.png 2x">', "x.com/b.png"),
        ('<video poster="https://x.com/p.jpg"><source src="https://x.com/v.mp4"></video>', "x.com/p.jpg"),
        ('<iframe src="https://player.example.com/"></iframe>', "player.example.com"),
        ('<object data="https://x.com/a.swf"></object>', "x.com/a.swf"),
        ('<svg><use href="https://x.com/s.svg#i"></use></svg>', "x.com/s.svg"),
        ('<div style="background-image:url(&quot;https://x.com/bg.png&quot;)"></div>', "x.com/bg.png"),
        ("<style>@import 'https://x.com/a.css';</style>", "x.com/a.css"),
        ("<style>body{background:url(//x.com/a.png)}</style>", "x.com/a.png"),
    ],
)
def test_off_site_resources_are_found(html, hit):
    found = external_resources(html, "about/index.html")
    assert found and hit in found[0]


def test_links_canonical_alternate_and_own_files_are_allowed():
    html = textwrap.dedent("""\
        <link rel="canonical" href="https://example.org/about/">
        <link rel="alternate" type="application/rss+xml" href="https://example.org/feed.xml">
        <link rel="stylesheet" href="../assets/stylesheets/main.css">
        <script src="../assets/javascripts/bundle.js"></script>
        <img src="/photos/a.jpg"><img src="data:image/png;base64,AAAA">
        <a href="https://www.gov.cn/">政府网</a><a href="mailto:a@b.cn">信箱</a>
        <div style="background:url(../a.png)"></div>
    """)
    assert external_resources(html, "about/index.html") == []


def test_an_empty_style_attribute_does_not_stop_the_scan():
    # style="" used to crash the post-build scan (both of the pattern's groups are empty)
    assert external_resources('<p style="">a</p><b style=\'\'>b</b>', "index.html") == []
    assert external_resources('<p style="">a</p><i style="background:url(//x.example/a.png)"></i>', "") == [
        "<… style>: //x.example/a.png"]


# --- Content-Security-Policy ----------------------------------------------------------------


def test_csp_allows_only_the_site_itself():
    assert "unsafe-inline" not in CSP and "unsafe-eval" not in CSP
    assert "script-src 'self'" in CSP and "frame-src 'none'" in CSP and "object-src 'none'" in CSP


def test_inline_scripts_are_hashed_but_not_json_or_external_ones():
    html = ('<script>alert(1)</script><script id="__config" type="application/json">{"a":1}</script>'
            '<script src="a.js"></script><script>alert(1)</script>')
    # sha256("alert(1)"), the value any CSP tool computes for this script
    assert inline_script_hashes(html) == ["'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='"]
    assert "script-src 'self' 'sha256-bhHHL3z2vDgxUt0W3dWQOrprscmda2Y5pLsLg4GF+pI='" in csp_for(html)
    assert csp_for("<p>无脚本</p>") == CSP


@pytest.mark.build
def test_material_theme_loads_nothing_from_other_hosts_once_fonts_are_off(tmp_path: Path):
    """Rule 6 against the real theme: Material's default Google Fonts are off-site; font: false fixes it."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# 首页\n\n正文。\n", encoding="utf-8")
    found = {}
    for font in ("", "  font: false\n"):
        (tmp_path / "mkdocs.yml").write_text(
            "site_name: 测试\nsite_url: https://example.org/\ntheme:\n  name: material\n" + font, encoding="utf-8")
        out = tmp_path / f"site{len(font)}"
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(tmp_path / "mkdocs.yml"), "-d", str(out)],
                       check=True, capture_output=True, env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"})
        found[font] = external_resources((out / "index.html").read_text("utf-8"), "index.html")
    assert any("fonts.googleapis.com" in f for f in found[""])
    assert found["  font: false\n"] == []


# --- the sanitizer --------------------------------------------------------------------------

from community_board.htmlsafety import MARKDOWN_CONFIGS, MARKDOWN_EXTENSIONS, render_markdown, sanitize, staff_html  # noqa: E402

_BENIGN_MARKDOWN = textwrap.dedent("""\
    ## 活动安排 {: #plan .cb-note }

    3月5日上午，**社区主任**带领 *志愿者* 走访。[报名](https://example.org/a?x=1&y=2 "报名表")、
    [电话](tel:0572-3012345)、[信箱](mailto:a@example.org)、[上一条](../2026-03-01-x/)、[本页](#plan)。

    | 项目 | 人数 |
    |:-----|-----:|
    | 走访 | 20 |

    !!! note "提示"
        请带好身份证原件。

    > 引用一段话
    > 第二行

    1. 第一
    2. 第二

    ```
    <script>代码里的文字</script>
    ```

    ![合影](../photos/2026/0305-1.jpg){: width="300" }

    <div markdown="1">
    *在 div 里的 Markdown*
    </div>
    """)


def test_what_markdown_makes_of_ordinary_staff_text_passes_the_sanitizer_unchanged():
    html = render_markdown(_BENIGN_MARKDOWN)
    assert check_raw_html(_BENIGN_MARKDOWN) == []
    for kept in ('<h2 class="cb-note" id="plan">', 'align="right"', 'class="admonition note"', "<blockquote>",
                 'href="tel:0572-3012345"', 'href="mailto:a@example.org"', 'href="#plan"', 'width="300"',
                 "&lt;script&gt;", "<em>在 div 里的 Markdown</em>"):
        assert kept in sanitize(html), kept
    assert sanitize(html) == sanitize(sanitize(html))  # idempotent: the serve memo may hold either


@pytest.mark.parametrize("html,gone,kept", [
    ("<p>公开<!-- 内部备注：低保户名单 -->正文</p>", "低保户", "<p>公开正文</p>"),
    ('<div><script src="https://x.example/a.js"></script>文字</div>', "script", "<div>文字</div>"),
    ('<h2 title="}" onclick="alert(1)">标题</h2>', "onclick", '<h2 title="}">标题</h2>'),
    ('<a href="javas&NewLine;cript:alert(1)">点</a>', "href", "<a>点</a>"),
    ('<a href="java\nscript:alert(1)">点</a>', "href", "<a>点</a>"),
    ('<p style="color:red">红</p>', "style", "<p>红</p>"),
    ('<noscript><p title="</noscript><img src=x onerror=alert(1)>"></p></noscript>', "onerror", ""),
    ('<iframe src="https://v.qq.com/x"></iframe>视频', "iframe", "视频"),
])
def test_the_sanitizer_removes_what_the_allow_list_does_not_name(html, gone, kept):
    out = sanitize(html)
    assert gone not in out and kept in out, out


def test_honour_stories_are_markdown_rendered_and_sanitized():
    assert staff_html("第一段 **加粗**\n\n第二段<script>x()</script>") == "<p>第一段 <strong>加粗</strong></p>\n<p>第二段</p>"


def test_the_check_renders_with_the_extensions_of_mkdocs_yml():
    from mkdocs.config import load_config

    root = Path(__file__).resolve().parent.parent
    config = load_config(str(root / "mkdocs.yml"))
    assert tuple(config.markdown_extensions) == MARKDOWN_EXTENSIONS
    assert (config.mdx_configs or {}) == MARKDOWN_CONFIGS


def test_repeated_removals_each_get_their_own_line():
    found = check_raw_html("<script>a()</script>\n\n正文\n\n<script>b()</script>")
    assert [f.line for f in found] == [1, 5]


@pytest.mark.parametrize("value,plain", [
    ("学雷锋&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;&gt;", "学雷锋&lt;/title&gt;&lt;meta http-equiv=&quot;refresh&quot;&gt;"),
    ("<b>加粗</b>的 <a href='x'>链接</a>", "加粗的 链接"),
    ("面积 < 100 平方米，人数 > 20 人", "面积 < 100 平方米，人数 > 20 人"),
    ('他说"真好"', '他说"真好"'),
    ("前<!-- 备注 -->后  \n 换行", "前后 换行"),
])
def test_the_plain_filter_strips_tags_but_never_decodes_entities(value, plain):
    from community_board.assets import plain_text

    assert plain_text(value) == plain


def test_autoescape_shows_the_plain_value_as_written():
    from jinja2 import Environment
    from community_board.assets import plain_text

    env = Environment(autoescape=True)
    env.filters["plain"] = plain_text
    html = env.from_string('<meta content="{{ v | plain }}"><title>{{ v | plain }}</title>').render(
        v='他说"X"&lt;/title&gt;<b>真</b>')
    assert html == '<meta content="他说&#34;X&#34;&amp;lt;/title&amp;gt;真"><title>他说&#34;X&#34;&amp;lt;/title&amp;gt;真</title>'


def test_workers_sanitize_what_they_convert(tmp_path):
    """render.py converts bodies without "<" or "[" ahead of MkDocs; an attribute list needs neither."""
    from community_board.render import MarkdownSettings, _convert_files

    path = tmp_path / "2026-03-05-x.md"
    path.write_text('---\ntitle: 标题\ndate: 2026-03-05\ncolumn: leifeng\n---\n## 小标题 {: onclick="alert(1)" }\n', "utf-8")
    [(_, html)] = _convert_files(MarkdownSettings(MARKDOWN_EXTENSIONS, MARKDOWN_CONFIGS), [str(path)])
    assert "onclick" not in html and "小标题</h2>" in html


# --- what templates and hooks may mark safe -------------------------------------------------

_ROOT = Path(__file__).resolve().parent.parent
# Every value printed unescaped, each reviewed: see the comment beside it.
REVIEWED_SAFE = {
    ("main.html", "page.content"),  # sanitized staff HTML and generated HTML of escaped parts
    ("board-cached.html", "board_page_html"),  # a whole page main.html rendered before
}
_SAFE_USE = re.compile(r"\{\{-?\s*([^{}|]+?)\s*\|\s*safe\s*-?\}\}")
_UNSAFE = re.compile(r"\|\s*striptags\b|\bautoescape\s+false\b|\|\s*safe\b")


def test_templates_print_unescaped_only_the_reviewed_values():
    found, other = set(), []
    for path in sorted((_ROOT / "overrides").rglob("*.html")):
        text = re.sub(r"\{#.*?#\}", "", path.read_text("utf-8"), flags=re.S)  # comments may say "safe"
        found |= {(path.name, m.group(1)) for m in _SAFE_USE.finditer(text)}
        other += [(path.name, m.group()) for m in _UNSAFE.finditer(_SAFE_USE.sub("", text))]
    assert found == REVIEWED_SAFE and not other, (found, other)


def test_only_the_cached_partials_are_marked_safe_in_python():
    uses = [(p.name, line.strip()) for p in sorted((_ROOT / "hooks").rglob("*.py"))
            for line in p.read_text("utf-8").splitlines() if re.search(r"\bMarkup\(", line)]
    assert [name for name, _ in uses] == ["assets.py"], uses


def test_a_summary_taken_from_the_body_reads_as_the_body_does():
    """Markdown shows "&amp;" as "&": the derived summary, escaped as text wherever it goes, too."""
    from community_board.content import first_paragraph

    assert first_paragraph("党群&amp;邻里 &lt;共建&gt; 活动\n\n第二段") == "党群&邻里 <共建> 活动"


def test_the_resource_tag_pattern_reads_every_name_it_lists():
    """_RESOURCE_TAG_RE looks ahead at a tag's first letter before it tries the names: a name
    added to the list with a new first letter must be added to the lookahead too."""
    import re

    from community_board.htmlsafety import _RESOURCE_TAG_RE
    names = re.search(r"\(((?:\w+\|)+\w+)\)", _RESOURCE_TAG_RE.pattern).group(1).split("|")
    assert len(names) > 15
    for name in names:
        for written in (name, name.upper(), name.title()):
            m = _RESOURCE_TAG_RE.fullmatch(f'<{written} src="x">')
            assert m and m.group(1) == written, written
