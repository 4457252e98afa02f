"""Shared fixtures: a small, valid Chinese community written into tmp_path."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

COMMUNITY = """\
name: 夏家桥社区
full_name: 南浔镇夏家桥社区居民委员会
phone: 0572-3012 345
office_hours: 周一至周五 8:30-17:00
figures: {households: 3000, residents: 11000}
boundaries: {东: 迎宾路, 南: 港城大街}
columns:
  - {slug: leifeng, title: 学雷锋志愿服务}
  - {slug: environment, title: 环境整治}
footer: {icp: 浙ICP备12345678号-1}
"""

ACTIVITY = """\
---
title: 学雷锋走访居民家庭
date: 2026-03-05
column: leifeng
location: 社区服务中心
organizers: [社区居委会]
stats: {{households_visited: 20, volunteers: 8}}
{extra}---
3月5日，社区主任带领社区干部走访了 20 户居民家庭。
"""


class ContentTree:
    """A throwaway content/ folder; tests add or break files in it."""

    def __init__(self, root: Path):
        self.root = root
        self.dir = root / "content"
        self.write("community.yml", COMMUNITY)
        self.activity("2026-03-05-leifeng-visit")
        self.write("notices/2026-03-01-water.md", "---\ntitle: 停水通知\ndate: 2026-03-01\nexpires: 2026-03-10\n---\n3月2日停水。\n")
        self.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 星级文明家庭, kind: family, name: 施福生家庭, stars: 5, consent: true}\n")
        self.write("slogans.yml", "slogans:\n  - {text: 邻里守望，大家相帮}\nmaxims:\n  - {text: 家和万事兴, by: 王利华家庭}\n")

    def write(self, rel: str, text: str | bytes) -> Path:
        path = self.dir / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(textwrap.dedent(text) if text.startswith("\n") else text, encoding="utf-8")
        return path

    def activity(self, stem: str, extra: str = "", text: str | None = None) -> Path:
        year = stem[:4]
        body = text if text is not None else ACTIVITY.replace("2026-03-05", stem[:10]).format(extra=extra)
        return self.write(f"activities/{year}/{stem}.md", body)


@pytest.fixture
def tree(tmp_path: Path) -> ContentTree:
    return ContentTree(tmp_path)
