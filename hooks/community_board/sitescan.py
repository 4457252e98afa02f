"""The post-build scan: what the build made, read back before the site is published.

Defence in depth behind the record checks (guard.py): a template, a rendering that joins two
numbers, a photo's metadata, a resource from another host. It reads *text that went into an
output*, never an encoding of it: each page's text; the search index's source documents
(search.documents), not its shards, whose postings strings read as digits by chance; the
feed's entries, not feed.xml. Files made only from those (the index, the feed) are skipped.

Every hit is then named by the record it came from (`name_records`): the record file under
content/ and its field, found from the number itself (the record whose field holds those
digits, separators and markup ignored), from a photo's or attachment's site path, or from the
address of a resource. Only what no record holds (a template) is named by the output file.
"""
from __future__ import annotations

import functools
import gzip
import html
import os
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from .errors import Problem
from .htmlsafety import external_css_resources, external_resources
from .memo import digest
from .numbers import Finding, scan_filename, scan_numbers, skeleton

__all__ = ["Hit", "Origins", "PageScan", "name_records", "scan_documents", "scan_feed", "scan_site",
           "PARALLEL_FROM"]


@dataclass(frozen=True, order=True)
class Hit:
    """One thing the scan found in one output, before it is named by its record."""

    file: str  # the output: a site path, or what went into one (a search document, a feed entry)
    line: int | None
    message: str
    hint: str
    # What the record is found by: a number's digits or a resource's address. Never shown.
    evidence: str = field(default="", compare=False, repr=False)
    kind: str = field(default="number", compare=False)  # "number" | "resource" | "metadata"


_TEXT_SUFFIXES = frozenset(
    ".html .htm .json .xml .txt .js .csv .md .yml .yaml .svg .webmanifest .rss .atom .ics".split()
)
# Other markup files; HTML pages have their own way in _scan_one (_page_text).
_MARKUP_SUFFIXES = frozenset(".xml .svg .rss .atom".split())
_IMAGE_SUFFIXES = frozenset(".jpg .jpeg .png .webp .gif .tif .tiff .heic .heif .avif".split())
# Material's own bundles: minified code full of long digit runs, and not ours to publish into.
_VENDOR_DIRS = ("assets/javascripts/", "assets/stylesheets/")
_COMMENT_RE = re.compile(r"<!--(.*?)-->", re.S)
_DIGIT_RE = re.compile(r"\d")
_PLAIN_TAG_RE = re.compile(r"<[^>\"'\d\n]*+(?:(?:\"[^\"\d\n]*+\"|'[^'\d\n]*+')[^>\"'\d\n]*+)*+>")  # no digit, no line break
# Loops unrolled (plain run, then a quoted value, repeated): same matches, far fewer steps.
# Possessive (*+): each run stops at a character it cannot hold, where only a quote or ">"
# may follow, so giving characters back could never make a match; a failing tag (one with
# a digit, in _PLAIN_TAG_RE) then fails at once instead of retrying every shorter run.
_TAG_RE = re.compile(r"<[^>\"']*+(?:(?:\"[^\"]*+\"|'[^']*+')[^>\"']*+)*+>", re.S)
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
    """_markup_text of one line, or None when the page must be read whole: the line holds a
    comment or escaped markup (neither "<!--" nor "&lt;" holds a line break, so a page has
    one exactly when one of its lines has), or a "<" is left over: a tag (or quote) that
    runs on past the line, or a "<" that is not a tag."""
    if "<!--" in line or "&lt;" in line:
        return None
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
    """(path, site path) of every file, as `sorted(site_dir.rglob("*"))` filtered by is_file()
    gives them, read with os.scandir: rglob lists every folder twice and makes a Path of
    every entry, and Paths sort by their parts slowly (a tenth of the scan's time)."""
    rels: list[str] = []
    _add_files(str(site_dir), "", rels)
    rels.sort(key=lambda rel: rel.split("/"))  # how Paths sort: part by part
    for rel in rels:
        yield site_dir / rel, rel


def _add_files(folder: str, prefix: str, rels: list[str]) -> None:
    """Site paths of the files in `folder` and below, as rglob finds them: a link to a file
    is a file, a linked folder is not entered, a folder that may not be read is left out."""
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except PermissionError:
        return
    for entry in entries:
        rel = prefix + entry.name
        # A link is judged by Path.is_file (which ignores a broken one), the rest by the
        # entry's type as the folder listing gave it (no stat).
        if Path(entry.path).is_file() if entry.is_symlink() else entry.is_file():
            rels.append(rel)
        elif entry.is_dir(follow_symlinks=False):
            _add_files(entry.path, rel + "/", rels)


PARALLEL_FROM = 1500  # files; a smaller site is scanned in-process (a pool costs ~0.3 s)
_CHUNK = 400


def scan_site(site_dir: Path, allowed: frozenset[str] = frozenset(), clean=None,
              jobs: int | None = None, skip: frozenset[str] | set[str] = frozenset(),
              pool=None) -> list[Hit]:
    """Post-build defence: numbers in every text file and file name, metadata in every image,
    and resources loaded from other hosts in every page, CSS and SVG. Hit.file is site-relative.

    `clean` (a memo.Memo) remembers files found clean, by name, bytes and allowed numbers, so
    a `mkdocs serve` rebuild scans only what changed. A large site is scanned on every core,
    in `pool` if given. Files in `skip` (site paths) were scanned already (PageScan), or are
    encodings of what was (the search index's files, the feed: scan_documents, scan_feed)."""
    from .workers import process_pool, worker_count

    allowed_key = ",".join(sorted(allowed))
    files = [(path, rel) for path, rel in _site_files(site_dir) if rel not in skip]
    if pool is None and ((jobs or worker_count()) <= 1 or len(files) < PARALLEL_FROM):
        # Scanned in this process, as below would decide: each file read once, for its memo
        # key and its scan.
        return [hit for path, rel in files for hit in _scan_here(path, rel, allowed, allowed_key, clean)]
    todo: list[tuple[str, str | None]] = []  # (site path, memo key)
    for path, rel in files:
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
    hits: list[Hit] = []
    for (rel, key), file_hits in zip(todo, found):
        hits += file_hits
        if key is not None and not file_hits:
            clean.put(key, True)
    return hits


def _scan_here(path: Path, rel: str, allowed: frozenset[str], allowed_key: str, clean) -> list[Hit]:
    """scan_site's work for one file in this process: a page's bytes, read for its memo key,
    are also the text it is scanned in."""
    page = path.suffix.lower() in (".html", ".htm")
    data = path.read_bytes() if clean is not None or page else b""
    key = None
    if clean is not None:
        key = digest("scan", rel, allowed_key, data)
        if key in clean:
            return []
    hits: list[Hit] = []
    _scan_one(path, rel, allowed, hits, _as_read_text(data) if page else None)
    if key is not None and not hits:
        clean.put(key, True)
    return hits


def _as_read_text(data: bytes) -> str:
    """`data` as Path.read_text("utf-8", errors="replace") reads a file of those bytes: its
    universal newlines make a CR LF and a lone CR one LF."""
    text = data.decode("utf-8", "replace")
    return text.replace("\r\n", "\n").replace("\r", "\n") if "\r" in text else text


def _scan_chunk(task: tuple[str, list[str], frozenset[str]]) -> list[list[Hit]]:
    site_dir, rels, allowed = task
    root = Path(site_dir)
    out = []
    for rel in rels:
        file_hits: list[Hit] = []
        _scan_one(root / rel, rel, allowed, file_hits)
        out.append(file_hits)
    return out


def _scan_pages(pages: list[tuple[str, str]], allowed: frozenset[str]) -> list[list[Hit]]:
    out = []
    for rel, html_text in pages:
        hits: list[Hit] = []
        _scan_one(Path(rel), rel, allowed, hits, html_text)
        out.append(hits)
    return out


class PageScan:
    """`scan_site` for a large build, started while MkDocs is still writing: each page's HTML,
    exactly as it is written, goes to worker processes as it is made (`add`), so the scan runs
    on the other cores alongside MkDocs' one-core page loop. `finish` scans every other file
    of the site from disk and returns all hits, sorted by file as `scan_site` gives them.
    Call `close` if the build stops before `finish`."""

    def __init__(self, allowed: frozenset[str] = frozenset(), jobs: int | None = None, pool=None, clean=None):
        """In the build's shared `pool` when given, else in processes of its own; `clean` as
        for scan_site (the next build then scans only what changed)."""
        from .workers import process_pool, worker_count

        self._allowed = allowed
        self._clean = clean
        self._keys: list[str | None] = []  # by page added: its memo key in `clean`
        self._own = pool is None
        self._pool = process_pool(jobs or worker_count()) if pool is None else pool
        self._batch: list[tuple[str, str]] = []
        self._futures: list = []
        self._scanned: set[str] = set()

    def add(self, rel: str, html_text: str) -> None:
        """`html_text` is written as MkDocs writes a page (UTF-8, xmlcharrefreplace)."""
        self._scanned.add(rel)
        if self._clean is not None:
            data = html_text.encode("utf-8", "xmlcharrefreplace")
            self._keys.append(digest("scan", rel, ",".join(sorted(self._allowed)), data))
        self._batch.append((rel, html_text))
        if len(self._batch) >= _CHUNK:
            self._flush()

    def _flush(self) -> None:
        if self._batch:
            self._futures.append(self._pool.submit(_scan_pages, self._batch, self._allowed))
            self._batch = []

    def finish(self, site_dir: Path, skip: Iterable[str] = ()) -> list[Hit]:
        """`skip`: further site paths not to read (see scan_site)."""
        self._flush()
        try:
            by_page = [page for f in self._futures for page in f.result()]
            hits = [h for page in by_page for h in page]
            for key, page in zip(self._keys, by_page):
                if not page:
                    self._clean.put(key, True)
            hits += scan_site(site_dir, self._allowed, self._clean, skip=self._scanned | set(skip), pool=self._pool)
        finally:
            self.close()
        return sorted(hits, key=lambda h: h.file)

    def close(self) -> None:
        from .workers import release

        release(self._pool, self._own, self._futures)


def _scan_one(path: Path, rel: str, allowed: frozenset[str], hits: list[Hit],
              page_html: str | None = None) -> None:
    """Hits of one output file; `page_html`: an HTML page's text, already in memory."""
    hits += _number_hits(rel, scan_filename(rel, allowed), "文件名中", with_line=False)
    suffix = path.suffix.lower()
    if suffix in _IMAGE_SUFFIXES:
        meta = _image_metadata(path)
        if meta:
            hits.append(Hit(
                rel, None,
                "图片仍带有元数据：" + "、".join(meta) + "，可能泄露拍摄地点、时间和设备",
                "发布的照片必须去掉 EXIF 等元数据。请把此问题告诉网站维护人员，检查构建中的照片处理步骤。",
                rel, "metadata"))
        return
    if suffix == ".css":
        text = path.read_text("utf-8", errors="replace")
        hits += _resource_hits(rel, external_css_resources(text))
        return
    if rel.startswith(_VENDOR_DIRS):
        return
    if suffix in (".html", ".htm"):
        raw = path.read_text("utf-8", errors="replace") if page_html is None else page_html
        text, lines = _page_text(raw)
        hits += _number_hits(rel, scan_numbers(text, allowed), "", with_line=True)
        hits += _resource_hits(rel, external_resources(raw, rel, lines))
        return
    if suffix == ".svg":
        raw = path.read_text("utf-8", errors="replace")
        hits += _resource_hits(rel, external_resources(raw, rel))
    got = _file_text(path, rel)
    if got is None:
        return
    text, own_lines = got
    hits += _number_hits(rel, scan_numbers(text, allowed), "", with_line=own_lines)


def _number_hits(rel: str, findings: Iterable[Finding], where: str, with_line: bool) -> list[Hit]:
    return [Hit(rel, f.line if with_line else None, f"生成的网站{where}{f.message}", f.hint, f.digits)
            for f in findings]


def _resource_hits(rel: str, urls: Iterable[str]) -> list[Hit]:
    return [
        Hit(rel, None, f"页面从其他网站加载资源：{url}",
            "网页只能使用本站自己的脚本、样式、字体和图片（访客的浏览记录不外泄，断网也能看）。"
            "请把该文件下载后放进本站，或改成普通链接。", url.split(": ", 1)[-1], "resource")
        for url in urls  # "<img src>: https://…" from pages, the bare address from CSS
    ]


# --- what went into the generated files ------------------------------------------------------


def scan_documents(docs: Iterable, allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """Numbers in the search index's source documents (search.SearchDoc: title and text), the
    text its shards encode. Hit.file says which document."""
    hits: list[Hit] = []
    for d in docs:
        for f in scan_numbers(f"{d.title}\n{d.text}", allowed):
            hits.append(Hit(f"search/（搜索条目 {d.url}）", None, f"搜索索引中{f.message}", f.hint, f.digits))
    return hits


def scan_feed(entries: Iterable[tuple], header: Sequence[str], allowed: frozenset[str] = frozenset()) -> list[Hit]:
    """Numbers in what feed.xml is made of: its header texts and each entry (feed.feed_entries)."""
    hits = [Hit("feed.xml", None, f"订阅源（feed.xml）中{f.message}", f.hint, f.digits)
            for f in scan_numbers("\n".join(header), allowed)]
    for _day, path, title, summary, category in entries:
        for f in scan_numbers(f"{title}\n{summary}\n{category}", allowed):
            hits.append(Hit(f"feed.xml（条目 {path}）", None, f"订阅源（feed.xml）中{f.message}", f.hint, f.digits))
    return hits


# --- naming the record ------------------------------------------------------------------------


@dataclass(frozen=True)
class Origin:
    file: str  # the record's file, relative to the project (content/...)
    field: str | None = None
    line: int | None = None


@dataclass(frozen=True)
class _Field:
    origin: Origin
    text: str
    first_line: int | None  # the file line of the text's first line, when known

    @functools.cached_property
    def skeleton(self) -> tuple[str, list[int]]:
        return skeleton(html.unescape(self.text))  # &#49; is a digit on the page


def _record_fields(content) -> Iterator[_Field]:
    """Every text of every published record, with its file, field and line where known."""
    com = content.community
    for name in ("name", "full_name", "motto", "district", "street", "address", "phone", "office_hours"):
        yield _Field(Origin(com.source, name), getattr(com, name), None)
    for i, f in enumerate(com.facilities):
        yield _Field(Origin(com.source, f"facilities[{i}]"), f"{f.name} {f.hours} {f.note}", None)
    for i, c in enumerate(com.columns):
        yield _Field(Origin(com.source, f"columns[{i}]"), f"{c.title} {c.description}", None)
    for key, value in com.footer:
        yield _Field(Origin(com.source, f"footer.{key}"), value, None)
    for key, value in com.boundaries:
        yield _Field(Origin(com.source, f"boundaries.{key}"), value, None)
    for r in (*content.activities, *content.notices):
        for name in ("title", "summary", "location", "kind"):
            if getattr(r, name, ""):
                yield _Field(Origin(r.source, name), getattr(r, name), None)
        for name in ("organizers", "partners"):
            for i, value in enumerate(getattr(r, name, ())):
                yield _Field(Origin(r.source, f"{name}[{i}]"), value, None)
        for i, photo in enumerate(getattr(r, "photos", ())):
            yield _Field(Origin(r.source, f"photos[{i}].caption"), photo.caption, None)
        for i, attachment in enumerate(getattr(r, "attachments", ())):
            yield _Field(Origin(r.source, f"attachments[{i}]"), str(getattr(attachment, "file", attachment)), None)
        yield _Field(Origin(r.source, "正文", r.body_line), r.body, r.body_line)
        yield _Field(Origin(r.source, "文件名"), r.source, None)
    for h in content.honors:
        for name in ("title", "name", "place", "by", "level", "story"):
            if getattr(h, name):
                yield _Field(Origin(h.source, f"honors[{h.index}].{name}", h.line or None), getattr(h, name), None)
    slogans = f"{Path(com.source).parent.as_posix()}/slogans.yml"
    for i, s in enumerate(content.slogans):
        yield _Field(Origin(slogans, f"slogans[{i}]"), f"{s.text} {s.theme}", None)
    for i, m in enumerate(content.maxims):
        yield _Field(Origin(slogans, f"maxims[{i}]"), f"{m.text} {m.by}", None)
    for b in content.choices:
        yield _Field(Origin(b.source, "theme"), b.theme, None)


@dataclass(frozen=True)
class Origins:
    """Where the outputs of one build come from: `of(hit)` gives the records to name."""

    fields: tuple[_Field, ...]
    paths: Mapping[str, Origin]  # site path -> record (photos, attachments)

    def of(self, hit: Hit) -> list[Origin]:
        if hit.file in self.paths:  # a photo's copy, an attachment: its name, text or metadata
            return [self.paths[hit.file]]
        if hit.kind == "resource":
            return [f.origin for f in self.fields if hit.evidence and hit.evidence in f.text]
        return self._holding(hit.evidence)

    def _holding(self, digits: str) -> list[Origin]:
        if not digits:
            return []
        wanted = [digits] + ([digits[-11:]] if len(digits) in (13, 15) else [])  # a mobile after 86
        found = []
        for f in self.fields:
            digits_of, offsets = f.skeleton
            at = next((digits_of.find(w) for w in wanted if w in digits_of), -1)
            if at < 0:
                continue
            line = f.origin.line
            if f.first_line is not None:
                line = f.first_line + html.unescape(f.text).count("\n", 0, offsets[at])
            found.append(Origin(f.origin.file, f.origin.field, line))
        return found


def origins(content, photo_records: Iterable[tuple[Iterable[str], str, str]] = ()) -> Origins:
    """`photo_records`: (site paths of a photo's copies, record file, field) for each photo a
    record references."""
    paths: dict[str, Origin] = {}
    for urls, record, fld in photo_records:
        for url in urls:
            paths.setdefault(url, Origin(record, fld))
    for n in content.notices:
        for i, attachment in enumerate(n.attachments):
            paths[f"attachments/{getattr(attachment, 'file', attachment)}"] = Origin(n.source, f"attachments[{i}]")
    return Origins(tuple(_record_fields(content)), paths)


_AFTER = "（构建已停止，网站未更新）"


def name_records(hits: Iterable[Hit], where_from: Origins | None) -> list[Problem]:
    """Each hit as a Problem naming the record (file under content/, field, line) it came
    from, and the output where it showed. What no record holds came from a template or the
    build itself, which staff cannot fix in content/: one problem for all the outputs it is in."""
    problems: set[Problem] = set()
    orphans: dict[tuple[str, str], list[Hit]] = {}
    known: dict[tuple[str, str], list[Origin]] = {}
    for hit in hits:
        if where_from is None:
            found: list[Origin] = []
        else:  # the same number on many pages is looked up once
            key = (hit.kind, hit.evidence, hit.file if hit.file in where_from.paths else "")
            found = known[key] if key in known else known.setdefault(key, where_from.of(hit))
        shown = hit.file + (f" 第 {hit.line} 行" if hit.line else "")
        for origin in found:
            problems.add(Problem(origin.file, origin.line, origin.field,
                                 f"{hit.message}（出现在生成的 {shown}）{_AFTER}", hit.hint))
        if not found:
            orphans.setdefault((hit.message, hit.hint), []).append(hit)
    for (message, hint), group in orphans.items():
        first = group[0]
        more = f"等 {len(group)} 处" if len(group) > 1 else ""
        problems.add(Problem(first.file, first.line, None,
                             f"{message}：不出自任何一条记录，可能来自网站模板或构建程序（见于 {first.file}{more}）{_AFTER}",
                             hint + "请把此问题告诉网站维护人员。"))
    return sorted(problems, key=lambda p: (p.file, p.line or 0, p.field or "", p.message))
