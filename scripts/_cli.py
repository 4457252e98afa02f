"""ArgumentParser that answers --help and usage errors in Chinese, for the staff scripts.

argparse's own words ("usage:", "options:", "error: the following arguments are required")
are English and come from a gettext catalogue we do not ship; instead of patching argparse's
module (global state), this subclass sets the Chinese titles, prefix and -h line itself and
translates the error message it is handed. Exit status stays argparse's (2 for a usage error).
"""
from __future__ import annotations

import argparse
import re
import sys
import unicodedata

# argparse's error sentences (Python 3.11), in the order tried; groups are kept as they are.
_ERRORS = (
    (r"^the following arguments are required: (.*)$", r"缺少必填的参数：\1"),
    (r"^unrecognized arguments: (.*)$", r"看不懂这些参数：\1（用 -h 看可以写什么）"),
    (r"^argument (\S+): invalid choice: (.*) \(choose from (.*)\)$", r"参数 \1 写成了 \2，只能是其中之一：\3"),
    (r"^invalid choice: (.*) \(choose from (.*)\)$", r"写成了 \1，只能是其中之一：\2"),
    (r"^argument (\S+): expected one argument$", r"参数 \1 后面要跟一个值"),
    (r"^argument (\S+): expected at least one argument$", r"参数 \1 后面至少要跟一个值"),
    (r"^argument (\S+): expected (\d+) arguments?$", r"参数 \1 后面要跟 \2 个值"),
    (r"^argument (\S+): invalid int value: (.*)$", r"参数 \1 要写整数，写成了 \2"),
    (r"^argument (\S+): invalid float value: (.*)$", r"参数 \1 要写数字，写成了 \2"),
    (r"^argument (\S+): invalid (\S+) value: (.*)$", r"参数 \1 的值 \3 不对"),
    (r"^argument (\S+): not allowed with argument (\S+)$", r"参数 \1 不能和 \2 一起用"),
    (r"^argument (\S+): ignored explicit argument (.*)$", r"参数 \1 不带值，却写了 \2"),
    (r"^ambiguous option: (\S+) could match (.*)$", r"参数 \1 不完整，可能是：\2"),
    (r"^one of the arguments (.*) is required$", r"这些参数必须写一个：\1"),
    (r"^argument (\S+): (.*)$", r"参数 \1：\2"),  # our own ArgumentTypeError texts are Chinese
)


def translate(message: str) -> str:
    """The Chinese for one of argparse's error messages (unknown ones are returned unchanged)."""
    for pattern, chinese in _ERRORS:
        if re.match(pattern, message):
            return re.sub(pattern, chinese, message)
    return message


def _width(text: str) -> int:
    """Terminal columns of `text`: a Chinese character takes two (argparse counts one)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    # The help column lines up when option values are Chinese (--content 文件夹): argparse
    # measures with len(), so widen its column and take back the extra padding it wrote.
    def add_argument(self, action):
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            width = _width(self._format_action_invocation(action)) + self._current_indent
            self._action_max_length = max(self._action_max_length, width)

    def _format_action(self, action):
        text = super()._format_action(action)
        header = self._format_action_invocation(action)
        extra = _width(header) - len(header)
        start = text.find(header)
        if extra and start >= 0:
            end = start + len(header)
            spaces = len(text[end:]) - len(text[end:].lstrip(" "))
            if spaces - extra >= 2:
                text = text[:end] + " " * (spaces - extra) + text[end + spaces:]
        return text


class ArgumentParser(argparse.ArgumentParser):
    """argparse.ArgumentParser in Chinese; subparsers and parents made from it are Chinese too."""

    def __init__(self, *args, add_help: bool = True, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", _Formatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "位置参数"
        self._optionals.title = "选项"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="显示这段说明后退出")
        # parents after the titles, as argparse itself adds them, so their options join ours
        # under one "选项" heading instead of a second one
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(getattr(parent, "_defaults", {}))

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}：错误：{translate(message)}\n")
