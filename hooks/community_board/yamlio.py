"""Reading staff's files: bytes -> text -> YAML with line numbers.

Every failure becomes a `Problem`, never an exception: staff save files from Windows editors
(GBK, BOMs, CRLF), paste tabs into YAML, and type dates like 2026-2-30.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import yaml

from .errors import Problems
from .limits import MAX_YAML_DEPTH

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A YAML mapping that remembers where it and each of its keys stand (1-based lines)."""

    line: int = 0
    lines: dict

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LineList(list):
    line: int = 0
    lines: list

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class _Loader(_BaseLoader):
    """Safe loader (C parser where present) that keeps lines and notes duplicate keys."""

    def __init__(self, stream):
        super().__init__(stream)
        self.duplicates: list[tuple[Any, int]] = []
        self.line_offset = 0


_STR = "tag:yaml.org,2002:str"


def _construct(loader: _Loader, node):
    """loader.construct_object(node, deep=True). A string (nearly every key and value) is
    its node's text, which is what construct_object returns for it, without the bookkeeping
    that costs more than the string (a third of the construction's time): that bookkeeping
    guards aliases and recursion, which a string cannot hold."""
    if node.tag == _STR and isinstance(node, yaml.ScalarNode):
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_map(loader: _Loader, node):
    data = LineDict()
    data.line = node.start_mark.line + 1 + loader.line_offset
    data.lines = {}
    yield data
    loader.flatten_mapping(node)
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark) from None
        line = key_node.start_mark.line + 1 + loader.line_offset
        if key in data:
            loader.duplicates.append((key, line))
        data[key] = _construct(loader, value_node)
        data.lines[key] = line


def _construct_seq(loader: _Loader, node):
    data = LineList()
    data.line = node.start_mark.line + 1 + loader.line_offset
    data.lines = [n.start_mark.line + 1 + loader.line_offset for n in node.value]
    yield data
    data.extend(_construct(loader, n) for n in node.value)


def _construct_timestamp_as_text(loader: _Loader, node):
    # Dates stay text: the schema parses YYYY-MM-DD itself, so 2026-02-30 is a clear
    # error of ours instead of a ValueError from deep inside PyYAML.
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:omap", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp_as_text)

_SAVE_AS_UTF8 = ("用记事本打开该文件，点「文件 → 另存为」，在「编码」里选「UTF-8」后保存；"
                 "用 WPS 或 VS Code 时，选择「以 UTF-8 编码保存」。")


def decode(raw: bytes, file: str, problems: Problems) -> str | None:
    """UTF-8 text with LF line ends, or None after a problem that says how to re-save."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK/GB2312 编码（Windows 里的记事本、WPS 常这样保存）"
        except UnicodeDecodeError:
            guess = "无法识别的编码"
        problems.add(file, line, None, f"文件不是 UTF-8 编码，{guess}，网站无法读取。", _SAVE_AS_UTF8)
        return None
    if "\x00" in text:
        problems.add(file, None, None, "文件里有空字符（\\0），不是文本文件或已损坏。",
                     "请确认这是用文本编辑器写的 .md/.yml 文件；若已损坏，请从备份恢复。")
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def load_yaml(text: str, file: str, problems: Problems, line_offset: int = 0, memo=None) -> Any:
    """Parse YAML; on any error add a Problem (with the line) and return None.

    With a `memo` (memo.Memo), text parsed cleanly before is not parsed again: `mkdocs serve`
    re-reads every record after each save. The parsed data is never modified downstream."""
    if memo is not None:
        from .memo import digest
        key = digest("yaml", str(line_offset), text)
        cached = memo.get(key)
        if cached is not None:
            return cached
        before = len(problems)
        data = load_yaml(text, file, problems, line_offset)
        if data is not None and len(problems) == before:
            memo.put(key, data)
        return data
    if _refused_structure(text, file, problems, line_offset):
        return None
    loader = _Loader(text)
    loader.line_offset = line_offset
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark else None
        problems.add(file, line, None, f"YAML 格式错误：{_explain(exc)}", _YAML_HINT)
        return None
    except (yaml.YAMLError, RecursionError, ValueError, TypeError) as exc:
        problems.add(file, None, None, f"YAML 格式错误：{exc.__class__.__name__}", _YAML_HINT)
        return None
    finally:
        loader.dispose()
    for key, line in loader.duplicates:
        problems.add(file, line, str(key), "同一个字段写了两次，后写的会覆盖先写的。",
                     "删掉多余的一处，只保留一个。")
    return data


_BLOCK_LEAD = re.compile(r"^[ \t?:-]+", re.M)


def _may_refuse(text: str) -> bool:
    """False when the text can hold no anchor, alias, tag or deep nesting, so that the event scan
    (a third of the load's time) runs only on suspect files. Depth is at most the flow
    brackets plus two levels per column of a line's lead (indentation and `- `/`? `/`: `
    markers): a block collection starts on a new line, deeper than its parent or, for a list
    under a key, after that key's level."""
    if "&" in text or "*" in text or "!" in text:
        return True
    budget = MAX_YAML_DEPTH - 2 - text.count("[") - text.count("{")
    if budget < 0:
        return True
    return any(2 * len(m.group()) > budget for m in _BLOCK_LEAD.finditer(text))


def refused_structure(text: str) -> bool:
    """Whether load_yaml would refuse the text's structure (anchors, aliases, tags, depth):
    for workers that parse raw files ahead of the checks and must never build such a value."""
    return _refused_structure(text, "", Problems(), 0)


def _refused_structure(text: str, file: str, problems: Problems, line_offset: int) -> bool:
    """Refuse anchors, aliases, explicit tags and deep nesting from the parser's events, before
    any node is composed or value built: the C composer recurses once per level (100,000 `[`
    overflow its stack), and an alias-built value (billion laughs) exhausts memory when a
    message quotes it. Staff never need any of them (a tag such as !!binary turns a title into
    bytes). Syntax errors are left to the real load, which explains them."""
    return _may_refuse(text) and _scan_refuses(text, file, problems, line_offset)


def _scan_refuses(text: str, file: str, problems: Problems, line_offset: int) -> bool:
    depth = 0
    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            line = event.start_mark.line + 1 + line_offset
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                problems.add(file, line, None, "YAML 里用了锚点（&）或别名（*），网站不接受这种写法。",
                             "把每个值直接写出来；以 & 或 * 开头的文字请用引号括起来，例如 title: \"*重要*通知\"。")
                return True
            if getattr(event, "tag", None) not in (None, "!"):
                tag = event.tag.replace("tag:yaml.org,2002:", "!!")[:40]
                problems.add(file, line, None, f"YAML 里用了类型标记（{tag}），网站不接受这种写法。",
                             "删掉以 ! 开头的标记，直接写值；以 ! 开头的文字请用引号括起来。")
                return True
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    problems.add(file, line, None, f"YAML 嵌套过深（超过 {MAX_YAML_DEPTH} 层）。",
                                 "检查方括号 [ 、花括号 { 是否多写了，或缩进是否层层加深；"
                                 "以 [ 或 { 开头的文字请用引号括起来。")
                    return True
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                depth -= 1
    except (yaml.YAMLError, RecursionError, ValueError, TypeError):
        return False
    return False


_YAML_HINT = ("检查这一行及上一行：冒号后要有一个空格；缩进只用空格不用 Tab；"
              "含有冒号、# 或以符号开头的文字请用引号括起来。")


def _explain(exc: yaml.MarkedYAMLError) -> str:
    problem = (exc.problem or "").strip()
    if "\t" in problem or "tab" in problem.lower():
        return "缩进里有 Tab 字符"
    if "mapping values are not allowed" in problem:
        return "这里出现了多余的冒号，或上一行缩进不对"
    if "could not find expected ':'" in problem:
        return "缺少冒号，或引号没有配对"
    if "found undefined alias" in problem or "found unknown escape" in problem:
        return "文字里有 * 或 \\ 等特殊符号，请用引号括起来"
    if "expected ',' or ']'" in problem or "expected ',' or '}'" in problem:
        return "方括号 [ ] 或花括号 { } 没有配对"
    if "end of stream" in problem and "quoted" in (exc.context or ""):
        return "引号没有配对"
    if "unhashable key" in problem:
        return "字段名不能是列表或字典"
    if "did not find expected key" in problem or "expected <block end>" in problem:
        return "缩进对不齐"
    return problem or "无法解析"


_FENCE = re.compile(r"^(?:---|\.\.\.)[ \t]*$")


@dataclass(frozen=True)
class FrontMatterDoc:
    meta: Any
    body: str
    body_line: int  # line number of the body's first line in the file


def _closing_fence(lines: list[str]) -> int | None:
    """Index of the line that ends the front matter, or None when there is none."""
    if not lines or lines[0].strip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if _FENCE.match(lines[i])), None)


def body_of(text: str) -> str | None:
    """The Markdown body of a record's text (decoded), exactly as split_front_matter gives it,
    without reading the YAML; None when the front matter is missing or not closed."""
    lines = text.split("\n")
    end = _closing_fence(lines)
    return None if end is None else "\n".join(lines[end + 1:])


def split_front_matter(text: str, file: str, problems: Problems, memo=None) -> FrontMatterDoc | None:
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        problems.add(file, 1, None, "文件开头缺少 YAML 头信息（第一行应为 ---）。",
                     "在文件最前面加上以 --- 开头、以 --- 结束的几行，写明 title、date 等字段。")
        return None
    end = _closing_fence(lines)
    if end is None:
        problems.add(file, 1, None, "YAML 头信息没有结束（缺少第二个 --- 行）。",
                     "在 title、date 等字段之后单独写一行 ---，再写正文。")
        return None
    meta = load_yaml("\n".join(lines[1:end]), file, problems, line_offset=1, memo=memo)
    return FrontMatterDoc(meta, "\n".join(lines[end + 1:]), end + 2)
