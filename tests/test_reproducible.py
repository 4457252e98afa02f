"""Same content + same BOARD_AS_OF = the same bytes, whatever the clock, folder, cache or time zone."""
from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, build_site

pytestmark = pytest.mark.build


def tree_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(demo_site, tmp_path):
    # The second build differs in what must not matter: another output folder, a cold photo
    # cache (every image encoded again), another time zone, a later clock time; neither build
    # has SOURCE_DATE_EPOCH (build_site removes it), so nothing relies on it.
    other = tmp_path / "again"
    result = build_site(other, DEMO_AS_OF, extra_env={"BOARD_CACHE": str(tmp_path / "cold-cache"),
                                                        "TZ": "America/Los_Angeles"})
    assert result.returncode == 0, result.stderr[-3000:]
    first, second = tree_bytes(demo_site), tree_bytes(other)
    assert sorted(first) == sorted(second), "the two builds have different files"
    differing = [name for name in first if first[name] != second[name]]
    assert differing == [], f"files differ between two builds: {differing[:10]}"
    # The files most likely to carry a clock: each one exists and was compared above.
    kinds = {Path(name).suffix for name in first}
    assert {".xml", ".gz", ".webp", ".jpg", ".html"} <= kinds
    assert "sitemap.xml.gz" in first and "feed.xml" in first


def test_sitemap_dates_come_from_the_records(demo_site):
    raw = (demo_site / "sitemap.xml.gz").read_bytes()
    # gzip's MTIME field (bytes 4-8) is the newest page date, not the time of the build.
    assert int.from_bytes(raw[4:8], "little") <= 1795564800  # 2026-11-25 00:00 UTC
    assert gzip.decompress(raw) == (demo_site / "sitemap.xml").read_bytes()
