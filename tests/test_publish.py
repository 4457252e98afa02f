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


# --- faults: the target, signals, what a dead run left behind -------------------------------

import errno
import json
import shutil
import signal
import subprocess as sp
import time


def run_main(monkeypatch, capsys, tmp_path, *args: str, build=None):
    monkeypatch.setenv("BOARD_PUBLISH_STATUS", str(tmp_path / "status" / "publish-status.json"))
    monkeypatch.setenv("BOARD_AS_OF", DEMO_AS_OF)
    monkeypatch.setattr(publish, "site_base_path", lambda project, env: "/board/")
    if build is not None:
        monkeypatch.setattr(publish, "build", build)
    code = publish.main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_to_naming_a_file_is_refused_in_chinese(tmp_path, monkeypatch, capsys):
    target = tmp_path / "site.html"
    target.write_text("x")
    code, out, err = run_main(monkeypatch, capsys, tmp_path, "--to", str(target), build=fake_build(GOOD_SITE))
    assert code == 1
    assert str(target) in err and "是一个文件" in err and "网站保持原样" in err
    assert "Traceback" not in err
    assert target.read_text() == "x"


def test_a_missing_parent_is_named_and_not_created(tmp_path, monkeypatch, capsys):
    target = tmp_path / "srv" / "nowhere" / "board"
    code, out, err = run_main(monkeypatch, capsys, tmp_path, "--to", str(target), build=fake_build(GOOD_SITE))
    assert code == 1
    assert str(target.parent) in err and "不存在" in err and "mkdir -p" in err
    assert not (tmp_path / "srv").exists()


def test_a_failed_run_leaves_a_line_for_check_py(tmp_path, monkeypatch, capsys):
    from community_board.pubstatus import last_failure_line
    target = tmp_path / "file"
    target.write_text("")
    monkeypatch.setenv("BOARD_PUBLISH_LOG", "journalctl -u community-board.service")
    code, _, _ = run_main(monkeypatch, capsys, tmp_path, "--to", str(target), "--scheduled")
    assert code == 1
    line = last_failure_line(tmp_path / "status" / "publish-status.json")
    assert line.startswith("上次自动发布失败：") and "是一个文件" in line and "journalctl" in line
    live = tmp_path / "live"
    code, _, _ = run_main(monkeypatch, capsys, tmp_path, "--to", str(live), "--scheduled", build=fake_build(GOOD_SITE))
    assert code == 0
    assert last_failure_line(tmp_path / "status" / "publish-status.json") is None


@pytest.mark.parametrize("code, words", [
    (errno.EACCES, "没有权限"), (errno.EROFS, "只读"), (errno.ENOSPC, "磁盘已满"), (errno.EDQUOT, "磁盘已满"),
])
def test_each_disk_fault_is_one_chinese_sentence_naming_the_folder(tmp_path, code, words):
    message = publish.os_error_message(OSError(code, os.strerror(code), str(tmp_path / "x")), tmp_path)
    assert words in message and str(tmp_path) in message


def _mount_tmpfs(path: Path, size: str) -> None:
    if os.geteuid() != 0:
        pytest.skip("需要 root 才能挂载测试用的 tmpfs（只读、磁盘已满）")
    path.mkdir()
    done = sp.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"不能挂载 tmpfs：{done.stderr.decode(errors='replace').strip()}")


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "disk"
    _mount_tmpfs(mount, "2m")
    yield mount
    sp.run(["umount", "-l", str(mount)], capture_output=True)


def test_a_read_only_target_keeps_the_live_site(small_disk, tmp_path, monkeypatch, capsys):
    assert run_main(monkeypatch, capsys, tmp_path, "--to", str(small_disk), build=fake_build(GOOD_SITE))[0] == 0
    live = os.readlink(small_disk / "current")
    assert sp.run(["mount", "-o", "remount,ro", str(small_disk)]).returncode == 0
    try:
        code, out, err = run_main(monkeypatch, capsys, tmp_path, "--to", str(small_disk), build=fake_build(GOOD_SITE))
    finally:
        sp.run(["mount", "-o", "remount,rw", str(small_disk)])
    assert code == 1
    assert "只读" in err and str(small_disk) in err and "Traceback" not in err
    assert os.readlink(small_disk / "current") == live


def test_a_full_disk_keeps_the_live_site_and_leaves_no_half_release(small_disk, tmp_path, monkeypatch, capsys):
    assert run_main(monkeypatch, capsys, tmp_path, "--to", str(small_disk), build=fake_build(GOOD_SITE))[0] == 0
    live = os.readlink(small_disk / "current")
    big = {**GOOD_SITE, "assets/big.js": "x" * 3_000_000}
    code, out, err = run_main(monkeypatch, capsys, tmp_path, "--to", str(small_disk), build=fake_build(big))
    assert code == 1
    assert "磁盘已满" in err and str(small_disk) in err and "Traceback" not in err
    assert os.readlink(small_disk / "current") == live
    assert (small_disk / "current" / "index.html").is_file()
    assert publish.releases(small_disk) == [Path(live).name]
    assert not list((small_disk / "releases").glob(".staging-*"))


@pytest.fixture
def open_tmp():
    """A temporary folder other users can enter (pytest's own is root-only)."""
    import tempfile
    base = Path(tempfile.mkdtemp(prefix="board-perm-"))
    os.chmod(base, 0o755)
    yield base
    shutil.rmtree(base, ignore_errors=True)


def test_no_permission_names_the_folder(open_tmp):
    """As the unprivileged user the timer runs as: a forked copy of this process drops to
    nobody (the interpreter under /root is not executable by nobody, so no exec)."""
    if os.geteuid() != 0:
        pytest.skip("需要 root 才能切换成另一个用户（nobody）")
    tmp_path = open_tmp
    target = tmp_path / "srv"
    target.mkdir()
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o777)
    err_file = shared / "stderr.txt"
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        code = 99
        try:
            os.setgid(65534)
            os.setuid(65534)
            os.environ.update(BOARD_AS_OF=DEMO_AS_OF, BOARD_PUBLISH_STATUS=str(shared / "s.json"))
            with open(err_file, "w", encoding="utf-8") as err:
                sys.stderr = err
                code = publish.main(["--to", str(target)])
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    err = err_file.read_text("utf-8")
    assert os.waitstatus_to_exitcode(status) == 1, err
    assert "没有权限" in err and str(target) in err and "Traceback" not in err
    assert "chown" in err
    assert not list(target.iterdir())
    assert '"ok": false' in (shared / "s.json").read_text("utf-8")


def test_a_lock_and_a_staging_folder_left_by_a_dead_run_are_cleared(tmp_path, monkeypatch):
    dead = sp.Popen(["true"])
    dead.wait()
    (tmp_path / publish.LOCK).write_text(str(dead.pid))
    (tmp_path / "releases" / ".staging-20261124-001000-asof-2026-11-24" / "assets").mkdir(parents=True)
    monkeypatch.setattr(publish, "site_base_path", lambda project, env: "/board/")
    monkeypatch.setattr(publish, "build", fake_build(GOOD_SITE))
    said = []
    env = {"BOARD_AS_OF": DEMO_AS_OF}
    name = publish.publish(tmp_path, ROOT, env, say=said.append)
    assert any(f"进程 {dead.pid}" in line and "没有正常结束" in line for line in said)
    assert not list((tmp_path / "releases").glob(".staging-*"))
    assert publish.current_release(tmp_path) == name
    assert (tmp_path / publish.LOCK).read_text() == ""  # a clean end leaves no pid behind


def test_a_new_release_keeps_the_old_hashed_files_and_gzips_text(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "site_base_path", lambda project, env: "/board/")
    clock = iter([datetime(2026, 11, 25, 0, 10), datetime(2026, 11, 26, 0, 10), datetime(2026, 11, 27, 0, 10)])
    env = {"BOARD_AS_OF": DEMO_AS_OF}
    old = {**GOOD_SITE, "assets/photos/0123456789abcdef-480.webp": "A", "index.html": GOOD_SITE["index.html"] + "页" * 300}
    new = {**GOOD_SITE, "assets/photos/fedcba9876543210-480.webp": "B"}
    for site in (old, new, GOOD_SITE):
        monkeypatch.setattr(publish, "build", fake_build(site))
        name = publish.publish(tmp_path, ROOT, env, now=lambda: next(clock), say=lambda s: None)
        if site is new:
            second = tmp_path / "current"
            # A page fetched from the old release just before the switch still finds its photo.
            assert (second / "assets/photos/0123456789abcdef-480.webp").read_text() == "A"
    third = tmp_path / "current"
    assert (third / "assets/photos/fedcba9876543210-480.webp").is_file()  # from the one before
    assert not (third / "assets/photos/0123456789abcdef-480.webp").exists()  # carried once, not for ever
    gz = tmp_path / "releases" / publish.releases(tmp_path)[0] / "index.html.gz"
    import gzip
    assert gzip.decompress(gz.read_bytes()).decode() == old["index.html"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            return True
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return True
        time.sleep(0.1)
    return False


@pytest.mark.build
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_publish_takes_its_build_with_it(tmp_path, sig):
    live = tmp_path / "srv"
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "BOARD_AS_OF", "SOURCE_DATE_EPOCH")}
    env.update(BOARD_PUBLISH_STATUS=str(tmp_path / "status.json"), BOARD_JOBS="1")
    runner = sp.Popen([sys.executable, str(ROOT / "scripts" / "publish.py"), "--to", str(live), "--as-of", DEMO_AS_OF],
                      env=env, stdout=sp.PIPE, stderr=sp.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not _children(runner.pid) and time.monotonic() < deadline:
        time.sleep(0.05)
    kids = _children(runner.pid)
    assert kids, "publish.py started no build"
    time.sleep(1.0)  # the build is under way
    runner.send_signal(sig)
    out, err = runner.communicate(timeout=60)
    assert all(_gone(kid) for kid in kids), "the mkdocs build outlived publish.py"
    assert not (live / "current").exists()
    if sig == signal.SIGTERM:
        assert runner.returncode == 1 and "发布被中止" in err and "Traceback" not in err
        assert not list((live / "releases").glob(".staging-*"))
    else:  # kill -9 can clean nothing; the next run does (test above)
        assert runner.returncode == -signal.SIGKILL


def test_check_py_shows_a_failed_nightly_publish(tmp_path, monkeypatch, capsys):
    import check
    from community_board.pubstatus import write_status
    status = tmp_path / "publish-status.json"
    monkeypatch.setenv("BOARD_PUBLISH_STATUS", str(status))
    write_status(status, {"ok": False, "time": "2026-12-01 00:10", "scheduled": True,
                          "reason": "磁盘已满：发布目录 /srv/community-board 所在的磁盘没有剩余空间。",
                          "log": "journalctl -u community-board.service"})
    assert check.main(["--as-of", DEMO_AS_OF, "--content", str(ROOT / "content")]) == 0
    err = capsys.readouterr().err
    assert "上次自动发布失败：2026-12-01 00:10，原因：磁盘已满" in err and "journalctl" in err
    write_status(status, {"ok": True, "time": "2026-12-02 00:10", "scheduled": True})
    check.main(["--as-of", DEMO_AS_OF, "--content", str(ROOT / "content")])
    assert "发布失败" not in capsys.readouterr().err


def test_help_and_usage_errors_are_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        publish.main(["--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("用法：publish.py") and "显示这段说明后退出" in out and "s3://" in out
    assert "usage:" not in out and "show this help" not in out
    for argv, words in ([[], "缺少必填的参数：--to"], [["--to", "x", "--keep", "many"], "要写整数"],
                        [["--to", "x", "--bogus"], "看不懂这些参数：--bogus"],
                        [["--to", "x", "--rollback", "--list"], "不能和"]):
        with pytest.raises(SystemExit) as done:
            publish.main(argv)
        err = capsys.readouterr().err
        assert done.value.code == 2 and words in err and "用法：" in err, (argv, err)
        assert "error:" not in err and "usage:" not in err


def test_a_rollback_keeps_the_withdrawn_releases_photos_for_pages_already_open(tmp_path, monkeypatch):
    monkeypatch.setattr(publish, "site_base_path", lambda project, env: "/board/")
    clock = iter([datetime(2026, 11, 25, 0, 10), datetime(2026, 11, 26, 0, 10)])
    photo = "assets/photos/fedcba9876543210-480.webp"
    for site in (GOOD_SITE, {**GOOD_SITE, photo: "B"}):
        monkeypatch.setattr(publish, "build", fake_build(site))
        publish.publish(tmp_path, ROOT, {"BOARD_AS_OF": DEMO_AS_OF}, now=lambda: next(clock), say=lambda s: None)
    publish.rollback(tmp_path, say=lambda s: None)
    assert (tmp_path / "current" / photo).read_text() == "B"


@pytest.mark.build
def test_a_real_build_on_a_full_disk_says_so(small_disk, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "BOARD_AS_OF", "SOURCE_DATE_EPOCH")}
    env["BOARD_PUBLISH_STATUS"] = str(tmp_path / "status.json")
    done = sp.run([sys.executable, str(ROOT / "scripts" / "publish.py"), "--to", str(small_disk / "srv"),
                   "--as-of", DEMO_AS_OF], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1
    assert "磁盘已满" in done.stderr and str(small_disk / "srv") in done.stderr and "Traceback" not in done.stderr
    assert not list((small_disk / "srv" / "releases").glob(".staging-*"))
