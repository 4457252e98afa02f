"""Shared fixtures: a small, valid Chinese community written into tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

COMMUNITY = """\
name: 夏家桥社区
full_name: 南浔镇夏家桥社区居民委员会
phone: 0572-3012 345
office_hours: 周一至周五 8:30-17:00
figures: {households: 3000, residents: 11000}
boundaries: {东: 迎宾路, 南: 港城大街}
columns:
  - {slug: leifeng, title: 学雷锋志愿服务}
  - {slug: environment, title: 环境整治}
footer: {icp: 浙ICP备12345678号-1}
"""

ACTIVITY = """\
---
title: 学雷锋走访居民家庭
date: 2026-03-05
column: leifeng
location: 社区服务中心
organizers: [社区居委会]
stats: {{households_visited: 20, volunteers: 8}}
{extra}---
3月5日，社区主任带领社区干部走访了 20 户居民家庭。
"""


class ContentTree:
    """A throwaway content/ folder; tests add or break files in it."""

    def __init__(self, root: Path):
        self.root = root
        self.dir = root / "content"
        self.write("community.yml", COMMUNITY)
        self.activity("2026-03-05-leifeng-visit")
        self.write("notices/2026-03-01-water.md", "---\ntitle: 停水通知\ndate: 2026-03-01\nexpires: 2026-03-10\n---\n3月2日停水。\n")
        self.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 星级文明家庭, kind: family, name: 施福生家庭, stars: 5, consent: true}\n")
        self.write("slogans.yml", "slogans:\n  - {text: 邻里守望，大家相帮}\nmaxims:\n  - {text: 家和万事兴, by: 王利华家庭}\n")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def activity(self, stem: str, extra: str = "", text: str | None = None) -> Path:
        year = stem[:4]
        body = text if text is not None else ACTIVITY.replace("2026-03-05", stem[:10]).format(extra=extra)
        return self.write(f"activities/{year}/{stem}.md", body)


@pytest.fixture
def tree(tmp_path: Path) -> ContentTree:
    return ContentTree(tmp_path)


# --- building the demo site -----------------------------------------------------------------

import os
import subprocess
import sys

ROOT = Path(__file__).resolve().parent.parent
DEMO_AS_OF = "2026-11-25"
_BUILDS: dict[tuple, Path] = {}


PROJECT_PARTS = ("content", "docs", "hooks", "overrides", "scripts", "mkdocs.yml")


def copy_project(dest: Path) -> Path:
    """A throwaway copy of the project (no caches) that a test may break."""
    import shutil
    dest.mkdir(parents=True, exist_ok=True)
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=shutil.ignore_patterns("__pycache__", ".cache"))
        else:
            shutil.copy2(src, dest / part)
    return dest


def build_site(out: Path, as_of: str = DEMO_AS_OF, content: Path | None = None,
               project: Path = ROOT, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`mkdocs build --strict` of a project into `out`, as a user would run it."""
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "SOURCE_DATE_EPOCH")}
    env.update(BOARD_AS_OF=as_of, NO_MKDOCS_2_WARNING="1")
    if content is not None:
        env["BOARD_CONTENT"] = str(content)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out),
                           "-f", str(project / "mkdocs.yml")], env=env, capture_output=True, text=True)


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo community built once per test session as of DEMO_AS_OF."""
    return built_demo(tmp_path_factory, DEMO_AS_OF)


def built_demo(tmp_path_factory, as_of: str) -> Path:
    key = (as_of,)
    if key not in _BUILDS:
        out = tmp_path_factory.mktemp(f"site-{as_of}")
        result = build_site(out, as_of)
        assert result.returncode == 0, result.stderr[-3000:]
        _BUILDS[key] = out
    return _BUILDS[key]


# --- one Chromium for the session -------------------------------------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright, shared by every test that needs a browser:
    Playwright's sync API allows one running instance per thread, so a second
    sync_playwright() beside a session-wide one would fail."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not CHROMIUM.exists():
        pytest.skip("Debian's Chromium is not installed at /usr/bin/chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
