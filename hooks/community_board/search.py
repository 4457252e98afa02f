"""A light Chinese search index for residents' phones: sharded, built at build time.

Why not Material's search: it ships the whole index to every visitor (8.9 MB with jieba at
1,000 posts). Here a phone downloads a small `meta.json`, then only the postings shards that
hold the query's terms, then only the document-table chunks of the results it shows.

Terms: text is NFKC-normalised and lowercased; every run of CJK characters gives its
character bigrams (a query of any length >= 2 is found by AND-ing its bigrams, with no
dictionary to miss new words such as 星级文明家庭) and its unigrams (for one-character
queries); ASCII letters and digits give words (`[a-z]+`, `[0-9]+`). Everything else separates.

Files written (site-relative), all deterministic bytes (sorted keys, no timestamps):

    search/meta.json       {"fmt", "v", "shards", "shard_width", "docs", "chunk",
                            "chunk_width", "kinds"}
    search/t/<i>.json      {term: postings} for the terms whose hash % shards == i
                           (i zero-padded to shard_width digits)
    search/d/<j>.json      [[url, title, kind index, date, excerpt], ...] for doc ids
                           j*chunk .. j*chunk+chunk-1 (j padded to chunk_width digits)

Doc ids are the documents sorted newest first (then by url), so "newer first" is "smaller id
first". Postings are strings: for each doc id in increasing order, the value
(gap << 1 | in_title) written as a little-endian base-32 varint over a 64-letter alphabet that
JSON never escapes (letter index < 32 ends a number). `v` is a hash of every file, appended as
`?v=` to every fetch so a phone never mixes an old shard with a new meta.

`assets/board/search.js` is the client; `query` below mirrors its algorithm line for line and
is what the tests and `scripts/bench_search.py` use. Change both together.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from typing import Iterable

FORMAT = 1
# A shard is one HTTP request. Measured at 2,000 activities (scripts/bench_search.py): 12 KB
# shards and 16-document chunks give a worst first query of ~95 KB raw (~50 KB gzip) with
# ~250 files; 24 KB shards and 32-document chunks cost twice the bytes for half the files.
SHARD_TARGET_BYTES = 12_000
MAX_SHARDS = 4096
# Documents per doc-table chunk: the first page of results (RESULTS_PER_PAGE in search.js)
# usually falls in one or two chunks because ids are ordered newest first.
DOC_CHUNK = 16
EXCERPT_CHARS = 48
# A pasted paragraph would otherwise fetch every shard. The first 12 terms (a 13-character
# phrase) bound a query to 12 shards (~150 KB) and still find every document that has it.
MAX_QUERY_TERMS = 12

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-_"
_DIGIT = {c: i for i, c in enumerate(ALPHABET)}

# BMP CJK only: astral ideographs would need surrogate-pair handling in ES5 JavaScript; they
# are rare in community records and simply act as separators on both sides.
_TOKEN_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[a-z]+|[0-9]+")
_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SPACE_RE = re.compile(r"\s+")


@dataclass(frozen=True)
class SearchDoc:
    url: str  # site-relative, e.g. "activities/2026-03-05-x/"
    title: str
    kind: str  # 活动 / 光荣榜 / 公告 / 标语 / 关于
    date: str  # "YYYY-MM-DD" or ""
    text: str  # plain text body, no HTML


# --- terms ---------------------------------------------------------------------------------

def normalize(text: str) -> str:
    """Full-width to half-width and compatibility forms folded, lowercased (as search.js)."""
    return unicodedata.normalize("NFKC", text).lower()


def _runs(text: str) -> list[str]:
    return _TOKEN_RE.findall(normalize(text))


def _is_cjk(run: str) -> bool:
    return bool(_CJK_RE.match(run))


def index_terms(text: str) -> set[str]:
    """Every term a document is found by: unigrams and bigrams of CJK runs, ASCII words."""
    terms: set[str] = set()
    for run in _runs(text):
        if _is_cjk(run):
            terms.update(run)
            terms.update(map(str.__add__, run, run[1:]))  # bigrams, without a Python loop
        else:
            terms.add(run)
    return terms


def query_terms(q: str) -> list[str]:
    """The terms a query needs, in order, without repeats: all of them must match."""
    out: list[str] = []
    for run in _runs(q):
        if _is_cjk(run) and len(run) > 1:
            parts = [run[i:i + 2] for i in range(len(run) - 1)]
        else:
            parts = [run]
        for p in parts:
            if p not in out:
                out.append(p)
    return out[:MAX_QUERY_TERMS]


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
    """(doc id << 1 | in title) values, ids strictly increasing -> compact string."""
    prev = -2
    out = []
    for value in values:
        gap = value - (prev & ~1)  # (doc id - previous doc id) << 1, plus this one's title bit
        prev = value
        out.append(_CODES[gap] if gap < 32768 else _varint(gap))
    return "".join(out)


def encode_postings(entries: list[tuple[int, bool]]) -> str:
    """(doc id, in title) pairs, ids strictly increasing -> compact string."""
    return _encode_values([(doc_id << 1) | int(in_title) for doc_id, in_title in entries])


def decode_postings(s: str) -> list[tuple[int, bool]]:
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
        prev += value >> 1
        entries.append((prev, bool(value & 1)))
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


def build_index(docs: Iterable[SearchDoc], memo=None) -> dict[str, bytes]:
    """Site-relative path -> file bytes. Same documents, same bytes.

    `memo` (memo.Memo) keeps each document's terms between `mkdocs serve` rebuilds, so an
    edit re-reads one document, not all of them."""
    ordered = _ordered(docs)
    if memo is None:
        terms_of = index_terms
    else:
        from .memo import digest

        def terms_of(text: str) -> frozenset[str]:
            return memo.cached(digest("terms", text), lambda: frozenset(index_terms(text)))
    kinds = sorted({d.kind for d in ordered})
    kind_index = {k: i for i, k in enumerate(kinds)}

    postings: defaultdict[str, list[int]] = defaultdict(list)  # term -> [doc id << 1 | in title]
    for doc_id, d in enumerate(ordered):
        title_terms = terms_of(d.title)
        value = doc_id << 1
        for term in title_terms:  # order is free: files are written with sorted keys
            postings[term].append(value | 1)
        for term in terms_of(d.text) - title_terms:
            postings[term].append(value)
    encoded = {t: _encode_values(p) for t, p in postings.items()}

    # Each entry costs its term, its string, quotes, colon and comma: ~ len + 6 bytes.
    total = sum(len(t.encode()) + len(p) + 6 for t, p in encoded.items())
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


def shard_path(meta: dict, i: int) -> str:
    return f"search/t/{i:0{meta['shard_width']}d}.json"


def chunk_path(meta: dict, j: int) -> str:
    return f"search/d/{j:0{meta['chunk_width']}d}.json"


def shards_for(meta: dict, terms: list[str]) -> list[str]:
    return sorted({shard_path(meta, shard_of(t, meta["shards"])) for t in terms})


def rank(lists: list[list[tuple[int, bool]]]) -> list[int]:
    """AND of every term; a doc whose title holds every term comes first; then newer."""
    if not lists:
        return []
    title_all: dict[int, bool] = dict(min(lists, key=len))
    for entries in lists:
        here = dict(entries)
        title_all = {d: t and here[d] for d, t in title_all.items() if d in here}
    return sorted(title_all, key=lambda d: (not title_all[d], d))


def query_ids(files: dict[str, bytes], q: str) -> list[int]:
    terms = query_terms(q)
    if not terms:
        return []
    meta = _meta(files)
    shards = {p: json.loads(files[p]) for p in shards_for(meta, terms)}
    lists = []
    for t in terms:
        s = shards[shard_path(meta, shard_of(t, meta["shards"]))].get(t)
        if s is None:
            return []
        lists.append(decode_postings(s))
    return rank(lists)


def query(files: dict[str, bytes], q: str) -> list[str]:
    """Urls of the matching documents, best first, as search.js lists them."""
    meta = _meta(files)
    out = []
    for doc_id in query_ids(files, q):
        chunk = json.loads(files[chunk_path(meta, doc_id // meta["chunk"])])
        out.append(chunk[doc_id % meta["chunk"]][0])
    return out


def first_query_files(files: dict[str, bytes], q: str, per_page: int = 10) -> list[str]:
    """The files a phone fetches for a query's first page of results (for the benchmark)."""
    meta = _meta(files)
    terms = query_terms(q)
    if not terms:
        return ["search/meta.json"]
    ids = query_ids(files, q)[:per_page]
    chunks = sorted({chunk_path(meta, i // meta["chunk"]) for i in ids})
    return ["search/meta.json", *shards_for(meta, terms), *chunks]


def documents(content) -> list[SearchDoc]:
    """What residents can search: activities, honours, notices, slogans and the profile."""
    docs = [SearchDoc(f"activities/{a.id}/", a.title, "活动", a.date.isoformat(),
                      " ".join((a.summary, a.location, " ".join(a.organizers), " ".join(a.partners),
                                _plain(a.body))))
            for a in content.activities]
    docs += [SearchDoc(f"honors/{h.year}/#honor-{h.id}", f"{h.title} · {h.name}", "光荣榜",
                       h.date.isoformat() if h.date else "",
                       " ".join((h.place, h.by, _plain(h.story))))
             for h in content.honors]
    docs += [SearchDoc(f"notices/{n.id}/", n.title, "公告", n.date.isoformat(),
                       " ".join((n.kind, _plain(n.body)))) for n in content.notices]
    if content.slogans or content.maxims:
        docs.append(SearchDoc("slogans/", "标语与家庭道德格言", "标语", "",
                              " ".join([s.text for s in content.slogans] + [f"{m.text} {m.by}" for m in content.maxims])))
    com = content.community
    docs.append(SearchDoc("about/", com.full_name or com.name, "关于", "",
                          " ".join([com.address, com.office_hours, com.motto] + [f.name for f in com.facilities])))
    return docs


_MARKUP = re.compile(r"!\[[^\]]*\]\([^)]*\)|<[^>]+>|[*_`>#|~-]{1,}|\]\([^)]*\)|\[")


def _plain(markdown_text: str) -> str:
    return re.sub(r"\s+", " ", _MARKUP.sub(" ", markdown_text or "")).strip()
