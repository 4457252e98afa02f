"""The as-of date a build is made for: BOARD_AS_OF, else SOURCE_DATE_EPOCH, else today in China."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Mapping

from .errors import ContentError, Problem
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
            return datetime.fromtimestamp(int(epoch), SHANGHAI).date()
        except (ValueError, OverflowError, OSError):
            raise ContentError([Problem("环境变量 SOURCE_DATE_EPOCH", None, None,
                                        f"「{epoch}」不是 Unix 时间戳（秒）。", "删掉该变量，或写成整数秒数。")]) from None
    return (now or datetime.now(timezone.utc)).astimezone(SHANGHAI).date()


def _parse_day(name: str, value: str) -> date:
    m = ISO_DATE.fullmatch(value.strip())
    try:
        if m:
            return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        pass
    source = "命令行参数 --as-of" if name == "--as-of" else f"环境变量 {name}"
    raise ContentError([Problem(source, None, None, f"「{value}」不是有效日期。",
                                "写成 年-月-日，例如 BOARD_AS_OF=2026-03-31。")])
