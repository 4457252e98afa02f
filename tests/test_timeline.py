"""The as-of date, quarters and boards: what residents see on a given day."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from community_board.asof import resolve_as_of
from community_board.content import load_content
from community_board.errors import ContentError
from community_board.quarters import Quarter

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=timezone.utc)


def test_board_as_of_wins_over_epoch():
    env = {"BOARD_AS_OF": "2026-04-01", "SOURCE_DATE_EPOCH": "0"}
    assert resolve_as_of(env, now=NOW) == date(2026, 4, 1)


def test_command_line_wins_over_environment():
    assert resolve_as_of({"BOARD_AS_OF": "2026-04-01"}, "2026-01-01", now=NOW) == date(2026, 1, 1)


def test_source_date_epoch_is_read_in_shanghai():
    # 2026-03-31 23:30 UTC is already 1 April in Shanghai: the board has turned.
    epoch = int(datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc).timestamp())
    assert resolve_as_of({"SOURCE_DATE_EPOCH": str(epoch)}, now=NOW) == date(2026, 4, 1)


@pytest.mark.parametrize("utc,expected", [
    (datetime(2026, 12, 31, 15, 59, tzinfo=timezone.utc), date(2026, 12, 31)),
    (datetime(2026, 12, 31, 16, 0, tzinfo=timezone.utc), date(2027, 1, 1)),
    (datetime(2026, 3, 31, 23, 30, tzinfo=timezone.utc), date(2026, 4, 1)),
])
def test_today_is_taken_in_shanghai(utc, expected):
    assert resolve_as_of({}, now=utc) == expected


@pytest.mark.parametrize("bad", ["2026-13-01", "2026/03/01", "明天"])
def test_bad_as_of_is_a_content_error(bad):
    with pytest.raises(ContentError) as info:
        resolve_as_of({"BOARD_AS_OF": bad})
    assert "BOARD_AS_OF" in info.value.report() and "年-月-日" in info.value.report()


@pytest.mark.parametrize("day,quarter", [
    (date(2026, 3, 31), "2026-q1"), (date(2026, 4, 1), "2026-q2"),
    (date(2026, 12, 31), "2026-q4"), (date(2027, 1, 1), "2027-q1"),
])
def test_quarter_edges(day, quarter):
    q = Quarter.of(day)
    assert q.id == quarter and q.start <= day <= q.end


def test_quarter_labels_and_neighbours():
    q = Quarter.parse("2026-q1")
    assert q.label == "2026年第一季度" and q.previous().id == "2025-q4" and q.next().id == "2026-q2"
    assert q.end == date(2026, 3, 31)


def _tree_for_timeline(tree):
    tree.activity("2025-12-20-winter", text="---\ntitle: 冬季清扫\ndate: 2025-12-20\ncolumn: environment\n---\n扫雪。\n")
    tree.activity("2026-04-01-spring", text="---\ntitle: 春季义诊\ndate: 2026-04-01\ncolumn: leifeng\n---\n义诊。\n")
    tree.activity("2026-03-20-draft", text="---\ntitle: 草稿活动\ndate: 2026-03-20\ncolumn: leifeng\ndraft: true\n---\n")
    tree.activity("2026-03-10-later", text="---\ntitle: 定时活动\ndate: 2026-03-10\ncolumn: leifeng\npublish: 2026-04-02\n---\n")
    tree.activity("2026-03-12-featured", text="---\ntitle: 置顶活动\ndate: 2026-03-12\ncolumn: leifeng\nfeatured: true\n---\n")
    return tree


def test_as_of_drops_future_draft_and_scheduled(tree):
    content = load_content(_tree_for_timeline(tree).dir, date(2026, 3, 31))
    titles = {a.title for a in content.activities}
    assert titles == {"冬季清扫", "学雷锋走访居民家庭", "置顶活动"}
    assert content.withheld == 3
    later = load_content(tree.dir, date(2026, 4, 2))
    assert {"春季义诊", "定时活动"} <= {a.title for a in later.activities}
    assert "草稿活动" not in {a.title for a in later.activities}


def test_quarters_and_current_board_at_quarter_turn(tree):
    _tree_for_timeline(tree)
    before = load_content(tree.dir, date(2026, 3, 31))
    assert [q.id for q in before.quarters] == ["2025-q4", "2026-q1"]
    board = before.board(Quarter.parse("2026-q1"))
    assert board.current and [a.title for a in board.featured] == ["置顶活动"]
    assert board.previous.id == "2025-q4" and board.next is None
    after = load_content(tree.dir, date(2026, 4, 1))
    assert after.current_quarter.id == "2026-q2"
    assert [q.id for q in after.archived_quarters] == ["2025-q4", "2026-q1"]
    assert after.board(Quarter.parse("2026-q1")).next.id == "2026-q2"


def test_board_file_orders_featured_and_picks_slogans(tree):
    tree.write("slogans.yml", "slogans:\n  - {text: 邻里守望}\n  - {text: 人人遵纪守法, from: 2026-04-01}\n")
    tree.write("boards/2026-q1.yml", "theme: 学雷锋月\nfeatured: [2026-03-05-leifeng-visit]\n")
    _tree_for_timeline(tree)
    board = load_content(tree.dir, date(2026, 3, 31)).board(Quarter.parse("2026-q1"))
    assert board.theme == "学雷锋月"
    assert [a.title for a in board.featured] == ["学雷锋走访居民家庭", "置顶活动"]
    assert [s.text for s in board.slogans] == ["邻里守望"]  # the April slogan is not yet out


def test_notices_current_at_quarter_end_and_archive(tree):
    # the fixture's water notice runs 03-01..03-10
    content = load_content(tree.dir, date(2026, 3, 5))
    assert [n.title for n in content.current_notices] == ["停水通知"]
    assert content.expired_notices == ()
    later = load_content(tree.dir, date(2026, 3, 11))
    assert later.current_notices == () and [n.title for n in later.expired_notices] == ["停水通知"]
    assert later.board(Quarter.parse("2026-q1")).notices == ()


def test_honours_of_the_year_not_before_their_date(tree):
    tree.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 文明楼栋, kind: building, name: 3栋, date: 2026-05-01}\n"
                                  "  - {title: 民星, kind: person, name: 3栋志愿者}\n")
    tree.write("honors/2027.yml", "year: 2027\nhonors:\n  - {title: 民星, kind: team, name: 志愿服务队}\n")
    content = load_content(tree.dir, date(2026, 3, 31))
    assert [h.title for h in content.honors] == ["民星"]
