"""Events to come (活动预告): events/YYYY-MM-DD-slug.md, declared in kinds/events.py."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from community_board.content import load_catalog
from community_board.errors import ContentError
from community_board.kinds.events import calendar, coming, past
from community_board.upcoming import outlook

DEMO = Path(__file__).resolve().parent.parent / "content"

TALK = """\
---
title: 冬季安全用电讲座
start: 2026-11-28 09:00
end: 2026-11-28 10:30
place: 社区服务中心二楼会议室
column: environment
audience: 60 岁以上老人及家属
signup: 请拨打社区办公室电话报名
capacity: 40
---
天冷以后取暖器用得多，请供电所的师傅讲一讲冬季安全用电。

讲座结束后可以现场咨询。
"""


def _problems(tree) -> set[tuple[str, int | None, str | None, str]]:
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    return {(p.file.split("/")[-1], p.line, p.field, p.message) for p in info.value.problems}


def test_an_event_is_read_with_its_fields_and_declared_defaults(tree):
    tree.write("events/2026-11-28-power-talk.md", TALK)
    tree.write("events/2026-12-05-fire-drill.md", "---\ntitle: 消防演练\nstart: 2026-12-05\nplace: 中心花园\n---\n演练。\n")
    first, second = load_catalog(tree.dir).events  # soonest first
    assert first.id == "2026-11-28-power-talk" and first.source.endswith("events/2026-11-28-power-talk.md")
    assert (first.start, first.end) == (datetime(2026, 11, 28, 9, 0), datetime(2026, 11, 28, 10, 30))
    assert (first.place, first.column, first.capacity, first.summary) == (
        "社区服务中心二楼会议室", "environment", 40, "天冷以后取暖器用得多，请供电所的师傅讲一讲冬季安全用电。")
    assert (second.start, second.end, second.publish, second.report, second.draft) == (date(2026, 12, 5), None, None, "", False)
    assert (second.first_day, second.last_day, second.publish_on) == (date(2026, 12, 5), date(2026, 12, 5), date(2026, 11, 5))


def test_every_broken_event_is_reported_in_chinese_with_file_line_and_field(tree):
    tree.write("events/2026-11-28-a.md", "---\nstart: 2026-11-28 09:00\nplace: 会议室\n---\n说明。\n")
    tree.write("events/2026-11-28-g.md", "---\ntitle: 讲座\nstart: 2026-11-29 09:00\nplace: 会议室\n---\n说明。\n")
    tree.write("events/2026-11-28-b.md", "---\ntitle: 讲座\nstart: 2026-11-28 25:00\ncapacity: 0\n---\n说明。\n")
    tree.write("events/2026-11-28-c.md", "---\ntitle: 讲座\nstart: 2026-11-28 14:00\nend: 2026-11-28 09:00\n"
                                         "place: 会议室\npublish: 2026-12-01\n---\n说明。\n")
    tree.write("events/2026-11-28-d.md", "---\ntitle: 讲座\nstart: 11月28日\nplace: 会议室\nreport: 2026-03-05-leifeng-visi\n---\n")
    tree.write("events/2026-11-28-e.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\nreport: 2026-03-05-leifeng-visi\n"
                                         "colour: red\n---\n说明。\n")
    tree.write("events/2026-11-28_Talk.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n")
    tree.write("events/old/2026-11-28-f.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n")
    found = _problems(tree)
    assert ("2026-11-28-a.md", 2, "title", "缺少必填字段「title」（标题）。") in found
    assert ("2026-11-28-g.md", 3, "start", "开始日期 2026-11-29 与文件名里的日期 2026-11-28 不一致。") in found
    assert ("2026-11-28-b.md", 3, "start", "没有这个时刻：「25:00」。") in found
    assert ("2026-11-28-b.md", 4, "capacity", "应为 1 到 100000 之间的整数，现在是「0」。") in found
    assert ("2026-11-28-b.md", 2, "place", "缺少必填字段「place」（地点）。") in found
    assert ("2026-11-28-c.md", 4, "end", "结束时间 2026-11-28 09:00 不晚于开始时间 2026-11-28 14:00。") in found
    assert ("2026-11-28-c.md", 6, "publish", "发布日期 2026-12-01 晚于活动开始的 2026-11-28，预告永远不会出现。") in found
    assert ("2026-11-28-d.md", 3, "start", "日期时间格式不对：「11月28日」。") in found
    assert ("2026-11-28-e.md", 5, "report", "找不到活动记录「2026-03-05-leifeng-visi」。") not in found  # refused for colour first
    assert ("2026-11-28-e.md", 6, "colour", "活动预告里没有「colour」这个字段。") in found
    assert ("2026-11-28_Talk.md", None, "文件名", "文件名「2026-11-28_Talk.md」不合规。") in found
    assert ("2026-11-28-f.md", None, None, "活动预告文件的位置或扩展名不对，不会被读取。") in found


def test_the_column_and_the_report_must_exist(tree):
    tree.write("events/2026-11-28-a.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\ncolumn: sports\n"
                                         "report: 2026-03-05-leifeng-visi\n---\n说明。\n")
    found = _problems(tree)
    assert ("2026-11-28-a.md", 5, "column", "community.yml 里没有栏目「sports」。") in found
    assert ("2026-11-28-a.md", 6, "report", "找不到活动记录「2026-03-05-leifeng-visi」。") in found
    tree.write("events/2026-11-28-a.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\ncolumn: leifeng\n"
                                         "report: 2026-03-05-leifeng-visit\n---\n说明。\n")
    (event,) = load_catalog(tree.dir).events
    assert (event.column, event.report) == ("leifeng", "2026-03-05-leifeng-visit")


def test_a_personal_mobile_in_signup_is_refused(tree):
    tree.write("events/2026-11-28-a.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n"
                                         "signup: 报名请打 139 1234 5678\n---\n说明。\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    assert any(p.file.endswith("2026-11-28-a.md") and p.field == "signup" for p in info.value.problems), info.value.problems


def _event(tree, front: str):
    tree.write("events/2026-11-28-a.md", f"---\ntitle: 讲座\nplace: 会议室\n{front}---\n说明。\n")
    (event,) = load_catalog(tree.dir).events
    return event


def test_an_event_is_announced_from_publish_until_its_last_day_then_archived(tree):
    event = _event(tree, "start: 2026-11-28 09:00\nend: 2026-11-29 12:00\n")
    assert event.publish_on == date(2026, 10, 29)  # 30 days ahead by default
    on = {d: (event.coming_on(d), event.past_on(d)) for d in
          (date(2026, 10, 28), date(2026, 10, 29), date(2026, 11, 29), date(2026, 11, 30))}
    assert on == {date(2026, 10, 28): (False, False), date(2026, 10, 29): (True, False),
                  date(2026, 11, 29): (True, False), date(2026, 11, 30): (False, True)}


def test_publish_moves_the_announcement_and_a_draft_is_never_shown(tree):
    event = _event(tree, "start: 2026-11-28\npublish: 2026-11-20\n")
    assert not event.coming_on(date(2026, 11, 19)) and event.coming_on(date(2026, 11, 20))
    draft = _event(tree, "start: 2026-11-28\ndraft: true\n")
    assert not any(draft.coming_on(date(2026, 11, d)) or draft.past_on(date(2026, 11, d)) for d in range(1, 31))


def test_coming_is_soonest_first_and_past_most_recent_first():
    events = load_catalog(DEMO).events
    as_of = date(2026, 11, 25)
    soon = coming(events, as_of)
    assert soon and [e.first_day for e in soon] == sorted(e.first_day for e in soon)
    assert all(e.first_day >= as_of or e.last_day >= as_of for e in soon)
    done = past(events, as_of)
    assert done and all(e.last_day < as_of for e in done)
    assert any(e.report for e in done), "the demo keeps a past event linked to its activity"


def _parsed(event, host="board.example.org"):
    text = calendar(event, host, f"https://{host}/events/{event.id}/")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n")), "lines folded at 75 octets"
    (vevent,) = icalendar.Calendar.from_ical(text).walk("VEVENT")
    return text, vevent


def test_the_calendar_file_parses_with_the_times_in_beijing(tree):
    event = _event(tree, "start: 2026-11-28 09:00\nend: 2026-11-28 10:30\n")
    text, vevent = _parsed(event)
    beijing = timezone(timedelta(hours=8))
    assert vevent.decoded("DTSTART") == datetime(2026, 11, 28, 9, 0, tzinfo=beijing)
    assert vevent.decoded("DTEND") == datetime(2026, 11, 28, 10, 30, tzinfo=beijing)
    assert (str(vevent["SUMMARY"]), str(vevent["LOCATION"])) == ("讲座", "会议室")
    assert str(vevent["UID"]) == "2026-11-28-a@board.example.org"
    # from the record, not the clock: the same file every build
    assert vevent.decoded("DTSTAMP") == datetime(2026, 10, 28, 16, 0, tzinfo=timezone.utc)
    assert calendar(event, "board.example.org") == calendar(event, "board.example.org")


def test_a_whole_day_event_is_a_date_and_an_open_end_closes_the_day(tree):
    _, vevent = _parsed(_event(tree, "start: 2026-11-28\nend: 2026-11-29\n"))
    assert (vevent.decoded("DTSTART"), vevent.decoded("DTEND")) == (date(2026, 11, 28), date(2026, 11, 30))
    _, vevent = _parsed(_event(tree, "start: 2026-11-28 19:00\n"))
    assert vevent.decoded("DTEND") == datetime(2026, 11, 29, 0, 0, tzinfo=timezone(timedelta(hours=8)))


def test_text_with_commas_semicolons_and_long_chinese_survives_the_calendar(tree):
    long = "，".join(["请带好身份证明材料;提前十分钟到场"] * 6)
    tree.write("events/2026-11-28-a.md", f"---\ntitle: 讲座, 答疑; 咨询\nplace: 会议室\nstart: 2026-11-28 09:00\n---\n{long}\n")
    (event,) = load_catalog(tree.dir).events
    _, vevent = _parsed(event)
    assert str(vevent["SUMMARY"]) == "讲座, 答疑; 咨询"
    assert str(vevent["DESCRIPTION"]) == event.summary


# --- the published view, the feed and search (pure) ------------------------------------------

def _content(as_of=date(2026, 11, 25)):
    from community_board.published import published
    return published(load_catalog(DEMO), as_of)


def test_the_view_holds_announced_and_past_events_and_nothing_before_publish():
    ids = {e.id for e in _content().kinds["events"]}
    assert {"2026-11-28-winter-power-talk", "2026-12-05-fire-drill", "2026-11-21-party-member-volunteer-day"} <= ids
    early = {e.id for e in _content(date(2026, 11, 19)).kinds["events"]}
    assert "2026-12-05-fire-drill" not in early  # publish: 2026-11-20
    assert "2026-11-28-winter-power-talk" in early  # 30 days ahead by default


def test_events_are_in_the_feed_from_their_publish_day_and_in_search():
    from community_board.feed import feed_entries
    from community_board.search import documents
    entries = {path: (day, category, summary) for day, path, _, summary, category in feed_entries(_content())}
    day, category, summary = entries["events/2026-12-05-fire-drill/"]
    assert (day, category) == (date(2026, 11, 20), "活动预告") and "南苑小区中心花园" in summary
    docs = {d.url: d for d in documents(_content())}
    talk = docs["events/2026-11-28-winter-power-talk/"]
    assert (talk.title, talk.kind) == ("冬季安全用电讲座", "活动预告") and "二楼会议室" in talk.text
    assert not any(u.startswith("events/2026-12-05") for u in {d.url for d in documents(_content(date(2026, 11, 19)))})


# --- the built demo --------------------------------------------------------------------------

@pytest.mark.build
def test_the_home_page_lists_events_to_come_soonest_first_near_the_top(demo_site):
    html = (demo_site / "index.html").read_text("utf-8")
    section = html.split('<h2 id="events">近期活动预告</h2>', 1)[1].split("</ul>", 1)[0]
    assert section.index("冬季安全用电讲座") < section.index("小区消防疏散演练")
    assert "11月28日（周六） 09:00–10:30" in section and "地点：社区服务中心二楼会议室" in section
    assert "党员志愿服务日" not in section  # over on 2026-11-21
    # above the slogans and the quarter's activities: within the first screens of a phone
    assert html.index('id="events"') < html.index('id="activities"')
    assert '<span class="cb-new">新</span><a href="events/2026-12-05-fire-drill/">' in section  # published 11-20


@pytest.mark.build
def test_the_events_page_keeps_past_events_linked_to_their_activity(demo_site):
    html = (demo_site / "events" / "index.html").read_text("utf-8")
    coming_part, archive = html.split('id="archive"', 1)
    assert "冬季安全用电讲座" in coming_part and "党员志愿服务日" not in coming_part
    assert 'href="../activities/2026-11-21-party-member-volunteer-day/">活动报道</a>' in archive


@pytest.mark.build
def test_an_event_page_has_its_facts_read_aloud_and_a_calendar_file(demo_site):
    html = (demo_site / "events" / "2026-11-28-winter-power-talk" / "index.html").read_text("utf-8")
    assert '<button class="cb-read"' in html
    for fact in ("<dt>时间</dt>", "<dt>地点</dt>", "<dt>报名</dt>", "40 人"):
        assert fact in html
    assert '<a href="../2026-11-28-winter-power-talk.ics" download>加入日历</a>' in html
    ics = (demo_site / "events" / "2026-11-28-winter-power-talk.ics").read_bytes()
    (vevent,) = icalendar.Calendar.from_ical(ics).walk("VEVENT")
    assert vevent.decoded("DTSTART") == datetime(2026, 11, 28, 9, 0, tzinfo=timezone(timedelta(hours=8)))
    assert str(vevent["UID"]).startswith("2026-11-28-winter-power-talk@")
    assert not (demo_site / "events" / "2026-11-21-party-member-volunteer-day.ics").exists()  # over


# --- the printed board and check.py --upcoming -----------------------------------------------

def _three_events(tree):
    for stem, when_ in (("2026-03-21-a", "2026-03-21 09:00"), ("2026-03-22-b", "2026-03-22"),
                        ("2026-03-28-c", "2026-03-28 14:00")):
        tree.write(f"events/{stem}.md", f"---\ntitle: 活动{stem[-1]}\nstart: {when_}\nplace: 社区服务中心\n---\n说明。\n")
    tree.write("events/2026-03-10-d.md", "---\ntitle: 已结束的活动\nstart: 2026-03-10\nplace: 社区服务中心\n---\n说明。\n")


def test_the_printed_board_carries_the_soonest_events_and_counts_the_rest(tree):
    from community_board.content import load_content
    from community_board.kinds.events import PRINT_EVENTS
    from community_board.printboard import print_page
    _three_events(tree)
    content = load_content(tree.dir, date(2026, 3, 20))
    html = print_page(content, content.board(content.current_quarter), lambda *a: "", site_url=None).as_markdown()
    part = html.split('<p class="cb-print__events">活动预告：', 1)[1].split("</p>", 1)[0]
    assert "<strong>活动a</strong> 3月21日（周六） 09:00 · 社区服务中心" in part
    # bounded (tests/test_browser.py prints the sheets): the rest counted, one sheet kept
    assert PRINT_EVENTS == 1 and "活动b" not in part and "（等 3 项，扫码查看）" in part
    assert "已结束的活动" not in html


def test_upcoming_announces_the_days_events_start_and_end(tree):
    from community_board.upcoming import render
    _three_events(tree)
    tree.write("events/2026-04-02-e.md", "---\ntitle: 两天的活动\nstart: 2026-04-02\nend: 2026-04-03\n"
                                         "place: 社区服务中心\npublish: 2026-03-25\n---\n说明。\n")
    view = outlook(load_catalog(tree.dir), date(2026, 3, 20), days=14)
    found = {(c.day, c.action, c.title) for c in view.changes if c.kind == "活动预告"}
    assert found == {(date(2026, 3, 21), "start", "活动a"), (date(2026, 3, 22), "start", "活动b"),
                     (date(2026, 3, 28), "start", "活动c"), (date(2026, 3, 25), "appear", "两天的活动"),
                     (date(2026, 4, 2), "start", "两天的活动"), (date(2026, 4, 3), "end", "两天的活动")}
    text = render(view)
    assert "2026-03-21  活动预告开始：活动a（content/events/2026-03-21-a.md） → /events/2026-03-21-a/" in text
    assert "2026-04-03  活动预告结束：两天的活动" in text


def test_the_contracts_example_uses_every_declared_key_and_loads(tree):
    import re
    import yaml
    from community_board.kinds.events import EVENTS
    doc = (Path(__file__).resolve().parent.parent / "docs" / "content-format.md").read_text("utf-8")
    section = doc.split("\n## Events", 1)[1].split("\n## ", 1)[0]
    example = re.search(r"```markdown\n---\n(.*?)---\n", section, re.S)[1]
    assert set(yaml.safe_load(example)) == {f.key for f in EVENTS.table}
    tree.activity("2026-11-28-safe-power-talk")
    tree.write("community.yml", tree.dir.joinpath("community.yml").read_text("utf-8").replace(
        "  - {slug: environment", "  - {slug: classroom, title: 市民课堂}\n  - {slug: environment"))
    tree.write("events/2026-11-28-safe-power-talk.md", f"---\n{example}---\n说明。\n")
    (event,) = load_catalog(tree.dir).events
    assert (event.capacity, event.report) == (40, "2026-11-28-safe-power-talk")
