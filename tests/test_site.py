"""The built demo site, page by page, as a resident would find it."""
from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ROOT, build_site, built_demo, copy_project


def page(site: Path, url: str) -> str:
    path = site / url.strip("/") / "index.html" if url.endswith("/") else site / url.strip("/")
    assert path.is_file(), f"missing page {url}"
    return path.read_text(encoding="utf-8")


def article(html: str) -> str:
    """The page's own content, without the navigation and header around it."""
    start = html.index('class="md-content__inner')
    end = html.rfind("</article>", start, html.find('<footer', start))
    return html[start:end]


def text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.parametrize("url", [
    "/", "/boards/2026-q3/", "/boards/2025-q1/", "/activities/", "/activities/2026-03-05-leifeng-visit/",
    "/columns/leifeng/", "/columns/environment/", "/honors/", "/honors/2025/", "/honors/2026/", "/slogans/",
    "/notices/", "/notices/2026-10-12-finance-2026-q3/", "/about/", "/feed.xml",
])
def test_every_url_of_the_contract_exists(demo_site, url):
    assert page(demo_site, url)


def test_home_is_the_current_quarter_board(demo_site):
    body = article(page(demo_site, "/"))
    assert "2026年第四季度" in body
    assert "<h1" in body and "本季活动" in body
    assert "邻里守望，大家相帮，各献其爱，共享幸福" in body  # a slogan of the quarter
    cards = re.findall(r'<article class="(cb-card[^"]*)"', body)
    assert cards and cards[0] == "cb-card cb-card--featured"
    assert "featured" not in " ".join(cards[cards.index("cb-card"):]) if "cb-card" in cards else True
    assert "<picture>" in body  # cover photos
    assert "光荣榜（2026年）" in body and "★" in body
    assert "2026-11-18-medical-insurance-2027" in body  # a current notice
    assert "boards/2026-q3/" in body  # link to the previous board


def test_archived_board_links_both_ways(demo_site):
    body = article(page(demo_site, "/boards/2026-q1/"))
    assert "2026年第一季度" in body
    assert 'href="../2025-q4/"' in body and 'href="../2026-q2/"' in body
    last = article(page(demo_site, "/boards/2026-q3/"))
    assert 'href="../../"' in last  # the next quarter of the last archive is the home page


def test_activity_page_shows_every_fact(demo_site):
    body = text(article(page(demo_site, "/activities/2026-03-05-leifeng-visit/")))
    for words in ("2026年3月5日", "学雷锋志愿服务", "走访户数", "地点", "主办"):
        assert words in body, words
    html = article(page(demo_site, "/activities/2026-03-05-leifeng-visit/"))
    assert "<figcaption>" in html and 'alt="' in html


def test_listings_are_newest_first_with_dates_and_summaries(demo_site):
    body = article(page(demo_site, "/activities/"))
    dates = re.findall(r'<li><time datetime="(\d{4}-\d\d-\d\d)"', body)
    assert len(dates) >= 20 and dates == sorted(dates, reverse=True)
    assert "<p>" in body
    column = article(page(demo_site, "/columns/leifeng/"))
    col_dates = re.findall(r'<li><time datetime="(\d{4}-\d\d-\d\d)"', column)
    assert col_dates == sorted(col_dates, reverse=True) and len(col_dates) >= 5


def test_honour_roll_groups_by_year_and_honour(demo_site):
    body = article(page(demo_site, "/honors/"))
    assert body.index("2026年") < body.index("2025年")
    assert "星级文明家庭" in body and "★★★★★" in body and 'aria-label="5星"' in body


def test_notices_current_and_archive(demo_site):
    body = article(page(demo_site, "/notices/"))
    current, archive = body.split("已过期公告")
    assert "2026-11-18-medical-insurance-2027" in current
    assert "2025-01-20-spring-festival-duty" in archive and "有效期至" in archive
    finance = article(page(demo_site, "/notices/2026-10-12-finance-2026-q3/"))
    assert "<table" in finance and "财务公开" in finance
    assert 'data-label="收入（元）"' in finance  # each amount labelled for a phone


def test_about_page(demo_site):
    body = text(article(page(demo_site, "/about/")))
    for words in ("户数", "东至", "服务设施", "办公时间", "0572-3012 345", "社区荣誉"):
        assert words in body, words


def test_feed_is_atom_with_absolute_links(demo_site):
    root = ET.fromstring(page(demo_site, "/feed.xml"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    entries = root.findall("a:entry", ns)
    assert 5 <= len(entries) <= 30
    links = [e.find("a:link", ns).get("href") for e in entries]
    assert all(link.startswith("https://example.org/") for link in links)
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated == sorted(updated, reverse=True)


def test_navigation_has_sections_only(demo_site):
    html = page(demo_site, "/activities/2026-03-05-leifeng-visit/")
    primary = re.search(r'<nav class="cb-nav.*?</nav>', html, re.S).group(0)
    labels = [re.sub(r"<[^>]+>", "", l).strip() for l in re.findall(r"<a\b[^>]*>(.*?)</a>", primary, re.S)]
    assert labels == ["首页", "活动", "光荣榜", "标语", "公告", "往期", "总结", "关于"]
    assert "学雷锋走访" not in primary


def test_every_header_link_and_the_search_form_reach_this_site(demo_site):
    """Home, sections, search form and script, from every page: the 404 page's form once
    pointed at //search/, i.e. at a host named "search"."""
    checked = 0
    for path in sorted(demo_site.rglob("*.html")):
        found = re.search(r'<header class="cb-header">.*?</header>', path.read_text(encoding="utf-8"), re.S)
        if not found:
            continue  # the printable boards have no header
        here = path.parent.relative_to(demo_site).as_posix()
        for target in re.findall(r'(?:href|action|src)="([^"#]+)"', found.group(0)):
            assert not target.startswith("//"), (path, target)
            url = target.split("?")[0]
            resolved = url.lstrip("/") if url.startswith("/") else posixpath.normpath(posixpath.join(here, url))
            assert (demo_site / resolved).is_file() or (demo_site / resolved / "index.html").is_file(), (path, target)
            checked += 1
    assert checked > 100 * 10


def test_theme_is_chinese_and_loads_nothing_from_elsewhere(demo_site):
    for path in demo_site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert '<html lang="zh"' in html, path
        loads = re.findall(r'<(?:script|img|source|iframe|link)\b[^>]*?(?:src|href|srcset)="((?:https?:)?//[^"]+)"', html)
        loads = [u for u in loads if "rel=\"canonical\"" not in u]
        assert not [u for u in loads if "example.org" not in u], (path, loads)


def test_only_theme_files_a_page_loads_are_published(demo_site):
    """Material's script bundle, search worker, lunr languages and source maps (2.3 MB) are
    not loaded by our pages, so they are not published; its stylesheet is."""
    published = {p.relative_to(demo_site / "assets").as_posix() for p in (demo_site / "assets").rglob("*") if p.is_file()}
    assert not [p for p in published if p.startswith("javascripts/") or p.endswith(".map") or "palette" in p]
    assert any(re.fullmatch(r"stylesheets/main\.\w+\.min\.css", p) for p in published)
    home = (demo_site / "index.html").read_text(encoding="utf-8")
    assert "assets/stylesheets/main." in home and "javascripts/bundle" not in home


WITHHELD = ("2026-12-19-dongzhi-warmth", "2026-08-20-qixi-draft", "2026-11-10-winter-fire-check")

# Records that must never be published as of DEMO_AS_OF, each carrying a marker that no
# published text contains: a future activity, a scheduled one, a draft and a scheduled notice.
# They live here, not in the demo: residents must never read a test marker.
MARKED = {
    "activities/2026/2026-12-20-marker-future.md":
        "---\ntitle: 冬季联欢会\ndate: 2026-12-20\ncolumn: festivals\nsummary: 未来活动标记\n---\n未来活动标记。\n",
    "activities/2026/2026-11-11-marker-scheduled.md":
        "---\ntitle: 入户检查（定时发布标记）\ndate: 2026-11-11\ncolumn: safety\npublish: 2026-12-01\n---\n定时发布标记。\n",
    "activities/2026/2026-11-12-marker-draft.md":
        "---\ntitle: 草稿标记\ndate: 2026-11-12\ncolumn: festivals\ndraft: true\n---\n草稿标记。\n",
    "notices/2026-11-13-marker-notice.md":
        "---\ntitle: 停电通知（公告定时标记）\ndate: 2026-11-13\npublish: 2026-12-01\n---\n公告定时标记。\n",
}
MARKERS = ("未来活动标记", "定时发布标记", "草稿标记", "公告定时标记", "marker-future", "marker-scheduled",
           "marker-draft", "marker-notice")


def _leaks(site: Path, markers) -> list:
    leaks = []
    for path in site.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            leaks += [(str(path.relative_to(site)), m) for m in markers if m.encode() in data]
    return leaks


def test_nothing_withheld_reaches_any_file(demo_site, tmp_path):
    assert not _leaks(demo_site, WITHHELD)
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    for rel, body in MARKED.items():
        (content / rel).write_text(body, encoding="utf-8")
    result = build_site(tmp_path / "site", content=content)
    assert result.returncode == 0, result.stderr[-2000:]
    assert not _leaks(tmp_path / "site", MARKERS)
    # the same records are published once their day has come (so the test could fail)
    later = build_site(tmp_path / "later", as_of="2026-12-25", content=content)
    assert later.returncode == 0, later.stderr[-2000:]
    assert {m for _, m in _leaks(tmp_path / "later", MARKERS)} >= {"未来活动标记", "定时发布标记", "公告定时标记"}


def test_demo_content_carries_no_test_markers():
    """Residents read the demo: test markers belong to test fixtures only."""
    raw = "".join(p.read_text(encoding="utf-8") for p in (ROOT / "content").rglob("*") if p.suffix in (".md", ".yml"))
    assert not [m for m in ("定时发布标记", "未来活动标记", "草稿标记", "marker") if m in raw]


def test_withheld_photos_are_not_published(demo_site):
    published = {p.name for p in (demo_site / "assets/photos").iterdir()}
    assert published and all(re.fullmatch(r"[0-9a-f]{16}-\d+\.(webp|jpg)", n) for n in published)
    assert not list(demo_site.rglob("*.jpeg")) and not (demo_site / "photos").exists()


def test_another_as_of_shows_another_quarter(tmp_path_factory):
    site = built_demo(tmp_path_factory, "2026-04-02")
    home = article(page(site, "/"))
    assert "2026年第二季度" in home and "2026年第四季度" not in home
    assert not (site / "boards/2026-q3").exists()
    assert not (site / "activities/2026-10-18-chongyang-birthday").exists()


def test_bad_content_fails_the_build_with_chinese_errors(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    bad = content / "activities/2026/2026-03-05-leifeng-visit.md"
    bad.write_text(bad.read_text(encoding="utf-8").replace("column: leifeng", "column: leifng"), encoding="utf-8")
    out = tmp_path / "site"
    out.mkdir()
    (out / "keep.html").write_text("old site")
    result = build_site(out, content=content)
    assert result.returncode != 0
    assert "leifng" in result.stderr and "leifeng" in result.stderr and "2026-03-05-leifeng-visit.md" in result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "keep.html").read_text() == "old site"  # nothing touched


def test_every_internal_link_resolves(demo_site):
    from community_board.linkcheck import broken_links
    broken = broken_links(demo_site, "/")
    assert broken == []
    # the walker does see links: a page with a dead one is reported
    (demo_site / "about/index.html").write_text(
        (demo_site / "about/index.html").read_text(encoding="utf-8") + '<a href="../nowhere/">x</a>', encoding="utf-8")
    try:
        assert broken_links(demo_site, "/")
    finally:
        (demo_site / "about/index.html").write_text(
            (demo_site / "about/index.html").read_text(encoding="utf-8").replace('<a href="../nowhere/">x</a>', ""),
            encoding="utf-8")


def test_post_build_scan_fails_the_build_on_a_leak(tmp_path):
    """A personal number that reaches site/ through a template still stops the build."""
    project = copy_project(tmp_path / "project")
    footer = project / "overrides/partials/copyright.html"
    footer.write_text(footer.read_text(encoding="utf-8") + "<p>值班手机 13912345678</p>", encoding="utf-8")
    result = build_site(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert "139****5678" in result.stderr and "13912345678" not in result.stderr


def test_a_new_quarter_home_page_still_shows_recent_activities(tmp_path_factory):
    site = built_demo(tmp_path_factory, "2027-01-01")
    home = article(page(site, "/"))
    assert "2027年第一季度" in home and "本季度还没有活动记录" in home
    recent = home.split('<h2 id="recent">近期活动</h2>', 1)[1]
    assert "activities/2026-12-19-dongzhi-warmth/" in recent  # the newest earlier activity
    busy = article(page(built_demo(tmp_path_factory, "2026-11-25"), "/"))
    assert 'id="recent"' not in busy  # a quarter with enough of its own has no need (近期活动预告 is another section)


def test_a_site_under_a_sub_path_links_correctly(tmp_path):
    """GitHub Pages project sites live at /<repo>/: every link must still resolve there."""
    from community_board.linkcheck import broken_links
    out = tmp_path / "site"
    result = build_site(out, extra_env={"BOARD_SITE_URL": "https://example.org/board/"})
    assert result.returncode == 0, result.stderr[-2000:]
    # a placeholder site_url is warned about (the QR code would open it) without failing --strict
    assert "site_url 还是占位网址 https://example.org/board/" in result.stderr
    assert broken_links(out, "/board/") == []
    assert 'href="https://example.org/board/activities/' in (out / "feed.xml").read_text(encoding="utf-8")


def test_staff_and_developer_docs_stay_out_of_the_site(demo_site):
    """docs/ (staff guide, content format, developer notes) is for the repo, not for residents."""
    docs = [p.relative_to(ROOT / "docs").with_suffix("").as_posix() for p in (ROOT / "docs").rglob("*.md")]
    assert docs, "docs/ should still hold the staff and developer documents"
    sitemap = page(demo_site, "/sitemap.xml")
    for doc in docs:
        url = doc[: -len("/index")] if doc.endswith("/index") else doc
        assert not (demo_site / url).exists(), f"{doc} 不应发布到居民的网站上"
        assert f"/{url}/" not in sitemap, f"{doc} 不应出现在 sitemap 中"
    assert "/activities/" in sitemap  # the sitemap itself is still there


def _footer(html: str) -> str:
    return re.search(r'<div class="cb-copyright">.*?</div>', html, re.S).group(0)


def test_footer_links_both_registration_numbers(demo_site):
    for url in ("/", "/about/", "/404.html"):
        footer = _footer(page(demo_site, url))
        assert re.search(r'<a href="https://beian\.miit\.gov\.cn/"[^>]*>浙ICP备20250318号-1</a>', footer), url
        assert re.search(r'<a href="https://beian\.mps\.gov\.cn/"[^>]*>浙公网安备33050302000318号</a>', footer), url


def test_footer_without_police_number_has_no_police_line(tmp_path):
    import shutil
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    yml = content / "community.yml"
    yml.write_text(re.sub(r"footer: .*", "footer: {icp: 浙ICP备20250318号-1}", yml.read_text(encoding="utf-8")),
                   encoding="utf-8")
    result = build_site(tmp_path / "site", content=content)
    assert result.returncode == 0, result.stderr[-2000:]
    footer = _footer(page(tmp_path / "site", "/"))
    assert "beian.miit.gov.cn" in footer and "beian.mps.gov.cn" not in footer and "公网安备" not in footer


def test_home_offers_the_office_phone_to_tap_under_the_title(demo_site):
    body = article(page(demo_site, "/"))
    call = re.search(r'<p class="cb-call"><a href="tel:0572-3012345">[^<]*0572-3012 345</a></p>', body)
    assert call and call.start() < body.index('id="activities"'), "办公电话应在看板标题下、活动之前"


def test_404_is_chinese_with_the_community_phone_and_sections(demo_site):
    html = page(demo_site, "/404.html")
    assert "Not found" not in html and "404 -" not in html
    body = article(html)
    assert "找不到这个页面" in body and "夏家桥社区" in body and 'href="tel:0572-3012345"' in body
    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', body)
    assert [t for _, t in links[:8]] == ["首页", "活动", "光荣榜", "标语", "公告", "往期", "总结", "关于"]
    for href, _ in links[:8]:
        assert (demo_site / href.strip("/") / "index.html").is_file(), href
    assert "<title>找不到这个页面 · 夏家桥社区宣传窗</title>" in html


def test_read_aloud_button_is_on_record_pages_only_and_hidden_in_the_html(demo_site):
    button = re.compile(r'<button class="cb-read" type="button" aria-pressed="false" hidden>朗读</button>')
    for url in ("/activities/2026-03-05-leifeng-visit/", "/notices/2026-10-12-finance-2026-q3/"):
        assert len(button.findall(page(demo_site, url))) == 1, url
    for url in ("/", "/notices/", "/about/"):
        assert "cb-read" not in page(demo_site, url), url


def test_printed_qr_code_opens_the_real_site_and_the_build_does_not_warn(tmp_path):
    from community_board.printboard import qr_svg
    url = "https://xjq-shequ.cn/chuang/"
    result = build_site(tmp_path / "site", extra_env={"BOARD_SITE_URL": url})
    assert result.returncode == 0, result.stderr[-2000:]
    assert "占位网址" not in result.stderr
    for path in ("boards/2026-q4/print/index.html", "boards/2026-q4/print/a4/index.html"):
        sheet = (tmp_path / "site" / path).read_text(encoding="utf-8")
        assert qr_svg(url) in sheet and url in sheet, path
        assert "example.org" not in sheet, path
