"""The bounds that keep hostile input away from the parsers, one mechanism at a time (the
whole tools are driven by tests/test_hostile_robust.py)."""
from __future__ import annotations

import os
import signal
import time
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from community_board import limits
from community_board.asof import resolve_as_of
from community_board.content import load_catalog, record_files
from community_board.errors import ContentError, Problems
from community_board.yamlio import load_yaml
from conftest import ContentTree


@contextmanager
def within(seconds: int):
    """Fail instead of hanging: a named pipe once blocked the loader for ever."""
    def alarm(signum, frame):
        raise AssertionError(f"took longer than {seconds} s")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def problems_of(tree: ContentTree) -> list[str]:
    try:
        load_catalog(tree.dir)
    except ContentError as exc:
        return [p.format() for p in exc.problems]
    return []


# --- nesting bounds ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "学雷锋[第1期]（二）", "> 引用\n>> 二层\n", "- 一\n    - 二\n        - 三\n", "**加粗** *强调* ***都有***",
    "******\n", "- - - 三层\n", "[链接](https://example.org/(a))", "1) 一\n2) 二\n" * 50, "<br>" * 100,
])
def test_what_staff_write_is_within_the_bounds(text):
    assert limits.nesting_problem(text) is None


@pytest.mark.parametrize("text, says", [
    ("[" * 21, "括号"), ("[a](" * 21, "括号"), ("(" * 1000 + ")" * 1000, "括号"),
    ("*" * 21 + "字", "符号"), ("*_" * 11 + "字", "符号"), ("~" * 30 + "字", "符号"),
    (">" * 21, "引用"), ("> " * 21 + "字", "引用"), ("- " * 21 + "字", "列表"), ("1. " * 21 + "字", "列表"),
    (" " * 81 + "字", "缩进"), ("字" * (limits.MAX_TEXT_CHARS + 1), "太长"), ("a<b " * (limits.MAX_ANGLES + 1), "尖括号"),
])
def test_one_past_the_bound_is_refused_saying_what(text, says):
    assert says in limits.nesting_problem(text)


@pytest.mark.parametrize("text", [
    "-  " * 20 + "x", ("- \t " * 20 + "x\n") * 2000, "> " * 20 + "x\n" * 5000, "*a" * 200_000,
    "[](" * 100_000, " " * 500_000 + "x", ("  " * 40 + "-\n") * 5000,
])
def test_the_bounds_take_linear_time_on_near_misses(text):
    start = time.monotonic()
    limits.nesting_problem(text)
    assert time.monotonic() - start < 2.0


def test_a_deep_title_is_refused_naming_its_field_and_line(tree):
    tree.activity("2026-03-06-deep", extra='summary: "' + "[" * 5000 + '"\n')
    found = problems_of(tree)
    assert any("2026-03-06-deep.md:8" in p and "「summary」" in p and "嵌套过深" in p for p in found), found


# --- YAML structure ----------------------------------------------------------------------------

@pytest.mark.parametrize("text, says", [
    ("a: &x 1\nb: *x\n", "锚点"), ("b: *undefined\n", "锚点"), ("a: &x 1\n", "锚点"),
    ("base: &b {k: 1}\nc: {<<: *b}\n", "锚点"), ("a: !!binary SFg=\n", "!!binary"), ("a: !x 1\n", "!x"),
    ("a: " + "[" * 21 + "]" * 21 + "\n", "嵌套过深"), ("".join("  " * i + "-\n" for i in range(22)), "嵌套过深"),
])
def test_anchors_aliases_tags_and_depth_are_refused_before_any_value_is_built(text, says):
    problems = Problems()
    assert load_yaml(text, "f.yml", problems) is None
    assert len(problems) == 1 and says in problems.items[0].message and problems.items[0].line


def test_a_billion_laughs_costs_nothing():
    laughs = "l0: &a0 [x]\n" + "".join(f"l{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 10)}]\n" for i in range(1, 12))
    problems = Problems()
    with within(5):
        assert load_yaml(laughs, "f.yml", problems) is None
    assert len(problems.items[0].format()) < 500


def test_plain_yaml_with_symbols_in_quotes_still_loads():
    problems = Problems()
    data = load_yaml('title: "*重要*通知 & 说明!"\nb: [1, [2, [3]]]\n', "f.yml", problems)
    assert not problems and data["title"] == "*重要*通知 & 说明!"


# --- the folder walk ---------------------------------------------------------------------------

def test_a_pipe_named_like_a_record_is_refused_without_being_opened(tree):
    os.mkfifo(tree.dir / "activities/2026/2026-03-07-pipe.md")
    os.mkfifo(tree.dir / "slogans.yml.new")
    (tree.dir / "slogans.yml").unlink()
    os.mkfifo(tree.dir / "slogans.yml")
    with within(20):
        found = problems_of(tree)
    assert any("2026-03-07-pipe.md：不是普通文件" in p for p in found), found
    assert any("content/slogans.yml：不是普通文件" in p for p in found), found
    with within(5):
        assert all(p.suffix != ".md" or "pipe" not in p.name for p in record_files(tree.dir))


def test_links_out_of_content_are_refused_and_links_inside_are_read(tree, tmp_path):
    outside = tmp_path / "outside.md"
    outside.write_text("---\ntitle: 外面\ndate: 2026-03-08\ncolumn: leifeng\n---\n正文\n", encoding="utf-8")
    (tree.dir / "activities/2026/2026-03-08-out.md").symlink_to(outside)
    (tree.dir / "activities/2026/2026-03-09-in.md").symlink_to(tree.dir / "activities/2026/2026-03-05-leifeng-visit.md")
    found = problems_of(tree)
    assert any("2026-03-08-out.md：是指向 content 文件夹以外的链接" in p for p in found), found
    assert not any("2026-03-09-in.md" in p and "链接" in p for p in found), found
    assert outside not in [p.resolve() for p in record_files(tree.dir)]


def test_an_oversized_record_is_refused_by_its_size_alone(tree):
    tree.activity("2026-03-10-big", text="---\ntitle: 大\n---\n" + "字" * (limits.MAX_FILE_BYTES // 3 + 10))
    found = problems_of(tree)
    assert any("2026-03-10-big.md：文件太大" in p for p in found), found


def test_an_unknown_top_level_entry_is_an_error_that_lists_what_is_allowed(tree):
    tree.write("说明.txt", "随便写写")
    found = problems_of(tree)
    assert any("content/说明.txt" in p and "activities、honors" in p for p in found), found


# --- settings ----------------------------------------------------------------------------------

@pytest.mark.parametrize("env", [
    {"BOARD_AS_OF": "9999-12-31"}, {"BOARD_AS_OF": "0001-01-01"}, {"BOARD_AS_OF": "1999-12-31"},
    {"BOARD_AS_OF": "2100-01-01"}, {"SOURCE_DATE_EPOCH": "-1"}, {"SOURCE_DATE_EPOCH": "4102444800"},
    {"SOURCE_DATE_EPOCH": "9" * 30},
])
def test_as_of_dates_outside_2000_to_2099_are_refused_naming_the_setting(env):
    with pytest.raises(ContentError) as caught:
        resolve_as_of(env)
    assert next(iter(env)) in caught.value.report()


def test_the_first_and_last_days_of_the_range_are_accepted():
    assert resolve_as_of({"BOARD_AS_OF": "2000-01-01"}) == date(2000, 1, 1)
    assert resolve_as_of({}, "2099-12-31") == date(2099, 12, 31)


def test_an_unwritable_cache_is_a_problem_naming_the_folder(tree, tmp_path):
    from community_board.build import prepare
    blocker = tmp_path / "file"
    blocker.write_text("x")
    env = {"BOARD_CONTENT": str(tree.dir), "BOARD_AS_OF": "2026-11-25", "BOARD_CACHE": str(blocker / "photos"),
           "BOARD_SHARE_CACHE": str(tmp_path / "share")}
    with pytest.raises(ContentError) as caught:
        prepare(Path(__file__).resolve().parent.parent, env, jobs=1)
    report = caught.value.report()
    assert str(blocker / "photos") in report and "BOARD_CACHE" in report and "无法写入" in report


# --- work started ahead in worker processes (large builds) parses raw files too ---------------

def test_workers_that_read_raw_files_ahead_skip_what_the_checks_refuse(tree):
    from community_board.privacy import names_ahead
    from community_board.render import MarkdownSettings, _convert_files
    deep = tree.activity("2026-03-11-deep", text="---\ntitle: 深\n---\n" + "[" * 100_000 + "\n")
    laughs = tree.write("honors/2025.yml", "l0: &a0 [张三]\n" + "".join(
        f"l{i}: &a{i} [{', '.join(['*a%d' % (i - 1)] * 10)}]\n" for i in range(1, 12))
        + "honors: [{name: *a11, story: 低保}]\n")
    with within(20):
        assert _convert_files(MarkdownSettings((), {}), [str(deep)]) == []
        names_ahead([str(laughs)])
