"""Bounds on what staff files may be, checked before any parser sees them.

PyYAML's C composer and Python-Markdown recurse once per nesting level: 100,000 nested `[`
overflow the C stack (SIGSEGV, no message at all). A billion-laughs file is a few hundred
bytes that expand to gigabytes. No real notice needs more than a few levels of nesting or a
megabyte of text, so anything past these bounds is refused with a Chinese message instead.
"""
from __future__ import annotations

import re

# A record file (.md/.yml) larger than this is refused before it is read: a year of a
# community's honours is about 50 KB, the longest demo activity 6 KB.
MAX_FILE_BYTES = 1024 * 1024

# Levels of YAML nesting (mappings and lists inside each other). community.yml, the deepest
# file staff write, uses 4.
MAX_YAML_DEPTH = 20

# Characters in one Markdown text (a body, a title, a story). Python-Markdown's cost grows
# faster than the text on repetitive input (64 KB of headings with one id: 20 s); the longest
# demo body is 2,000 characters, a long notice 10,000.
MAX_TEXT_CHARS = 60_000

# `<` in one text: Python-Markdown's inline HTML scan is quadratic in them (100,000 `a<b`
# never finish). A pasted HTML table of 100 rows has about 1,500.
MAX_ANGLES = 3_000

# Levels of Markdown nesting in a title or a body: brackets, emphasis marks in a row, `>`
# quotes, list markers. Staff text uses 3 at most.
MAX_NESTING = 20

# The years an as-of date (BOARD_AS_OF, SOURCE_DATE_EPOCH, --as-of) may fall in: dates far
# outside break date arithmetic (9999-12-31 + 1 day) and are always a typo.
FIRST_YEAR, LAST_YEAR = 2000, 2099

_OPEN_CLOSE = re.compile(r"[\[\]()]")
_MARK_RUN = re.compile(r"[*_~]{%d,}" % (MAX_NESTING + 1))
_RULE_LINE = re.compile(r"[ \t]*+(?:[*_~-][ \t]*+)++")
_QUOTES = re.compile(r"^(?:[ \t]*+>){%d,}" % (MAX_NESTING + 1), re.M)
# possessive quantifiers: the blanks between markers split only one way (no backtracking blow-up)
_LIST_MARKS = re.compile(r"^(?:[ \t]*+(?:[-+*]|\d{1,9}+[.)])[ \t]++){%d,}" % (MAX_NESTING + 1), re.M)
_INDENT = re.compile(r"^[ \t]{%d,}\S" % (4 * MAX_NESTING + 1), re.M)


def nesting_problem(text: str) -> str | None:
    """What is too long or nested too deeply in a Markdown text (Chinese), or None when within
    bounds.

    Linear in the text; the common case (few brackets, no long runs) is a handful of
    str.count calls."""
    if len(text) > MAX_TEXT_CHARS:
        return f"太长（{len(text)} 个字符，上限 {MAX_TEXT_CHARS}）"
    if text.count("<") > MAX_ANGLES:
        return f"尖括号 < 太多（{text.count('<')} 个，上限 {MAX_ANGLES}）"
    if (text.count("[") + text.count("(")) > MAX_NESTING and _bracket_depth(text) > MAX_NESTING:
        return f"方括号或圆括号 [ ( 嵌套过深（超过 {MAX_NESTING} 层）"
    if "*" in text or "_" in text or "~" in text:
        for m in _MARK_RUN.finditer(text):
            start = text.rfind("\n", 0, m.start()) + 1
            end = text.find("\n", m.end())
            if not _RULE_LINE.fullmatch(text[start:end if end >= 0 else len(text)]):
                return f"连续写了 {len(m.group())} 个 * _ 或 ~ 符号（强调嵌套过深）"
    if ">" in text and _QUOTES.search(text):
        return f"引用符号 > 嵌套过深（超过 {MAX_NESTING} 层）"
    if _LIST_MARKS.search(text) or _INDENT.search(text):
        return f"列表或缩进嵌套过深（超过 {MAX_NESTING} 层）"
    return None


def _bracket_depth(text: str) -> int:
    depth = deepest = 0
    for m in _OPEN_CLOSE.finditer(text):
        token = m.group()
        if token in "])":
            depth = max(0, depth - 1)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


NESTING_HINT = ("网站无法排版这样的文字。请删掉多余的括号、符号或层级，太长的内容拆成几条记录；"
                "确实需要这些符号时，写成全角（如【】（）＜）。")
