"""The privacy rules of the contract, applied while content/ is loaded.

Numbers (resident IDs, mobiles, bank cards) are looked for in every file's raw text and every
file name, so front matter, captions, YAML and bodies are all covered. Rules that depend on a
record's `consent` (hardship next to a named person, honours that name a person) and the
raw-HTML rule run on the parsed records, where the body's line offset is known.
"""
from __future__ import annotations

import re
from typing import Iterable

from . import htmlsafety, privacy
from .errors import Problems
from .memo import Memo, digest
from .records import Activity, Community, Honor, Notice

_CONSENT_HINT = "征得本人（或家属）同意后，在这条记录里加上 consent: true；不同意就删去姓名，只写户数。"


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
        problems.add(file, f.line, None, f.message, f.hint)


def check_file_names(files: Iterable[str], allowed: frozenset[str], problems: Problems) -> None:
    for file in files:
        for f in privacy.scan_filename(file, allowed):
            problems.add(file, None, "文件名", f.message, f.hint)


def _body(problems: Problems, record: Activity | Notice, memo: Memo | None, hardship: list) -> None:
    offset = record.body_line - 1
    for f in _run(memo, "html", htmlsafety.check_raw_html, record.body):
        problems.add(record.source, f.line + offset, "正文", f.message, f.hint)
    for f in hardship:
        # line 1 of the scanned text is the title, in the front matter
        line = 2 if f.line == 1 else f.line - 1 + offset
        problems.add(record.source, line, "正文" if f.line > 1 else "title", f.message, f.hint or _CONSENT_HINT)


def _honor(problems: Problems, h: Honor, known: privacy.KnownNames | None = None) -> None:
    field = f"honors[{h.index}]"
    if h.story:
        for f in htmlsafety.check_raw_html(h.story):
            problems.add(h.source, h.line or None, f"{field}.story", f.message, f.hint)
    if h.consent:
        return
    if privacy.names_person(h.name, known) or (h.story and privacy.names_person(h.story, known)):
        problems.add(h.source, h.line or None, f"{field}.consent",
                     f"荣誉「{h.title}」写出了个人或家庭的姓名（{h.name[:1]}…），但没有写明已征得同意。", _CONSENT_HINT)
    elif h.story:
        for f in privacy.scan_hardship(h.story, known):
            problems.add(h.source, h.line or None, f"{field}.story", f.message, f.hint or _CONSENT_HINT)


def _hardship_findings(texts: list[str], memo: Memo | None, known: privacy.KnownNames) -> list[list]:
    """scan_hardship of each text. Under `mkdocs serve` each text's answer is kept in the memo,
    so a rebuild tags only what changed."""
    if memo is not None:
        return [_run(memo, "hardship", privacy.scan_hardship, t) for t in texts]
    return [privacy.scan_hardship(t, known) if t else [] for t in texts]


def check_records(activities: Iterable[Activity], notices: Iterable[Notice], honors: Iterable[Honor],
                  problems: Problems, memo: Memo | None = None, known: privacy.KnownNames | None = None) -> None:
    """`known`: names tagged ahead in another process (privacy.names_ahead). Without it, and
    outside `mkdocs serve`, every sentence the checks will tag is tagged here in one go, with
    jieba loaded for their words only (privacy.tag_names)."""
    records, honors = [*activities, *notices], list(honors)
    texts = ["" if r.consent else f"{r.title}\n{r.body}" for r in records]
    if known is None and memo is None:
        unconsented = [t for h in honors if not h.consent for t in (h.name, h.story) if t]
        known = privacy.tag_names(privacy.sentences_to_tag(texts + unconsented, unconsented))
    for record, hardship in zip(records, _hardship_findings(texts, memo, known)):
        _body(problems, record, memo, hardship)
    for h in honors:
        _honor(problems, h, known)
