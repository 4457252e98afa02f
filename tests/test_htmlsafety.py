"""Hostile or careless HTML in records, resources from other hosts, and the CSP."""
from __future__ import annotations

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
        ('<a href="java\tscript:alert(1)">链接</a>', 1, "javascript:"),
        ("[报名](https://x.com){ onclick=\"x()\" }", 1, "onclick"),
        ('<img src="https://img.example.com/a.jpg">', 1, "img.example.com"),
        ('<img src="//img.example.com/a.jpg">', 1, "img.example.com"),
        ('<img srcset="a.jpg 1x, https://x.com/b.jpg 2x">', 1, "x.com/b.jpg"),
        ('<div style="background:url(https://x.com/bg.png)">x</div>', 1, "x.com/bg.png"),
        ("![合影](https://img.example.com/a.jpg)", 1, "img.example.com"),
        ("- 列表\n\n    <script>x</script>", 3, "<script>"),  # list continuation: still HTML
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
        '<img src="data:image/png;base64,iVBORw0KGgo=">',
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
