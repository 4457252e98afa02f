"""The web editor in a real browser (issue 17.6): Debian's Chromium drives the pinned Decap CMS
served by scripts/edit_server.py over a git-initialised copy of the demo project (never the
worktree's own content/). Through the form: an activity with a photo and its consent is created,
shows in the preview and in `git log`; its title is edited; it is deleted after the confirmation;
a record with an ID number turns the open preview into the Chinese problem page by itself.
Every request the pages make goes to our own host."""
from __future__ import annotations

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

from conftest import ROOT, copy_project
from servers import free_port, stop

import fetch_cms

pytestmark = [pytest.mark.browser, pytest.mark.build]

OFFICE = ("白沙井社区办公室", "office@baishajing.example")
ID_NUMBER = "110105197210092156"  # 18 digits, valid check digit
PROBLEMS = "网站暂时没有更新：内容检查发现"
# Decap names a new record with its kind's placeholder (…-huodong); the backend stores it under
# the contract's id: the date and the pinyin of its title
NEW = "content/activities/2026/2026-11-20-dongri-zoufang-songwennuan.md"
PAGE = "activities/2026-11-20-dongri-zoufang-songwennuan/"
NEW_ID_NUMBER = "content/activities/2026/2026-11-20-ruhu-dengji.md"


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""


def _until(predicate, url: str, seconds: float = 30.0) -> tuple[int, str]:
    deadline = time.monotonic() + seconds
    answer = _get(url)
    while not predicate(*answer) and time.monotonic() < deadline:
        time.sleep(0.3)
        answer = _get(url)
    return answer


def _content(page, tries: int = 30) -> str:
    """The HTML of a tab that reloads by itself (live reload): between two documents
    Playwright cannot read it, so wait for the next one and read again."""
    from playwright.sync_api import Error as PlaywrightError

    for _ in range(tries):
        try:
            return page.content()
        except PlaywrightError:
            time.sleep(0.2)
    return page.content()


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


def _jpeg(path: Path) -> bytes:
    """A phone-sized photo (the pipeline makes the web sizes from the original)."""
    from PIL import Image, ImageDraw
    image = Image.new("RGB", (2400, 1600), (180, 110, 60))
    draw = ImageDraw.Draw(image)
    for i in range(0, 2400, 40):
        draw.line([(i, 0), (2400 - i, 1600)], fill=(i % 255, 80, 160), width=7)
    image.save(path, quality=92)
    return path.read_bytes()


@pytest.fixture(scope="module")
def editor(tmp_path_factory):
    """(base URL, project) of edit_server.py on a git copy of the demo."""
    pin = fetch_cms.pinned()
    cms = fetch_cms.vendor_dir(ROOT, pin)
    if not fetch_cms.ready(cms, pin):
        pytest.skip("the CMS bundle is not unpacked: .venv/bin/python scripts/fetch_cms.py (scripts/test.sh runs it)")
    project = copy_project(tmp_path_factory.mktemp("editor-project"))
    (project / "editor").mkdir()
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(ROOT / "editor" / name, project / "editor" / name)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "-c", "user.name=setup", "-c", "user.email=setup@example.org", "commit", "-q", "-m", "初始内容")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in ("SOURCE_DATE_EPOCH", "BOARD_CONTENT")}
    env.update(BOARD_AS_OF="2026-11-25", NO_MKDOCS_2_WARNING="1", BOARD_EDITOR_JS=str(cms),
               BOARD_EDITOR_NAME=OFFICE[0], BOARD_EDITOR_EMAIL=OFFICE[1])
    log = project.parent / "edit_server.log"  # a file, not a pipe nobody reads while the tests run
    with log.open("w", encoding="utf-8") as out:
        proc = subprocess.Popen([sys.executable, str(project / "scripts" / "edit_server.py"), "--addr",
                                 f"127.0.0.1:{port}", "--project", str(project)], cwd=project, env=env,
                                stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        status, _ = _until(lambda s, b: s == 200 or proc.poll() is not None, base, 120)
        assert status == 200, log.read_text(encoding="utf-8")[-3000:]
        yield base, project
    finally:
        stop(proc)


@pytest.fixture
def page(chromium, editor):
    base, _ = editor
    context = chromium.new_context(viewport={"width": 1280, "height": 1000}, locale="zh-CN")
    tab = context.new_page()
    tab.requests = []
    tab.on("request", lambda r: tab.requests.append(r.url))
    yield tab
    foreign = [u for u in tab.requests if not u.startswith((base, "blob:", "data:"))]
    context.close()
    assert foreign == []  # nothing from another host, in the editor or the preview


def _sign_in(page, base: str, where: str) -> None:
    page.goto(base + "admin/#" + where)
    page.get_by_role("button", name="登录").click()


def _publish(page) -> None:
    page.get_by_role("button", name="发布").first.click()
    page.get_by_role("menuitem", name="立即发布").click()
    page.get_by_text("修改已保存").first.wait_for(timeout=15000)


def _new_activity(page, base: str, title: str, body: str, photo: Path | None = None) -> None:
    _sign_in(page, base, "/collections/activities/new")
    page.locator("[id^=title-field]").fill(title)
    page.locator("[id^=date-field]").fill("2026-11-20")
    page.locator("[id^=column-field]").click()
    page.get_by_text("学雷锋志愿服务", exact=True).click()
    if photo is not None:
        page.get_by_role("button", name="新增照片").click()
        page.get_by_role("button", name="选择图片").first.click()
        page.locator("input[type=file]").set_input_files(str(photo))
        page.get_by_role("button", name="选用已选中项目").click()
        page.locator("[id^=caption-field]").fill("志愿者给老人送棉被")
        page.locator("label[for^=consent-field]").first.click()  # the photo's own consent
    page.locator("[data-slate-editor=true]").first.click()
    page.keyboard.type(body)
    _publish(page)


def test_create_edit_and_delete_an_activity_through_the_form(page, editor, tmp_path):
    base, project = editor
    photo = tmp_path / "IMG_2041.jpg"
    original = _jpeg(photo)
    commits = int(git(project, "rev-list", "--count", "HEAD"))

    _new_activity(page, base, "冬日走访送温暖", "社区志愿者给 12 户高龄老人送去棉被。", photo)
    record = project / NEW
    text = record.read_text(encoding="utf-8")
    assert "title: 冬日走访送温暖" in text and "date: 2026-11-20" in text and "column: leifeng" in text
    stored = re.search(r"file: (photos/2026/\S+)", text).group(1)
    assert "consent: true" in text.split(stored, 1)[1].split("\n---", 1)[0]
    assert (project / "content" / stored).read_bytes() == original  # the original, not a resized copy
    assert int(git(project, "rev-list", "--count", "HEAD")) == commits + 1
    log = git(project, "log", "-1", "--format=%an <%ae>%n%s", "--name-only")
    assert log.startswith(f"{OFFICE[0]} <{OFFICE[1]}>\n编辑：{NEW}") and f"content/{stored}" in log
    status, html = _until(lambda s, b: s == 200 and "冬日走访送温暖" in b, base + PAGE)
    assert status == 200 and "冬日走访送温暖" in html and "志愿者给老人送棉被" in html
    assert re.search(r'<img[^>]+src="[^"]*photos/', html)  # the pipeline's copy of the photo

    page.goto(base + "admin/#/collections/activities/entries/2026/2026-11-20-dongri-zoufang-songwennuan")  # as listed
    title = page.locator("[id^=title-field]")
    title.fill("冬日走访送温暖（补记）")
    _publish(page)
    assert "title: 冬日走访送温暖（补记）" in record.read_text(encoding="utf-8")
    assert git(project, "log", "-1", "--format=%s") == f"编辑：{NEW}\n"
    assert _until(lambda s, b: "（补记）" in b, base + PAGE)[0] == 200

    asked = []
    page.once("dialog", lambda d: (asked.append(d.message), d.accept()))
    page.get_by_role("button", name=re.compile("删除")).first.click()
    page.wait_for_url(re.compile(r"#/collections/activities$"), timeout=15000)
    assert asked and "删除" in asked[0]  # deleting asks first
    assert not record.exists()
    assert git(project, "log", "-1", "--format=%s", "--name-only").split() == [f"删除：{NEW}", NEW]
    assert _until(lambda s, b: s == 404, base + PAGE)[0] == 404
    assert git(project, "status", "--porcelain", "content") == ""  # everything saved is committed


def test_a_record_with_an_id_number_turns_the_open_preview_into_the_problem_page(page, chromium, editor):
    base, project = editor
    preview = page.context.new_page()
    preview.goto(base + "activities/")
    preview.evaluate("window.cbStillOpen = true")
    try:
        _new_activity(page, base, "入户登记", f"登记居民身份证号 {ID_NUMBER} 的家庭情况。")
        assert ID_NUMBER in (project / NEW_ID_NUMBER).read_text(encoding="utf-8")  # saved and committed: nothing lost
        assert git(project, "log", "-1", "--format=%s") == f"编辑：{NEW_ID_NUMBER}\n"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and PROBLEMS not in _content(preview):
            time.sleep(0.3)
        text = preview.locator("body").inner_text()
        assert PROBLEMS in text and "2026-11-20-ruhu-dengji.md" in text and "怎么改" in text
        assert ID_NUMBER not in _content(preview)  # the report masks the number it found
        assert preview.evaluate("window.cbStillOpen") is None  # it reloaded by itself
    finally:
        if (project / NEW_ID_NUMBER).exists():
            (project / NEW_ID_NUMBER).unlink()
            git(project, "commit", "-q", "-m", "测试：删掉", "--", NEW_ID_NUMBER)
        preview.close()  # a tab still reloading by itself when its context closes can hang the teardown
    assert _until(lambda s, b: s == 200 and PROBLEMS not in b, base)[0] == 200
