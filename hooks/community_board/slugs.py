"""ASCII slugs from Chinese titles: 学雷锋走访困难家庭 -> xueleifeng-zoufang-kunnan-jiating.

A record's file name is its id and its URL, which residents share in chat groups, so the slug
must be plain ASCII (lowercase letters, digits, `-`) and short. Words come from jieba when it
is installed (one hyphen per word reads better than one per syllable); pinyin from pypinyin,
word by word, so its phrase dictionary settles polyphones (银行 -> yinhang). Without either
library we still return a valid slug from whatever ASCII the title holds.
"""
from __future__ import annotations

import functools
import logging
import re
import unicodedata
from typing import Callable, Collection, Iterable

from .schema import SLUG

MAX_LENGTH = 40
FALLBACK = "record"
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Particles that add length to a URL but no meaning.
_SKIP_WORDS = frozenset({"的", "了", "之", "关于"})


@functools.lru_cache(maxsize=1)  # jieba's dictionary, loaded once per process
def _segmenter() -> Callable[[str], list[str]]:
    try:
        import jieba
    except ImportError:  # per-character pinyin still gives a valid slug
        return lambda text: [text]
    jieba.setLogLevel(logging.WARNING)  # its "Building prefix dict" chatter is not for staff
    return jieba.lcut


def _pinyin(word: str) -> str:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:
        return word
    return "".join(lazy_pinyin(word))


def _ascii(text: str) -> str:
    """Full-width letters to ASCII, accents dropped, lowercased."""
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    return folded.encode("ascii", "ignore").decode("ascii").lower()


def _words(title: str) -> Iterable[str]:
    # NFKC first so full-width letters (Ｗｉｆｉ) reach the segmenter as one ASCII word.
    for word in _segmenter()(unicodedata.normalize("NFKC", title)):
        if word in _SKIP_WORDS:
            continue
        romanised = _NON_ALNUM.sub("-", _ascii(_pinyin(word) if _HAN.search(word) else word)).strip("-")
        if romanised:
            yield romanised


def _trim(parts: list[str], limit: int) -> str:
    """Whole words up to `limit` characters; a first word longer than that is cut."""
    out = ""
    for part in parts:
        candidate = f"{out}-{part}" if out else part
        if len(candidate) > limit:
            break
        out = candidate
    if not out and parts:
        out = parts[0][:limit].strip("-")
    return out


def slugify(title: str, limit: int = MAX_LENGTH) -> str:
    """A slug matching the content format's rule ([a-z0-9]+ joined by -), never empty."""
    parts = [p for word in _words(title) for p in word.split("-") if p]
    slug = _trim(parts, limit) or FALLBACK
    assert SLUG.fullmatch(slug), slug  # _NON_ALNUM guarantees it; a failure is our bug
    return slug


def unique_slug(slug: str, taken: Collection[str], prefix: str = "", limit: int = MAX_LENGTH) -> str:
    """`slug`, or `slug-2`, `slug-3` ... so that prefix + slug is not in `taken`.

    `prefix` is the date part of an id ("2026-03-05-"): ids, not slugs, must be unique.
    """
    if prefix + slug not in taken:
        return slug
    n = 2
    while True:
        suffix = f"-{n}"
        candidate = slug[: limit - len(suffix)].rstrip("-") + suffix
        if prefix + candidate not in taken:
            return candidate
        n += 1


def title_slug(title: str, day: str, taken: Collection[str]) -> str:
    """The contract's slug for a record titled `title` on `day` (YYYY-MM-DD), unique among the
    ids `taken`: what scripts/new.py and the editor's local backend name a new record with."""
    return unique_slug(slugify(title), taken, prefix=f"{day}-")
