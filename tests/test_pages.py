"""Page layout helpers: links between pages must work under any base path."""
from __future__ import annotations

import posixpath

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
