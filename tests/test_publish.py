"""Publishing: a new release goes live in one switch; a bad record or a bad build never does."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import publish
from community_board.linkcheck import broken_links, resolve
from conftest import DEMO_AS_OF, ROOT, copy_project




def run_publish(project: Path, live: Path, *args: str, cache: Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "BOARD_AS_OF", "SOURCE_DATE_EPOCH")}
    env["BOARD_CACHE"] = str(cache)
    return subprocess.run([sys.executable, str(project / "scripts" / "publish.py"), "--to", str(live),
                           "--as-of", DEMO_AS_OF, *args], env=env, capture_output=True, text=True)


def live_page(live: Path) -> bytes:
    return (live / "current" / "activities" / "2026-03-05-leifeng-visit" / "index.html").read_bytes()


@pytest.mark.build
def test_publish_failed_publish_and_rollback(tmp_path):
    project = copy_project(tmp_path / "project")
    live, cache = tmp_path / "srv", tmp_path / "cache"
    record = project / "content" / "activities" / "2026" / "2026-03-05-leifeng-visit.md"

    first = run_publish(project, live, cache=cache)
    assert first.returncode == 0, first.stderr
    assert "发布成功" in first.stdout
    assert (live / "current").is_symlink()
    release_one = os.readlink(live / "current")
    assert (live / "current" / "index.html").is_file()
    assert "学雷锋走访困难家庭" in live_page(live).decode()

    # A staff member breaks a record: the column does not exist.
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("column: leifeng", "column: leifen"), encoding="utf-8")
    before = live_page(live)
    failed = run_publish(project, live, cache=cache)
    assert failed.returncode == 1
    assert "2026-03-05-leifeng-visit.md" in failed.stderr and "leifen" in failed.stderr
    assert "网站保持原样" in failed.stderr
    assert os.readlink(live / "current") == release_one
    assert live_page(live) == before
    assert publish.releases(live) == [Path(release_one).name]
    assert not list((live / "releases").glob(".staging-*")), "a failed build left its folder behind"

    # Fixed with a new title: the next publish goes live.
    record.write_text(good.replace("title: 学雷锋走访困难家庭", "title: 学雷锋走访居民家庭"), encoding="utf-8")
    second = run_publish(project, live, cache=cache)
    assert second.returncode == 0, second.stderr
    assert os.readlink(live / "current") != release_one
    assert "学雷锋走访居民家庭" in live_page(live).decode()

    back = run_publish(project, live, "--rollback", cache=cache)
    assert back.returncode == 0, back.stderr
    assert os.readlink(live / "current") == release_one
    assert "学雷锋走访困难家庭" in live_page(live).decode()

    # Nothing older to go back to: refused, and the live site stays where it is.
    again = run_publish(project, live, "--rollback", cache=cache)
    assert again.returncode == 1 and "没有更早" in again.stderr
    assert os.readlink(live / "current") == release_one


def fake_build(pages: dict[str, str]):
    def build(project, out_dir, env):
        for name, text in pages.items():
            path = out_dir / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    return build


GOOD_SITE = {"index.html": '<a href="about/">关于</a><script src="assets/a.js"></script>', "about/index.html": '<a href="../">首页</a>',
             "assets/a.js": "", "404.html": '<a href="/board/">首页</a>', "feed.xml": "<feed/>",
             "sitemap.xml": "<urlset/>"}


def test_a_broken_link_keeps_the_old_release_live(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "site_base_path", lambda project, env: "/board/")
    env = {"BOARD_AS_OF": DEMO_AS_OF, "BOARD_CONTENT": str(tmp_path / "no-content")}
    clock = iter([datetime(2026, 11, 25, 0, 10), datetime(2026, 11, 26, 0, 10)])
    monkeypatch.setattr(publish, "build", fake_build(GOOD_SITE))
    good = publish.publish(tmp_path, ROOT, env, now=lambda: next(clock), say=lambda s: None)

    broken = {**GOOD_SITE, "index.html": '<a href="activities/gone/">已删除的活动</a>'}
    monkeypatch.setattr(publish, "build", fake_build(broken))
    with pytest.raises(publish.PublishError) as failure:
        publish.publish(tmp_path, ROOT, env, now=lambda: next(clock), say=lambda s: None)
    assert "activities/gone/" in str(failure.value)
    assert publish.current_release(tmp_path) == good
    assert publish.releases(tmp_path) == [good]


def test_keeps_the_last_five_and_never_the_live_one(tmp_path):
    names = [f"2026112{i}-001000-asof-2026-11-2{i}" for i in range(8)]
    for name in names:
        (tmp_path / "releases" / name).mkdir(parents=True)
    publish.switch(tmp_path, names[1])  # rolled far back
    removed = publish.prune(tmp_path, keep=5)
    assert publish.releases(tmp_path) == [names[1]] + names[3:]
    assert removed == [names[0], names[2]]
    assert publish.current_release(tmp_path) == names[1]


def test_switch_replaces_the_link_in_one_step(tmp_path):
    for name in ("a", "b"):
        (tmp_path / "releases" / name).mkdir(parents=True)
        (tmp_path / "releases" / name / "index.html").write_text(name)
    publish.switch(tmp_path, "a")
    publish.switch(tmp_path, "b")
    assert (tmp_path / "current" / "index.html").read_text() == "b"
    assert os.readlink(tmp_path / "current") == "releases/b"  # relative: the folder can move
    assert sorted(p.name for p in tmp_path.iterdir()) == ["current", "releases"]  # no temp link left


def test_a_real_folder_at_current_is_not_overwritten(tmp_path):
    (tmp_path / "releases" / "a").mkdir(parents=True)
    (tmp_path / "current").mkdir()
    with pytest.raises(publish.PublishError, match="普通文件夹"):
        publish.switch(tmp_path, "a")


def test_a_second_publish_at_the_same_time_is_refused(tmp_path):
    with publish.locked(tmp_path):
        with pytest.raises(publish.PublishError, match="另一次发布"):
            with publish.locked(tmp_path):
                pass


# --- the link checker (also used by the site tests) ------------------------------------------

@pytest.mark.parametrize("page, url, base, target", [
    ("index.html", "about/", "/", "about/"),
    ("activities/x/index.html", "../../columns/a/", "/", "columns/a/"),
    ("activities/x/index.html", "../../assets/p%20q.jpg", "/", "assets/p q.jpg"),
    ("index.html", ".", "/", ""),
    ("404.html", "/board/notices/", "/board/", "notices/"),
    ("404.html", "/elsewhere/", "/board/", "../elsewhere/"),
    ("index.html", "../../outside", "/", "../../outside"),
    ("index.html", "https://example.org/", "/", None),
    ("index.html", "mailto:a@b.c", "/", None),
    ("index.html", "#top", "/", None),
])
def test_resolve(page, url, base, target):
    assert resolve(page, url, base) == target


def test_broken_links_names_page_and_link(tmp_path):
    for name, text in {
        "index.html": '<a href="about/">ok</a><a href="gone/">x</a><a href="https://x.org/">ext</a>',
        "about/index.html": '<picture><source srcset="../a-480.webp 480w, ../b-960.webp 960w"></picture>'
                            '<a href="../#top">top</a>',
        "a-480.webp": "",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = broken_links(tmp_path)
    assert len(found) == 2
    assert any(line.startswith("index.html") and "gone/" in line for line in found)
    assert any(line.startswith("about/index.html") and "b-960.webp" in line for line in found)


def test_the_demo_site_has_no_broken_links(demo_site):
    assert broken_links(demo_site, publish.site_base_path(ROOT, os.environ)) == []
