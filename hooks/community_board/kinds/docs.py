"""The field table of each kind for docs/content-format.md, made from its declaration.

The document holds each table after a marker line `<!-- fields: NAME -->`; tests/test_kinds.py
asserts it is exactly what `field_table` makes, and `python -m community_board.kinds.docs
docs/content-format.md` rewrites the tables in place after a declaration changes."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from . import KINDS
from .base import NO_DEFAULT, Kind

HEADER = ("| 字段 | 名称 | 必填 | 不写时 | 按隐私规则检查 | 说明 |\n"
          "|---|---|---|---|---|---|\n")


def _default(value: Any) -> str:
    if value is NO_DEFAULT:
        return ""
    if value is None or value == ():
        return "无"
    if value == "":
        return "空"
    return f"`{str(value).lower() if isinstance(value, bool) else value}`"


def field_table(kind: Kind) -> str:
    rows = [f"| `{f.key}` | {f.label} | {'是' if f.required else ''} | {'' if f.required else f.derived or _default(f.default)} "
            f"| {'是' if f.public else '否'} | {f.help} |\n" for f in kind.table]
    return HEADER + "".join(rows)


def marker(kind: Kind) -> str:
    return f"<!-- fields: {kind.name} -->\n"


def rewrite(text: str) -> str:
    """The document with each marked table replaced by the declaration's."""
    for kind in KINDS:
        pattern = re.compile(re.escape(marker(kind)) + r"(?:\|[^\n]*\n)*")
        text = pattern.sub(lambda m: marker(kind) + field_table(kind), text)
    return text


if __name__ == "__main__":
    doc = Path(sys.argv[1])
    doc.write_text(rewrite(doc.read_text("utf-8")), "utf-8")
