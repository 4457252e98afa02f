"""A light Chinese search index for residents' phones: sharded, ranked, built at build time.

Why not Material's search: it ships the whole index to every visitor (8.9 MB with jieba at
1,000 posts). Here a phone downloads a small `meta.json` and `fold.json` (cached), then only
the postings shards that hold the query's terms, then only the document-table chunks of the
results it shows.

Text is folded the same way at index and query time (`normalize`): NFKC, lowercase,
Traditional characters to Simplified (OpenCC's t2s, one character at a time so the phone can
do the same with a small table), thousands separators dropped (12,000 -> 12000) and 万
written out (1.2万 -> 12000). Terms: every run of CJK characters gives its character bigrams
and unigrams; ASCII letters and digits give words (`[a-z]+`, `[0-9]+`). Everything else
separates. At index time a record also gets:

- the terms of every community synonym (data/synonyms.yml) of a word it holds, so a query
  needs no expansion download;
- the pinyin of its title, as syllable pairs (雷锋 -> `leifeng`) and initial pairs (`lf`).

A query is its bigrams (a one-character run: the character), its ASCII words, and the pinyin
pairs of its letters (segmented into the syllables that occur in titles; letters that are no
syllables are read as initials: `xlf` -> `xl`, `lf`). Results are ranked, not AND-ed: a
BM25-like sum over the query's terms of idf x a weight for where the term is (title weighs
more than text, several times in the text more than once), in integers so that Python and
JavaScript agree to the last digit; documents below a quarter of the best score are dropped;
ties go to the newer. A query that finds nothing is checked for a one-character typo against
the titles' bigrams (`重杨` -> 重阳, `学雷峰` -> 学雷锋): the page says 您是不是要找 and shows
the corrected query's results.

Files written (site-relative), all deterministic bytes (sorted keys, no timestamps):

    search/meta.json       {"fmt", "v", "shards", "shard_width", "docs", "chunk",
                            "chunk_width", "kinds"}
    search/fold.json       {"t2s": "繁简…" (pairs, only for Simplified characters in the
                            index), "py": "a ai … zuo" (the syllables of the titles)}
    search/t/<i>.json      {term: postings} for the terms whose hash % shards == i
                           (i zero-padded to shard_width digits); also {"x_": "…", "_y": "…"}:
                           the characters that complete a title bigram x? or ?y, most titles
                           first (for the typo suggestion)
    search/d/<j>.json      [[url, title, kind index, date, excerpt], ...] for doc ids
                           j*chunk .. j*chunk+chunk-1 (j padded to chunk_width digits)

Doc ids are the documents sorted newest first (then by url), so "newer first" is "smaller id
first". Postings are strings: for each doc id in increasing order, the value
(gap << 2 | level) written as a little-endian base-32 varint over a 64-letter alphabet that
JSON never escapes (letter index < 32 ends a number); level is 0 (once in the text), 1
(several times), 2 (in the title), 3 (title and several times). `v` is a hash of every file,
appended as `?v=` to every fetch so a phone never mixes an old shard with a new meta.

`assets/board/search.js` is the client; `search` below mirrors its algorithm step for step
and is what the tests and `scripts/bench_search.py` use. Change both together.
"""
from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter
from pathlib import Path
from types import MappingProxyType
from typing import Iterable, Mapping, NamedTuple

from .kinds import KINDS

FORMAT = 2
# A shard is one HTTP request. Measured at 2,000 activities (scripts/bench_search.py): ranking
# reads every query term's postings (AND-ing could stop at a missing one) and its results
# spread over the document table, so shards and chunks are small: 3 KB shards and 4-document
# chunks give a worst first query of ~38 KB raw (~26 KB gzip, fold.json included) and a worst
# later one of ~18 KB gzip, with ~1,100 files; 12 KB shards and 8-document chunks cost 58 and
# 43 KB gzip.
SHARD_TARGET_BYTES = 3_000
MAX_SHARDS = 4096
# Documents per doc-table chunk (the first page of results, ten, is up to ten chunks).
DOC_CHUNK = 4
EXCERPT_CHARS = 48
# A pasted paragraph would otherwise fetch every shard. The first 12 terms (a 13-character
# phrase) bound a query to 12 shards (~150 KB) and still find every document that has it.
MAX_QUERY_TERMS = 12
# Score of a term in a document = idf x WEIGHT[level] (levels as in the postings).
WEIGHT = (2, 3, 6, 7)
# A document scoring under best / CUTOFF is noise (one common bigram of a long query). As
# WEIGHT[3] < CUTOFF * WEIGHT[0], a document holding every term of the query is never dropped.
CUTOFF = 4
# Letters read as pinyin at most (a longer word is an English word or a paste).
MAX_PINYIN_LETTERS = 30
# Letters that are no syllables are read as initials (xlf = 学雷锋) up to this many: a longer
# run is a word (a name, a typo) whose letter pairs would only find noise.
MAX_INITIALS = 4

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}
SYNONYMS = Path(__file__).resolve().parent / "data" / "synonyms.yml"

# BMP CJK only: astral ideographs would need surrogate-pair handling in ES5 JavaScript; they
# are rare in community records and simply act as separators on both sides.
_CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN_RE = re.compile(f"[{_CJK_CLASS}]+|[a-z]+|[0-9]+")
_CJK_RE = re.compile(f"[{_CJK_CLASS}]")
_CJK_RUN_RE = re.compile(f"[{_CJK_CLASS}]+")
_WORD_RE = re.compile("[a-z]+|[0-9]+")  # _TOKEN_RE's other tokens
_SPACE_RE = re.compile(r"\s+")
# [0-9], not \d: Python's \d also matches other scripts' digits, JavaScript's does not.
_THOUSANDS_RE = re.compile(r"([0-9]),(?=[0-9]{3}(?![0-9]))")
_WAN_RE = re.compile(r"([0-9]+)(?:\.([0-9]+))?万")
_LETTERS_RE = re.compile(r"[a-z]+")
# The fullwidth forms (，：（） and the ideographic space), which nearly every Chinese text
# holds and which alone send unicodedata's NFKC down its slow path (three quarters of the time
# normalize() took). A character replaced by its own NFKC form leaves a compatibility-
# equivalent text, and equivalent texts have one NFKC: normalizing afterwards gives the same
# string, mostly by the quick check.
_FULLWIDTH_RE = re.compile("[\u3000\uff01-\uff5e]")
_FULLWIDTH_NFKC = MappingProxyType({chr(c): unicodedata.normalize("NFKC", chr(c))
                                    for c in (0x3000, *range(0xFF01, 0xFF5F))})
# The characters of _CJK_CLASS (immutable): a document's are one C intersection away.
_CJK_CHARS = frozenset(chr(c) for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
                       for c in range(lo, hi + 1))


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative, e.g. "activities/2026-03-05-x/"
    title: str
    kind: str  # 活动 / 光荣榜 / 公告 / 标语 / 关于
    date: str  # "YYYY-MM-DD" or ""
    text: str  # plain text body, no HTML


# --- folding -------------------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def t2s_table() -> Mapping[int, str]:
    """Traditional -> Simplified, one character to one character, from OpenCC's t2s data."""
    import opencc  # noqa: PLC0415  (the build's, not every importer's)
    chars = [chr(c) for lo, hi in ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
             for c in range(lo, hi + 1)]
    # One call, a character a line: phrases never span two lines.
    out = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise RuntimeError("OpenCC t2s changed the number of lines")
    # Read-only: the one table is shared by every caller of this cached function.
    return MappingProxyType({ord(t): s for t, s in zip(chars, out) if s != t and len(s) == 1})


def _wan(m: re.Match) -> str:
    whole, frac = m.group(1), m.group(2) or ""
    if len(whole) > 8 or len(frac) > 4:
        return m.group(0)
    # Exact in integers (search.js does the same with strings): 1.2万 -> 12000.
    return str(int(whole + (frac + "0000")[:4]))


@functools.lru_cache(maxsize=1)  # pure: made from OpenCC's fixed table
def _traditional_re() -> re.Pattern:
    return re.compile("[" + "".join(sorted(map(chr, t2s_table()))) + "]")


def normalize(text: str, table: dict[int, str] | None = None) -> str:
    """As search.js: NFKC, lowercase, Traditional -> Simplified, 12,000 -> 12000, 1.2万 -> 12000."""
    text = unicodedata.normalize("NFKC", _fold_fullwidth(text)).lower()
    if table is not None:
        text = text.translate(table)
    elif _traditional_re().search(text):  # most records have none: skip the per-character walk
        text = text.translate(t2s_table())
    return _WAN_RE.sub(_wan, _THOUSANDS_RE.sub(r"\1", text))


def _fold_fullwidth(text: str) -> str:
    # A text holds a few distinct ones: a replace() each, not a call per occurrence.
    for ch in set(_FULLWIDTH_RE.findall(text)):
        text = text.replace(ch, _FULLWIDTH_NFKC[ch])
    return text


def _runs(text: str) -> list[str]:
    return _TOKEN_RE.findall(normalize(text))


def _is_cjk(run: str) -> bool:
    return bool(_CJK_RE.match(run))


def _flat_terms(flat: str, grams: dict | None = None) -> Counter:
    """Terms of already normalised text and how often each occurs: its CJK characters, then
    its CJK bigrams (none spans two runs), then its ASCII words, each in the text's order.

    `grams`, a dict held by one build, keeps each distinct CJK run's grams (`_run_grams`):
    records repeat their phrases (社区居委会, 志愿者), and counting strings that already exist,
    hashes computed, takes about half the time of making and hashing them anew for every
    occurrence (and a build holds one copy of each term, not one per document)."""
    parts = _known_grams(_CJK_RUN_RE.findall(flat), {} if grams is None else grams)
    # Counting in C (Counter over a chain), no Python step per character.
    terms = Counter(chain.from_iterable(map(itemgetter(0), parts)))
    terms.update(chain.from_iterable(map(itemgetter(1), parts)))
    words = _WORD_RE.findall(flat)
    if words:
        terms.update(words)
    return terms


def _run_grams(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(unigrams, bigrams) of one CJK run, with repeats."""
    return tuple(run), tuple(map(str.__add__, run, run[1:]))


def _known_grams(runs: list[str], grams: dict) -> list[tuple[tuple[str, ...], tuple[str, ...]]]:
    """Each run's `_run_grams`, made once per distinct run and kept in `grams`."""
    out = []
    for run in runs:
        answer = grams.get(run)
        if answer is None:
            answer = grams[run] = _run_grams(run)
        out.append(answer)
    return out


def _text_terms(text: str) -> Counter:
    return _flat_terms(normalize(text))


# --- synonyms and pinyin (index time) ------------------------------------------------------

def synonym_groups(path: Path | None = None) -> tuple[tuple[str, ...], ...]:
    """The groups of data/synonyms.yml (or `path`), folded as the index text is."""
    return _read_groups(path or SYNONYMS)


@functools.lru_cache(maxsize=4)  # the package's own data file (not content/): fixed while it runs
def _read_groups(path: Path) -> tuple[tuple[str, ...], ...]:
    import yaml  # noqa: PLC0415
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    groups = []
    for group in data.get("groups") or ():
        words = tuple(dict.fromkeys(normalize(str(w)).strip() for w in group))
        if len(words) < 2 or not all(words):
            raise ValueError(f"{path}: 同义词组 {group!r} 至少要有两个词")
        groups.append(words)
    return tuple(groups)


def expand(text: str, groups: tuple[tuple[str, ...], ...]) -> str:
    """The words of every group one of whose words `text` holds, that `text` lacks."""
    flat = normalize(text)
    return _expansion(flat, _flat_terms(flat), groups)


@functools.lru_cache(maxsize=4)
def _by_first_term(groups: tuple[tuple[str, ...], ...]) -> Mapping[str, tuple[tuple[str, int], ...]]:
    """A word's first bigram (or its character, or an ASCII word's first word) -> (word, group)."""
    index: defaultdict[str, list[tuple[str, int]]] = defaultdict(list)
    for g, words in enumerate(groups):
        for w in words:
            first = _TOKEN_RE.match(w)
            key = (w[:2] if w[0] >= "\u3400" else first.group(0)) if first else w
            index[key].append((w, g))
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def _expansion(flat: str, terms: Counter, groups: tuple[tuple[str, ...], ...]) -> str:
    # Every text that holds a word has the word's first term among its terms: a set
    # intersection spares the substring search for almost every word.
    index = _by_first_term(groups)
    held = sorted({g for key in index.keys() & terms.keys() for w, g in index[key] if w in flat})
    extra = [w for g in held for w in groups[g] if w not in flat]
    return " ".join(dict.fromkeys(extra))


def _pinyin(run: str) -> list[str]:
    from pypinyin import lazy_pinyin  # noqa: PLC0415  (build time only)
    return lazy_pinyin(run)


def _run_pinyin(run: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(terms, syllables) of one CJK run's pinyin (pypinyin reads a run on its own)."""
    syl = _pinyin(run)
    ok = [_LETTERS_RE.fullmatch(s) is not None for s in syl]
    terms = []
    for i in range(len(syl) - 1):
        if ok[i] and ok[i + 1]:
            terms += (syl[i] + syl[i + 1], syl[i][0] + syl[i + 1][0])
    return tuple(terms), tuple(s for s, good in zip(syl, ok) if good)


def pinyin_terms(title: str, runs: dict | None = None, flat: str | None = None) -> tuple[set[str], set[str]]:
    """(terms, syllables) of a title's pinyin: syllable pairs `leifeng`, initial pairs `lf`.

    `runs`, a dict held by one build, keeps each distinct run's answer: titles repeat their
    words (社区, 志愿服务), and pypinyin's segmentation costs more than the rest of a title's
    terms. `flat` is `normalize(title)` when the caller has it."""
    terms: set[str] = set()
    syllables: set[str] = set()
    for run in _TOKEN_RE.findall(normalize(title) if flat is None else flat):
        if run[0] < "\u3400":  # a token is CJK, [a-z]+ or [0-9]+
            continue
        if runs is None:
            answer = _run_pinyin(run)
        else:
            answer = runs.get(run)
            if answer is None:
                answer = runs[run] = _run_pinyin(run)
        terms.update(answer[0])
        syllables.update(answer[1])
    return terms, syllables


def segment(word: str, syllables: frozenset[str] | set[str]) -> list[str] | None:
    """`word` as a sequence of syllables, longest first with backtracking; None if it is none."""
    failed: set[int] = set()

    def walk(i: int) -> list[str] | None:
        if i == len(word):
            return []
        if i in failed:
            return None
        for n in range(min(6, len(word) - i), 0, -1):
            if word[i:i + n] in syllables:
                rest = walk(i + n)
                if rest is not None:
                    return [word[i:i + n], *rest]
        failed.add(i)
        return None

    return walk(0)


# --- query terms ---------------------------------------------------------------------------

def query_terms(q: str, syllables=frozenset(), table: dict[int, str] | None = None) -> list[str]:
    """The terms a query is scored by, in order, without repeats."""
    out: list[str] = []

    def add(term: str) -> None:
        if term not in out:
            out.append(term)

    runs = _TOKEN_RE.findall(normalize(q, table))
    letters = ""
    for run in runs + [""]:
        if run and _LETTERS_RE.fullmatch(run):
            letters += run
            add(run)
            continue
        if letters:
            for term in _pinyin_query(letters, syllables):
                add(term)
            letters = ""
        if not run:
            break
        if _is_cjk(run) and len(run) > 1:
            for i in range(len(run) - 1):
                add(run[i:i + 2])
        else:
            add(run)
    return out[:MAX_QUERY_TERMS]


def _pinyin_query(letters: str, syllables) -> list[str]:
    if len(letters) < 2 or len(letters) > MAX_PINYIN_LETTERS:
        return []
    syl = segment(letters, syllables)
    if syl is not None and len(syl) > 1:
        return [syl[i] + syl[i + 1] for i in range(len(syl) - 1)]
    if syl is None and len(letters) <= MAX_INITIALS:
        return [letters[i:i + 2] for i in range(len(letters) - 1)]  # initials: xlf -> xl, lf
    return []


def shard_of(term: str, shards: int) -> int:
    """FNV-1a over UTF-16 code units; search.js computes the same without Math.imul."""
    h = 0x811C9DC5
    data = term.encode("utf-16-le")
    for i in range(0, len(data), 2):
        h ^= data[i] | (data[i + 1] << 8)
        h = (h * 0x01000193) & 0xFFFFFFFF
    return h % shards


# --- postings codec ------------------------------------------------------------------------

def _varint(value: int) -> str:
    out = []
    while value >= 32:
        out.append(ALPHABET[32 + (value & 31)])
        value >>= 5
    out.append(ALPHABET[value])
    return "".join(out)


# Gaps are mostly small: the codes of the first 32,768 values are looked up, not computed.
_CODES = tuple(_varint(v) for v in range(1 << 15))


def _encode_values(values: list[int]) -> str:
    """(doc id << 2 | level) values, ids strictly increasing -> compact string."""
    codes = _CODES
    # Each gap is (doc id - previous doc id) << 2, plus this one's level; the first one's
    # previous id is -1.
    prevs = [-4, *[v & ~3 for v in values[:-1]]]
    return "".join([codes[g] if g < 32768 else _varint(g)
                    for g in [v - p for v, p in zip(values, prevs)]])


def encode_postings(entries: list[tuple[int, int]]) -> str:
    """(doc id, level 0..3) pairs, ids strictly increasing -> compact string."""
    return _encode_values([(doc_id << 2) | level for doc_id, level in entries])


def decode_postings(s: str) -> list[tuple[int, int]]:
    entries = []
    prev = -1
    value = 0
    shift = 0
    for ch in s:
        d = _DIGIT[ch]
        if d >= 32:
            value |= (d - 32) << shift
            shift += 5
            continue
        value |= d << shift
        prev += value >> 2
        entries.append((prev, value & 3))
        value = 0
        shift = 0
    return entries


# --- build ---------------------------------------------------------------------------------

def _dumps(obj) -> bytes:
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def _excerpt(text: str) -> str:
    flat = _SPACE_RE.sub(" ", text).strip()
    return flat if len(flat) <= EXCERPT_CHARS else flat[:EXCERPT_CHARS] + "…"


def _ordered(docs: Iterable[SearchDoc]) -> list[SearchDoc]:
    docs = list(docs)
    seen: set[str] = set()
    for d in docs:
        if d.url in seen:
            raise ValueError(f"search: two documents share the url {d.url!r}")
        seen.add(d.url)
    # Newest first; undated pages (about, slogans) last; url breaks ties so order is stable.
    by_url = sorted(docs, key=lambda d: d.url)
    return sorted(by_url, key=lambda d: d.date or "0000", reverse=True)


def shard_count(postings_bytes: int) -> int:
    return max(1, min(MAX_SHARDS, math.ceil(postings_bytes / SHARD_TARGET_BYTES)))


class DocTerms(NamedTuple):
    title: frozenset[str]  # title terms, its synonyms' and its pinyin
    body: tuple[tuple[str, int], ...]  # text terms (with its synonyms') and how often
    syllables: frozenset[str]
    title_bigrams: frozenset[str]  # the title's own CJK bigrams (for typo suggestions)
    chars: frozenset[str]  # the CJK characters the document is found by (for fold.json)


def doc_terms(title: str, text: str, groups: tuple[tuple[str, ...], ...],
              pinyin_runs: dict | None = None, grams: dict | None = None) -> DocTerms:
    """`pinyin_runs`: see pinyin_terms; `grams`: see _flat_terms."""
    t_flat, b_flat = normalize(title), normalize(text)
    py, syllables = pinyin_terms(title, pinyin_runs, t_flat)
    t_terms, body = _flat_terms(t_flat, grams), _flat_terms(b_flat, grams)
    t_extra = normalize(_expansion(t_flat, t_terms, groups))
    b_extra = normalize(_expansion(b_flat, body, groups))
    title_terms = set(t_terms) | py
    if t_extra:
        title_terms |= _flat_terms(t_extra, grams).keys()
    # A synonym adds its terms once: it makes a record findable, not more relevant.
    if b_extra:
        for term in _flat_terms(b_extra, grams):
            body.setdefault(term, 1)
    bigrams = frozenset(t for t in t_terms if len(t) == 2 and t[0] >= "\u3400")
    # The CJK characters of the four folded texts are exactly the CJK unigrams among the terms
    # (pinyin and words are ASCII): a few hundred terms to look up, not every character.
    chars = _CJK_CHARS.intersection(body).union(_CJK_CHARS.intersection(title_terms))
    return DocTerms(frozenset(title_terms), tuple(body.items()), frozenset(syllables), bigrams, chars)


def _add_postings(postings: defaultdict[str, list[int]], doc_id: int, terms: DocTerms) -> None:
    """Append (doc id << 2 | level) to the postings of each of a document's terms. Levels: 0
    once in the text, 1 several times, 2 in the title, 3 title and several.

    The text's terms first, then the title's few: a title term the text holds already has
    this document's posting (its list's last), which gets the title's bit, so no term of the
    text is looked up in the title."""
    value = doc_id << 2
    # One int per level and document, shared by all its postings: a million new ints
    # (32 MB at 2,000 activities) cost more than the rest of this loop.
    levels = (value, value | 1, value | 2, value | 3)
    for term, tf in terms.body:
        postings[term].append(levels[1 if tf >= 2 else 0])
    for term in terms.title:
        entries = postings[term]
        if entries and entries[-1] >> 2 == doc_id:  # the text holds it too
            entries[-1] = levels[(entries[-1] & 3) | 2]
        else:
            entries.append(levels[2])


def build_index(docs: Iterable[SearchDoc], memo=None) -> dict[str, bytes]:
    """Site-relative path -> file bytes. Same documents, same bytes.

    `memo` (memo.Memo) keeps each document's terms between `mkdocs serve` rebuilds, so an
    edit re-reads one document, not all of them."""
    ordered = _ordered(docs)
    groups = synonym_groups()
    pinyin_runs: dict = {}  # this build's pinyin of each distinct title run
    grams: dict = {}  # this build's grams of each distinct CJK run
    if memo is None:
        def terms_of(title: str, text: str, groups) -> DocTerms:
            return doc_terms(title, text, groups, pinyin_runs, grams)
    else:
        from .memo import digest
        key = repr(groups)

        def terms_of(title: str, text: str, groups) -> DocTerms:
            return memo.cached(digest("terms2", key, title, text),
                               lambda: doc_terms(title, text, groups, pinyin_runs, grams))
    kinds = sorted({d.kind for d in ordered})
    kind_index = {k: i for i, k in enumerate(kinds)}

    postings: defaultdict[str, list[int]] = defaultdict(list)  # term -> [doc id << 2 | level]
    syllables: set[str] = set()
    title_bigrams: Counter = Counter()
    chars: set[str] = set()
    for doc_id, d in enumerate(ordered):
        terms = terms_of(d.title, d.text, groups)
        syllables |= terms.syllables
        title_bigrams.update(terms.title_bigrams)
        chars |= terms.chars
        # Order is free: files are written with sorted keys.
        _add_postings(postings, doc_id, terms)
    encoded = {t: _encode_values(p) for t, p in postings.items()}
    # Typo suggestions: x_ -> the characters y of the title bigrams xy, most titles first.
    wild: defaultdict[str, list[tuple[int, str]]] = defaultdict(list)
    for bigram, n in title_bigrams.items():
        wild[bigram[0] + "_"].append((-n, bigram[1]))
        wild["_" + bigram[1]].append((-n, bigram[0]))
    encoded.update({k: "".join(c for _, c in sorted(v)) for k, v in wild.items()})

    # Each entry costs its term, its string, quotes, colon and comma: ~ len + 6 bytes.
    total = sum(len(t.encode()) + len(p.encode()) + 6 for t, p in encoded.items())
    n_shards = shard_count(total)
    shards: list[dict[str, str]] = [{} for _ in range(n_shards)]
    for term, p in encoded.items():
        shards[shard_of(term, n_shards)][term] = p

    files: dict[str, bytes] = {}
    width = len(str(n_shards - 1))
    for i, shard in enumerate(shards):
        files[f"search/t/{i:0{width}d}.json"] = _dumps(shard)
    rows = [[d.url, d.title, kind_index[d.kind], d.date, _excerpt(d.text)] for d in ordered]
    n_chunks = max(1, math.ceil(len(rows) / DOC_CHUNK))
    cwidth = len(str(n_chunks - 1))
    for j in range(n_chunks):
        files[f"search/d/{j:0{cwidth}d}.json"] = _dumps(rows[j * DOC_CHUNK:(j + 1) * DOC_CHUNK])
    # Only the Traditional characters whose Simplified form the index holds: any other one
    # finds nothing either way, and the phone downloads a few KB instead of 4,000 pairs.
    t2s = sorted((chr(t), s) for t, s in t2s_table().items() if s in chars)
    files["search/fold.json"] = _dumps({"t2s": "".join(t + s for t, s in t2s),
                                        "py": " ".join(sorted(syllables))})

    version = hashlib.sha256()
    for path in sorted(files):
        version.update(path.encode() + b"\0" + files[path] + b"\0")
    files["search/meta.json"] = _dumps({
        "fmt": FORMAT,
        "v": version.hexdigest()[:12],
        "shards": n_shards,
        "shard_width": width,
        "docs": len(rows),
        "chunk": DOC_CHUNK,
        "chunk_width": cwidth,
        "kinds": kinds,
    })
    return files


# --- query: the client's algorithm, in Python ----------------------------------------------

def _meta(files: dict[str, bytes]) -> dict:
    return json.loads(files["search/meta.json"])


class Fold(NamedTuple):
    table: dict[int, str]
    syllables: frozenset[str]


def _fold(files: dict[str, bytes]) -> Fold:
    data = json.loads(files["search/fold.json"])
    pairs = data["t2s"]
    return Fold({ord(pairs[i]): pairs[i + 1] for i in range(0, len(pairs), 2)},
                frozenset(data["py"].split()))


def shard_path(meta: dict, i: int) -> str:
    return f"search/t/{i:0{meta['shard_width']}d}.json"


def chunk_path(meta: dict, j: int) -> str:
    return f"search/d/{j:0{meta['chunk_width']}d}.json"


def shards_for(meta: dict, terms: list[str]) -> list[str]:
    return sorted({shard_path(meta, shard_of(t, meta["shards"])) for t in terms})


def idf(n_docs: int, df: int) -> int:
    """BM25's idf in thousandths, rounded half up (search.js: Math.floor(x + 0.5))."""
    return math.floor(1000 * math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) + 0.5)


def rank(n_docs: int, lists: list[list[tuple[int, int]]]) -> list[int]:
    """Doc ids by score (the sum of idf x WEIGHT[level]), then newer; the weak tail dropped."""
    score: dict[int, int] = {}
    for entries in lists:
        if not entries:
            continue
        w = idf(n_docs, len(entries))
        for doc_id, level in entries:
            score[doc_id] = score.get(doc_id, 0) + w * WEIGHT[level]
    if not score:
        return []
    best = max(score.values())
    return sorted((d for d, s in score.items() if s * CUTOFF >= best), key=lambda d: (-score[d], d))


class Result(NamedTuple):
    ids: list[int]
    suggestion: str  # the corrected query when the query found nothing, else ""
    terms: list[str]


def _lookup(files: dict[str, bytes], meta: dict, keys: list[str]) -> list:
    shards = {p: json.loads(files[p]) for p in shards_for(meta, keys)}
    return [shards[shard_path(meta, shard_of(k, meta["shards"]))].get(k) for k in keys]


def _ids(files: dict[str, bytes], meta: dict, terms: list[str]) -> tuple[list[int], list[str]]:
    found = _lookup(files, meta, terms)
    lists = [decode_postings(s) if s is not None else [] for s in found]
    return rank(meta["docs"], lists), [t for t, s in zip(terms, found) if s is None]


def correction(q: str, missing: list[str], completions: dict[str, str], table) -> str:
    """The query with one character replaced so that a missing bigram is a title's, or ""."""
    text = normalize(q, table)
    votes: Counter = Counter()  # (position, character) -> missing bigrams it would fix
    first: dict[tuple[int, str], int] = {}  # -> its best place in a completion list
    for m in re.finditer(f"[{_CJK_CLASS}]+", text):
        run, start = m.group(0), m.start()
        for i in range(len(run) - 1):
            bigram = run[i:i + 2]
            if bigram not in missing:
                continue
            for pos, key in ((start + i + 1, bigram[0] + "_"), (start + i, "_" + bigram[1])):
                for place, c in enumerate(completions.get(key) or ""):
                    votes[(pos, c)] += 1
                    first[(pos, c)] = min(first.get((pos, c), place), place)
    best = min(votes, key=lambda cand: (-votes[cand], first[cand], cand[0], cand[1]), default=None)
    if best is None:
        return ""
    pos, c = best
    return text[:pos] + c + text[pos + 1:]


def _wild_keys(missing: list[str]) -> list[str]:
    keys = []
    for b in missing:
        if len(b) == 2 and _is_cjk(b):
            for k in (b[0] + "_", "_" + b[1]):
                if k not in keys:
                    keys.append(k)
    return keys


def search(files: dict[str, bytes], q: str) -> Result:
    """Doc ids best first, and the suggestion the page shows, as search.js computes them."""
    meta = _meta(files)
    fold = _fold(files)
    terms = query_terms(q, fold.syllables, fold.table)
    if not terms:
        return Result([], "", [])
    ids, missing = _ids(files, meta, terms)
    if ids:
        return Result(ids, "", terms)
    keys = _wild_keys(missing)
    if not keys:
        return Result([], "", terms)
    completions = dict(zip(keys, _lookup(files, meta, keys)))
    fixed = correction(q, missing, completions, fold.table)
    if not fixed:
        return Result([], "", terms)
    fixed_terms = query_terms(fixed, fold.syllables, fold.table)
    return Result(_ids(files, meta, fixed_terms)[0], fixed, fixed_terms)


def query_ids(files: dict[str, bytes], q: str) -> list[int]:
    return search(files, q).ids


def query(files: dict[str, bytes], q: str) -> list[str]:
    """Urls of the documents found, best first, as search.js lists them."""
    meta = _meta(files)
    out = []
    for doc_id in query_ids(files, q):
        chunk = json.loads(files[chunk_path(meta, doc_id // meta["chunk"])])
        out.append(chunk[doc_id % meta["chunk"]][0])
    return out


def first_query_files(files: dict[str, bytes], q: str, per_page: int = 10) -> list[str]:
    """The files a phone fetches for a query's first page of results (for the benchmark)."""
    meta = _meta(files)
    if not _TOKEN_RE.search(unicodedata.normalize("NFKC", q).lower()):
        return ["search/meta.json"]
    fold = _fold(files)
    result = search(files, q)
    terms = query_terms(q, fold.syllables, fold.table)
    paths = ["search/meta.json", "search/fold.json", *shards_for(meta, terms)]
    ids, missing = _ids(files, meta, terms)
    if not ids:  # the typo check: completions, then the corrected query's shards
        paths += shards_for(meta, _wild_keys(missing))
        if result.suggestion:
            paths += shards_for(meta, result.terms)
    paths += sorted({chunk_path(meta, i // meta["chunk"]) for i in result.ids[:per_page]})
    return list(dict.fromkeys(paths))


def documents(content) -> list[SearchDoc]:
    """What residents can search: what each kind says of its published records (activities,
    honours, notices, slogans, events, the profile)."""
    return [doc for kind in KINDS if kind.search for doc in kind.search(content)]


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`>#|~-]{1,}|\]\([^)]*\)|\[")


def plain(markdown_text: str) -> str:
    """Staff Markdown as the words a search finds."""
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", markdown_text or "")).strip()
