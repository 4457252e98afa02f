"""Privacy detectors: named hardship; personal numbers (numbers.py) and the post-build scan
(sitescan.py) are re-exported from here.

Pure functions over text; the checker runs them on records. Messages never repeat a full
number or name: every hit is shown masked.

Choices worth knowing (see tests/data/privacy_labelled.yml, which measures them):
- Hardship: a person is "named" by a name jieba tags as a person (nr) that starts with a known
  surname and is not a common word (two-character dictionary entries such as 汤圆 count only
  next to a person word: 低保户X, X老人), by a lone surname plus given name that jieba split
  (徐|志强), or by surname + form of address (张大爷, 老张). Staff and
  volunteers named with their title (社区主任王芳, 李明书记) act, they are not the subject of
  the hardship, so they do not trip the rule; pseudonyms (张某, 李某某) are not names.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from . import tagger
# Numbers live in numbers.py, the post-build scan in sitescan.py; re-exported for old callers.
from .numbers import Finding, id_check_char, luhn_ok, scan_filename, scan_numbers
from .sitescan import PARALLEL_FROM, PageScan, scan_site

__all__ = [
    "Finding",
    "scan_numbers",
    "scan_hardship",
    "names_person",
    "scan_filename",
    "scan_site",
    "id_check_char",
    "luhn_ok",
    "PageScan",
    "PARALLEL_FROM",
]


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
