"""The field table of each kind for docs/content-format.md, made from its declaration.

The document holds each table after a marker line `<!-- fields: NAME -->` (NAME a kind's,
or KIND.FIELD for the mappings a field holds: `activities.photos`); tests/test_kinds.py
asserts it is exactly what `field_table` makes, and `python -m community_board.kinds.docs
docs/content-format.md` rewrites the tables in place after a declaration changes."""
from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

from . import KINDS
from .base import NO_DEFAULT, Field, Kind, written

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


def table(fields: tuple[Field, ...]) -> str:
    rows = [f"| `{f.key}` | {f.label} | {'是' if f.required else ''} | {'' if f.required else f.derived or _default(f.default)} "
            f"| {'是' if f.public else '否'} | {f.help} |\n" for f in written(fields)]
    return HEADER + "".join(rows)


def field_table(kind: Kind) -> str:
    return table(kind.table)


def tables() -> dict[str, tuple[Field, ...]]:
    """Every documented table by its marker's name: each kind's ("activities") and the
    mappings inside its fields ("activities.photos")."""
    found: dict[str, tuple[Field, ...]] = {}
    for kind in KINDS:
        found[kind.name] = kind.table
        found.update((f"{kind.name}.{key}", fields) for key, fields in kind.parts)
    return found


def marker(kind: Kind | str) -> str:
    return f"<!-- fields: {kind if isinstance(kind, str) else kind.name} -->\n"


def rewrite(text: str) -> str:
    """The document with each marked table replaced by the declaration's."""
    for name, fields in tables().items():
        pattern = re.compile(re.escape(marker(name)) + r"(?:\|[^\n]*\n)*")
        text = pattern.sub(lambda m: marker(name) + table(fields), text)
    return text


if __name__ == "__main__":
    doc = Path(sys.argv[1])
    doc.write_text(rewrite(doc.read_text("utf-8")), "utf-8")
