"""Names tied to hardship, health and other sensitive facts; flat numbers; names in honours.

Pure functions over text. The word lists live in data/privacy_words.yml (loaded once).

The rule fails closed (a resident's illness or hardship on a public site cannot be taken back;
a false alarm costs staff one rewording): a sentence holding a word of a sensitive category
(低保, 残疾, 尿毒症, 社区矫正, 失独, 欠款 ...) and anything that may be a person's name is
refused unless the record has `consent: true`. "May be a name":

- a surname (single or compound) followed by one or two Han characters, unless those
  characters plainly form a common word with it. This is the backbone, and it does not rely on
  jieba's person tags (王|桂兰 comes out as a surname plus a place name). jieba only removes
  false alarms: a surname that starts a dictionary word used more than COMMON_WORD_FREQ times
  (高兴, 周末, 张贴, 王府井), or that jieba reads as a function word before a dictionary word
  (于|社区, 向|困难户), or that sits inside a longer dictionary word (每周, 社区) is a word.
  Such an excuse needs the whole span to read as a word where it stands (the false-alarm
  budget is there to be spent): a word followed by the rest of a name (秦国|平, 王家|兴|大爷,
  朱德|胜), a name-tagged surname + 2 (白云山), a word the dictionary barely knows (杨淑|华), a
  two-character word or grammar reading right before the sensitive word (高明患有, 曾|海军|欠款)
  is a name;
- a form of address (张大爷, 老张, 小刘);
- a romanised name (Wang Xiuying, WANG Xiuying, Xiuying Wang).

Named people who act rather than suffer pass: titled staff (社区主任王芳, 李明书记, 王科长),
public figures from a fixed list (雷锋, 白求恩), and pseudonyms (张某, 李某某). A person word
next to a name (低保户X, X老人, X一家) overrides every common-word excuse.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from . import tagger
from .numbers import Finding

__all__ = [
    "KnownNames",
    "FLAT_NUMBER",
    "flat_numbers",
    "may_tie",
    "names_person",
    "names_ahead",
    "scan_hardship",
    "sensitive_word",
    "sentences_to_tag",
    "tag_names",
]

WORDS_FILE = Path(__file__).parent / "data" / "privacy_words.yml"
COMMON_WORD_FREQ = 100  # a dictionary word used more often than this is a word, not a name
RARE_WORD_FREQ = 10  # a word used this rarely (关有 3, 杨淑 2) is no evidence against a name

_SENTENCE_RE = re.compile(r"[^。！？!?；;\n]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


@dataclass(frozen=True)
class Category:
    key: str
    label: str
    hint: str


@dataclass(frozen=True)
class Words:
    sensitive_re: re.Pattern
    category_of: Mapping[str, Category]
    surnames: frozenset[str]
    compound: frozenset[str]
    pinyin_surnames: frozenset[str]
    public: frozenset[str]
    titles: tuple[str, ...]  # longest first
    person_after: tuple[str, ...]
    person_before: tuple[str, ...]
    address_re: re.Pattern
    place_after: tuple[str, ...]
    things: frozenset[str]
    not_given: frozenset[str]
    function_tags: frozenset[str]
    romanised_re: re.Pattern
    sensitive_person_re: re.Pattern  # a sensitive word made a person word: 聋哑人, 失独老人
    thing_endings: frozenset[str]
    place_endings: frozenset[str]
    street_endings: frozenset[str]


def _split(text: str) -> list[str]:
    return str(text).split()


def _longest_first(words: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted(set(words), key=lambda w: (-len(w), w)))


def _any_word(words: Sequence[str]) -> str:
    """A pattern for any of `words` (longest first, so the longest one at a position wins),
    behind a look-ahead for their first characters. Without it the regex engine tries all
    185 words at every character of a text (English ones, hiv, icu, keep it from skipping
    ahead by itself under IGNORECASE): a tenth of the checks' time. The look-ahead only
    rejects positions where no word can start, so what matches is the same."""
    first = "".join(sorted({re.escape(w[0]) for w in words}))
    return f"(?=[{first}])(?:{'|'.join(map(re.escape, words))})"


@functools.lru_cache(maxsize=1)
def words() -> Words:
    """The word lists, read once per process."""
    import yaml

    data = yaml.safe_load(WORDS_FILE.read_text("utf-8"))
    category_of: dict[str, Category] = {}
    for key, cat in data["categories"].items():
        category = Category(key, cat["label"], cat["hint"])
        for word in _split(cat["words"]):
            category_of.setdefault(word.lower(), category)
    sensitive = _longest_first(category_of)
    surnames = frozenset(c for c in "".join(_split(data["surnames"])) if _HAN.match(c))
    address = _longest_first(_split(data["address_forms"]))
    ambiguous_after_old_young = "马白金石方高龙万向江段钱黎明文安华甘包左牛宁温于程孔熊童单柴关祝毛顾党乔楚房米谷池齐冷蒙农荣应项宫宗季符蓝席柏艾舒庄查晋郎桂匡茅巴娄丛毕路车连简解权宿景"
    surname_class = "".join(sorted(surnames))
    old_young_class = "".join(sorted(surnames - set(ambiguous_after_old_young)))
    address_re = re.compile(
        rf"[{surname_class}](?:{'|'.join(address)})(?![们])"
        rf"|[老小][{old_young_class}](?!区|学|组|孩|时|心|朋|说|吃|型|队|伙|子|女|同|牛|车|们|户|病|年|候|道|师|板|鼠|虎)"
    )
    pinyin = frozenset(_split(data["pinyin_surnames"]))
    syllable = r"(?:[A-Z][a-z]{0,5}|[A-Z]{1,6})"
    romanised_re = re.compile(rf"(?<![A-Za-z])({syllable}(?:[a-z]{{1,6}})?)[ \u00b7·.-]({syllable}(?:[a-z]{{1,6}})?)(?![A-Za-z])")
    return Words(
        sensitive_re=re.compile(_any_word(sensitive), re.IGNORECASE),
        sensitive_person_re=re.compile(
            f"{_any_word(sensitive)}(?:人员|对象|老人|家庭|青年|儿童|妇女|学生|人|户|者|的)$"),
        category_of=category_of,
        surnames=surnames,
        compound=frozenset(_split(data["compound_surnames"])),
        pinyin_surnames=pinyin,
        public=frozenset(_split(data["public_figures"])),
        titles=_longest_first(_split(data["titles"])),
        person_after=_longest_first(_split(data["person_after"])),
        person_before=_longest_first(_split(data["person_before"])),
        address_re=address_re,
        place_after=_longest_first(_split(data["place_after"])),
        things=frozenset(_split(data["things_tagged_as_names"])),
        not_given=frozenset("".join(_split(data["not_given_name_start"]))),
        function_tags=frozenset(_split(data["function_tags"])),
        romanised_re=romanised_re,
        thing_endings=frozenset(str(data["thing_endings"])),
        place_endings=frozenset(str(data["place_endings"])),
        street_endings=frozenset(str(data["street_endings"])),
    )


@functools.lru_cache(maxsize=1)  # OpenCC's converter: built once per process, never changes
def _to_simplified():
    import opencc

    return opencc.OpenCC("t2s").convert


@functools.lru_cache(maxsize=1 << 14)  # a pure function of one character
def _simple_char(c: str) -> str:
    return _simple_form(_to_simplified(), c)


def _simple_form(convert, c: str) -> str:
    out = convert(c)
    return out if len(out) == 1 else c


# The characters staff write: ASCII and Latin-1, general punctuation, CJK punctuation, the
# CJK ideographs and full-width forms. Which of them OpenCC changes is found once a process
# (20 ms), so that a text written in those and in simplified characters only, nearly every
# text, is known to stay as it is without a lookup per character (a twentieth of the checks).
_COMMON_RANGES = ((0x0000, 0x0100), (0x2000, 0x2070), (0x3000, 0x3040), (0x4E00, 0xA000), (0xFF00, 0xFFF0))
_UNCOMMON = re.compile("[^" + "".join(f"{re.escape(chr(a))}-{re.escape(chr(b - 1))}" for a, b in _COMMON_RANGES) + "]")


@functools.lru_cache(maxsize=1)  # a fixed set, from OpenCC's fixed tables
def _changed_by_simplifying() -> frozenset[str]:
    convert = _to_simplified()
    return frozenset(c for c in (chr(i) for a, b in _COMMON_RANGES for i in range(a, b)) if _simple_form(convert, c) != c)


def simplified(text: str) -> str:
    """Traditional characters as simplified (殘疾 -> 残疾), so pasted traditional text is
    checked by the same lists. Character by character: a phrase conversion would change
    names (沈思彤 -> 沉思彤); one character for one, so lines stay where they were."""
    if not text or text.isascii():
        return text
    if _changed_by_simplifying().isdisjoint(text) and not _UNCOMMON.search(text):
        return text  # every character is one the conversion keeps
    return "".join(map(_simple_char, text))


def sensitive_word(text: str) -> tuple[str, Category] | None:
    """The first sensitive word of `text` and its category, or None."""
    w = words()
    m = w.sensitive_re.search(text)
    if not m:
        return None
    return m.group(), w.category_of[m.group().lower()]


# --- names -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Name:
    text: str
    titled: bool  # named with a staff title next to it, or a public figure


def _is_han(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _given(sentence: str, start: int) -> str:
    """Up to two Han characters of a given name from `start`."""
    out = ""
    for c in sentence[start:start + 2]:
        if not _is_han(c):
            break
        out += c
    return out


def _surname_at(sentence: str, p: int, w: Words) -> int:
    """Length of the surname starting at p (2 for a compound, 1, or 0)."""
    if sentence[p:p + 2] in w.compound:
        return 2
    return 1 if sentence[p] in w.surnames else 0


def _starts_with(text: str, options: Sequence[str]) -> str:
    return next((o for o in options if text.startswith(o)), "")


def _ends_with(text: str, options: Sequence[str]) -> str:
    return next((o for o in options if text.endswith(o)), "")


def _person_context(sentence: str, p: int, end: int, w: Words) -> bool:
    return bool(_ends_with(sentence[:p], w.person_before) or _starts_with(sentence[end:], w.person_after))


def _name_tag(flag: str) -> bool:
    return flag.startswith("nr") or flag in ("ns", "nz")


def _after_numeral(sentence: str, p: int) -> bool:
    before = sentence[:p].rstrip()
    return bool(before) and (before[-1].isdigit() or before[-1] in "一二三四五六七八九十百千万两几数")


def _word_not_name(tok: str, flag: str, s_len: int, freq: Mapping[str, int], w: Words) -> str:
    """Whether a token starting with a surname is a word: "word" for a public figure (雷锋), a
    listed thing, a dictionary word longer than a name (杨柳依依), or a dictionary word the
    dictionary does not tag as a name or place (高兴 a, 包好 v, 米面 n); "name-like" for a
    name-tagged dictionary word used often (张贴, 王府井); "" for what may be a name."""
    if tok in w.public or tok[:3] in w.public or tok[:2] in w.public or tok in w.things:
        return "word"
    count = freq.get(tok) or 0
    if not count:
        return ""  # jieba's guess, not a dictionary word
    if count <= RARE_WORD_FREQ and len(tok) == s_len + 1 and flag[:1] in "na" and tok[-1] not in w.thing_endings:
        return ""  # a noun the dictionary barely knows (杨淑 2, 高志 4) is no evidence
    if len(tok) > s_len + 2 or not _name_tag(flag) or tok[-1] in w.thing_endings:
        return "word"
    if flag == "ns" and tok[-1] in w.place_endings:
        return "word"
    if len(tok) == s_len + 2:
        # a whole surname + two characters the dictionary tags as a name is a name, however
        # often it is used (白云山 102, 韦小宝 9863): mostly people, and a resident may share it
        return ""
    # a name in the dictionary (王秀兰 6, 张建国 13) may be a resident's; a common one is
    # mostly a word jieba mistook for a name (黄金周 1407, 高新区 270, 关怀 697, 齐全 1417),
    # and is a name only next to a person word (李俊 550: 低保户李俊)
    return "name-like" if count > (COMMON_WORD_FREQ if len(tok) > 2 else 2 * COMMON_WORD_FREQ) else ""


# jieba's tags of a token after a surname that read it as grammar, not a given name
# (王|正在|住院 t, 张|和|李 c, 王|是 v; not 秦|正义 n, 蒋|和平 nz)
_GRAMMAR_TAGS = frozenset({"r", "t", "v", "vshi", "vyou", "vd", "ad", "k", "z"})


def _grammar_after(p: int, s_len: int, starts: Mapping[int, tuple[str, str, int]], freq: Mapping[str, int],
                   w: Words) -> bool:
    """Whether the character after a surname (one of not_given_name_start: 正, 和, 为 ...)
    starts a grammatical token, or sits inside a dictionary word that starts at the surname
    (向着): then the surname is a word. A given name may start with these too (正义, 和平,
    为民), so a noun or a name there is not excused."""
    q = p + s_len
    if q in starts:
        return starts[q][1] in w.function_tags or starts[q][1] in _GRAMMAR_TAGS
    return False  # glued to the surname (向着, 周正): the token's own rules decide


def _titled(sentence: str, p: int, surname_len: int, name_end: int, w: Words) -> bool:
    before = sentence[max(0, p - 8):p]
    if _ends_with(before, w.titles):
        return True
    # 李明书记, 王科长, 张医生: a title right after the surname or the (short) given name
    for end in range(p + surname_len, min(name_end, p + surname_len + 2) + 1):
        if _starts_with(sentence[end:], w.titles):
            return True
    return False


def _candidates(sentence: str, tokens: list[tuple[str, str]], freq: Mapping[str, int], w: Words) -> list[_Name]:
    starts: dict[int, tuple[str, str, int]] = {}  # char offset -> token, tag, index
    inside: dict[int, tuple[str, str, int]] = {}
    pos = 0
    for i, (tok, flag) in enumerate(tokens):
        starts[pos] = (tok, flag, i)
        for k in range(pos + 1, pos + len(tok)):
            inside[k] = (tok, flag, pos)
        pos += len(tok)
    names: list[_Name] = []
    p = 0
    n = len(sentence)
    while p < n:
        s_len = _surname_at(sentence, p, w)
        if not s_len or _ends_with(sentence[max(0, p - 6):p + 1], w.titles):
            p += 1
            continue  # not a surname, or the last character of a title (主任|何桂珍)
        given = _given(sentence, p + s_len)
        end = p + s_len + len(given)
        if not given or given[0] == "某" or given[0] in w.not_given and _grammar_after(p, s_len, starts, freq, w):
            p += 1
            continue  # 王某, 李某某: a pseudonym; a surname before 的/了/是 is a word
        # 低保户X, 聋哑人X, 失独老人X: a name, whatever X is
        named_before = bool(_ends_with(sentence[:p], w.person_before) or w.sensitive_person_re.search(sentence[max(0, p - 12):p]))
        context = named_before or _person_context(sentence, p, end, w) or _person_context(sentence, p, p + s_len + 1, w)
        excused = continues = fragment = False
        if p in inside:
            tok, flag, t0 = inside[p]
            # inside a longer word (每周, 社区, 夏家桥): a word unless the word is unknown to the
            # dictionary (jieba's guess glued a character to a name)
            # (主任|何: jieba's 任何 straddles the title and the surname: a titled name)
            # (老人|马: jieba's 人马 straddles a person word and the surname: a name)
            # (为何|家明: a word ending on the surname before what the dictionary does not know,
            # or a grammatical word before a name-tagged one (为何|红旗), is a name starting
            # there; 了解|惠民, 学习|白求恩: a content word keeps its last character)
            after = starts.get(t0 + len(tok))
            unknown_after = t0 + len(tok) == p + s_len and after is not None and _is_han(after[0][:1]) and (
                not freq.get(after[0])
                or after[1].startswith("nr") and (flag == "r" or flag in w.function_tags) and after[0] not in w.public)
            excused = ((bool(freq.get(tok)) or tok in w.things) and not named_before and not unknown_after
                       and not _ends_with(sentence[max(0, p - 8):p], w.titles))
        elif p in starts:
            tok, flag, i = starts[p]
            if len(tok) > s_len:
                nxt, nflag = tokens[i + 1] if i + 1 < len(tokens) else ("", "x")
                # a rare word before a fragment (金诗|涵因, 董金|娣) is a name cut in two
                fragment = _is_han(nxt[:1]) and (not freq.get(nxt) or nflag.endswith("g"))
                # a two-character word and a lone character that may end a given name are a
                # three-character name cut in two, unless the three characters are a dictionary
                # word themselves: when the word is tagged as a name or place (秦国|平, 孙子|明),
                # barely known (杨淑|华, 关有|才), or before a person word
                # (龙子|涵|老人, 王家|兴|大爷). A common plain word before a lone noun is a
                # compound (米面|油), and one before 化, 性, 品 ... a word (常态|化)
                tok_count = freq.get(tok) or 0
                fragment = fragment or (
                    len(tok) == 2 and len(nxt) == 1 and _is_han(nxt) and nxt not in w.not_given
                    and nxt not in w.thing_endings and nflag not in w.function_tags and not freq.get(tok + nxt)
                    and (_name_tag(flag) or tok_count <= RARE_WORD_FREQ or context))
                # a lone character jieba tags as a name after the word (程文|杰, 孔子|轩): the
                # name goes on
                continues = len(tok) == 2 and len(nxt) == 1 and _is_han(nxt) and (
                    nflag.startswith("nr") or (_name_tag(flag) and nflag in ("n", "ng")))  # 黄海|霞
                fragment = fragment or continues
                verdict = "" if fragment else _word_not_name(tok, flag, s_len, freq, w)
                # a plain word (高龄老人) stays a word before a person word; a name-like
                # one (李娜老人) does not; after 低保户 only a very common word is (居民关心)
                # (方军的母亲: a less common word before a person word is a name)
                excused = (verdict == "word" and (not named_before or (freq.get(tok) or 0) > 10 * COMMON_WORD_FREQ)
                           and (not context or (freq.get(tok) or 0) > COMMON_WORD_FREQ)
                           or verdict == "name-like" and not context)
                # a noun or adjective as long as a two-character name (高明, 文静, 石头) right
                # before the sensitive word (文静患有, 石头卧病) stands where the subject does:
                # a name. Not verbs (申请低保) nor time words (周末)
                if excused and len(tok) == s_len + 1 and flag[:1] in "nai" and tok not in w.things:
                    excused = not w.sensitive_re.match(sentence, p + len(tok))
            else:
                # a lone surname character read as a function word (于|社区, 3万|元) before a
                # dictionary word that is not a name
                nxt, nflag = tokens[i + 1] if i + 1 < len(tokens) else ("", "")
                function = flag in w.function_tags and (flag not in ("m", "q") or _after_numeral(sentence, p))
                # or a verb before a common noun (谈|心室, 包|饺子)
                verb = flag == "v" and nflag in ("n", "vn") and (freq.get(nxt) or 0) > COMMON_WORD_FREQ
                # a two-character word there ends where a given name would (曾|金花): only a
                # very common one is evidence (于|社区)
                strong = len(nxt) != 2 or (freq.get(nxt) or 0) > 10 * COMMON_WORD_FREQ
                # (曾|海军|欠款: right before the sensitive word, where its subject stands, a name)
                subject = bool(w.sensitive_re.match(sentence, end))
                excused = ((function or verb) and strong and not context and not subject and bool(freq.get(nxt))
                           and not _name_tag(nflag))
        # a listed word or a public figure with more of a name after it (金秋|生, 朱德|胜) is not it
        if not excused and not named_before and not fragment and any(sentence.startswith(t, p) for t in w.things):
            excused = True  # a listed word or phrase (包饺子, 汤圆)
        if not excused and not named_before and given[-1] in w.street_endings:
            excused = True  # 白沙路, 王家村: a street or a village
        if not excused and len(given) == 2 and given in w.place_after:
            excused = True  # 席|分会, 王|社区: the "given name" is an organisation word
        if not excused:
            place = _starts_with(sentence[end:], w.place_after)
            if not fragment and any(sentence[p:].startswith(f) for f in w.public):
                excused = True
            elif place and not context:
                if len(place) == 1 and len(given) == 2 and not _starts_with(sentence[end - 1:], w.place_after):
                    end -= 1  # 孙梅|带队: a one-character given name before 队, 站, 楼 ...
                else:
                    excused = True  # 王家湾社区, 李子园小区
        if excused:
            p += 1
            continue
        names.append(_Name(sentence[p:end], _titled(sentence, p, s_len, end, w)))
        p = end
    return names


def _romanised(sentence: str, w: Words) -> list[_Name]:
    found = []
    for m in w.romanised_re.finditer(sentence):
        a, b = m.group(1), m.group(2)
        if a.lower() in w.pinyin_surnames or b.lower() in w.pinyin_surnames:
            found.append(_Name(m.group(), False))
    return found


def _names(passage: str, tagging: tagger.Tagger | None = None) -> list[_Name]:
    w = words()
    names: list[_Name] = []
    if any(c in w.surnames for c in passage) or any(s in passage for s in w.compound):
        cutter, freq = tagging or tagger.whole()
        tokens = [(t, f) for t, f in cutter.cut(passage)]
        names += _candidates(passage, tokens, freq, w)
    taken = {n.text for n in names}
    # 老张, 小刘; not 小燕 inside 冯小燕, already found
    names += [_Name(m.group(), False) for m in w.address_re.finditer(passage) if not any(m.group() in t for t in taken)]
    if re.search(r"[A-Za-z]", passage):
        names += _romanised(passage, w)
    return names


# Names found ahead of the check, by sentence (see names_ahead); a sentence missing from it is
# tagged on the spot.
KnownNames = Mapping[str, "tuple[_Name, ...]"]


def _names_in(sentence: str, known: KnownNames | None) -> list[_Name]:
    found = known.get(sentence) if known is not None else None
    return list(found) if found is not None else _names(sentence)


def _may_name(text: str) -> bool:
    w = words()
    return (any(c in w.surnames for c in text) or any(s in text for s in w.compound)
            or re.search(r"[A-Za-z]", text) is not None)


def names_person(text: str, known: KnownNames | None = None) -> bool:
    """Does the text name a person (施福生家庭, 王利华, 张大爷)? Any named person counts,
    staff included: a story that names someone needs that person's consent."""
    text = simplified(text)
    if not _may_name(text):
        return False
    return any(_names_in(s, known) for s in _SENTENCE_RE.findall(text))


def _mask_name(name: str) -> str:
    if re.search(r"[A-Za-z]", name):
        return re.sub(r"(?<=[A-Za-z])[A-Za-z]+", lambda m: "*" * len(m.group()), name)
    keep = 2 if name[:2] in words().compound else 1
    if name[0] in "老小" and len(name) == 2:
        return name
    return name[:keep] + "*" * max(1, len(name) - keep)


def may_tie(text: str) -> bool:
    """Whether scan_hardship can find anything in `text`: whether it holds a sensitive word
    once simplified (scan_hardship's own first test). One regex pass: callers with many texts
    ask it once a text and leave out the rest."""
    return words().sensitive_re.search(simplified(text)) is not None


def scan_hardship(text: str, known: KnownNames | None = None) -> list[Finding]:
    """Sentences that tie a possible name to a sensitive word (低保, 残疾, illness ...).

    Only sentences holding a sensitive word are tagged, so ordinary text costs one regex pass.
    Counts (走访 20 户低保家庭) and titled staff (社区主任王芳带队) do not trip it.
    """
    w = words()
    text = simplified(text)
    if not w.sensitive_re.search(text):
        return []
    found: list[Finding] = []
    line, pos = 1, 0
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group()
        hit = sensitive_word(sentence)
        if not hit:
            continue
        residents = [n for n in _names_in(sentence, known) if not n.titled]
        if not residents:
            continue
        line += text.count("\n", pos, m.start())
        pos = m.start()
        word, category = hit
        masked = _mask_name(residents[0].text)
        found.append(
            Finding(
                "hardship",
                line,
                masked,
                f"「{masked}」与「{word}」（{category.label}）出现在同一句，可能公开了居民的敏感个人信息",
                f"{category.hint}：这类情况只写户数或人数；确已取得本人书面同意的，在这条记录里加上 consent: true。",
            )
        )
    return found


# --- flat numbers ----------------------------------------------------------------------------

# A flat number ties a text to one home: 3栋2单元 is fine, 302室 / 3-2-302 / 9幢2单元302 /
# 3号楼302 / 302房 are not. Rooms of an office (301会议室) are not homes.
_NOT_A_HOME = r"(?!\s*(?:会议|活动|办公|教|阅览|多功能|功能|接待|值班|调解|警务|党员|服务|档案|医务|卫生|心理|图书|培训|展览|厅))"
# Every form starts with a digit: the look-ahead lets the engine pass over the rest of a text
# at one test a character instead of trying each form there (a fifth of the time; the same
# matches).
FLAT_NUMBER = re.compile(
    r"(?=\d)(?:(?:\d+\s*(?:幢|栋|号楼|座|楼|号)\s*)?\d+\s*单元\s*\d{3,4}(?!\d)(?:\s*(?:室|房|号))?" + _NOT_A_HOME
    + r"|\d+\s*(?:幢|栋|号楼|座)\s*\d{3,4}(?!\d)(?:\s*(?:室|房|号))?" + _NOT_A_HOME
    + r"|\d+\s*(?:室|号房|房间)(?!\s*\d\s*厅)"
    + r"|(?<![\d.\-:/])\d{3,4}\s*房(?![间东租屋产价源型贷子])"
    + r"|(?<![\d.\-:/])\d{1,3}-\d{1,2}-\d{3,4}(?![\d\-])"
    + r")"
)


def flat_numbers(text: str) -> list[tuple[int, str]]:
    """(line, what was written) for each flat or room number in `text`."""
    out = []
    for m in FLAT_NUMBER.finditer(text):
        out.append((text.count("\n", 0, m.start()) + 1, m.group()))
    return out


# --- names tagged ahead ----------------------------------------------------------------------

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


def _strings(node, seen: set[int] | None = None) -> Iterable[str]:
    """Every string under `node`, each list or mapping walked once: YAML aliases can share one
    list ten times at each of a dozen levels (a "billion laughs"), and its strings are the same."""
    seen = set() if seen is None else seen
    if isinstance(node, str):
        yield node
    elif isinstance(node, (dict, list)) and id(node) not in seen:
        seen.add(id(node))
        for v in node.values() if isinstance(node, dict) else node:
            yield from _strings(v, seen)


def _unconsented_honor_texts(text: str) -> tuple[list[str], list[str]]:
    """(every string of each honour without `consent: true`, their names and stories): what
    the honour checks tag. Parsed plainly; a file that does not parse gives nothing."""
    import yaml

    from .yamlio import refused_structure
    if refused_structure(text):  # a billion laughs or 100,000 `[`: the loader refuses the file
        return [], []
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return [], []
    items = data.get("honors") if isinstance(data, dict) else None
    items = [i for i in items or () if isinstance(i, dict) and i.get("consent") is not True] if isinstance(items, list) else []
    every = [s for item in items for s in _strings(item)]
    named = [s for item in items for key in ("name", "story") if item.get(key)
             for s in (_strings(item[key]) if isinstance(item[key], (dict, list)) else [str(item[key])])]
    return every, named


def sentences_to_tag(hardship_texts: Iterable[str], person_texts: Iterable[str]) -> set[str]:
    """The sentences the checks will tag for names: those of `hardship_texts` that hold a
    sensitive word (scan_hardship), and every sentence of `person_texts` that may name someone
    (names_person)."""
    w = words()
    wanted: set[str] = set()
    hardship_texts = map(simplified, hardship_texts)
    person_texts = map(simplified, person_texts)
    for text in hardship_texts:
        if w.sensitive_re.search(text):
            wanted.update(s for s in _SENTENCE_RE.findall(text) if w.sensitive_re.search(s))
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
    sensitive word, read from the raw lines, and the sentences of honours without consent.
    The main process can then check the parsed records without loading jieba; a sentence
    that reads differently once parsed is simply tagged there."""
    from .errors import Problems
    from .yamlio import decode

    w = words()
    wanted: set[str] = set()
    for path in paths:
        try:
            text = decode(Path(path).read_bytes(), path, Problems())
        except OSError:
            continue
        if text is None:
            continue
        if path.endswith((".yml", ".yaml")):
            every, named = _unconsented_honor_texts(text)
            wanted |= sentences_to_tag(every, named)
            continue
        for line in text.split("\n"):
            if w.sensitive_re.search(line):
                wanted |= sentences_to_tag(_line_variants(line), ())
        # the summary a record without one gets: its body's first paragraph, Markdown removed
        parts = text.split("---\n", 2) if text.startswith("---\n") else ()
        if len(parts) == 3:
            from .content import first_paragraph

            wanted |= sentences_to_tag([first_paragraph(parts[2])], ())
    return tag_names(wanted)
