"""Staff's own choices for one quarter's board (boards/YYYY-qN.yml): theme, featured
activities, slogans. The board pages themselves are a view across kinds (published.py)."""
from __future__ import annotations

import re
from typing import Any, Mapping

from .. import schema
from ..errors import nearest
from ..schema import text, text_list
from .activities import ids as every_activity_id
from .base import Field, Kind, Layout, line_in, record, values

NAME = re.compile(r"(\d{4})-q([1-4])")

FIELDS = (
    Field("quarter", str, "季度", public=False),  # the file's name: 2026-q1
    Field("source", str, "文件", public=False),
    Field("theme", str, "本季度主题", "本季度宣传窗的标题，例如 学雷锋月 · 文明创建。", text, default=""),
    # references to records checked where they are written: not published from here
    Field("featured", tuple[str, ...], "置顶活动",
          "先展示的活动，写活动的文件名去掉 .md，例如 [2026-03-05-leifeng-visit]。", text_list,
          default=(), public=False),
    Field("slogans", tuple[str, ...] | None, "本季度标语",
          "本季度展示的标语，与 slogans.yml 里写的完全一致；不写则展示本季度有效的全部标语。", text_list,
          default=None, public=False),
)


@record(FIELDS)
class BoardChoice:
    """Staff's own choices for one quarter's board (boards/YYYY-qN.yml)."""


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    ids = every_activity_id(loader)  # valid or not: a file's own error is reported once
    texts = {s.text for s in loaded["slogans"]}
    result = []
    for path in loader.files(loader.content_dir / BOARDS.layout.top, "*"):
        file = loader.display(path)
        m = NAME.fullmatch(path.stem)
        if path.is_dir() or path.suffix != ".yml" or not m:
            loader.problems.add(file, None, "文件名", f"看板文件名「{path.name}」不合规，不会被读取。",
                                "写成 boards/年份-q季度.yml，例如 boards/2026-q1.yml（季度为 1 到 4）。")
            continue
        data = loader.yaml_file(path)
        if data is None:
            continue
        c = schema.validate(data, BOARDS.table, loader.where(path, 1), BOARDS.label)
        if c is None:
            continue
        ok = True
        for key, known, what in (("featured", ids, "活动"), ("slogans", texts, "标语")):
            for i, value in enumerate(c.get(key, ())):
                if value not in known:
                    loader.problems.add(file, line_in(data, key, i), f"{key}[{i}]",
                                        f"找不到{what}「{value}」。",
                                        _suggest_one(value, known, what))
                    ok = False
        if ok:
            result.append(BoardChoice(quarter=path.stem, source=file, **values(FIELDS, c)))
    return {"boards": tuple(result)}


def _suggest_one(value: str, known: set[str], what: str) -> str:
    guess = nearest(value, sorted(known))
    if guess:
        return f"是不是「{guess}」？"
    return f"{what}要与对应文件里写的完全一致（活动写文件名去掉 .md）。"


BOARDS = Kind("boards", "看板", Layout("boards", "boards/YYYY-qN.yml"), FIELDS, BoardChoice,
              url=lambda b: f"/boards/{b.quarter}/", load=load)
