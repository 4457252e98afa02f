"""What the board will look like soon: the changes of the next days and of the next quarter turn.

The site is rebuilt every night with nobody at the keyboard, so staff need to see in advance
what will appear (scheduled posts, future-dated records), what will expire (notices past their
`expires`) and what will move to the archive when the quarter turns. Nothing here re-states a
publishing rule: each day's view is `published(catalog, day)`, and a change is the difference
between two consecutive days. Pure: no I/O, no clock.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from .kinds import KINDS
from .published import Board, Content, published
from .quarters import Quarter
from .records import Catalog

DEFAULT_DAYS = 30

APPEAR = "appear"    # enters the site
EXPIRE = "expire"    # a notice leaves the current notices (stays in the archive)
ARCHIVE = "archive"  # a quarter's board leaves the home page for /boards/YYYY-qN/
START, END = "start", "end"  # an event begins or ends (Kind.moments)

ACTION_LABELS = {APPEAR: "出现", EXPIRE: "到期", ARCHIVE: "转入往期", START: "开始", END: "结束"}


@dataclass(frozen=True, order=True)
class Change:
    day: date
    action: str
    kind: str     # 活动 | 公告 | 荣誉 | 标语 | 看板
    title: str
    source: str   # the record's file, so staff know what to open
    url: str      # site-relative URL where it is (or will be) shown


@dataclass(frozen=True)
class Turn:
    """The next quarter turn: the old board is archived, the new one becomes the home page."""

    day: date
    leaving: Board   # as it stands in the archive after the turn
    arriving: Board  # the home page on the turn's first day
    theme_source: str | None  # boards/YYYY-qN.yml that sets the new theme, if any


@dataclass(frozen=True)
class Outlook:
    as_of: date
    last: date                   # the window is as_of+1 .. last
    changes: tuple[Change, ...]  # within the window, by day
    turn: Turn
    turn_changes: tuple[Change, ...]  # on the turn's day (may lie beyond the window)
    drafts: tuple[str, ...]      # sources of drafts: they never appear by themselves


def _snapshot(content: Content) -> dict[tuple[str, str], Change]:
    """What one day's site shows, keyed by (kind, id); the Change is filled with day later."""
    shown: dict[tuple[str, str], Change] = {}
    for kind in KINDS:
        if kind.announced is None:
            continue
        for r in content.records(kind):
            title = kind.announced(r)
            source = getattr(r, "source", "") or f"content/{kind.layout.top}"
            shown[(kind.label, getattr(r, "id", title))] = Change(content.as_of, APPEAR, kind.label, title, source,
                                                                  kind.path(r).split("#", 1)[0])
    return shown


def _with(change: Change, day: date, action: str) -> Change:
    return Change(day, action, change.kind, change.title, change.source, change.url)


def changes_on(catalog: Catalog, day: date) -> list[Change]:
    """Everything that differs between the site built on `day - 1` and the one built on `day`."""
    before, after = published(catalog, day - timedelta(days=1)), published(catalog, day)
    old, new = _snapshot(before), _snapshot(after)
    found = [_with(c, day, APPEAR) for key, c in new.items() if key not in old]
    current_before = {n.id for n in before.current_notices}
    current_after = {n.id for n in after.current_notices}
    found += [_with(new[("公告", n.id)], day, EXPIRE) for n in after.notices
              if n.id in current_before and n.id not in current_after]
    for kind in KINDS:
        for r in after.kinds.get(kind.name, ()) if kind.moments else ():
            found += [_with(new[(kind.label, r.id)], day, action) for when, action in kind.moments(r) if when == day]
    if before.current_quarter != after.current_quarter:
        q = before.current_quarter
        theme = after.board(q).theme
        found.append(Change(day, ARCHIVE, "看板", f"{q.label}：{theme}", "", f"boards/{q.id}/"))
    return sorted(found)


def _board_source(catalog: Catalog, quarter: Quarter) -> str | None:
    return next((c.source for c in catalog.boards if c.quarter == quarter.id), None)


def outlook(catalog: Catalog, as_of: date, days: int = DEFAULT_DAYS) -> Outlook:
    last = as_of + timedelta(days=days)
    changes = [c for offset in range(1, days + 1) for c in changes_on(catalog, as_of + timedelta(days=offset))]
    new_quarter = Quarter.of(as_of).next()
    turn_day = new_quarter.start
    after_turn = published(catalog, turn_day)
    turn = Turn(
        day=turn_day,
        leaving=after_turn.board(Quarter.of(as_of)),
        arriving=after_turn.board(new_quarter),
        theme_source=_board_source(catalog, new_quarter),
    )
    drafts = tuple(sorted(r.source for k in KINDS if k.announced for r in getattr(catalog, k.name)
                          if getattr(r, "draft", False)))
    return Outlook(as_of, last, tuple(changes), turn, tuple(changes_on(catalog, turn_day)), drafts)


# --------------------------------------------------------------------------- text for staff

def _change_line(change: Change) -> str:
    where = f"（{change.source}）" if change.source else ""
    return f"  {change.day}  {change.kind}{ACTION_LABELS[change.action]}：{change.title}{where} → /{change.url}"


def _titles(items, limit: int = 8) -> str:
    names = [getattr(i, "title", None) or getattr(i, "text", "") for i in items]
    if not names:
        return "无"
    shown = "、".join(f"「{n}」" for n in names[:limit])
    return shown + (f" 等 {len(names)} 项" if len(names) > limit else "")


def render(view: Outlook) -> str:
    """The outlook as Chinese text for `check.py --upcoming`."""
    out = [f"未来 {(view.last - view.as_of).days} 天（{view.as_of + timedelta(days=1)} 至 {view.last}）的变化："]
    out += [_change_line(c) for c in view.changes] or ["  没有变化。"]
    turn = view.turn
    q_new, q_old = turn.arriving.quarter, turn.leaving.quarter
    out += ["", f"下一次季度轮换：{turn.day}（还有 {(turn.day - view.as_of).days} 天），首页换成{q_new.label}。"]
    if turn.theme_source:
        out.append(f"  新一期主题：{turn.arriving.theme}（来自 {turn.theme_source}）")
    else:
        out.append(f"  新一期主题：{turn.arriving.theme}（默认；可新建 content/boards/{q_new.id}.yml 写 theme）")
    out.append(f"  {q_old.label}的看板转入往期 /boards/{q_old.id}/：活动 {len(turn.leaving.activities)} 条"
               f"（{_titles(turn.leaving.activities)}）")
    out.append(f"  轮换当天首页上：活动 {_titles(turn.arriving.activities)}；"
               f"公告 {_titles(turn.arriving.notices)}；标语 {_titles(turn.arriving.slogans)}")
    day_changes = [c for c in view.turn_changes if c.action != ARCHIVE]
    if day_changes and turn.day > view.last:  # else already listed above
        out.append("  轮换当天同时发生：")
        out += ["  " + _change_line(c) for c in day_changes]
    if view.drafts:
        out += ["", f"草稿 {len(view.drafts)} 条不会自动出现（去掉 draft: true 才发布）：" + "、".join(view.drafts)]
    out += ["", f"预览轮换后的网站：BOARD_AS_OF={turn.day} bash scripts/serve.sh  ，然后用浏览器打开 http://127.0.0.1:8000/"]
    return "\n".join(out)
