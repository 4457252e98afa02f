"""Same content + same BOARD_AS_OF = the same bytes, whatever the clock, folder, cache or time zone."""
from __future__ import annotations

import gzip
import os
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, build_site

pytestmark = pytest.mark.build


def tree_bytes(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def without_live_reload(served: dict[str, bytes]) -> dict[str, bytes]:
    """A serve build as a build would be: serve alone links its live reload (livereload.js)."""
    import re
    tag = re.compile(rb'\n\s*<script src="[^"]*assets/board/livereload\.js" defer></script>')
    return {p: tag.sub(b"", data) if p.endswith(".html") else data
            for p, data in served.items() if p != "assets/board/livereload.js"}


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


def test_a_serve_rebuild_after_an_edit_equals_a_cold_build(tmp_path):
    """`mkdocs serve` reuses earlier results; after an edit its output must be exactly what a
    fresh build of the edited content gives, byte for byte."""
    import subprocess
    import sys
    from conftest import copy_project
    project = copy_project(tmp_path / "project")
    record = project / "content/activities/2026/2026-03-05-leifeng-visit.md"
    code = (
        "import sys, pathlib\n"
        "from mkdocs.config import load_config\n"
        "from mkdocs.commands.build import build\n"
        "cfg = lambda out: load_config(sys.argv[1], site_dir=out)\n"
        "first = cfg(sys.argv[2]); first.plugins.on_startup(command='serve', dirty=False); build(first)\n"
        "record = pathlib.Path(sys.argv[4])\n"
        "record.write_text(record.read_text(encoding='utf-8').replace('走访', '登门走访'), encoding='utf-8')\n"
        "footer = pathlib.Path(sys.argv[5])\n"  # a template edit must reach every reused page
        "footer.write_text(footer.read_text(encoding='utf-8').replace('</div>', '<p>欢迎来访</p></div>'), encoding='utf-8')\n"
        "build(cfg(sys.argv[3]))\n")
    env = dict(os.environ, BOARD_AS_OF=DEMO_AS_OF, NO_MKDOCS_2_WARNING="1", BOARD_CACHE=str(tmp_path / "cache"))
    env.pop("BOARD_CONTENT", None)
    subprocess.run([sys.executable, "-c", code, str(project / "mkdocs.yml"), str(tmp_path / "first"),
                    str(tmp_path / "rebuilt"), str(record), str(project / "overrides/partials/copyright.html")],
                   env=env, check=True, capture_output=True)
    result = build_site(tmp_path / "cold", DEMO_AS_OF, project=project,
                        extra_env={"BOARD_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    rebuilt, cold = without_live_reload(tree_bytes(tmp_path / "rebuilt")), tree_bytes(tmp_path / "cold")
    assert sorted(rebuilt) == sorted(cold)
    assert [p for p in cold if rebuilt[p] != cold[p]] == []
    assert "登门走访" in rebuilt["activities/2026-03-05-leifeng-visit/index.html"].decode()
    assert "欢迎来访" in rebuilt["notices/index.html"].decode()
    first = tree_bytes(tmp_path / "first")
    assert first["activities/2026-03-05-leifeng-visit/index.html"] != rebuilt["activities/2026-03-05-leifeng-visit/index.html"]
