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
- Hardship and names (scan_hardship, names_person, names_ahead ...) live in names.py and are
  re-exported here.
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


# --- hardship and names: moved to names.py ---------------------------------------------------

# Re-exported lazily: names.py imports Finding from here, so an import at the top would be
# circular whichever module is imported first.
_NAMES_EXPORTS = frozenset({"scan_hardship", "names_person", "names_ahead", "sentences_to_tag",
                            "tag_names", "KnownNames", "FLAT_NUMBER", "flat_numbers"})


def __getattr__(name: str):
    if name in _NAMES_EXPORTS:
        from . import names

        return getattr(names, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
