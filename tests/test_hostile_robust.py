"""Hostile inputs that used to crash or hang the tools (issue 14, point 4): each is refused by
check.py and by `mkdocs build` alike, in Chinese, naming the file or the setting; never a
traceback, a signal or a hang; nothing of it reaches an output file.

Every record-level case is a file of its own in one shared tree: both tools report every
problem of a run, so one check and one build carry all their markers.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import DEMO_AS_OF, ROOT, ContentTree
from hostile import Case, Run, leaks, problem_keys, write_case

pytestmark = pytest.mark.build

TIMEOUT = 240  # seconds: a named pipe once hung both tools for ever
N = 100_000


def _activity(stem: str, front: str, body: str = "正文。\n") -> tuple[str, str]:
    return (f"activities/{stem[:4]}/{stem}.md",
            f"---\n{front}\ndate: {stem[:10]}\ncolumn: leifeng\n---\n{body}")


def _act(case_id: str, stem: str, front: str, body: str = "正文。\n", note: str = "") -> Case:
    rel, text = _activity(stem, front, body)
    return Case(case_id, {rel: text}, names=f"content/{rel}", note=note)


def _fifo(path: Path) -> None:
    os.mkfifo(path)


def _socket(path: Path) -> None:
    s = socket.socket(socket.AF_UNIX)
    s.bind(str(path))
    s.close()


def _link_to(target_of: str, make_target: str | None = None):
    """A symlink to a path relative to the tree's root (outside content/), made first."""
    def make(path: Path) -> None:
        root = path
        while root.name != "content":
            root = root.parent
        target = root.parent / target_of
        if make_target is not None:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(make_target.replace("{m}", _marker_of(path)), encoding="utf-8")
        path.symlink_to(target)
    return make


def _marker_of(path: Path) -> str:
    return next(c.marker for c in REFUSED if any(str(path).endswith(rel) for rel in c.files))


def _link_dir_outside(path: Path) -> None:
    outside = path.parents[2] / "outside-folder"
    (outside).mkdir(parents=True, exist_ok=True)
    (outside / "2027-01-02-away.md").write_text(
        f"---\ntitle: 外面的记录 {_marker_of(path)}\ndate: 2027-01-02\ncolumn: leifeng\n---\n正文\n", encoding="utf-8")
    path.symlink_to(outside, target_is_directory=True)


LAUGHS = "year: 2011\nlol0: &a0 [\"{m}\"]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 9)}]\n" for i in range(1, 10)) + "honors: *a9\n"

REFUSED = [
    # --- YAML anchors, aliases, tags and nesting
    Case("yaml-billion-laughs", {"honors/2011.yml": LAUGHS}, names="content/honors/2011.yml"),
    _act("yaml-anchor-alias", "2026-03-11-anchor", "title: &t 学雷锋{m}\nsummary: *t"),
    Case("yaml-merge-key", {"honors/2012.yml": "year: 2012\nbase: &b {kind: family, stars: 5}\nhonors:\n"
                                                 "  - {<<: *b, title: 文明家庭, name: {m}家庭, consent: true}\n"},
         names="content/honors/2012.yml"),
    _act("yaml-undefined-alias", "2026-03-12-alias", "title: *{m}"),
    _act("yaml-anchor-only", "2026-03-13-anchoronly", "title: &x 学雷锋{m}"),
    _act("yaml-deep-flow-title", "2026-03-14-deepflow", "title: {m}" + "[" * N),
    Case("yaml-deep-flow-map", {"honors/2013.yml": "year: 2013\nhonors: " + "{a: " * N + "{m}"},
         names="content/honors/2013.yml"),
    Case("yaml-deep-block", {"honors/2014.yml": "year: 2014\nhonors:\n" + "".join(
        "  " * i + "-\n" for i in range(300)) + "  " * 300 + "- {m}\n"}, names="content/honors/2014.yml"),
    Case("yaml-deep-slogans", {"slogans.yml": "slogans: " + "[" * N + "{m}" + "]" * N + "\n"},
         names="content/slogans.yml"),
    _act("yaml-python-tag", "2026-03-15-pytag", "title: !!python/object/apply:os.system [\"echo {m}\"]"),
    _act("yaml-binary-tag", "2026-03-16-bintag", "title: !!binary SFhZQUFR\nsummary: {m}"),
    # --- nesting bounded before Markdown and jieba
    _act("md-title-brackets", "2026-03-17-titlebr", "title: \"{m}" + "[" * N + "\""),
    _act("md-summary-parens", "2026-03-18-sumpar", "title: 学雷锋\nsummary: \"{m}" + "(" * 5000 + "\""),
    _act("md-body-brackets", "2026-03-19-bodybr", "title: 学雷锋{m}", "[" * N + "\n"),
    _act("md-body-links", "2026-03-20-bodylinks", "title: 学雷锋{m}", "[a](" * 20000 + "\n"),
    _act("md-body-quotes", "2026-03-21-quotes", "title: 学雷锋{m}", ">" * N + " 引用\n"),
    _act("md-body-spaced-quotes", "2026-03-22-quotes2", "title: 学雷锋{m}", "> " * 5000 + "引用\n"),
    _act("md-body-deep-list", "2026-03-23-deeplist", "title: 学雷锋{m}",
         "".join("    " * i + "- 项\n" for i in range(300))),
    _act("md-body-compact-list", "2026-03-24-compact", "title: 学雷锋{m}", "- " * N + "项\n"),
    _act("md-body-emphasis", "2026-03-25-emph", "title: 学雷锋{m}", "*" * N + "强调" + "*" * N + "\n"),
    _act("md-body-mixed-emphasis", "2026-03-26-emph2", "title: 学雷锋{m}", "*_" * 5000 + "强调\n"),
    Case("md-notice-body", {"notices/2026-03-03-deep.md": "---\ntitle: 通知{m}\ndate: 2026-03-03\n---\n"
                                                          + "[" * N + "\n"}, names="content/notices/2026-03-03-deep.md"),
    Case("md-honor-story", {"honors/2015.yml": "year: 2015\nhonors:\n  - {title: 好人, kind: person, name: 李{m}, "
                                                 "consent: true, story: \"" + ">" * 3 + "[" * 5000 + "\"}\n"},
         names="content/honors/2015.yml"),
    _act("md-body-angles", "2026-03-31-angles", "title: 学雷锋{m}", "a<b" * N + "\n",
         note="Python-Markdown's inline HTML scan is quadratic in `<`: this never finished"),
    _act("md-body-inline-tags", "2026-04-04-spans", "title: 学雷锋{m}", "<span>" * 20000 + "\n"),
    # --- sizes
    _act("md-body-too-long", "2026-04-05-long", "title: 学雷锋{m}", "# 标题 {: #a}\n" * 20000,
         note="repeated headings with one id: Python-Markdown's toc makes unique ids in quadratic time"),
    _act("md-title-too-long", "2026-04-06-longtitle", "title: " + "学" * 70000 + "{m}"),
    _act("huge-record", "2026-03-27-huge", "title: 学雷锋{m}", "社区志愿者走访居民。\n" * 120_000),
    Case("huge-yaml", {"honors/2016.yml": "year: 2016\nhonors:\n" + "  - {title: 好人, kind: person, name: 张三, consent: true}\n" * 30_000
                       + "# {m}\n"}, names="content/honors/2016.yml"),
    # --- files that are not regular files, or links leaving content/
    Case("fifo-md", {"activities/2026/2026-03-28-pipe.md": _fifo}, names="content/activities/2026/2026-03-28-pipe.md"),
    Case("fifo-yml", {"honors/2017.yml": _fifo}, names="content/honors/2017.yml"),
    Case("fifo-notice", {"notices/x.md": _fifo}, names="content/notices/x.md"),
    Case("fifo-community", {"boards/2026-q2.yml": _fifo}, names="content/boards/2026-q2.yml"),
    Case("socket-md", {"activities/2026/s.md": _socket}, names="content/activities/2026/s.md"),
    Case("symlink-record-outside", {"activities/2026/2026-03-29-link.md": _link_to(
        "outside/2026-03-29-link.md", "---\ntitle: 外部{m}\ndate: 2026-03-29\ncolumn: leifeng\n---\n正文\n")},
         names="content/activities/2026/2026-03-29-link.md"),
    Case("symlink-yaml-outside", {"honors/2018.yml": _link_to(
        "outside/2018.yml", "year: 2018\nhonors:\n  - {title: 好人, kind: person, name: {m}, consent: true}\n")},
         names="content/honors/2018.yml"),
    Case("symlink-etc-passwd", {"notices/2026-03-04-passwd.md": lambda p: p.symlink_to("/etc/passwd")},
         forbidden=(b"root:x:0:0",), names="content/notices/2026-03-04-passwd.md"),
    Case("symlink-dangling", {"honors/2019.yml": lambda p: p.symlink_to(p.parent / "nowhere-{}.yml".format(os.getpid()))},
         names="content/honors/2019.yml"),
    Case("symlink-folder-outside", {"activities/2027": _link_dir_outside}, names="content/activities/2027"),
    Case("symlink-top-level", {"extra": lambda p: p.symlink_to("/etc", target_is_directory=True)},
         forbidden=(b"root:x:0:0",), names="content/extra"),
    # --- bytes that are not text
    _act("nul-bytes", "2026-03-30-nul", "title: 学雷锋{m}", "正文\x00\x00正文\n"),
    Case("invalid-utf8", {"honors/2020.yml": b"year: 2020\nhonors:\n  - {title: \xff\xfe\xc3, kind: person, name: HXINVALIDUTF8Q, consent: true}\n"},
         names="content/honors/2020.yml"),
    # --- what content/ may hold
    Case("unknown-top-file", {"README.txt": "说明 {m}"}, names="content/README.txt"),
    Case("unknown-top-folder", {"stuff/notes.md": "---\ntitle: {m}\n---\n"}, names="content/stuff"),
]


def _env() -> dict:
    return {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "SOURCE_DATE_EPOCH", "BOARD_AS_OF")}


def check(content: Path, args: list[str] | None = None, env: dict | None = None) -> Run:
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "check.py"), "--content", str(content),
                           *(args if args is not None else ["--as-of", DEMO_AS_OF])],
                          env={**_env(), **(env or {})}, capture_output=True, text=True, timeout=TIMEOUT)
    return Run(done.returncode, done.stdout + done.stderr)


def build(content: Path, out: Path, env: dict) -> Run:
    """`mkdocs build --strict` as a user runs it, with a timeout (hostile.run_build has none)."""
    full = {**_env(), "BOARD_AS_OF": DEMO_AS_OF, "NO_MKDOCS_2_WARNING": "1", "BOARD_CONTENT": str(content), **env}
    full = {k: v for k, v in full.items() if v is not None}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(out),
                           "-f", str(ROOT / "mkdocs.yml")], env=full, capture_output=True, text=True, timeout=TIMEOUT)
    return Run(done.returncode, done.stdout + done.stderr)


@pytest.fixture(scope="module")
def refused(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-robust")
    tree = ContentTree(root)
    for case in REFUSED:
        write_case(tree, case)
    out = root / "site"
    cache = {"BOARD_CACHE": str(root / "cache"), "BOARD_SHARE_CACHE": str(root / "share")}
    return check(tree.dir), build(tree.dir, out, cache), out


def test_the_cases_are_many_and_their_markers_unique():
    markers = [c.marker for c in REFUSED]
    assert len(REFUSED) >= 30 and len(set(markers)) == len(markers)


@pytest.mark.parametrize("case", REFUSED, ids=lambda c: c.id)
def test_each_hostile_file_is_refused_by_both_tools_naming_it(refused, case):
    checked, built, out = refused
    for run in (checked, built):
        assert not run.crashed, run.output[-3000:]
        assert run.returncode != 0
        assert case.names in run.output, (case.id, run.output[-3000:])
    assert not leaks(out, case.forbidden_bytes())


def test_both_tools_report_the_same_problems_and_stay_small(refused):
    checked, built, out = refused
    assert problem_keys(checked.output) == problem_keys(built.output)
    assert "共发现" in checked.output and "共发现" in built.output
    # a billion laughs or a megabyte file is never quoted back in full
    assert len(checked.output) < 200_000 and len(built.output) < 200_000
    assert not out.exists()  # a refused build leaves no site behind


# --- what must still build: line ends and byte-order marks of Windows editors, links inside ---

def _link_inside(path: Path) -> None:
    store = path.parents[1] / ".store"  # hidden: never read as a record of its own
    store.mkdir(exist_ok=True)
    (store / "2025.yml").write_text("year: 2025\nhonors:\n  - {title: 好邻居, kind: person, name: HXLINKINSIDEQ, "
                                     "consent: true}\n", encoding="utf-8")
    path.symlink_to(Path("..") / ".store" / "2025.yml")


def _bytes_case(case_id: str, rel: str, text: str) -> Case:
    """write_case puts the marker into text only: these files are bytes, so it goes in here."""
    return Case(case_id, {rel: text.replace("{m}", Case(case_id, {}).marker).encode("utf-8")})


ACCEPTED = [
    _bytes_case("bom-crlf", "activities/2026/2026-04-01-bom.md",
                "\ufeff---\r\ntitle: 学雷锋{m}\r\ndate: 2026-04-01\r\ncolumn: leifeng\r\n---\r\n正文。\r\n"),
    _bytes_case("cr-only", "notices/2026-04-02-cr.md", "---\rtitle: 通知{m}\rdate: 2026-04-02\r---\r正文。\r"),
    Case("link-inside", {"honors/2025.yml": _link_inside}),
    Case("shallow-nesting", {"activities/2026/2026-04-03-shallow.md":
                             "---\ntitle: 学雷锋[第1期]（{m}）\ndate: 2026-04-03\ncolumn: leifeng\n---\n"
                             "> 引用\n>> 二层\n\n- 一\n    - 二\n        - 三\n\n**加粗** *强调* ***都有***\n\n******\n"}),
]


def test_windows_line_ends_boms_and_links_inside_content_still_build(tmp_path):
    tree = ContentTree(tmp_path)
    for case in ACCEPTED:
        write_case(tree, case)
    checked = check(tree.dir)
    assert checked.returncode == 0, checked.output[-3000:]
    out = tmp_path / "site"
    built = build(tree.dir, out, {"BOARD_CACHE": str(tmp_path / "cache"), "BOARD_SHARE_CACHE": str(tmp_path / "share")})
    assert built.returncode == 0, built.output[-3000:]
    for case in ACCEPTED:  # each shows on the site as text
        assert leaks(out, [case.marker.encode()]), case.id


# --- settings: the as-of date and the caches -------------------------------------------------

BAD_DAYS = ["9999-12-31", "0001-01-01", "1999-12-31", "2100-01-01", "2026-02-30", "garbage{m}", "20261125"]
BAD_EPOCHS = ["99999999999999999", "-99999999999", "-1", "946655999", "4102444800", "1e9", "{m}"]


@pytest.fixture(scope="module")
def small_tree(tmp_path_factory):
    return ContentTree(tmp_path_factory.mktemp("hostile-settings"))


def _no_crash_says(run: Run, *words: str) -> None:
    assert not run.crashed, run.output[-3000:]
    assert run.returncode != 0, run.output[-2000:]
    for word in words:
        assert word in run.output, run.output[-2000:]
    assert "不在 2000 至 2099 年之间" in run.output or "不是" in run.output, run.output[-2000:]


@pytest.mark.parametrize("day", BAD_DAYS)
def test_an_as_of_date_outside_the_years_or_malformed_is_refused_in_chinese(small_tree, tmp_path, day):
    day = day.replace("{m}", "HXASOFQ")
    _no_crash_says(check(small_tree.dir, ["--as-of", day]), "--as-of")
    _no_crash_says(check(small_tree.dir, [], {"BOARD_AS_OF": day}), "BOARD_AS_OF")
    _no_crash_says(build(small_tree.dir, tmp_path / "site", {"BOARD_AS_OF": day}), "BOARD_AS_OF")


@pytest.mark.parametrize("epoch", BAD_EPOCHS)
def test_a_source_date_epoch_outside_the_years_or_malformed_is_refused_in_chinese(small_tree, tmp_path, epoch):
    epoch = epoch.replace("{m}", "HXEPOCHQ")
    _no_crash_says(check(small_tree.dir, [], {"SOURCE_DATE_EPOCH": epoch}), "SOURCE_DATE_EPOCH")
    _no_crash_says(build(small_tree.dir, tmp_path / "site", {"BOARD_AS_OF": None, "SOURCE_DATE_EPOCH": epoch}),
                   "SOURCE_DATE_EPOCH")


@pytest.mark.parametrize("variable", ["BOARD_CACHE", "BOARD_SHARE_CACHE", "BOARD_BUILD_CACHE"])
def test_an_unwritable_cache_names_the_folder_and_what_to_do(small_tree, tmp_path, variable):
    """Tests run as root, whom chmod does not stop: a folder under a regular file cannot be made."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    folder = blocker / "cache"
    env = {"BOARD_CACHE": str(tmp_path / "cache"), "BOARD_SHARE_CACHE": str(tmp_path / "share"), variable: str(folder)}
    run = build(small_tree.dir, tmp_path / "site", env)
    assert not run.crashed, run.output[-3000:]
    assert run.returncode != 0
    assert str(folder) in run.output and variable in run.output and "无法写入缓存文件夹" in run.output
    assert not (tmp_path / "site").exists()
