"""The privacy rules of the contract, applied while content/ is loaded.

Numbers (resident IDs, mobiles, bank cards) are looked for in every file's raw text and every
file name, so front matter, captions, YAML and bodies are all covered. Rules that depend on a
record's `consent` (a sensitive fact next to a possible name, honours that name a person),
flat numbers and the raw-HTML rule run on the parsed records.

Every string of every record goes through the same detectors (`public_strings`): the walk
visits each field of each record dataclass, recursing into tuples and nested records (photos,
facilities ...), and skips only the fields declared not public (`public=False` in the
declaration in kinds/, nested records included; NOT_PUBLIC for a nested dataclass declared
without one: a notice's attachment), so a new field or a new kind of record is checked
without anyone remembering to add it. Every record with a Markdown body has it checked for
raw HTML the sanitizer would remove.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable, Iterator, Mapping

from . import htmlsafety, names, privacy
from .errors import Problems
from .memo import Memo, digest
from .records import Community, Honor

_CONSENT_HINT = "征得本人（或家属）同意后，在这条记录里加上 consent: true；不同意就删去姓名，只写户数。"
_FLAT_HINT = "门牌号会暴露住户住址。只写到楼栋或单元，例如“3栋2单元”；社区办公用房请写房间用途（如“301会议室”）。"

# For a nested record not declared with kinds.base.record (a notice's attachment): fields that
# never reach a page, the search index, the feed or an image: identifiers and file locations
# of our own, flags, and references to texts checked where they are written.
NOT_PUBLIC = frozenset({"id", "source", "body_line", "line", "index", "consent", "draft", "cover",
                        "column", "slug"})
# The body is checked with its own line offset (see _body_findings).
_BODY = "body"


def allowed_numbers(community: Community | None) -> frozenset[str]:
    """The office phone in community.yml is public: its digits are never a personal number."""
    if community is None or not community.phone:
        return frozenset()
    return frozenset({re.sub(r"\D", "", community.phone)})


def _run(memo: Memo | None, name: str, work, *inputs: str):
    """work(*inputs), remembered by its inputs across `mkdocs serve` rebuilds."""
    if memo is None:
        return work(*inputs)
    return memo.cached(digest(name, *inputs), lambda: work(*inputs))


def check_text(file: str, text: str, allowed: frozenset[str], problems: Problems, memo: Memo | None = None) -> None:
    found = _run(memo, "numbers", lambda t, _key: privacy.scan_numbers(t, allowed), text, ",".join(sorted(allowed)))
    for f in found:
        problems.add(file, f.line, field_at_line(file, text, f.line), f.message, f.hint)


_KEY_LINE = re.compile(r"^\s*(?:-\s+)?([A-Za-z_][\w-]*)\s*:")


def field_at_line(file: str, text: str, line: int) -> str | None:
    """The field a line of a record file belongs to, for staff: a Markdown record's body is
    「正文」; in front matter or YAML, the nearest key at or above the line."""
    lines = text.split("\n")
    if file.endswith(".md"):
        closing = next((i for i, l in enumerate(lines[1:], 2) if l.strip() in ("---", "...")), None)
        if not lines or lines[0].strip() != "---" or closing is None or line > closing:
            return "正文"
    for number in range(min(line, len(lines)), 0, -1):
        m = _KEY_LINE.match(lines[number - 1])
        if m:
            return m.group(1)
    return None


def check_file_names(files: Iterable[str], allowed: frozenset[str], problems: Problems) -> None:
    for file in files:
        for f in privacy.scan_filename(file, allowed):
            problems.add(file, None, "文件名", f.message, f.hint)


def public_strings(record: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(field path, text) for every string a record can publish: `photos[0].caption`,
    `facilities[1].note`, `figures[0][0]` ... Non-dataclass values are walked as tuples."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        hidden = getattr(record, "__not_public__", NOT_PUBLIC)
        for f in dataclasses.fields(record):
            if f.name not in hidden:
                yield from public_strings(getattr(record, f.name), f"{prefix}.{f.name}" if prefix else f.name)
    elif isinstance(record, str):
        if record:
            yield prefix, record
    elif isinstance(record, (tuple, list)):
        for i, item in enumerate(record):
            yield from public_strings(item, f"{prefix}[{i}]")


def _source(record: Any, texts: Mapping[str, str]) -> str:
    """The record's file; slogans and maxims carry none: theirs is slogans.yml."""
    source = getattr(record, "source", "")
    if source:
        return source
    return next((f for f in texts if f.endswith("/slogans.yml")), "content/slogans.yml")


def _field_label(record: Any, path: str) -> str:
    if isinstance(record, Honor):
        return f"honors[{record.index}].{path}"
    return "正文" if path == _BODY else path


def _locate(text: str | None, value: str, start: int, stop: int | None = None) -> int | None:
    """The line (1-based) of the file's text where `value` is written, from line `start`:
    the first line holding the value's first line (or its first 12 characters)."""
    if not text:
        return start or None
    probe = value.strip().split("\n", 1)[0].strip()[:12]
    lines = text.split("\n")
    for n in range(max(1, start), (stop or len(lines)) + 1):
        if n - 1 < len(lines) and probe and probe in lines[n - 1]:
            return n
    return start or None


def _consented(record: Any) -> bool:
    return bool(getattr(record, "consent", False))


def check_records(records: Iterable[Any], problems: Problems, memo: Memo | None = None,
                  known: names.KnownNames | None = None, texts: Mapping[str, str] | None = None) -> None:
    """The privacy rules on every public string of every record (community, activities,
    notices, honours, slogans, maxims, boards).

    `known`: names tagged ahead in another process (names.names_ahead). What it lacks, of
    the sentences whose answers the memo does not hold, is tagged here in one go, with jieba
    loaded for their words only (names.tag_names). `texts`: each file's raw text, to say
    on which line a front-matter or YAML value is written."""
    records = [r for r in records if r is not None]
    fields = [(r, list(public_strings(r))) for r in records]
    # Most texts hold no sensitive word: one regex pass on each distinct text says so, and
    # such a text needs no names, no memo entry and no second look (scan_hardship would
    # answer [] after the same pass). Only the others are tagged and scanned.
    suspect = frozenset(t for t in {t for r, fs in fields if not _consented(r) for _, t in fs} if names.may_tie(t))
    hardship = list(suspect)
    persons = [t for r, fs in fields if isinstance(r, Honor) and not r.consent for k, t in fs if k in ("name", "story")]
    if memo is not None:  # texts whose answers an earlier build kept need no names
        hardship = [t for t in hardship if digest("hardship", t) not in memo]
        persons = [t for t in persons if digest("person", t) not in memo]
    wanted = names.sentences_to_tag(hardship, persons)
    # what was not tagged ahead (community.yml, slogans, a text that reads differently once
    # parsed) is tagged here in one batch, without loading jieba's whole dictionary
    missing = wanted if known is None else wanted - known.keys()
    if missing:
        known = {**(known or {}), **names.tag_names(missing)}
    texts = texts or {}
    for record, strings in fields:
        source = _source(record, texts)
        _check_record(record, source, strings, problems, memo, known, texts.get(source), suspect)


def _hardship(text: str, memo: Memo | None, known: names.KnownNames | None) -> list:
    return _run(memo, "hardship", lambda t: names.scan_hardship(t, known), text)


def _person(text: str, memo: Memo | None, known: names.KnownNames | None) -> bool:
    return _run(memo, "person", lambda t: names.names_person(t, known), text)


def _check_record(record: Any, source: str, strings: list[tuple[str, str]], problems: Problems,
                  memo: Memo | None, known: names.KnownNames | None, raw: str | None,
                  suspect: frozenset[str]) -> None:
    """`suspect`: the texts that may tie a name to a sensitive word (names.may_tie); for
    any other, scan_hardship finds nothing."""
    start = getattr(record, "line", 0) or 1
    body_line = getattr(record, "body_line", None)
    front_stop = body_line - 1 if body_line else None
    if getattr(record, "body", "") and body_line:  # staff Markdown: activities, notices, events
        for f in _run(memo, "html", htmlsafety.check_raw_html, record.body):
            problems.add(source, f.line + record.body_line - 1, "正文", f.message, f.hint)
    if isinstance(record, Honor) and record.story:
        for f in htmlsafety.check_raw_html(record.story):
            problems.add(source, record.line or None, f"honors[{record.index}].story", f.message, f.hint)
    reported: set[str] = set()  # one finding per name and sensitive word: the summary repeats the body

    def line_of(path: str, value: str, line_in_value: int) -> int | None:
        if path == _BODY and body_line:
            return body_line + line_in_value - 1
        at = _locate(raw, value, start, front_stop)
        return at + line_in_value - 1 if at else None

    for path, value in strings:
        for line, flat in names.flat_numbers(value):
            problems.add(source, line_of(path, value, line), _field_label(record, path),
                         f"「{flat}」写到了门牌号，会暴露住户住址。", _FLAT_HINT)
    if isinstance(record, Honor) and not record.consent:
        if _person(record.name, memo, known) or (record.story and _person(record.story, memo, known)):
            problems.add(source, record.line or None, f"honors[{record.index}].consent",
                         f"荣誉「{record.title}」写出了个人或家庭的姓名（{record.name[:1]}…），但没有写明已征得同意。",
                         _CONSENT_HINT)
            return
    if _consented(record):
        return
    for path, value in strings:
        if value not in suspect:
            continue
        for f in _hardship(value, memo, known):
            key = f.message
            if key in reported:
                continue
            reported.add(key)
            problems.add(source, line_of(path, value, f.line), _field_label(record, path), f.message,
                         f.hint or _CONSENT_HINT)
