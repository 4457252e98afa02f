"""The printed board: what staff pin in the window must carry the quarter's whole story."""
from __future__ import annotations

import re
from datetime import date

import pytest

from community_board.content import load_content
from community_board.pages import url_of
from community_board.printboard import MAX_ACTIVITIES, PAPERS, placeholder_site_url, print_page, qr_svg

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
    assert len(re.findall(r'class="cb-print__act[" ]', html)) == MAX_ACTIVITIES
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


def test_an_a3_and_an_a4_sheet_each_name_their_paper_and_link_to_each_other(tree):
    content, board = board_of(tree)
    a3 = print_page(content, board, fake_photo, site_url=SITE, paper="A3")
    a4 = print_page(content, board, fake_photo, site_url=SITE, paper="A4")
    assert (url_of(a3.src_uri), url_of(a4.src_uri)) == ("boards/2026-q1/print/", "boards/2026-q1/print/a4/")
    assert 'class="cb-print cb-print--a3"' in a3.before and 'class="cb-print cb-print--a4"' in a4.before
    assert 'href="a4/">改用 A4 纸' in a3.before and 'href="../">改用 A3 纸' in a4.before
    assert set(PAPERS) == {"A3", "A4"}


def test_cards_without_a_photo_have_no_photo_frame(tree):
    tree.activity("2026-03-06-cleanup", extra="photos:\n  - {file: photos/a.jpg, consent: true}\nconsent: true\n")
    tree.write("photos/a.jpg", b"\xff\xd8")
    content, board = board_of(tree)
    html = print_page(content, board, fake_photo, site_url=SITE).before
    cards = re.findall(r'<article class="([^"]+)">(.*?)</article>', html)
    assert len(cards) == 2
    for cls, body in cards:
        assert ("<img" in body) == ("--text" not in cls), (cls, body[:80])


@pytest.mark.parametrize("url", [None, "", "https://example.org/", "https://example.com/board/", "http://localhost:8000/",
                                 "https://board.example/", "https://www.example.net/", "http://127.0.0.1/"])
def test_a_placeholder_site_url_is_warned_about_in_chinese(url):
    warning = placeholder_site_url(url)
    assert warning and "site_url" in warning and "二维码" in warning


@pytest.mark.parametrize("url", ["https://xjq.example.cn/board/", "https://www.xjqsq.cn/", "https://nx.gov.cn/xjq/"])
def test_a_real_site_url_is_not_warned_about(url):
    assert placeholder_site_url(url) is None
