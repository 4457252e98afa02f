"""The privacy rules of the contract, applied while content/ is loaded.

Numbers (resident IDs, mobiles, bank cards) are looked for in every file's raw text and every
file name, so front matter, captions, YAML and bodies are all covered. Rules that depend on a
record's `consent` (hardship next to a named person, honours that name a person) and the
raw-HTML rule run on the parsed records, where the body's line offset is known.
"""
from __future__ import annotations

import multiprocessing
import re
import threading
from concurrent.futures import ProcessPoolExecutor
from typing import Iterable

from . import htmlsafety, privacy
from .errors import Problems
from .memo import Memo, digest
from .workers import worker_count
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


PARALLEL_FROM = 400  # passages with a hardship word; fewer are tagged in this process


def _hardship_findings(texts: list[str], memo: Memo | None, known: privacy.KnownNames | None = None) -> list[list]:
    """scan_hardship of each text. jieba's tagger is the slowest check of a large community
    (about 0.7 ms a passage): a one-shot build with many passages tags them on every core, in
    processes forked after jieba is loaded so that none loads it again. Under `mkdocs serve`
    (threads running: no fork) the memo makes rebuilds cheap instead. With `known` (names
    tagged ahead by a worker, privacy.names_ahead) only sentences it lacks are tagged here."""
    if memo is not None:
        return [_run(memo, "hardship", privacy.scan_hardship, t) for t in texts]
    if known is not None:
        return [privacy.scan_hardship(t, known) if t else [] for t in texts]
    todo = [i for i, t in enumerate(texts) if t and privacy.mentions_hardship(t)]
    results: list[list] = [[] for _ in texts]
    workers = min(worker_count(), 8)
    can_fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    if workers > 1 and len(todo) >= PARALLEL_FROM and can_fork:
        privacy.load_tagger()
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            found = list(pool.map(privacy.scan_hardship, [texts[i] for i in todo], chunksize=64))
    else:
        found = [privacy.scan_hardship(texts[i]) for i in todo]
    for i, f in zip(todo, found):
        results[i] = f
    return results


def check_records(activities: Iterable[Activity], notices: Iterable[Notice], honors: Iterable[Honor],
                  problems: Problems, memo: Memo | None = None, known: privacy.KnownNames | None = None) -> None:
    records = [*activities, *notices]
    texts = ["" if r.consent else f"{r.title}\n{r.body}" for r in records]
    for record, hardship in zip(records, _hardship_findings(texts, memo, known)):
        _body(problems, record, memo, hardship)
    for h in honors:
        _honor(problems, h, known)
