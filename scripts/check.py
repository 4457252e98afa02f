#!/usr/bin/env python3
"""检查 content/ 里的全部记录：python scripts/check.py [--as-of YYYY-MM-DD] [--content DIR]

Staff run this before committing; the build runs the same checks. Exit 0 when all is well
(one summary line), 1 with every problem listed in Chinese.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from community_board.asof import resolve_as_of
from community_board.content import load_content
from community_board.errors import ContentError


def summary(content) -> str:
    q = content.current_quarter
    counts = (f"活动 {len(content.activities)} 条、光荣榜 {len(content.honors)} 项、标语 {len(content.slogans)} 条、"
              f"家庭格言 {len(content.maxims)} 条、公告 {len(content.notices)} 条（当前 {len(content.current_notices)} 条）、"
              f"季度看板 {len(content.quarters)} 期")
    held = f"；另有 {content.withheld} 条未到日期或为草稿，暂不发布" if content.withheld else ""
    return f"检查通过：{counts}{held}。截至 {content.as_of}，本季度 {q.id}（{q.label}）。"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="检查社区宣传窗的内容记录")
    parser.add_argument("--as-of", help="按哪一天检查和发布，格式 YYYY-MM-DD（默认：BOARD_AS_OF 或今天）")
    parser.add_argument("--content", default=os.environ.get("BOARD_CONTENT", "content"), help="内容文件夹")
    args = parser.parse_args(argv)
    try:
        as_of = resolve_as_of(os.environ, args.as_of)
        content = load_content(Path(args.content), as_of)
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(summary(content))
    return 0


if __name__ == "__main__":
    sys.exit(main())
