"""Personal numbers in text: resident IDs, mobiles, bank cards and bank accounts.

Staff paste numbers in every shape: grouped with spaces, dots or dashes, in full-width
digits, in Chinese digits (一三九…, 壹叁玖…), or a mix. So the text is first read as *digit
groups*: a group is a run of digits of one script (ASCII and full-width count as one) or a
run of mask characters (* and X); neighbouring groups form one *run* when nothing or one
separator (space, dot, dash, underscore, slash, middle dot) lies between them. Each group
sequence of a run that could be one number is joined and judged as a whole. Every character
maps to exactly one digit, so a hit's offsets in the joined form are offsets in the original
text: the message shows the staff's own writing, masked, and its line. One or two stars
between digits (Markdown emphasis: 139**1234**5678) and digits written as character
references (&#49;) are read as the page will show them. Context words count on the number's
own line, in the 16 characters before it.

How a joined number is judged (first rule that applies):
1. 18 characters with a valid check digit (python-stdnum's cn.ric), a real birth date and a
   known province: a resident ID, whatever is around it. The county is not required: real
   IDs keep a county code issued after the holder's birth, and codes newer than stdnum's
   database exist; a false alarm costs a rewording, a published ID cannot be taken back.
2. An 18-character ID with masked positions that still shows the birth date (7th-14th).
3. An amount (12000 元, ¥…) passes.
4. Digits glued to ASCII letters (SF1381234567890, No.13800138000) are codes and pass,
   unless a personal word (手机, 电话 …) is nearer before them.
5. A mobile (1[3-9] and 9 digits, optionally after 86/0086) is refused even after an order
   word: an order number that reads as a mobile cannot be told from one (fail closed).
6. After an account word (账号, 卡号, 银行卡, 开户, 收款 …) any number of 11 or more digits is a
   bank account and refused, check digit or not.
7. After an order, express, invoice or case word (订单号, 快递单号, 运单号, 发票号码, 案号 …) a
   number is a serial and passes (cards and old IDs included).
8. Otherwise, 16-19 digits starting like a card and passing Luhn (stdnum.luhn) are a bank
   card; 15 digits with a known province and a real date (19YYMMDD) an old ID.
Cards and old IDs (the weaker shapes) joined from several groups must be grouped regularly
(equal groups, a shorter last one: 6222 0228 9761 3388 237), so that two numbers written
side by side do not make a third.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from stdnum import luhn, numdb
from stdnum.cn import ric

__all__ = ["Finding", "scan_numbers", "scan_filename", "skeleton", "id_check_char", "luhn_ok"]


@dataclass(frozen=True)
class Finding:
    kind: str  # "id_number" | "mobile" | "bank_card" | "hardship"
    line: int  # 1-based line within the text given
    masked: str  # e.g. "330503********1234" / "139****5678", in the text's own characters
    message: str
    hint: str  # Chinese
    # The number as ASCII digits, to find the record it came from (sitescan). Never shown.
    digits: str = field(default="", compare=False, repr=False)


_CN_DIGITS = "〇零○一壹幺二贰三叁四肆五伍六陆七柒八捌九玖"
_CN_VALUES = "0001112233445566778899"
_FULL = "０１２３４５６７８９"
_MASKS = "*＊Xxｘ×Ｘ"
# One character for one character: offsets in the translated text are the original's.
_TO_ASCII = str.maketrans(_CN_DIGITS + _FULL + _MASKS, _CN_VALUES + "0123456789" + "**XXXXX")
_SEPARATORS = " \t\u00a0\u3000.-_/·・．－／‐‑–—"
_ANY = re.escape("0123456789" + _FULL + _CN_DIGITS + _MASKS)
# Candidate runs: at least 11 digit-like characters (the shortest shape, a mobile), one
# separator at most between two of them. Ordinary text costs this one regex pass.
_RUN_RE = re.compile(rf"[{_ANY}](?:[{re.escape(_SEPARATORS)}]?[{_ANY}]){{10,}}")
_GROUP_RE = re.compile(rf"[0-9{_FULL}]+|[{re.escape(_MASKS)}]+|[{_CN_DIGITS}]+")
_MAX_LEN = 21  # the longest shape: a 19-digit card; 0086 + mobile is 15

_SERIAL_WORDS = re.compile(
    r"订单|单号|编号|编码|流水|发票|票号|案号|案件号|合同号|工单|快递|运单|物流|包裹|批次|序列号|序号|"
    r"条码|条形码|备案|证书号|许可证|登记号|文号|批号|型号|货号|学号|工号|会员号|券号|"
    r"交易号|凭证号|回执|受理号|查询码|验证码|取件码|邮编|邮政编码"
)
_ACCOUNT_WORDS = re.compile(r"账号|帐号|账户|帐户|卡号|银行卡|储蓄卡|信用卡|借记卡|存折|户名|开户|收款|转账|汇款|打款|善款|对公")
_PERSONAL_WORDS = re.compile(
    r"手机|电话|联系|致电|拨打|来电|微信|身份证|证件|tel|mobile|phone", re.IGNORECASE)
_AMOUNT_AFTER = re.compile(r"\s?(?:元|万|亿|块|角|圆|美元|人民币|%|％|‰|千克|公斤|克|吨|米|平方|公里)")
_AMOUNT_BEFORE = re.compile(r"(?:[¥￥$]|RMB|CNY)\s?$", re.IGNORECASE)
_CONTEXT = 16  # characters before a number in which a context word counts

_HINTS = {
    "id18": "公开网站不能出现居民身份证号（个人信息保护法）。请删去号码；如需说明，写“已核实身份”即可。",
    "id15": "公开网站不能出现居民身份证号（个人信息保护法）。请删去号码；如需说明，写“已核实身份”即可。",
    "idmask": "这个遮盖方式仍露出出生日期（第 7 到 14 位）。请删去整个号码，或至少把第 7 到 14 位也换成 *。",
    "mobile": "请删去个人手机号，写“请拨打社区办公室电话”（community.yml 里的办公电话可以公开）；"
              "如必须提到，写成 139****5678 这样的遮盖形式。订单号、快递单号恰好像手机号时也请只写后四位。",
    "card": "请删去银行卡号。捐款请写社区公开的对公账户名称，经审核后发布，不要公开个人卡号。",
    "account": "请删去银行账号。捐款请写“请到社区办公室了解捐款方式”或社区公开的对公账户名称，不要公开个人账号。",
}
_LABELS = {"id18": "居民身份证号", "id15": "15 位旧身份证号", "idmask": "遮盖不全的身份证号",
           "mobile": "个人手机号", "card": "银行卡号", "account": "银行账号"}
_FINDING_KIND = {"id18": "id_number", "id15": "id_number", "idmask": "id_number",
                 "mobile": "mobile", "card": "bank_card", "account": "bank_card"}


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an 18-digit ID."""
    return ric.calc_check_digit(first17 + "0")


def luhn_ok(digits: str) -> bool:
    return luhn.is_valid(digits)


@lru_cache(maxsize=64)  # pure: python-stdnum's fixed table of region codes
def _province_known(code: str) -> bool:
    return any("province" in props for _, props in numdb.get("cn/loc").info(code + "0000"))


def _real_date(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _birth_ok(s: str) -> bool:
    """Characters 7-14 are a real birth date between 1880 and 2099."""
    return s[6:14].isdigit() and 1880 <= int(s[6:10]) <= 2099 and _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def _valid_id18(s: str) -> bool:
    if not (s[:17].isdigit() and (s[17].isdigit() or s[17] == "X")):
        return False
    if not (_birth_ok(s) and ric.calc_check_digit(s) == s[17] and _province_known(s[:2])):
        return False  # the cheap tests first: stdnum's own date parsing costs more
    try:
        ric.get_birth_date(s)
    except ValueError:
        return False
    return True


def _id_shaped(s: str) -> bool:
    """An 18-digit number that looks like an ID but for its check digit: a serial or a typo."""
    return s.isdigit() and _province_known(s[:2]) and _birth_ok(s)


def _masked_shows_birth(s: str) -> bool:
    if "*" not in s and "X" not in s[:17]:
        return False  # not masked at all: a full number, judged as such
    if s[:2].isdigit() and not _province_known(s[:2]):
        return False
    return _birth_ok(s)


def _valid_id15(s: str) -> bool:
    return _province_known(s[:2]) and _real_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def _mobile(s: str) -> str | None:
    """The 11 digits of a mainland mobile, country code removed, or None."""
    if len(s) == 15 and s.startswith("0086"):
        s = s[4:]
    elif len(s) == 13 and s.startswith("86"):
        s = s[2:]
    return s if len(s) == 11 and s[0] == "1" and s[1] in "3456789" else None


def _card_prefix_ok(s: str) -> bool:
    return s[0] in "345689" or 2221 <= int(s[:4]) <= 2720


def _context(before: str) -> str | None:
    """'serial', 'account' or 'personal': the kind of the nearest context word before a number."""
    ends = {kind: max((m.end() for m in pattern.finditer(before)), default=-1)
            for kind, pattern in (("serial", _SERIAL_WORDS), ("account", _ACCOUNT_WORDS),
                                  ("personal", _PERSONAL_WORDS))}
    kind = max(ends, key=ends.get)
    return kind if ends[kind] >= 0 else None


def _regular(lengths: list[int]) -> bool:
    """One group, or equal groups and a last one no longer than them."""
    return len(lengths) == 1 or (len(set(lengths[:-1])) == 1 and lengths[-1] <= lengths[0])


def _judge(s: str, lengths: list[int], text: str, start: int, end: int,
           allowed: frozenset[str]) -> str | None:
    """The kind of personal number `s` (the digits of text[start:end], in ASCII) is, or None."""
    if len(s) == 18 and _valid_id18(s):
        return "id18"
    masked = "*" in s or "X" in s
    if masked:
        return "idmask" if len(s) == 18 and _masked_shows_birth(s) else None
    before = text[max(0, start - _CONTEXT):start]
    if _AMOUNT_AFTER.match(text, end) or _AMOUNT_BEFORE.search(before):
        return None
    context = _context(before)
    glued = (start and text[start - 1].isascii() and text[start - 1].isalpha()) or (
        start > 1 and text[start - 1] == "." and text[start - 2].isascii() and text[start - 2].isalpha()) or (
        end < len(text) and text[end].isascii() and text[end].isalpha())
    if glued and context != "personal":
        return None
    mobile = _mobile(s)
    if mobile is not None:
        return None if mobile in allowed or s in allowed else "mobile"
    if s in allowed:
        return None
    if context == "account":
        return "account"
    if context == "serial" or not _regular(lengths):
        return None
    if len(s) == 18 and _id_shaped(s):
        return None  # an ID but for its check digit: a serial or a typo, not tried as a card
    if 16 <= len(s) <= 19 and _card_prefix_ok(s) and luhn.is_valid(s):
        return "card"
    if len(s) == 15 and _valid_id15(s):
        return "id15"
    return None


def _mask(kind: str, original: str, positions: tuple[int, ...]) -> str:
    """`original` with the digits that identify hidden; separators kept as written."""
    n = len(positions)
    if kind in ("id18", "idmask"):
        hide = range(6, 14)
    elif kind == "id15":
        hide = range(6, 12)
    elif kind == "mobile":
        hide = range(n - 8, n - 4)
    else:
        hide = range(4, n - 4)
    chars = list(original)
    for i in hide:
        chars[positions[i]] = "*"
    return "".join(chars)


_CACHED_LINE = 2000  # characters: longer lines are rare and not worth keeping


@lru_cache(maxsize=1 << 14)  # pure; a page's shell (footer, phone) repeats on every page
def _line_hits(text: str, allowed: frozenset[str]) -> tuple[tuple[str, int, int, tuple[int, ...], str], ...]:
    """(kind, start, end, digit positions, ASCII form) of each personal number in one line."""
    return tuple(_hits(text, allowed))


def _hits(text: str, allowed: frozenset[str]):
    """(kind, start, end, digit positions, ASCII form) of each personal number, left to right."""
    for run in _RUN_RE.finditer(text):
        ascii_run, base = run.group().translate(_TO_ASCII), run.start()  # only runs: translate is slow
        groups = [(m.start() + base, m.end() + base) for m in _GROUP_RE.finditer(run.group())]
        found = list(_sequences(groups, ascii_run, base, text, allowed))
        yield from found
        # Markdown emphasis inside a number (139**1234**5678) shows it whole on the page: one
        # or two stars between digits are read as a separator too, where nothing was found.
        unmarked = [g for k, g in enumerate(groups) if not _emphasis(groups, k, ascii_run, base)]
        if len(unmarked) < len(groups):
            taken = [(start, end) for _, start, end, _, _ in found]
            yield from (h for h in _sequences(unmarked, ascii_run, base, text, allowed)
                        if all(h[2] <= a or h[1] >= b for a, b in taken))


def _emphasis(groups: list[tuple[int, int]], k: int, ascii_run: str, base: int) -> bool:
    a, b = groups[k]
    return (0 < k < len(groups) - 1 and b - a <= 2 and set(ascii_run[a - base:b - base]) == {"*"}
            and groups[k - 1][1] == a and groups[k + 1][0] == b)


def _sequences(groups: list[tuple[int, int]], ascii_run: str, base: int, text: str, allowed: frozenset[str]):
    """The personal numbers among `groups` (one run): longest sequence first from each group."""
    # total[k]: characters in groups[:k]; only sequences of 11 to _MAX_LEN are tried
    total = [0]
    for a, b in groups:
        total.append(total[-1] + b - a)
    i = 0
    while i < len(groups):
        hit = None
        j = i + 1
        while j < len(groups) and total[j + 1] - total[i] <= _MAX_LEN:
            j += 1
        for j in range(j, i, -1):
            if not 11 <= total[j] - total[i] <= _MAX_LEN:
                continue
            start, end = groups[i][0], groups[j - 1][1]
            parts = [ascii_run[a - base:b - base] for a, b in groups[i:j]]
            s = "".join(parts)
            kind = _judge(s, [len(p) for p in parts], text, start, end, allowed)
            if kind is not None:
                positions = tuple(k - start for a, b in groups[i:j] for k in range(a, b))
                hit = (kind, start, end, positions, s, j)
                break
        if hit is None:
            i += 1
            continue
        yield hit[:5]
        i = hit[5]


def _allowed_forms(allowed: frozenset[str]) -> frozenset[str]:
    return frozenset(a for x in allowed for a in (x, _mobile(x)) if a)


def skeleton(text: str) -> tuple[str, list[int]]:
    """The digits (and ID check X) of `text` in ASCII, every other character dropped, with the
    offset of each in `text`: a number split by separators or markup (138**0013**8000) is
    found in it whole."""
    ascii_text = text.translate(_TO_ASCII)
    offsets = [i for i, c in enumerate(ascii_text) if c.isdigit() and c.isascii() or c == "X"]
    return "".join(ascii_text[i] for i in offsets), offsets


def scan_numbers(text: str, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Every resident ID, personal mobile, bank card and account number in `text`, masked.

    `allowed` holds digit-only forms of public numbers (the office phone) that may appear.
    """
    if "&#" in text:  # digits written as character references (&#49;) show as digits on a page
        decoded = _CHAR_REF_RE.sub(_char, text)
        if decoded != text:
            found = _scan(text, allowed)
            seen = {(f.line, f.digits) for f in found}
            return found + [f for f in _scan(decoded, allowed) if (f.line, f.digits) not in seen]
    return _scan(text, allowed)


_CHAR_REF_RE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,6})|([0-9]{1,7}));?")


def _char(m: re.Match) -> str:
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    char = chr(code) if code < 0x110000 else ""
    return char if char.isdigit() or char in _MASKS else m.group()  # only digits matter here; lines stay


def _scan(text: str, allowed: frozenset[str]) -> list[Finding]:
    if not _RUN_RE.search(text):
        return []
    allowed = _allowed_forms(allowed)
    found: list[Finding] = []
    line, pos, done = 1, 0, -1
    for run in _RUN_RE.finditer(text):
        if run.start() < done:
            continue  # its line was read with an earlier run
        first = text.rfind("\n", 0, run.start()) + 1  # runs never cross a line break
        done = text.find("\n", run.end())
        done = len(text) if done < 0 else done
        line += text.count("\n", pos, first)
        pos = first
        found += _findings(text[first:done], line, allowed)
    return found


def _findings(text: str, line: int, allowed: frozenset[str]) -> list[Finding]:
    """The findings of one line (`line` its number)."""
    found = []
    hits = _line_hits(text, allowed) if len(text) <= _CACHED_LINE else _hits(text, allowed)
    for kind, start, end, positions, digits in hits:
        masked = _mask(kind, text[start:end], positions)
        found.append(Finding(_FINDING_KIND[kind], line, masked, f"发现{_LABELS[kind]} {masked}", _HINTS[kind],
                             digits))
    return found


_NAME_LETTERS = re.compile(r"[A-WYZa-wyz]+|(?<![0-9０-９])[Xx]+")


def scan_filename(name: str, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Numbers in a file name or path: letters count as gaps there, so IMG_13812345678.jpg
    and photo13812345678.jpg are both caught (an ID's final X stays part of it)."""
    # NUL for each letter: it joins nothing and glues nothing, and offsets stay the name's.
    return scan_numbers(_NAME_LETTERS.sub(lambda m: "\0" * len(m.group()), name), allowed)
