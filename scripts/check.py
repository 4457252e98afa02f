#!/usr/bin/env python3
"""检查 content/ 里的全部记录：.venv/bin/python scripts/check.py [--as-of YYYY-MM-DD] [--content DIR] [--upcoming]

Staff run this before committing; the build runs the same checks. Exit 0 when all is well
(one summary line), 1 with every problem listed in Chinese. `--upcoming` adds what will
appear, expire or move to the archive in the next days and at the next quarter turn.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _paths import ROOT
from _cli import ArgumentParser
from community_board.asof import resolve_as_of
from community_board.build import cache_dir_of, photo_requests
from community_board.content import read_catalog
from community_board.errors import ContentError
from community_board.pubstatus import last_failure_line, status_path
from community_board.photos import PhotoSettings, verify_photos
from community_board.published import published
from community_board.upcoming import DEFAULT_DAYS, outlook, render


def summary(content) -> str:
    q = content.current_quarter
    counts = (f"活动 {len(content.activities)} 条、光荣榜 {len(content.honors)} 项、标语 {len(content.slogans)} 条、"
              f"家庭格言 {len(content.maxims)} 条、公告 {len(content.notices)} 条（当前 {len(content.current_notices)} 条）、"
              f"季度看板 {len(content.quarters)} 期")
    held = f"；另有 {content.withheld} 条未到日期或为草稿，暂不发布" if content.withheld else ""
    return f"检查通过：{counts}{held}。截至 {content.as_of}，本季度 {q.id}（{q.label}）。"


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(description="检查社区宣传窗的内容记录")
    parser.add_argument("--as-of", metavar="YYYY-MM-DD", help="按哪一天检查和发布，格式 YYYY-MM-DD（默认：BOARD_AS_OF 或今天）")
    parser.add_argument("--content", default=os.environ.get("BOARD_CONTENT", "content"), metavar="文件夹", help="内容文件夹")
    parser.add_argument("--upcoming", action="store_true",
                        help="列出未来几天和下一次季度轮换时将出现、到期或转入往期的内容")
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS, metavar="天数", help=f"--upcoming 看多少天（默认 {DEFAULT_DAYS}）")
    args = parser.parse_args(argv)
    if failed := last_failure_line(status_path(_paths.ROOT, os.environ)):  # the nightly rebuild's outcome
        print(failed, file=sys.stderr)
    try:
        as_of = resolve_as_of(os.environ, args.as_of)
        # load_content in two steps: --upcoming needs the catalog before the as-of filter
        content_dir = Path(args.content)
        catalog, problems = read_catalog(content_dir)
        # Every photo of every record (image attachments included) is opened and decoded, as
        # the build will: records, photos and attachments in one report.
        verify_photos(photo_requests(catalog), content_dir, cache_dir_of(ROOT, os.environ), PhotoSettings(), problems)
        problems.raise_if_any()
    except ContentError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    print(summary(published(catalog, as_of)))
    if args.upcoming:
        print()
        print(render(outlook(catalog, as_of, max(1, args.days))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
