"""The as-of date a build is made for: BOARD_AS_OF, else SOURCE_DATE_EPOCH, else today in China."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Mapping

from .errors import ContentError, Problem
from .limits import FIRST_YEAR, LAST_YEAR
from .schema import ISO_DATE

# China keeps one offset all year (no daylight saving), so a fixed +08:00 is exact and needs
# no tz database on the machine.
SHANGHAI = timezone(timedelta(hours=8), "Asia/Shanghai")


def resolve_as_of(env: Mapping[str, str], explicit: str | None = None, now: datetime | None = None) -> date:
    """The as-of date; a malformed setting is a ContentError that says which and how to fix."""
    for name, value in (("--as-of", explicit), ("BOARD_AS_OF", env.get("BOARD_AS_OF"))):
        if value:
            return _parse_day(name, value)
    epoch = env.get("SOURCE_DATE_EPOCH")
    if epoch:
        try:
            day = datetime.fromtimestamp(int(epoch.strip()), SHANGHAI).date()
        except (ValueError, OverflowError, OSError):
            raise ContentError([Problem("环境变量 SOURCE_DATE_EPOCH", None, None,
                                        f"「{epoch[:40]}」不是 Unix 时间戳（秒）。", "删掉该变量，或写成整数秒数。")]) from None
        return _within_years("环境变量 SOURCE_DATE_EPOCH", epoch, day,
                             f"例如 {int(datetime(2026, 3, 31, tzinfo=SHANGHAI).timestamp())}（2026-03-31）")
    return (now or datetime.now(timezone.utc)).astimezone(SHANGHAI).date()


def _within_years(source: str, value: str, day: date, example: str) -> date:
    """The day, if its year is in FIRST_YEAR..LAST_YEAR: outside, date arithmetic overflows
    (9999-12-31 plus a day) and the value is a typo anyway."""
    if FIRST_YEAR <= day.year <= LAST_YEAR:
        return day
    raise ContentError([Problem(source, None, None,
                                f"「{value[:40]}」是 {day.isoformat()}，不在 {FIRST_YEAR} 至 {LAST_YEAR} 年之间。",
                                f"写成 {FIRST_YEAR}—{LAST_YEAR} 年里的日期，{example}；或删掉该设置，按今天构建。")])


def _parse_day(name: str, value: str) -> date:
    m = ISO_DATE.fullmatch(value.strip())
    source = "命令行参数 --as-of" if name == "--as-of" else f"环境变量 {name}"
    example = "例如 --as-of 2026-03-31" if name == "--as-of" else f"例如 {name}=2026-03-31"
    try:
        if m:
            return _within_years(source, value, date(int(m[1]), int(m[2]), int(m[3])), example)
    except ValueError:
        pass
    raise ContentError([Problem(source, None, None, f"「{value[:40]}」不是有效日期。",
                                f"写成 年-月-日，{example}。")])
