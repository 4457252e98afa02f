"""The printed board: what staff pin in the window must carry the quarter's whole story."""
from __future__ import annotations

from datetime import date

import pytest

from community_board.content import load_content
from community_board.pages import url_of
from community_board.printboard import MAX_ACTIVITIES, print_page, qr_svg

SITE = "https://xjq.example.cn/board/"


def fake_photo(source: str, alt: str, lazy: bool, base: str) -> str:
    return f'<img src="{base}{source}" alt="{alt}" data-lazy="{lazy}">'


def board_of(tree, day=date(2026, 3, 20)):
    content = load_content(tree.dir, day)
    return content, content.board(content.current_quarter)


def test_the_sheet_has_theme_slogans_activities_honours_notices_and_qr(tree):
    tree.write("boards/2026-q1.yml", "theme: 学雷锋月 · 文明创建\n")
    tree.write("notices/2026-03-15-meeting.md", "---\ntitle: 居民议事会通知\ndate: 2026-03-15\n---\n议事。\n")
    content, board = board_of(tree)
    page = print_page(content, board, fake_photo, site_url=SITE)
    assert page.src_uri == "boards/2026-q1/print.md"
    assert url_of(page.src_uri) == "boards/2026-q1/print/"
    assert page.kind == "print"
    html = page.as_markdown()
    for text in ("学雷锋月 · 文明创建", "邻里守望，大家相帮", "学雷锋走访居民家庭", "施福生家庭",
                 "居民议事会通知", "夏家桥社区"):
        assert text in html, text
    assert "停水通知" not in html, "已过期的公告不应印在当前版面上"
    assert '<svg role="img" aria-label="本站网址二维码"' in html and SITE in html


def test_photos_print_eagerly_with_links_relative_to_the_print_page(tree):
    tree.activity("2026-03-06-cleanup", extra="photos:\n  - {file: photos/a.jpg, consent: true}\nconsent: true\n")
    tree.write("photos/a.jpg", b"\xff\xd8")  # never opened: the renderer is fake
    content, board = board_of(tree)
    html = print_page(content, board, fake_photo, site_url=SITE).as_markdown()
    assert 'src="../../../photos/a.jpg"' in html
    assert 'data-lazy="False"' in html and 'data-lazy="True"' not in html  # printing skips lazy images


def test_a_busy_quarter_is_cut_to_one_sheet_and_says_how_many_more(tree):
    for day in range(6, 16):
        tree.activity(f"2026-03-{day:02d}-act-{day}")
    content, board = board_of(tree)
    html = print_page(content, board, fake_photo, site_url=SITE).as_markdown()
    assert html.count('class="cb-print__act"') == MAX_ACTIVITIES
    assert f"本季度另有 {len(board.activities) - MAX_ACTIVITIES} 项活动" in html


def test_without_site_url_no_qr_code_but_a_hint(tree):
    content, board = board_of(tree)
    html = print_page(content, board, fake_photo).as_markdown()
    assert "<svg" not in html and "site_url" in html


def test_an_archived_quarter_links_back_to_its_own_board(tree):
    content = load_content(tree.dir, date(2026, 6, 1))
    old = content.board(content.quarters[0])
    assert not old.current
    html = print_page(content, old, fake_photo, site_url=SITE).as_markdown()
    assert 'href="../"' in html and "截至" not in html


@pytest.mark.parametrize("url", ["https://a.example/", "https://b.example/board/"])
def test_qr_codes_differ_by_url(url):
    assert qr_svg(url) != qr_svg("https://other.example/")
    assert qr_svg(url) == qr_svg(url)
