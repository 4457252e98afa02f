"""The post-build scan (sitescan.py): it reads the text that went into each output, never an
encoding of it, so the unmodified demo builds on every day; and every hit names its record
(issue 15.4, issue 14.7)."""
from __future__ import annotations

import gzip
import json
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from PIL import Image

from community_board.content import load_catalog
from community_board.feed import feed_entries, feed_header
from community_board.guard import allowed_numbers
from community_board.numbers import id_check_char, scan_numbers
from community_board.pages import Site
from community_board.published import published
from community_board.search import build_index, documents
from community_board.sitescan import (Hit, _json_text, _markup_text, name_records, origins, scan_documents,
                                      scan_feed, scan_site)
from conftest import ROOT, build_site

OFFICE = frozenset({"05723012345"})


def _id(prefix: str, birth: str, seq: str) -> str:
    return prefix + birth + seq + id_check_char(prefix + birth + seq)


# --- the demo on every 7th day (issue 15.4) ---------------------------------------------------

SWEEP = [date(2025, 1, 1) + timedelta(days=7 * i) for i in range((date(2027, 12, 31) - date(2025, 1, 1)).days // 7 + 1)]
FORMERLY_FAILING = ("2025-06-25", "2025-07-18", "2025-09-02", "2025-10-18", "2025-12-03")


@pytest.fixture(scope="module")
def demo_catalog():
    return load_catalog(ROOT / "content")


def _what_is_published(catalog, day: date):
    """What the build's post-build scan reads for the demo as of `day`, without MkDocs: the
    search documents, the feed and the text of every page the model lays out."""
    content = published(catalog, day)
    allowed = allowed_numbers(content.community)
    docs = documents(content)
    hits = scan_documents(docs, allowed)
    hits += scan_feed(feed_entries(content), feed_header(content, f"{content.community.name}宣传窗"), allowed)
    for page in Site(content, lambda *a, **k: "").build():
        text = _markup_text(f"{page.title}\n{page.description}\n{page.before}\n{page.markdown}\n{page.after}")
        hits += [Hit(page.src_uri, f.line, f.message, f.hint, f.digits) for f in scan_numbers(text, allowed)]
    return content, docs, hits


def test_the_sweep_covers_three_years_and_the_days_that_failed():
    assert len(SWEEP) >= 150 and SWEEP[0] == date(2025, 1, 1) and SWEEP[-1] >= date(2027, 12, 24)


@pytest.mark.parametrize("day", SWEEP + [date.fromisoformat(d) for d in FORMERLY_FAILING], ids=str)
def test_the_demo_passes_the_scan_on_every_day(demo_catalog, day):
    _, _, hits = _what_is_published(demo_catalog, day)
    assert hits == [], [h.message for h in hits]


def test_the_index_shards_are_encodings_that_read_as_numbers_and_are_not_scanned(demo_catalog):
    """Why the shards are skipped: on days of the sweep, their postings strings read as card
    numbers or mobiles, though no document holds one."""
    noisy = []
    for day in SWEEP[20:60]:  # mid-2025, where the failures were seen
        content, docs, hits = _what_is_published(demo_catalog, day)
        shards = build_index(docs)
        if any(scan_numbers(_json_text(data.decode()), allowed_numbers(content.community))
               for path, data in shards.items()):
            noisy.append(day)
    assert noisy, "the shards no longer read as numbers: this test can go"


@pytest.mark.build
def test_a_real_build_on_a_formerly_failing_day_passes(tmp_path):
    result = build_site(tmp_path / "site", as_of="2025-06-25")
    assert result.returncode == 0, result.stderr[-3000:]
    assert (tmp_path / "site" / "search" / "meta.json").is_file()


# --- every hit names its record (issue 14.7) -----------------------------------------------


def test_a_number_made_by_rendering_names_the_record_field_and_line(tree, tmp_path):
    """Tags split a mobile in the record (139<span>1234</span>5678): the page's text shows it
    whole. The refusal names the record's file, its body and the line, not the generated page."""
    path = tree.activity("2026-03-06-bold", text="---\ntitle: 报名\ndate: 2026-03-06\ncolumn: leifeng\n---\n"
                                                 "第一段。\n\n报名请找王阿姨 139<span>1234</span>5678。\n")
    result = build_site(tmp_path / "site", content=tree.dir,
                        extra_env={"BOARD_CACHE": str(tmp_path / "c"), "BOARD_SHARE_CACHE": str(tmp_path / "s")})
    assert result.returncode != 0
    record = "content/activities/2026/2026-03-06-bold.md"
    assert f"{record}:8：字段「正文」" in result.stderr, result.stderr[-3000:]
    assert "139****5678" in result.stderr and "13912345678" not in result.stderr
    assert "search/t/" not in result.stderr
    assert path.read_text("utf-8")  # the record is untouched


def test_hits_in_pages_photos_and_attachments_name_their_records(tree):
    from community_board.content import load_content
    tree.activity("2026-03-06-bold", text="---\ntitle: 报名\ndate: 2026-03-06\ncolumn: leifeng\n---\n"
                                          "第一段。\n\n电话 138<span>0013</span>8000\n")
    tree.write("notices/2026-03-02-form.md",
               "---\ntitle: 报名表\ndate: 2026-03-02\nattachments: [files/form.txt]\n---\n见附件。\n")
    tree.write("files/form.txt", "报名表")
    content = load_content(tree.dir, date(2026, 11, 25))
    activity = "content/activities/2026/2026-03-06-bold.md"
    notice = next(n for n in content.notices if n.attachments).source
    where = origins(content, [(["assets/photos/abc-480.jpg"], activity, "photos[0].file")])
    hits = [
        Hit("activities/2026-03-06-bold/index.html", 3, "生成的网站发现个人手机号 138****8000", "改", "13800138000"),
        Hit("search/（搜索条目 activities/2026-03-06-bold/）", None, "搜索索引中发现个人手机号 138****8000", "改",
            "8613800138000"),
        Hit("assets/photos/abc-480.jpg", None, "图片仍带有元数据：EXIF", "改", "assets/photos/abc-480.jpg", "metadata"),
        Hit("attachments/files/form.txt", 1, "生成的网站发现个人手机号 139****5678", "改", "13912345678"),
        Hit("index.html", 9, "生成的网站发现个人手机号 137****0000", "改", "13712340000"),
        Hit("about/index.html", 9, "生成的网站发现个人手机号 137****0000", "改", "13712340000"),
    ]
    problems = name_records(hits, where)
    named = {(p.file, p.field, p.line) for p in problems if p.file.startswith("content/")}
    assert named == {(activity, "正文", 8), (activity, "photos[0].file", None), (notice, "attachments[0]", None)}
    assert all("出现在生成的" in p.message for p in problems if p.file.startswith("content/"))
    # what no record holds is one problem for the maintainer, not one per page
    orphans = [p for p in problems if not p.file.startswith("content/")]
    assert len(orphans) == 1 and "模板" in orphans[0].message and "等 2 处" in orphans[0].message


def test_scan_documents_and_feed_name_what_went_in():
    class Doc:
        url, title, text = "activities/x/", "报名", "请联系 139 1234 5678"
    hits = scan_documents([Doc()], OFFICE)
    assert [(h.file, h.evidence) for h in hits] == [("search/（搜索条目 activities/x/）", "13912345678")]
    entries = [(date(2026, 3, 5), "notices/y/", "通知", "值班手机 13912345678", "通知公告")]
    hits = scan_feed(entries, ("宣传窗", "社区"), OFFICE)
    assert [h.file for h in hits] == ["feed.xml（条目 notices/y/）"] and "139****5678" in hits[0].message
    assert scan_feed(entries[:0], ("宣传窗", "办公电话 0572-3012345"), OFFICE) == []


# --- reading the built site -----------------------------------------------------------------


_MARKUP_BITS = ["<", ">", "\"", "'", "\n", " ", "=", "a", "1", "138", "0013800138000", "&lt;", "&amp;",
                "<!--", "-->", "<img src=", "http://x.example/a.png", "<p>", "</p>", "<span title=",
                "style=", "url(", ")", "<style>", "</style>", "手机", "订单号", "<a href=", "//cdn.example/x.js",
                # what a line may hold style by (htmlsafety._STYLE_HINT_RE), and what it is not
                "style", "STYLE", "ſtyle", "\t", "\u3000", "<STYLE ", "style-src", "/a.png", "?x:y"]


# Comments and escaped markup always take the whole-page way: most examples leave them out,
# so that the line-by-line way is what gets tested.
_LINE_WISE_BITS = [b for b in _MARKUP_BITS if b not in ("<!--", "&lt;")]


@settings(max_examples=600, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_LINE_WISE_BITS), min_size=3, max_size=40),
                 st.lists(st.sampled_from(_MARKUP_BITS), max_size=40)).map("".join))
@example("<p>&lt;b&gt;138&lt;/b&gt; 0013 8000</p>")  # a feed's escaped HTML: read twice, whole
@example("<!-- 13800138000 -->")  # a comment: its text ships too
@example("<img alt='x\n' src=http://x.example/a.png>")  # a quote over two lines
@example("<p>x</p>\n<img src=http://x.example/a.png>")  # a resource on the last line
@example("<p>x</p>\n<p>1</p><!-- 13800138000 -->")  # a comment on a later line: the page is read whole
@example("<p>x</p>\n<p>&lt;b&gt;138&lt;/b&gt; 0013 8000</p>")  # escaped markup on a later line
# What the page's style regex finds outside tags too (a tag over two lines sends the page the
# whole-page way): at a line's start, with "=" on a line of its own, with a long s (re.I reads
# it as an s).
@example("<p>a\nstyle='background:url(//x.example/a.png)'</p>")
@example("<p>a style\n=\n'background:url(//x.example/a.png)'</p>")
@example("<p>a ſtyle='background:url(//x.example/a.png)'</p>")
@example("<p>x</p>\n<STYLE>a{background:url(//x.example/a.png)}</style>")
def test_a_page_read_line_by_line_gives_what_the_whole_page_gives(markup):
    """The page scan reads a page line by line when no tag runs past a line break, so that
    lines every page shares are read once; its text and resources must be the whole page's."""
    from community_board.htmlsafety import external_resources
    from community_board.sitescan import _markup_text, _page_text
    text, lines = _page_text(markup)
    assert text == _markup_text(markup)
    if lines is not None:
        assert external_resources(markup, "a/b/", lines) == external_resources(markup, "a/b/")


def test_a_leak_in_a_page_that_shares_its_other_lines_is_found(tmp_path):
    """A page is read line by line and the lines seen on earlier pages are not read again: a
    leak on a page whose other lines are all shared, in the places that send the page (or
    its style) the whole-page way, is still found, and names that page."""
    shell = "<html><head><meta content=\"style-src 'self'\"></head>\n<body>\n<p>通知</p>\n"
    leaks = {
        "comment": "<p>a</p><!-- 手机 13912345678 -->",
        "escaped": "<p>&lt;b&gt;139&lt;/b&gt;12345678</p>",
        "split-tag": "<img alt='13912345678\n' src=a.png>",
        "style-at-line-start": "<p>x\nstyle='background:url(//x.example/a.png)'</p>",
        "style-block": "<STYLE>p{background:url(//x.example/b.png)}</STYLE>",
        "long-s-style": "<p ſtyle='background:url(//x.example/c.png)'>x</p>",
        "resource": "<img src=//x.example/d.png>",
    }
    for i in range(3):  # clean pages first: their lines are then in the caches
        (tmp_path / f"clean{i}").mkdir()
        (tmp_path / f"clean{i}" / "index.html").write_text(shell + "</body></html>\n", "utf-8")
    for name, leak in leaks.items():
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text(shell + leak + "\n</body></html>\n", "utf-8")
    hits = scan_site(tmp_path, OFFICE, jobs=1)
    found = {h.file.split("/")[0] for h in hits}
    assert found == set(leaks), hits
    assert {h.evidence for h in hits if h.kind == "resource"} == {
        "//x.example/a.png", "//x.example/b.png", "//x.example/c.png", "//x.example/d.png"}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([b"\r", b"\n", b"\r\n", b"a", b"1", b"\xe6\x89\x8b", b"\xe6\x89", b"\xff",
                                 b"\xef\xbb\xbf", b"<p>", b"\x00"]), max_size=30).map(b"".join))
@example(b"\xe6\x89\r\n\x8b")
def test_a_page_read_from_its_bytes_is_what_read_text_gives(tmp_path_factory, data):
    """scan_site reads a page's bytes once, for its memo key and its scan: the text it scans
    must be Path.read_text's (invalid bytes replaced, CR LF and CR made LF)."""
    from community_board.sitescan import _as_read_text
    path = tmp_path_factory.mktemp("page") / "index.html"
    path.write_bytes(data)
    assert _as_read_text(data) == path.read_text("utf-8", errors="replace")


def test_a_page_with_crlf_line_ends_and_bad_bytes_gives_the_same_hits_on_every_way(tmp_path, monkeypatch):
    """In this process (bytes read once) and on worker processes (each file read as text)."""
    from community_board import sitescan
    page = "<p>甲</p>\r\n<p>手机 13912345678</p>\r<p title='13800138000'>乙</p>\n".encode() + b"\xff<p>x</p>"
    for i in range(4):
        (tmp_path / f"p{i}").mkdir()
        (tmp_path / f"p{i}" / "index.html").write_bytes(page)
    here = scan_site(tmp_path, OFFICE, jobs=1)
    assert [(h.file, h.line) for h in here if h.line] == [(f"p{i}/index.html", n) for i in range(4) for n in (2, 3)]
    monkeypatch.setattr(sitescan, "PARALLEL_FROM", 1)
    monkeypatch.setattr(sitescan, "_CHUNK", 2)
    assert scan_site(tmp_path, OFFICE, jobs=2) == here


def test_site_files_are_those_rglob_finds_in_its_order(tmp_path):
    """The scan lists the site with os.scandir; it must find what sorted(rglob) and is_file
    found: hidden files, links to files, not linked folders, "a/b" before "a-b"."""
    from community_board.sitescan import _site_files
    for rel in ("a/b.txt", "a-b/c.txt", "a.b", ".hidden", "x/y/z.html", "x/y.html", "A/b", "é/f"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("1", "utf-8")
    (tmp_path / "link.txt").symlink_to(tmp_path / "a.b")
    (tmp_path / "folder-link").symlink_to(tmp_path / "x")
    (tmp_path / "broken").symlink_to(tmp_path / "nothing")
    expected = [(p, p.relative_to(tmp_path).as_posix()) for p in sorted(tmp_path.rglob("*")) if p.is_file()]
    assert list(_site_files(tmp_path)) == expected
    assert [rel for _, rel in expected][:3] == [".hidden", "A/b", "a/b.txt"]


def test_pages_of_the_built_site_are_read_line_by_line(demo_site):
    """A tag of the shared templates broken over two lines makes every page take the slow
    whole-page way (correct, but the scan's cost grew by half at 2,000 activities)."""
    from community_board.sitescan import _page_text
    pages = sorted(demo_site.rglob("*.html"))
    whole = [p.relative_to(demo_site).as_posix() for p in pages if _page_text(p.read_text("utf-8"))[1] is None]
    assert len(whole) <= len(pages) // 20, whole[:5]


def test_pages_of_the_built_site_are_read_for_resources_line_by_line(demo_site):
    """A style attribute or <style> block in the shared templates makes every page's resources
    be read the whole-page way (correct, but that part of the scan takes twice as long)."""
    from community_board.htmlsafety import _line_loaded
    pages = sorted(demo_site.rglob("*.html"))
    whole = [p.relative_to(demo_site).as_posix() for p in pages
             if None in map(_line_loaded, p.read_text("utf-8").split("\n"))]
    assert len(whole) <= len(pages) // 20, whole[:5]


# --- the built site (rule 4 and 6) ----------------------------------------------------------


def _exif_jpeg(path: Path, gps: bool) -> None:
    im = Image.new("RGB", (8, 8), "white")
    exif = Image.Exif()
    exif[0x010F] = "Camera"
    if gps:
        exif[0x8825] = {1: "N", 2: (30.0, 52.0, 0.0)}
    im.save(path, exif=exif.tobytes())


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    pid = _id("330503", "19900101", "123")
    files = {
        "index.html": '<html><head><link rel="canonical" href="https://example.org/"></head>\n<body>\n'
                      '<p>办公电话 0572-3012345</p>\n<a href="tel:13800138000">王阿姨</a>\n'
                      '<a href="https://gov.cn">政府网</a></body></html>',
        "about/index.html": '<html><head><script src="https://cdn.example.com/x.js"></script></head>'
                            '<body><img src="../photos/a.jpg"></body></html>',
        "search/search_index.json": json.dumps({"docs": [{"text": "手机13912345678"}]}),
        "feed.xml": f"<rss><item><description>&lt;p&gt;身份证 {pid}&lt;/p&gt;</description></item></rss>",
        "sitemap.xml": "<urlset><url><loc>https://example.org/</loc><lastmod>2026-03-05</lastmod></url></urlset>",
        "assets/javascripts/bundle.min.js": "var a=13800138000,b=6222021234567890123;",
        "assets/stylesheets/main.css": "body{background:url(data:image/svg+xml;base64,AAAA)}",
        "assets/extra.css": "@import url('https://fonts.googleapis.com/css?family=Roboto');",
        "photos/15057261234.txt": "照片说明",
    }
    for rel, text in files.items():
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        (site / rel).write_text(text, encoding="utf-8")
    (site / "sitemap.xml.gz").write_bytes(gzip.compress(files["sitemap.xml"].encode()))
    (site / "photos").mkdir(exist_ok=True)
    Image.new("RGB", (8, 8), "white").save(site / "photos" / "a.jpg")
    _exif_jpeg(site / "photos" / "b.jpg", gps=True)
    return site


def test_scan_site_finds_every_kind_of_leak_and_nothing_else(site):
    problems = scan_site(site, OFFICE)
    by_file = {}
    for p in problems:
        by_file.setdefault(p.file, []).append(p)
    assert sorted(by_file) == ["about/index.html", "assets/extra.css", "feed.xml", "index.html",
                               "photos/15057261234.txt", "photos/b.jpg", "search/search_index.json"]
    assert by_file["index.html"][0].line == 4 and "138****8000" in by_file["index.html"][0].message
    assert "cdn.example.com" in by_file["about/index.html"][0].message
    assert "身份证" in by_file["feed.xml"][0].message
    assert "GPS" in by_file["photos/b.jpg"][0].message
    assert "139****5678" in by_file["search/search_index.json"][0].message
    assert all(re.search(r"\d{11}", p.message) is None for p in problems)


def test_clean_site_passes(site):
    for rel in ["about/index.html", "assets/extra.css", "feed.xml", "photos/15057261234.txt",
                "photos/b.jpg", "search/search_index.json"]:
        (site / rel).unlink()
    (site / "index.html").write_text('<p>办公电话 0572-3012345</p><a href="https://gov.cn">政府网</a>', encoding="utf-8")
    assert scan_site(site, OFFICE) == []


def test_site_scan_on_several_processes_finds_the_same(tmp_path, monkeypatch):
    from community_board import sitescan as module
    for i in range(30):
        (tmp_path / f"p{i:02d}.html").write_text(f"<p>第 {i} 页</p>", encoding="utf-8")
    (tmp_path / "p17.html").write_text("<p>联系 13912345678</p>", encoding="utf-8")
    alone = module.scan_site(tmp_path, jobs=1)
    monkeypatch.setattr(module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(module, "_CHUNK", 4)
    together = module.scan_site(tmp_path, jobs=2)
    assert [p.file for p in together] == [p.file for p in alone] == ["p17.html"]
    assert "139****5678" in together[0].message


def test_skipped_encodings_are_not_read_but_svg_resources_still_are(tmp_path):
    (tmp_path / "search" / "t").mkdir(parents=True)
    (tmp_path / "search" / "t" / "1.json").write_text('{"ab":"6222-0212-3456-7890-128"}', encoding="utf-8")
    (tmp_path / "search" / "index.html").write_text("<p>联系 13912345678</p>", encoding="utf-8")
    (tmp_path / "a.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"><image href="https://x.example/a.png"/></svg>',
                                    encoding="utf-8")
    hits = scan_site(tmp_path, skip={"search/t/1.json"})
    assert sorted((h.file, h.kind) for h in hits) == [("a.svg", "resource"), ("search/index.html", "number")]


def test_a_resource_from_another_host_names_the_record_that_wrote_it(tree):
    from community_board.content import load_content
    tree.activity("2026-03-06-img", text="---\ntitle: 图\ndate: 2026-03-06\ncolumn: leifeng\n---\n"
                                         "见下图。\n")
    content = load_content(tree.dir, date(2026, 11, 25))
    record = "content/activities/2026/2026-03-06-img.md"
    # as if the body's image had got past the record checks (the case this defence is for)
    content = replace(content, kinds={**content.kinds, "activities": tuple(
        replace(a, body=a.body + '<img src="https://x.example/a.png">') if a.source == record else a
        for a in content.activities)})
    hits = [Hit("activities/2026-03-06-img/index.html", None, "页面从其他网站加载资源：<img src>: https://x.example/a.png",
                "改", "https://x.example/a.png", "resource")]
    assert [(p.file, p.field) for p in name_records(hits, origins(content))] == [(record, "正文")]


def test_an_events_calendar_file_is_scanned_like_any_text(tmp_path):
    """The .ics files are made from checked records; the scan reads them all the same."""
    (tmp_path / "events").mkdir()
    (tmp_path / "events" / "2026-12-05-drill.ics").write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDESCRIPTION:报名请联系 13912345678\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        encoding="utf-8")
    found = scan_site(tmp_path)
    assert [p.file for p in found] == ["events/2026-12-05-drill.ics"] and "139****5678" in found[0].message
