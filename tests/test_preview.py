"""The preview shows the check's problems instead of hanging (issue 17, point 3).

A real `mkdocs serve` on a copy of the project with the small fixture content: a record that
breaks a rule turns every address of the preview into the Chinese problem page within
seconds; fixing it brings the site back. Nothing of it reaches the project's site/, and
`mkdocs build` still fails.
"""
from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import ContentTree, build_site, copy_project
from servers import free_port, stop

pytestmark = pytest.mark.build

ID_NUMBER = "110105197210092156"  # 18 digits, valid check digit
HEADING = "网站暂时没有更新：内容检查发现"
RECORD = "content/activities/2026/2026-03-05-leifeng-visit.md"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=20) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


def _text(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def _until(predicate, url: str, seconds: float = 15.0) -> tuple[int, str]:
    """GET url until predicate(status, body) holds; the last answer (the test then asserts)."""
    deadline = time.monotonic() + seconds
    answer = (0, "")
    while time.monotonic() < deadline:
        answer = _get(url)
        if predicate(*answer):
            break
        time.sleep(0.3)
    return answer


def _shows_problems(status, body):
    return HEADING in body


def _normal(status, body):
    return status == 200 and HEADING not in body and "夏家桥社区" in body


@pytest.fixture(scope="module")
def serving(tmp_path_factory):
    """`mkdocs serve` (with its livereload) of a project copy; (base URL, content tree, project)."""
    project = copy_project(tmp_path_factory.mktemp("preview-project"))
    shutil.rmtree(project / "content")  # the small fixture instead of the demo, where serve watches
    tree = ContentTree(project)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(BOARD_AS_OF="2026-11-25", NO_MKDOCS_2_WARNING="1", BOARD_CONTENT=str(tree.dir))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(project / "mkdocs.yml")], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                if _get(base)[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        assert proc.poll() is None, proc.stderr.read()[-3000:]
        yield base, tree, project
    finally:
        stop(proc)


def test_a_broken_record_shows_its_problems_at_every_address_then_the_site_comes_back(serving):
    base, tree, project = serving
    status, body = _get(base)
    assert _normal(status, body)
    assert _normal(*_get(base + "activities/"))
    record = tree.dir / RECORD.removeprefix("content/")
    good = record.read_text(encoding="utf-8")

    # an ID number in the body, and a missing title: both listed, with file, field and fix
    record.write_text(good.replace("title: 学雷锋走访居民家庭\n", "").replace(
        "走访了", f"走访了身份证号 {ID_NUMBER} 的居民和"), encoding="utf-8")
    for url in (base, base + "activities/", base + "no/such/page/"):
        status, body = _until(_shows_problems, url)
        assert HEADING in body, (url, status, body[:500])
        text = _text(body)
        assert "2026-03-05-leifeng-visit.md" in text and "字段「title」" in text and "怎么改" in text
        assert ID_NUMBER not in body  # the report masks the number it found
        assert re.search(r"内容检查发现 (\d+) 处问题", text).group(1) == str(body.count("<li>")) != "1"
        assert "http://" not in body.replace(base, "") and "https://" not in body
    assert _until(lambda s, b: s == 200 and HEADING in b, base)[0] == 200
    assert "livereload" in _get(base)[1]  # MkDocs' live reload keeps running: it refreshes when fixed

    record.write_text(good, encoding="utf-8")
    for url in (base, base + "activities/"):
        assert _normal(*_until(_normal, url)), url
    assert not (project / "site").exists() and not list(project.glob(".site*"))


def test_a_problem_text_is_escaped_on_the_page(serving):
    base, tree, project = serving
    record = tree.dir / RECORD.removeprefix("content/")
    good = record.read_text(encoding="utf-8")
    record.write_text(good.replace("column: leifeng", "column: <b>x</b>"), encoding="utf-8")
    try:
        status, body = _until(_shows_problems, base)
        assert HEADING in body and "<b>x</b>" not in body and "&lt;b&gt;x&lt;/b&gt;" in body
    finally:
        record.write_text(good, encoding="utf-8")
    assert _normal(*_until(_normal, base))


def test_mkdocs_build_still_fails_and_writes_no_problem_page(tmp_path):
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    tree = ContentTree(project)
    tree.activity("2026-04-01-broken", extra=f"location: 身份证 {ID_NUMBER}\n")
    out = project / "site"
    result = build_site(out, content=tree.dir, project=project)
    assert result.returncode == 1
    assert "内容检查未通过" in result.stderr
    written = [p for p in out.rglob("*")] if out.exists() else []
    assert written == []
    assert not any(HEADING in p.read_text(encoding="utf-8", errors="replace")
                   for p in project.rglob("*.html") if "overrides" not in p.parts)
