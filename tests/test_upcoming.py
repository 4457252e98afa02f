"""`check.py --upcoming`: what will appear, expire or move to the archive, at a quarter's edge."""
from __future__ import annotations

from datetime import date

import pytest

import check
from community_board.content import load_catalog
from community_board.upcoming import APPEAR, ARCHIVE, EXPIRE, changes_on, outlook, render


@pytest.fixture
def edge(tree):
    """A community on the last day of Q1 2026, with things due just before and after the turn."""
    tree.activity("2026-03-28-spring-patrol", extra="featured: true\n")
    tree.activity("2026-03-30-scheduled", extra="publish: 2026-04-03\n")       # written early, shown later
    tree.activity("2026-04-12-future-cleanup")                                  # dated after the turn
    tree.activity("2026-03-31-qixi-draft", extra="draft: true\n")
    tree.write("notices/2026-03-20-quarter-end.md",
               "---\ntitle: 一季度末停车整治\ndate: 2026-03-20\nexpires: 2026-03-31\n---\n月底前完成。\n")
    tree.write("notices/2026-03-25-april-vote.md",
               "---\ntitle: 四月业委会选举公示\ndate: 2026-03-25\nexpires: 2026-04-10\nkind: 居务公开\n---\n公示十天。\n")
    tree.write("honors/2026.yml", "year: 2026\nhonors:\n"
               "  - {title: 星级文明家庭, kind: family, name: 施福生家庭, stars: 5, consent: true}\n"
               "  - {title: 文明单位, kind: unit, name: 区人民医院, date: 2026-04-20}\n")
    tree.write("slogans.yml", "slogans:\n  - {text: 邻里守望，大家相帮}\n"
               "  - {text: 漏有人修、脏有人扫, from: 2026-04-01}\n")
    tree.write("boards/2026-q2.yml", "theme: 环境整治月\n")
    return tree


def events(changes):
    return {(c.day.isoformat(), c.action, c.title) for c in changes}


def test_next_thirty_days_from_the_last_day_of_a_quarter(edge):
    view = outlook(load_catalog(edge.dir), date(2026, 3, 31))
    found = events(view.changes)
    assert ("2026-04-01", ARCHIVE, "2026年第一季度：2026年第一季度社区宣传窗") in found
    assert ("2026-04-01", EXPIRE, "一季度末停车整治") in found         # current through its expires day
    assert ("2026-04-11", EXPIRE, "四月业委会选举公示") in found
    assert ("2026-04-03", APPEAR, "学雷锋走访居民家庭") in found       # the scheduled one (publish:)
    assert ("2026-04-12", APPEAR, "学雷锋走访居民家庭") in found       # the future-dated one
    assert ("2026-04-20", APPEAR, "文明单位：区人民医院") in found
    assert ("2026-04-01", APPEAR, "漏有人修、脏有人扫") in found
    assert all(c.day > date(2026, 3, 31) for c in view.changes)
    assert all(c.day <= date(2026, 4, 30) for c in view.changes)
    assert view.drafts == ("content/activities/2026/2026-03-31-qixi-draft.md",)
    assert not any("draft" in c.source for c in view.changes)


def test_the_quarter_turn_shows_the_new_home_board(edge):
    turn = outlook(load_catalog(edge.dir), date(2026, 3, 31)).turn
    assert turn.day == date(2026, 4, 1)
    assert turn.leaving.quarter.id == "2026-q1" and turn.arriving.quarter.id == "2026-q2"
    assert turn.arriving.theme == "环境整治月" and turn.theme_source == "content/boards/2026-q2.yml"
    leaving = {a.id for a in turn.leaving.activities}
    assert {"2026-03-05-leifeng-visit", "2026-03-28-spring-patrol"} <= leaving
    assert "2026-03-30-scheduled" not in leaving                # not public until 04-03
    assert turn.arriving.activities == ()                        # nothing dated 04-01 yet
    assert [n.title for n in turn.arriving.notices] == ["四月业委会选举公示"]
    assert "漏有人修、脏有人扫" in [s.text for s in turn.arriving.slogans]


def test_first_day_of_a_quarter_looks_a_whole_quarter_ahead(edge):
    view = outlook(load_catalog(edge.dir), date(2026, 4, 1))
    assert view.turn.day == date(2026, 7, 1)
    assert not any(c.action == ARCHIVE for c in view.changes)   # the turn is beyond 30 days
    assert view.turn.arriving.theme == "2026年第三季度社区宣传窗"  # no boards/2026-q3.yml: the default
    assert view.turn.theme_source is None


def test_year_end_turns_into_the_next_year(tree):
    changes = changes_on(load_catalog(tree.dir), date(2027, 1, 1))
    assert [(c.action, c.url) for c in changes if c.action == ARCHIVE] == [(ARCHIVE, "boards/2026-q4/")]


def test_an_ordinary_day_changes_nothing(tree):
    assert changes_on(load_catalog(tree.dir), date(2026, 5, 14)) == []


def test_check_upcoming_lists_the_turn_for_staff(edge, capsys):
    code = check.main(["--content", str(edge.dir), "--as-of", "2026-03-31", "--upcoming"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[0].startswith("检查通过：")            # the usual summary line comes first
    assert "未来 30 天（2026-04-01 至 2026-04-30）" in out
    assert "2026-04-11  公告到期：四月业委会选举公示" in out
    assert "下一次季度轮换：2026-04-01（还有 1 天）" in out
    assert "新一期主题：环境整治月" in out
    assert "BOARD_AS_OF=2026-04-01 bash scripts/serve.sh" in out
    assert "content/activities/2026/2026-03-31-qixi-draft.md" in out


def test_check_without_upcoming_prints_only_the_summary(edge, capsys):
    assert check.main(["--content", str(edge.dir), "--as-of", "2026-03-31"]) == 0
    assert len(capsys.readouterr().out.strip().splitlines()) == 1


def test_check_upcoming_on_a_bad_record_reports_it(edge, capsys):
    edge.activity("2026-03-29-typo", extra="column: leifen\n", text="---\ntitle: x\ndate: 2026-03-29\ncolumn: leifen\n---\n")
    assert check.main(["--content", str(edge.dir), "--as-of", "2026-03-31", "--upcoming"]) == 1
    captured = capsys.readouterr()
    assert "leifen" in captured.err and "轮换" not in captured.out


def test_render_has_no_empty_sections(edge):
    text = render(outlook(load_catalog(edge.dir), date(2026, 6, 15), days=3))
    assert "没有变化" in text
    assert "下一次季度轮换：2026-07-01" in text
