"""Page layout helpers: links between pages must work under any base path."""
from __future__ import annotations

import posixpath
import re

from hypothesis import given, strategies as st

from community_board.pages import rel, url_of

segment = st.sampled_from(["activities", "boards", "2026-q1", "page", "2", "x", "assets", "photos"])
directory = st.lists(segment, max_size=4).map(lambda parts: "".join(p + "/" for p in parts))
target = st.one_of(directory, st.tuples(directory, st.sampled_from(["a.jpg", "feed.xml"])).map("".join))


@given(here=directory, to=target)
def test_relative_links_land_where_the_site_root_link_would(here, to):
    link = rel(here, to)
    landed = posixpath.normpath(posixpath.join("/" + here, link))
    assert landed == posixpath.normpath("/" + to)
    assert link.endswith("/") == (to == "" or to.endswith("/"))


def test_source_paths_become_directory_urls():
    assert url_of("index.md") == ""
    assert url_of("activities/index.md") == "activities/"
    assert url_of("activities/2026-03-05-x.md") == "activities/2026-03-05-x/"
    assert url_of("columns/leifeng/page/2.md") == "columns/leifeng/page/2/"


def _site(tree, day):
    from datetime import date as _date
    from community_board.content import load_content
    from community_board.pages import Site
    content = load_content(tree.dir, _date.fromisoformat(day))
    return {p.src_uri: p for p in Site(content, lambda *a: "").build()}


def _marked(spec) -> bool:
    from community_board.pages import NEW_MARK
    return NEW_MARK in spec.as_markdown()


def test_new_mark_follows_the_records_dates_not_the_clock(tree):
    """新 on records published within seven days of the as-of date, from the date or, when the
    record has one, its publish date: the same content built on another day marks others."""
    tree.activity("2026-03-10-recent")
    tree.activity("2026-03-01-old")
    tree.activity("2026-02-20-late", extra="publish: 2026-03-12\n")
    tree.write("notices/2026-03-14-meeting.md", "---\ntitle: 议事会通知\ndate: 2026-03-14\n---\n议事。\n")
    pages = _site(tree, "2026-03-17")
    assert _marked(pages["activities/2026-03-10-recent.md"])       # 7 days
    assert not _marked(pages["activities/2026-03-01-old.md"])      # 16 days
    assert _marked(pages["activities/2026-02-20-late.md"])         # published 5 days ago
    assert _marked(pages["notices/2026-03-14-meeting.md"])
    assert not _marked(pages["activities/2026-03-05-leifeng-visit.md"])  # 12 days
    home = pages["index.md"].as_markdown()
    assert home.count("cb-new") == 2 + 1  # two activity cards and the notice
    later = _site(tree, "2026-03-19")
    assert not _marked(later["activities/2026-03-10-recent.md"])   # 9 days
    assert _marked(later["notices/2026-03-14-meeting.md"])


def test_home_lists_current_notices_before_the_activities(tree):
    tree.write("notices/2026-03-14-meeting.md", "---\ntitle: 议事会通知\ndate: 2026-03-14\n---\n议事。\n")
    home = _site(tree, "2026-03-17")["index.md"].as_markdown()
    assert home.index("议事会通知") < home.index('id="activities"')


def test_home_shows_the_newest_notices_and_links_to_the_rest(tree):
    from community_board.pages import HOME_NOTICES
    for day in range(1, HOME_NOTICES + 3):
        tree.write(f"notices/2026-03-{day + 10:02d}-n{day}.md", f"---\ntitle: 通知第{day}号\ndate: 2026-03-{day + 10:02d}\n---\n正文。\n")
    home = _site(tree, "2026-03-17")["index.md"].as_markdown()
    listed = [int(n) for n in re.findall(r">通知第(\d+)号<", home)]
    assert listed == list(range(HOME_NOTICES + 2, 2, -1))  # newest first, HOME_NOTICES of them
    assert f'全部 {HOME_NOTICES + 2} 条公告</a>' in home and 'href="notices/"' in home
