"""Privacy detectors: resident ID, mobile and bank-card numbers, named hardship, and the site scan.

Pure functions over text; the checker runs them on records, the build on every file under
`site/`. Numbers are found in one compiled regex pass per text and confirmed by their check
digits (ID: GB 11643 mod 11-2; cards: Luhn), so dates, amounts, landlines and order numbers
stay quiet. Messages never repeat a full number: every hit is shown masked.

Choices worth knowing (see tests/data/privacy_labelled.yml, which measures them):
- An 18-digit number shaped like an ID (province code, real birth date) but with a wrong check
  digit is not reported: the check digit is what tells an ID from an 18-digit serial, and such
  a number is not then tried as a bank card either.
- Bank cards must start like a card (3, 4, 5, 6, 9, or the 2221-2720 Mastercard range): date-
  prefixed serials such as 2026030512345678 pass Luhn one time in ten and are not cards.
- A mobile, card or 15-digit match right after an order-type word (订单号, 发票号, 案号 …) is a
  serial, unless a personal word (手机, 身份证, 卡号 …) is nearer. A full 18-digit ID with a
  valid check digit is reported whatever precedes it.
- Digits glued to ASCII letters (SF1381234567890, No.13800138000) are codes, not numbers.
- Hardship: a person is "named" by a name jieba tags as a person (nr) that starts with a known
  surname and is not a common word (two-character dictionary entries such as 汤圆 count only
  next to a person word: 低保户X, X老人), by a lone surname plus given name that jieba split
  (徐|志强), or by surname + form of address (张大爷, 老张). Staff and
  volunteers named with their title (社区主任王芳, 李明书记) act, they are not the subject of
  the hardship, so they do not trip the rule; pseudonyms (张某, 李某某) are not names.
"""
from __future__ import annotations

import functools
import gzip
import html
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .errors import Problem
from .htmlsafety import external_css_resources, external_resources
from . import tagger
from .memo import digest

__all__ = [
    "Finding",
    "scan_numbers",
    "scan_hardship",
    "names_person",
    "scan_filename",
    "scan_site",
    "id_check_char",
    "luhn_ok",
]


@dataclass(frozen=True)
class Finding:
    kind: str  # "id_number" | "mobile" | "bank_card" | "hardship"
    line: int  # 1-based line within the text given
    masked: str  # e.g. "330503********1234" / "139****5678"
    message: str
    hint: str  # Chinese


# --- numbers ------------------------------------------------------------------------------

_PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DAYS = (31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)

# Full-width digits, stars and dashes as pasted from Word: same length, so offsets hold.
_WIDTH = str.maketrans("０１２３４５６７８９＊－　ｘＸ", "0123456789*- xX")

_MMDD = r"(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])"
_WIDE_RE = re.compile("[０-９＊－　ｘＸ]")
_NUMBER_RE = re.compile(
    r"(?=[0-9+(*Xx])"  # lets the regex engine skip ahead to a possible first character
    r"(?<![0-9A-Za-z*])(?<![0-9A-Za-z]\.)"
    r"(?:"
    # 18-digit ID, optionally grouped 6-8-4 with spaces as some reports print it
    rf"(?P<id18>\d{{6}} ?(?:18|19|20)\d\d{_MMDD} ?\d{{3}}[\dXx])"
    # partly masked 18-digit ID that still shows the birth date (chars 7-14)
    rf"|(?P<idmask>[\d*Xx]{{6}}(?:18|19|20)\d\d{_MMDD}[\d*Xx]{{4}})"
    # bank card, 16-19 digits, plain or grouped in fours
    r"|(?P<card>\d{4}(?:[ -]?\d{4}){3}(?:[ -]?\d{1,3})?)"
    # 15-digit first-generation ID: region, YYMMDD, sequence
    rf"|(?P<id15>\d{{6}}\d\d{_MMDD}\d{{3}})"
    # mobile, optionally +86 / 0086 / (+86), 3-4-4 with optional space or dash
    r"|(?P<mobile>(?:(?:\+|00)?86[ -]?|\(\+?86\) ?)?1[3-9]\d[ -]?\d{4}[ -]?\d{4})"
    r")"
    r"(?![0-9A-Za-z*])(?!\.\d)"
)

# Words that make the next number a serial (order, invoice, case ...), and words that make it
# personal; whichever is nearer before the number wins.
_SERIAL_WORDS = re.compile(
    r"订单|单号|编号|编码|流水|发票|票号|案号|案件号|合同号|工单|快递|运单|批次|序列号|序号|"
    r"条码|条形码|备案|证书号|许可证|登记号|文号|批号|型号|货号|学号|工号|会员号|券号|"
    r"交易号|凭证号|回执|受理号|查询码|验证码|邮编|邮政编码"
)
_PERSONAL_WORDS = re.compile(
    r"手机|电话|联系|致电|拨打|来电|微信|身份证|证件|卡号|银行|账号|帐号|账户|帐户|户名|开户|"
    r"收款|转账|汇款|tel|mobile|phone",
    re.IGNORECASE,
)
_AMOUNT_AFTER = re.compile(r"\s?(?:元|万|亿|块|角|圆|美元|人民币|%|％|‰|千克|公斤|克|吨|米|平方|公里)")
_AMOUNT_BEFORE = re.compile(r"(?:[¥￥$]|RMB|CNY)\s?$", re.IGNORECASE)

_HINTS = {
    "id_number": "公开网站不能出现居民身份证号（个人信息保护法）。请删去号码；如需说明，写“已核实身份”即可。",
    "id_masked": "这个遮盖方式仍露出出生日期（第 7 到 14 位）。请删去整个号码，或至少把第 7 到 14 位也换成 *。",
    "mobile": "请删去个人手机号。联系方式请写社区办公电话；如必须提到，请写成 139****5678 这样的遮盖形式。",
    "bank_card": "请删去银行卡号。捐款请写社区公开的对公账户名称，经审核后发布，不要公开个人卡号。",
}


def id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits of an 18-digit ID."""
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _real_date(year: int, month: int, day: int) -> bool:
    if not (1 <= month <= 12 and 1 <= day <= _DAYS[month - 1]):
        return False
    if month == 2 and day == 29:
        return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    return True


def _valid_id18(s: str) -> bool:
    return (
        s[:2] in _PROVINCES
        and 1880 <= int(s[6:10]) <= 2099
        and _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))
        and id_check_char(s[:17]) == s[17]
    )


def _valid_id15(s: str) -> bool:
    return s[:2] in _PROVINCES and _real_date(1900 + int(s[6:8]), int(s[8:10]), int(s[10:12]))


def _id_shaped(s: str) -> bool:
    return s[:2] in _PROVINCES and _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def _card_prefix_ok(s: str) -> bool:
    return s[0] in "345689" or 2221 <= int(s[:4]) <= 2720


def _masked_shows_birth(s: str) -> bool:
    if "*" not in s and ("X" not in s[:17]):
        return False  # not masked at all: a full number, judged as such
    if s[:2].isdigit() and s[:2] not in _PROVINCES:
        return False
    return _real_date(int(s[6:10]), int(s[10:12]), int(s[12:14]))


def _context_kind(before: str) -> str | None:
    """'serial' or 'personal' by the nearer keyword in the text just before a number."""
    serial = [m.end() for m in _SERIAL_WORDS.finditer(before)]
    personal = [m.end() for m in _PERSONAL_WORDS.finditer(before)]
    if not serial and not personal:
        return None
    return "serial" if max(serial, default=-1) > max(personal, default=-1) else "personal"


def _strip_country(digits: str) -> str:
    if len(digits) == 15 and digits.startswith("0086"):
        return digits[4:]
    if len(digits) == 13 and digits.startswith("86"):
        return digits[2:]
    return digits


def _mask(kind: str, s: str) -> str:
    if kind in ("id18", "idmask"):
        return s[:6] + "*" * 8 + s[14:]
    if kind == "id15":
        return s[:6] + "*" * 6 + s[12:]
    if kind == "mobile":
        return s[:3] + "****" + s[7:]
    return s[:4] + "*" * (len(s) - 8) + s[-4:]


def _classify(kind: str, digits: str, before: str, after: str) -> tuple[str, str] | None:
    """(finding kind, label) for a regex hit, or None when the hit is not a personal number."""
    context = _context_kind(before[-12:])
    if kind == "id18":
        if _valid_id18(digits):
            return "id_number", "居民身份证号"
        if _id_shaped(digits):
            return None  # wrong check digit: a serial or a typo, not an ID (documented above)
        kind = "card"
    if _AMOUNT_AFTER.match(after) or _AMOUNT_BEFORE.search(before):
        return None
    if kind == "idmask":
        return ("id_number", "遮盖不全的身份证号") if _masked_shows_birth(digits) else None
    if context == "serial":
        return None
    if kind == "card":
        if _card_prefix_ok(digits) and luhn_ok(digits):
            return "bank_card", "银行卡号"
        return None
    if kind == "id15":
        return ("id_number", "15 位旧身份证号") if _valid_id15(digits) else None
    return "mobile", "个人手机号"


def scan_numbers(text: str, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Every resident ID, personal mobile and bank-card number in `text`, masked.

    `allowed` holds digit-only forms of public numbers (the office phone) that may appear.
    """
    norm = text.translate(_WIDTH) if _WIDE_RE.search(text) else text
    allowed_norm = {_strip_country(a) for a in allowed}
    found: list[Finding] = []
    line, pos = 1, 0
    for m in _NUMBER_RE.finditer(norm):
        kind = m.lastgroup or ""
        raw = m.group()
        digits = re.sub(r"[^0-9X*]", "", raw.upper())
        start, end = m.span()
        verdict = _classify(kind, digits, norm[max(0, start - 16):start], norm[end:end + 4])
        if verdict is None:
            continue
        fkind, label = verdict
        if fkind == "mobile":
            digits = _strip_country(digits)
            if digits in allowed_norm:
                continue
        elif digits in allowed_norm:
            continue
        line += norm.count("\n", pos, start)
        pos = start
        mask_kind = "idmask" if kind == "idmask" else kind
        masked = _mask(mask_kind if fkind != "bank_card" else "card", digits)
        hint = _HINTS["id_masked"] if kind == "idmask" else _HINTS[fkind]
        found.append(Finding(fkind, line, masked, f"发现{label} {masked}", hint))
    return found


def scan_filename(name: str, allowed: frozenset[str] = frozenset()) -> list[Finding]:
    """Numbers in a file name or path: letters and separators count as gaps there, so
    IMG_13812345678.jpg and photo13812345678.jpg are both caught."""
    spaced = re.sub(r"[A-Za-z_./\\]+", " ", name)
    return scan_numbers(spaced, allowed)


# --- hardship and names ---------------------------------------------------------------------

_HARDSHIP_RE = re.compile(
    r"低保|低收入|特困|特殊困难|困难家庭|困难户|困难群众|困难老人|困难党员|困难职工|困难群体|"
    r"生活困难|经济困难|家庭困难|贫困|返贫|残疾|残障|伤残|聋哑|失明|盲人|智力障碍|肢体障碍|"
    r"孤寡|孤残|孤儿|失独|失能|失智|救助金|临时救助|大病|重病|病重|病危|绝症|患有|身患|罹患|患病|"
    r"患上|患者|确诊|癌|肿瘤|白血病|尿毒症|透析|瘫痪|偏瘫|截瘫|中风|脑梗|脑瘫|精神病|精神疾病|"
    r"精神障碍|抑郁症|自闭症|孤独症|阿尔茨海默|老年痴呆|住院|化疗|手术|艾滋|肝炎|结核"
)
_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")

_SURNAMES_1 = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫阎段雷侯龙史陶黎贺顾毛郝"
    "龚邵万钱严覃武戴莫孔向汤施柳鲍俞倪饶祝葛聂章盛邢焦童詹鲁殷尚翟欧单柴庞晏滕岳甘关颜卓洪包"
    "左牛宁温芦卜费贝季凌符阮蓝席房裴苗窦靳舒缪伍耿庄卞谷邬楚冉查应闵乔巫党巴娄项储宫宗栾隋郎桂"
    "匡茅池晋穆敖骆尤樊喻柏艾丛佘毕冷齐柯霍蒙农岑荣戚鞠刁姬奚郁米华"
)
_SURNAMES_2 = frozenset(
    "欧阳 司马 上官 诸葛 东方 皇甫 令狐 慕容 司徒 夏侯 尉迟 长孙 宇文 公孙 端木 独孤 南宫 西门".split()
)
# Surnames that also begin everyday words after 老/小 (小马, 老白干, 小金库, 小方块 ...).
_AMBIGUOUS_AFTER_OLD_YOUNG = frozenset(
    "马白金石方高龙万向江段钱黎常明时区文安和华甘包左牛宁温于程孔熊童单柴关祝毛顾"
    "党乔楚房米谷池齐冷蒙农荣应项宫宗季符蓝席柏艾舒庄查晋郎桂匡茅巴娄从丛毕"
)
_ADDRESS = (
    "大爷|大妈|大娘|大伯|大叔|大哥|大姐|阿姨|奶奶|爷爷|婆婆|阿婆|老伯|伯伯|叔叔|老太太|老太|"
    "老先生|先生|女士|师傅|老汉|阿公|阿嬷"
)
_SURNAME_CLASS = "".join(sorted(_SURNAMES_1 - {"区"}))
_OLD_YOUNG_CLASS = "".join(sorted(_SURNAMES_1 - _AMBIGUOUS_AFTER_OLD_YOUNG))
_ADDRESS_RE = re.compile(
    rf"[{_SURNAME_CLASS}](?:{_ADDRESS})"
    rf"|[老小][{_OLD_YOUNG_CLASS}](?!区|学|组|孩|时|心|朋|说|吃|型|队|伙|子|女|同|牛|车|们|户|病|年|时候)"
)
# Titles that mark a person as staff or helper rather than the one in hardship.
_TITLES = frozenset(
    "书记 副书记 主任 副主任 委员 社工 网格员 医生 大夫 护士 民警 警官 干部 志愿者 队长 会长 "
    "老师 律师 代表 局长 区长 街长 所长 站长 院长 校长 经理 专员 楼长 组长 理事长 同志们".split()
)
# What follows a place or organisation name that jieba mistook for a person.
_PLACE_AFTER = frozenset(
    "社区 小区 路 街 街道 村 区 县 镇 乡 公司 医院 学校 中学 小学 幼儿园 队 服务队 志愿队 协会 "
    "联合会 中心 广场 公园 花园 大厦 超市 银行 站 号 栋 楼 井 湾 巷 苑 园 桥 山庄 新村 工作室 "
    "基金会 驿站 食堂 书屋 讲堂 大讲堂 舞蹈队 合唱团 艺术团".split()
)
_COMMON_WORD_FREQ = 100  # a dictionary word used more often than this is a word, not a name


@dataclass(frozen=True)
class _Name:
    text: str
    titled: bool  # named with a staff title next to it


# Last characters of dictionary words that jieba tags as names but that name things (朱红色, 宋体字).
_THING_ENDINGS = frozenset("色体字式型性化类品机器物业局部科处所厂")


def _looks_like_name(word: str, freq: dict) -> bool:
    compound = word[:2] in _SURNAMES_2
    if not 2 <= len(word) <= (4 if compound else 3) or "某" in word:
        return False  # four characters without a compound surname is an idiom (杨柳依依)
    if not all("\u4e00" <= c <= "\u9fff" for c in word):
        return False
    if not (word[0] in _SURNAMES_1 or compound):
        return False
    in_dictionary = freq.get(word) or 0
    if in_dictionary and word[-1] in _THING_ENDINGS:
        return False
    return in_dictionary <= _COMMON_WORD_FREQ


# Words around a name that say it is a person (蒋|文华|老人, 低保户|X).
_PERSON_AFTER = frozenset("老人 家庭 一家 同志 夫妇 老两口 爷爷 奶奶 阿姨 大爷 大妈 先生 女士 老先生 老太太 师傅".split())
_PERSON_BEFORE = frozenset("低保户 困难户 居民 残疾人 特困人员 户主 老人 对象 患者 老党员 独居老人".split())


_NAME_TAIL_TAGS = ("nr", "nrfg", "nrt", "nz", "n", "ns")
_PLACE_TAIL = frozenset("路街区县市镇村山河湖江桥港湾岛州口庄园井坡岭")


def _person_context(tokens: list[tuple[str, str]], i: int) -> bool:
    before = tokens[i - 1][0] if i else ""
    after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
    return after in _PERSON_AFTER or before in _PERSON_BEFORE


def _candidate(tokens: list[tuple[str, str]], i: int, freq: dict) -> tuple[str, int] | None:
    """A person's name starting at token i, with the number of tokens it spans."""
    word, flag = tokens[i]
    nxt_w, nxt_f = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
    if flag.startswith("nr") and _looks_like_name(word, freq):
        if len(word) == 2 and freq.get(word) and not _person_context(tokens, i):
            return None  # two-character dictionary "names" are mostly things (汤圆, 童谣, 黄岩)
        return word, 1
    if flag == "ns" and len(word) == 3 and word[-1] not in _PLACE_TAIL and _looks_like_name(word, freq):
        return word, 1  # jieba files some names (马建国) under places
    if word in _SURNAMES_2 and nxt_f.startswith("nr") and len(nxt_w) <= 2:
        return word + nxt_w, 2
    # A lone surname then a common given name (孙|建华, 吴|建军, 徐|志强): jieba splits these.
    if (
        len(word) == 1 and word in _SURNAMES_1 and flag in ("nr", "zg")
        and 1 <= len(nxt_w) <= 2 and nxt_f in _NAME_TAIL_TAGS and nxt_f != "ns"
        and all("\u4e00" <= c <= "\u9fff" for c in nxt_w)
        and not freq.get(word + nxt_w)
    ):
        third = tokens[i + 2][0] if i + 2 < len(tokens) else ""
        if (freq.get(nxt_w) or 0) <= 1000 or third in _PERSON_AFTER:
            return word + nxt_w, 2
    return None


def _names(passage: str, tagging: tagger.Tagger | None = None) -> list[_Name]:
    cutter, freq = tagging or tagger.whole()
    tokens = [(w, f) for w, f in cutter.cut(passage)]
    names: list[_Name] = []
    for i in range(len(tokens)):
        got = _candidate(tokens, i, freq)
        if not got:
            continue
        name, span = got
        after = "".join(w for w, _ in tokens[i + span:i + span + 2])
        next_w, next_f = tokens[i + span] if i + span < len(tokens) else ("", "")
        if next_w in _PLACE_AFTER or next_f in ("ns", "nt") or next_w[:1] in ("路", "街"):
            continue  # a place or organisation jieba mistook for a person
        before = "".join(w for w, _ in tokens[max(0, i - 2):i])
        titled = any(before.endswith(t) or after.startswith(t) for t in _TITLES)
        names.append(_Name(name, titled))
    for m in _ADDRESS_RE.finditer(passage):
        names.append(_Name(m.group(), False))
    return names


# Names found ahead of the check, by sentence (see names_ahead); a sentence missing from it is
# tagged on the spot.
KnownNames = Mapping[str, "tuple[_Name, ...]"]


def _names_in(sentence: str, known: KnownNames | None) -> list[_Name]:
    found = known.get(sentence) if known is not None else None
    return list(found) if found is not None else _names(sentence)


def _may_name(text: str) -> bool:
    return any(c in _SURNAMES_1 for c in text) or any(s in text for s in _SURNAMES_2)


def names_person(text: str, known: KnownNames | None = None) -> bool:
    """Does the text name a person (施福生家庭, 王利华, 张大爷)? Any named person counts,
    staff included: a story that names someone needs that person's consent."""
    if not _may_name(text):
        return False
    return any(_names_in(s, known) for s in _SENTENCE_RE.findall(text))


_YAML_VALUE_RE = re.compile(r"^\s*(?:-\s+)?[A-Za-z_][\w-]*:\s*(.*?)\s*$")
_FLOW_VALUE_RE = re.compile(r"[{,]\s*[A-Za-z_][\w-]*:\s*([^,{}]*?)\s*(?=[,}])")  # {title: 好邻居, name: …}


def _line_variants(line: str) -> set[str]:
    """The line, stripped, and as the value(s) of a YAML `key: value` or `{key: value, …}`,
    quoted or not: the forms in which its text reaches the checks once the file is parsed."""
    out = {line, line.strip()}
    m = _YAML_VALUE_RE.match(line)
    values = ([m.group(1)] if m and m.group(1) else []) + _FLOW_VALUE_RE.findall(line)
    for value in values:
        out.add(value)
        if len(value) > 1 and value[0] == value[-1] and value[0] in "\"'":
            out.add(value[1:-1])
    return out


def _unconsented_honor_texts(text: str) -> list[str]:
    """Names and stories of the honours in an honours file that lack `consent: true`: what
    the honour checks tag. Parsed plainly; a file that does not parse gives nothing."""
    import yaml

    from .yamlio import refused_structure
    if refused_structure(text):  # a billion laughs or 100,000 `[`: the loader refuses the file
        return []
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    items = data.get("honors") if isinstance(data, dict) else None
    return [str(item[key]) for item in items or () if isinstance(item, dict) and item.get("consent") is not True
            for key in ("name", "story") if item.get(key)]


def sentences_to_tag(hardship_texts: Iterable[str], person_texts: Iterable[str]) -> set[str]:
    """The sentences the checks will tag for names: those of `hardship_texts` that hold a
    hardship word (scan_hardship), and every sentence of `person_texts` that may name someone
    (names_person)."""
    wanted: set[str] = set()
    for text in hardship_texts:
        if _HARDSHIP_RE.search(text):
            wanted.update(s for s in _SENTENCE_RE.findall(text) if _HARDSHIP_RE.search(s))
    for text in person_texts:
        if _may_name(text):
            wanted.update(_SENTENCE_RE.findall(text))
    return wanted


def tag_names(sentences: Iterable[str]) -> dict[str, tuple[_Name, ...]]:
    """The names in each sentence, for `known=` of the checks. jieba is loaded only for the
    words these sentences hold (tagger.for_sentences), and not at all when there are none."""
    sentences = sorted(set(sentences))
    tagging = tagger.for_sentences(sentences) if sentences else None
    return {sentence: tuple(_names(sentence, tagging)) for sentence in sentences}


def names_ahead(paths: Sequence[str]) -> dict[str, tuple[_Name, ...]]:
    """For a worker process started with the build: the names in every sentence the privacy
    checks will tag, found from the raw files: sentences of activities and notices with a
    hardship word, read from the raw lines, and the sentences of honours without consent.
    The main process can then check the parsed records without loading jieba; a sentence
    that reads differently once parsed is simply tagged there."""
    from .errors import Problems
    from .yamlio import decode

    wanted: set[str] = set()
    for path in paths:
        try:
            text = decode(Path(path).read_bytes(), path, Problems())
        except OSError:
            continue
        if text is None:
            continue
        if path.endswith((".yml", ".yaml")):
            values = _unconsented_honor_texts(text)
            wanted |= sentences_to_tag(values, values)
            continue
        for line in text.split("\n"):
            if _HARDSHIP_RE.search(line):
                wanted |= sentences_to_tag(_line_variants(line), ())
    return tag_names(wanted)


def _mask_name(name: str) -> str:
    keep = 2 if name[:2] in _SURNAMES_2 else 1
    if name[0] in "老小" and len(name) == 2:
        return name
    return name[:keep] + "*" * (len(name) - keep)


def scan_hardship(text: str, known: KnownNames | None = None) -> list[Finding]:
    """Sentences that tie a named resident to a hardship word (低保, 残疾, illness ...).

    Only sentences holding a hardship word are tagged, so ordinary text costs one regex pass.
    Counts (走访 20 户低保家庭) and titled staff (社区主任王芳带队) do not trip it.
    """
    if not _HARDSHIP_RE.search(text):
        return []
    found: list[Finding] = []
    line, pos = 1, 0
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group()
        word = _HARDSHIP_RE.search(sentence)
        if not word:
            continue
        residents = [n for n in _names_in(sentence, known) if not n.titled]
        if not residents:
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        masked = _mask_name(residents[0].text)
        found.append(
            Finding(
                "hardship",
                line,
                masked,
                f"「{masked}」与「{word.group()}」出现在同一句，可能公开了居民的困难或病情",
                "低保、残疾、困难家庭、疾病等情况只写户数或人数（如“走访 20 户低保家庭”），不写姓名；"
                "确已取得本人书面同意的，在这条记录里加上 consent: true。",
            )
        )
    return found


# --- the built site -------------------------------------------------------------------------

_TEXT_SUFFIXES = frozenset(
    ".html .htm .json .xml .txt .js .csv .md .yml .yaml .svg .webmanifest .rss .atom".split()
)
# Other markup files; HTML pages have their own way in _scan_one (_page_text).
_MARKUP_SUFFIXES = frozenset(".xml .svg .rss .atom".split())
_IMAGE_SUFFIXES = frozenset(".jpg .jpeg .png .webp .gif .tif .tiff .heic .heif .avif".split())
# Material's own bundles: minified code full of long digit runs, and not ours to publish into.
_VENDOR_DIRS = ("assets/javascripts/", "assets/stylesheets/")
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)
_DIGIT_RE = re.compile(r"\d")
_PLAIN_TAG_RE = re.compile(r"<[^>\"'\d\n]*(?:(?:\"[^\"\d\n]*\"|'[^'\d\n]*')[^>\"'\d\n]*)*>")  # no digit, no line break
# Loops unrolled (plain run, then a quoted value, repeated): same matches, far fewer steps.
_TAG_RE = re.compile(r"<[^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*>", re.S)
# Attribute values a reader can see or dial: scanned along with the text.
_VISIBLE_ATTR_RE = re.compile(
    r"""\s(?:alt|title|href|content|value|placeholder|aria-label|data-[\w-]+|download)\s*=\s*
        (?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
    re.X | re.I,
)
_METADATA_KEYS = ("exif", "xmp", "XML:com.adobe.xmp", "comment", "icc_profile", "photoshop", "iptc", "dpi_exif")
_GPS_IFD = 0x8825


@functools.lru_cache(maxsize=1 << 15)  # pure; a page's shell repeats the same tags on every page
def _tag_text(tag: str) -> str:
    """What a tag leaves in the scanned text: its visible attribute values, its line breaks."""
    breaks = "\n" * tag.count("\n")
    if _DIGIT_RE.search(tag) is None:  # nothing a number could hide in
        return " " + breaks
    values = " ".join(a or b or c for a, b, c in _VISIBLE_ATTR_RE.findall(tag))
    return " " + values + " " + breaks


def _strip_tags(text: str) -> str:
    # Most tags hold no digit and no line break: blank them in one C-speed pass, then look
    # inside the rest one by one.
    return _TAG_RE.sub(lambda m: _tag_text(m.group()), _PLAIN_TAG_RE.sub(" ", text))


def _markup_text(markup: str) -> str:
    """Text and visible attribute values, tags removed, line breaks kept where they were."""
    if "<!--" in markup:  # comments ship too
        markup = _COMMENT_RE.sub(lambda m: " " + m.group(1) + " ", markup)
    text = html.unescape(_strip_tags(markup))
    if "&lt;" in markup:  # escaped HTML inside a feed's description
        text = html.unescape(_strip_tags(text))
    return text


@functools.lru_cache(maxsize=1 << 16)  # pure; most lines of a page are its shell's, on every page
def _line_text(line: str) -> str | None:
    """_markup_text of one line, or None when a "<" is left over: a tag (or quote) that runs
    on past the line, or a "<" that is not a tag."""
    stripped = _strip_tags(line)
    return None if "<" in stripped else html.unescape(stripped)


def _page_text(markup: str) -> tuple[str, list[str] | None]:
    """_markup_text of a page, and the page's lines when it could be read line by line.

    Line by line is the same thing when no tag runs past a line break: a tag's extent is
    fixed (from "<" through quoted values to the first unquoted ">"), so the matches of the
    whole page are those of its lines; entities never hold a line break. Then the lines that
    every page shares (its shell) are read once per process, not once per page. Comments and
    escaped markup (a second pass) take the whole-page way, and so does any line with a "<"
    left over."""
    if "<!--" not in markup and "&lt;" not in markup:
        lines = markup.split("\n")
        texts = list(map(_line_text, lines))
        if None not in texts:
            return "\n".join(texts), lines
    return _markup_text(markup), None


def _json_text(raw: str) -> str:
    """JSON strings with escapes decoded (\\u624b\\u673a13800138000 hides the number's edge)."""
    import json

    try:
        data = json.loads(raw)
    except ValueError:
        return raw
    parts: list[str] = []

    def walk(node) -> None:
        if isinstance(node, str):
            parts.append(node)
        elif isinstance(node, dict):
            for k, v in node.items():
                parts.append(str(k))
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, (int, float)) and not isinstance(node, bool):
            parts.append(str(node))

    walk(data)
    return _markup_text("\n".join(parts))


def _file_text(path: Path, rel: str) -> tuple[str, bool] | None:
    """(text to scan, whether line numbers are the file's own) or None if not text."""
    suffix = path.suffix.lower()
    if rel.endswith(".xml.gz"):
        return _markup_text(gzip.decompress(path.read_bytes()).decode("utf-8", "replace")), True
    if suffix == ".docx":
        try:
            with zipfile.ZipFile(path) as z:
                xml = z.read("word/document.xml").decode("utf-8", "replace")
        except (zipfile.BadZipFile, KeyError):
            return None
        return _markup_text(re.sub(r"</w:p>", "\n", xml)), False
    if suffix not in _TEXT_SUFFIXES:
        return None
    raw = path.read_text("utf-8", errors="replace")
    if suffix == ".json":
        return _json_text(raw), False
    if suffix in _MARKUP_SUFFIXES:
        return _markup_text(raw), True
    return raw, True


def _image_metadata(path: Path) -> list[str]:
    """Names of the metadata still embedded in an image; empty when it is clean."""
    from PIL import Image

    try:
        with Image.open(path) as im:
            exif = im.getexif()
            found = []
            if exif.get_ifd(_GPS_IFD) or _GPS_IFD in exif:
                found.append("GPS 位置")
            if len(exif):
                found.append("EXIF")
            found += [k for k in _METADATA_KEYS if k in im.info and k not in ("exif", "dpi_exif")]
            found += [k for k in getattr(im, "text", {}) or {}]  # PNG text chunks
            return found
    except Exception:  # noqa: BLE001 - any unreadable image is reported, never a traceback
        return ["（无法读取，文件可能已损坏）"]


def _site_files(site_dir: Path) -> Iterator[tuple[Path, str]]:
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            yield path, path.relative_to(site_dir).as_posix()


PARALLEL_FROM = 1500  # files; a smaller site is scanned in-process (a pool costs ~0.3 s)
_CHUNK = 400


def scan_site(site_dir: Path, allowed: frozenset[str] = frozenset(), clean=None,
              jobs: int | None = None, skip: frozenset[str] | set[str] = frozenset(),
              pool=None) -> list[Problem]:
    """Post-build defence: numbers in every text file and file name, metadata in every image,
    and resources loaded from other hosts in every page. Problem.file is site-relative.

    `clean` (a memo.Memo) remembers files found clean, by name, bytes and allowed numbers, so
    a `mkdocs serve` rebuild scans only what changed. A large site is scanned on every core,
    in `pool` if given. Files in `skip` (site paths) were scanned already (PageScan)."""
    from .workers import process_pool, worker_count

    allowed_key = ",".join(sorted(allowed))
    todo: list[tuple[str, str | None]] = []  # (site path, memo key)
    for path, rel in _site_files(site_dir):
        if rel in skip:
            continue
        key = None
        if clean is not None:
            key = digest("scan", rel, allowed_key, path.read_bytes())
            if key in clean:
                continue
        todo.append((rel, key))
    rels = [rel for rel, _ in todo]
    tasks = [(str(site_dir), rels[i:i + _CHUNK], allowed) for i in range(0, len(rels), _CHUNK)]
    workers = min(jobs or worker_count(), len(tasks))
    if pool is not None:
        found = [r for part in pool.map(_scan_chunk, tasks) for r in part]
    elif workers > 1 and len(rels) >= PARALLEL_FROM:
        with process_pool(workers) as own:
            found = [r for part in own.map(_scan_chunk, tasks) for r in part]
    else:
        found = _scan_chunk((str(site_dir), rels, allowed))
    problems: list[Problem] = []
    for (rel, key), file_problems in zip(todo, found):
        problems += file_problems
        if key is not None and not file_problems:
            clean.put(key, True)
    return problems


def _scan_chunk(task: tuple[str, list[str], frozenset[str]]) -> list[list[Problem]]:
    site_dir, rels, allowed = task
    out = []
    for rel in rels:
        file_problems: list[Problem] = []
        _scan_one(Path(site_dir) / rel, rel, allowed, file_problems)
        out.append(file_problems)
    return out


def _scan_pages(pages: list[tuple[str, str]], allowed: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    for rel, html_text in pages:
        _scan_one(Path(rel), rel, allowed, problems, html_text)
    return problems


class PageScan:
    """`scan_site` for a large build, started while MkDocs is still writing: each page's HTML,
    exactly as it is written, goes to worker processes as it is made (`add`), so the scan runs
    on the other cores alongside MkDocs' one-core page loop. `finish` scans every other file
    of the site from disk and returns all problems, sorted by file as `scan_site` gives them.
    Call `close` if the build stops before `finish`."""

    def __init__(self, allowed: frozenset[str] = frozenset(), jobs: int | None = None, pool=None):
        """In the build's shared `pool` when given, else in processes of its own."""
        from .workers import process_pool, worker_count

        self._allowed = allowed
        self._own = pool is None
        self._pool = process_pool(jobs or worker_count()) if pool is None else pool
        self._batch: list[tuple[str, str]] = []
        self._futures: list = []
        self._scanned: set[str] = set()

    def add(self, rel: str, html_text: str) -> None:
        self._scanned.add(rel)
        self._batch.append((rel, html_text))
        if len(self._batch) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._futures.append(self._pool.submit(_scan_pages, self._batch, self._allowed))
            self._batch = []

    def finish(self, site_dir: Path) -> list[Problem]:
        self._flush()
        try:
            problems = [p for f in self._futures for p in f.result()]
            problems += scan_site(site_dir, self._allowed, skip=self._scanned, pool=self._pool)
        finally:
            self.close()
        return sorted(problems, key=lambda p: p.file)

    def close(self) -> None:
        from .workers import release

        release(self._pool, self._own, self._futures)


def _scan_one(path: Path, rel: str, allowed: frozenset[str], problems: list[Problem],
              page_html: str | None = None) -> None:
    """Problems of one output file; `page_html`: an HTML page's text, already in memory."""
    problems += _number_problems(rel, scan_filename(rel, allowed), "文件名中", with_line=False)
    suffix = path.suffix.lower()
    if suffix in _IMAGE_SUFFIXES:
        meta = _image_metadata(path)
        if meta:
            problems.append(
                Problem(
                    rel, None, None,
                    "图片仍带有元数据：" + "、".join(meta) + "，可能泄露拍摄地点、时间和设备",
                    "发布的照片必须去掉 EXIF 等元数据。请把此问题告诉网站维护人员，检查构建中的照片处理步骤。",
                )
            )
        return
    if suffix == ".css":
        text = path.read_text("utf-8", errors="replace")
        problems += _resource_problems(rel, external_css_resources(text))
        return
    if rel.startswith(_VENDOR_DIRS):
        return
    if suffix in (".html", ".htm"):
        raw = path.read_text("utf-8", errors="replace") if page_html is None else page_html
        text, lines = _page_text(raw)
        problems += _number_problems(rel, scan_numbers(text, allowed), "", with_line=True)
        problems += _resource_problems(rel, external_resources(raw, rel, lines))
        return
    got = _file_text(path, rel)
    if got is None:
        return
    text, own_lines = got
    problems += _number_problems(rel, scan_numbers(text, allowed), "", with_line=own_lines)


def _number_problems(rel: str, findings: Iterable[Finding], where: str, with_line: bool) -> list[Problem]:
    return [
        Problem(rel, f.line if with_line else None, None,
                f"生成的网站{where}{f.message}（构建已停止，网站未更新）", f.hint)
        for f in findings
    ]


def _resource_problems(rel: str, urls: Iterable[str]) -> list[Problem]:
    return [
        Problem(
            rel, None, None,
            f"页面从其他网站加载资源：{url}",
            "网页只能使用本站自己的脚本、样式、字体和图片（访客的浏览记录不外泄，断网也能看）。"
            "请把该文件下载后放进本站，或改成普通链接。",
        )
        for url in urls
    ]
