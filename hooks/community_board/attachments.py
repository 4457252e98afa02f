"""Notice attachments, and the one rule for every file under content/ (photos included).

A file is read only when it is a regular file whose real path lies inside content/: a symlink
to /etc/passwd, a named pipe called x.md, a device are errors, found without opening them.

An attachment is judged by its bytes (magic numbers; the zip members of Word and Excel files),
and its name's suffix must agree: only PDF, Word, Excel, plain text, CSV and JPEG/PNG images.
Its text (PDF, Word, Excel, text) goes through the privacy checks (`privacy_problems`, the one
place that calls them), naming the record and the attachment. A file whose text the checker
cannot read (a scanned PDF, an image, an old .doc/.xls) needs `reviewed: true`: a person
checked it. Sizes, pages and cells read are bounded, so a hostile file cannot hang the tools;
a broken file is an error, never a traceback.

What is published are the checked bytes (`published_bytes`): text and CSV as UTF-8 with a
byte-order mark, so a browser shows Chinese even when the server sends no charset. Images go
through the photo pipeline (metadata removed) instead of being copied.
"""
from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable
from xml.etree import ElementTree

from .errors import Problem, Problems

MAX_BYTES = 20 * 1024 * 1024          # per attachment: a notice's form or scan is far smaller
MAX_PDF_PAGES = 300                   # more is refused: text past the cap would go unchecked
MAX_CELLS = 200_000                   # Excel cells read; more is refused, for the same reason
MAX_TEXT_CHARS = 2_000_000            # extracted text of one attachment
MAX_ZIP_MEMBERS = 2_000
MAX_ZIP_MEMBER_BYTES = 64 * 1024 * 1024   # uncompressed, per member: zip bombs stop here
MAX_ZIP_TOTAL_BYTES = 256 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str            # "pdf", "docx", ...
    label: str           # what the link says: "PDF"
    suffixes: tuple[str, ...]
    text: bool = False   # published as UTF-8 with a BOM
    image: bool = False  # published through the photo pipeline


KINDS: dict[str, Kind] = {k.name: k for k in (
    Kind("pdf", "PDF", (".pdf",)),
    Kind("docx", "Word 文档", (".docx",)),
    Kind("doc", "Word 文档", (".doc",)),
    Kind("xlsx", "Excel 表格", (".xlsx",)),
    Kind("xls", "Excel 表格", (".xls",)),
    Kind("txt", "文本", (".txt",), text=True),
    Kind("csv", "CSV 表格", (".csv",), text=True),
    Kind("jpeg", "JPG 图片", (".jpg", ".jpeg"), image=True),
    Kind("png", "PNG 图片", (".png",), image=True),
)}
ALLOWED_SUFFIXES = tuple(s for k in KINDS.values() for s in k.suffixes)
_ALLOWED_TEXT = "PDF（.pdf）、Word（.docx、.doc）、Excel（.xlsx、.xls）、文本（.txt）、CSV（.csv）、JPG/PNG 图片"
_REVIEWED_HINT = ("请一名工作人员逐页看过，确认里面没有身份证号、手机号、困难或病情等个人信息后，"
                  "把这个附件写成 {file: 路径, reviewed: true}。")


@dataclass(frozen=True)
class Inspection:
    """What the checks found out about one attachment's bytes."""

    kind: str | None = None        # a KINDS key, None when refused
    size: int = 0                  # of the published bytes (images: of the original)
    sha256: str = ""               # of the bytes that were checked
    parts: tuple[tuple[str, str], ...] = ()  # (where, text): "第 3 页", "工作表「名单」"
    readable: bool = False         # every part of it was read as text
    refusal: tuple[str, str] | None = None   # (message, hint)


# --------------------------------------------------------------------------- any file in content/


def _inside(real: str, root: str) -> bool:
    return real == root or real.startswith(root.rstrip(os.sep) + os.sep)


def unsafe(content_dir: Path, path: Path) -> tuple[str, str] | None:
    """Why `path` must not be read or published, or None (also None when it does not exist:
    the caller says "not found"). Decided with lstat/stat/realpath: nothing is opened."""
    try:
        os.lstat(path)
    except (FileNotFoundError, ValueError):  # ValueError: a NUL in the name, which no file has
        return None
    except OSError as exc:
        return f"无法读取（{exc.strerror}）。", "检查文件权限，或重新保存该文件。"
    if not _inside(os.path.realpath(path), os.path.realpath(content_dir)):
        return ("是指向 content 文件夹以外的链接（快捷方式），不会被读取或发布。",
                "把真正的文件复制进 content 文件夹，再删掉这个链接。")
    try:
        st = os.stat(path)
    except OSError:  # a dangling link, a loop
        return ("无法读取：这是一个失效的链接（快捷方式），指向的文件不存在，或链接绕成了圈。",
                "删掉这个链接，或把真正的文件放到这里。")
    if stat.S_ISDIR(st.st_mode) or stat.S_ISREG(st.st_mode):
        return None
    what = "命名管道" if stat.S_ISFIFO(st.st_mode) else "套接字" if stat.S_ISSOCK(st.st_mode) else "设备文件"
    return f"不是普通文件（{what}），不会被读取或发布。", "删掉它；content 文件夹里只放普通的文字、图片和文档文件。"


def read_checked(content_dir: Path, path: Path, limit: int = MAX_BYTES) -> tuple[bytes | None, tuple[str, str] | None]:
    """(bytes, None) of a regular file inside content/ of at most `limit` bytes, else (None, why).
    The file is opened non-blocking and checked again on the open handle: a pipe swapped in
    after the check cannot hang the read."""
    why = unsafe(content_dir, path)
    if why is not None:
        return None, why
    return read_regular(path, limit)


def read_regular(path: Path, limit: int) -> tuple[bytes | None, tuple[str, str] | None]:
    """(bytes, None) of a regular file of at most `limit` bytes, else (None, why), for a path
    already judged (read_checked; the build cache checking that a file it read is unchanged):
    opened non-blocking and judged again on the open handle."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        return None, (f"无法读取（{exc.strerror}）。", "检查文件是否存在、是否有读取权限。")
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fh.fileno())
        if not stat.S_ISREG(st.st_mode):
            return None, ("不是普通文件，不会被读取或发布。", "删掉它，放入真正的文件。")
        if st.st_size > limit:
            return None, _too_big(st.st_size, limit)
        data = fh.read(limit + 1)
    if len(data) > limit:
        return None, _too_big(len(data), limit)
    return data, None


def _too_big(size: int, limit: int) -> tuple[str, str]:
    return (f"文件太大（{size_text(size)}），附件最大 {size_text(limit)}。",
            "把文件压缩或拆分后再附上（例如扫描件用较低分辨率重新扫描）。")


# --------------------------------------------------------------------------- judging the bytes


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP = b"PK\x03\x04"


def _u16(name: str) -> bytes:
    return name.encode("utf-16-le")


def sniff(data: bytes) -> str | None:
    """The KINDS key the bytes are, whatever the file is called; None for anything else."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(_ZIP):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except (zipfile.BadZipFile, OSError, ValueError, EOFError):
            return None
        if "[Content_Types].xml" not in names:
            return None
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
        return None
    if data.startswith(_OLE):
        # The stream names are in the compound file's directory, in UTF-16.
        if _u16("WordDocument") in data:
            return "doc"
        if _u16("Workbook") in data or _u16("Book") in data:
            return "xls"
        return None
    if _decode_text(data) is not None:
        return "text"
    return None


def _decode_text(data: bytes) -> str | None:
    """Text in UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's "Unicode text") or
    GB18030 (GBK, what Windows Notepad and WPS often save); None for anything else."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        found = [_decoded(data, "utf-16")]
    else:
        found = [_decoded(data, "utf-8-sig"), _decoded(data, "gb18030")]
        # A short GBK text can also be valid UTF-8 (停水 is two accented Latin letters there):
        # UTF-8 that shows no Chinese at all, where GB18030 does, was GBK.
        if all(found) and not _CJK.search(found[0]) and not found[0].isascii() and _CJK.search(found[1]):
            found.reverse()
    text = next((t for t in found if t is not None), None)
    if text is None or _CONTROL.search(text):
        return None  # not text, or binary that happens to decode
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _decoded(data: bytes, encoding: str) -> str | None:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:
        return None


_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MARKUP_START = re.compile(r"\s*<(?:[!?a-zA-Z/])")
# Markup that a browser or viewer would act on, anywhere in a text attachment: never needed
# in a notice's text, and a sniffing client could run it.
_ACTIVE_MARKUP = re.compile(r"<\s*/?\s*(?:script|iframe|svg|html|body|object|embed|meta|img|form|link|style|base)\b",
                            re.IGNORECASE)
# A CSV cell that a spreadsheet runs as a formula (=HYPERLINK, =cmd|... DDE): "CSV injection".
_CSV_FORMULA = re.compile(r"(?:^|[,;\t])\s*\"?\s*(?:[=@]|[+-]\s*[A-Za-z(])", re.M)


def inspect(file: str, data: bytes) -> Inspection:
    """Judge one attachment's bytes: its kind, its text, or why it is refused."""
    suffix = PurePosixPath(file).suffix.lower()
    sha = hashlib.sha256(data).hexdigest()
    if suffix not in ALLOWED_SUFFIXES:
        return Inspection(sha256=sha, refusal=(
            f"不允许的附件类型「{suffix or '无扩展名'}」。附件只能是 {_ALLOWED_TEXT}。",
            "网页、SVG、Markdown、程序和压缩包不能作为附件；请另存为 PDF 后再附上。"))
    found = sniff(data)
    if found == "text":
        found = "csv" if suffix == ".csv" else "txt"
    expected = next(k for k in KINDS.values() if suffix in k.suffixes)
    if found is None or (found != expected.name and not (expected.text and found in ("txt", "csv"))):
        what = f"实际是{KINDS[found].label}" if found else "无法识别为允许的类型"
        return Inspection(sha256=sha, refusal=(
            f"文件内容与扩展名 {suffix} 不符（{what}），可能是改了扩展名的其他文件。附件只能是 {_ALLOWED_TEXT}。",
            f"用原来的程序把文件另存为{expected.label}，或另存为 PDF 后再附上；不要只改扩展名。"))
    kind = KINDS[found]
    try:
        parts, readable = _extract(kind, data)
    except _Refused as r:
        return Inspection(sha256=sha, refusal=(r.message, r.hint))
    except MemoryError:
        return Inspection(sha256=sha, refusal=("文件太复杂，检查时内存不足。", "另存为较小的 PDF 后再附上。"))
    except Exception:  # a hostile or broken file: whatever the library raises, never a traceback
        return Inspection(sha256=sha, refusal=(
            f"{kind.label}文件已损坏，无法打开。", "用原来的程序重新打开并另存一次，或另存为 PDF 后再附上。"))
    size = len(published_bytes(found, data)) if kind.text else len(data)
    return Inspection(found, size, sha, parts, readable)


class _Refused(Exception):
    def __init__(self, message: str, hint: str):
        super().__init__(message)
        self.message, self.hint = message, hint


def _extract(kind: Kind, data: bytes) -> tuple[tuple[tuple[str, str], ...], bool]:
    """((where, text), ...) and whether all of the file was read as text."""
    if kind.text:
        text = _decode_text(data) or ""
        if _MARKUP_START.match(text) or _ACTIVE_MARKUP.search(text):
            raise _Refused("文字附件的内容看起来是网页或 XML 代码，不能作为附件发布。",
                           "把正文另存为普通文字（.txt）或 PDF 后再附上。")
        if kind.name == "csv" and _CSV_FORMULA.search(text):
            raise _Refused("CSV 表格里有以 =、+、-、@ 开头的公式，居民用 Excel 打开时会被执行。",
                           "把公式换成计算好的数值（复制后“选择性粘贴 → 数值”），再另存为 CSV。")
        _bounded(len(text))
        return (("", text),), True
    if kind.name == "pdf":
        return _pdf_text(data)
    if kind.name in ("docx", "xlsx"):
        return _ooxml_text(kind.name, data)
    if kind.name in ("doc", "xls"):
        if any(_u16(n) in data for n in ("_VBA_PROJECT", "Macros", "VBA")):
            raise _Refused(f"{kind.label}里带有宏（程序代码），不能作为附件发布。",
                           "另存为不带宏的 .docx / .xlsx 或 PDF 后再附上。")
        return (), False  # old binary formats: no reader here, a person checks them
    return (), False  # images: no text the checker can read


def _bounded(chars: int) -> None:
    if chars > MAX_TEXT_CHARS:
        raise _Refused(f"附件里的文字太多（超过 {MAX_TEXT_CHARS // 10000} 万字），检查程序读不完。",
                       "把文件拆成几个较小的附件。")


# Actions and content a PDF viewer would run or unpack (in uncompressed objects; the catalog's
# names and the pages' link actions are looked at through pypdf as well).
_PDF_ACTIVE = re.compile(rb"/(?:JavaScript|JS|Launch|EmbeddedFiles?|RichMedia|XFA)(?=[\s/<>()\[\]]|$)")
_PDF_ACTIONS = ("/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute")


def _pdf_text(data: bytes) -> tuple[tuple[tuple[str, str], ...], bool]:
    import logging
    from pypdf import PdfReader

    logging.getLogger("pypdf").setLevel(logging.ERROR)  # its warnings about broken files are ours to say
    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted and not reader.decrypt(""):
        raise _Refused("PDF 设置了打开密码，检查程序和居民都打不开。", "去掉密码后另存为 PDF 再附上。")
    root = reader.trailer["/Root"]
    names = root.get("/Names") if hasattr(root, "get") else None
    names = names.get_object() if names is not None else {}
    if _PDF_ACTIVE.search(data) or "/JavaScript" in names or "/EmbeddedFiles" in names \
            or "/OpenAction" in root and "/JS" in str(root["/OpenAction"]):
        raise _active_pdf()
    pages = len(reader.pages)
    if pages > MAX_PDF_PAGES:
        raise _Refused(f"PDF 有 {pages} 页，超过附件上限 {MAX_PDF_PAGES} 页，检查程序读不完。",
                       "把文件拆成几个较小的 PDF。")
    parts, readable, total = [], pages > 0, 0
    # What a reader of the file also sees: its properties (author...), form fields' values.
    info = reader.metadata or {}
    parts.append(("文档属性", "\n".join(str(v) for v in info.values())[:MAX_TEXT_CHARS]))
    fields = reader.get_fields() or {}
    parts.append(("表单", "\n".join(str(f.get("/V", "")) for f in fields.values() if hasattr(f, "get"))[:MAX_TEXT_CHARS]))
    for i, page in enumerate(reader.pages):
        annots = page.get("/Annots")
        notes = []
        for a in (annots.get_object() if annots is not None else ()):
            if _runs(a):
                raise _active_pdf()
            a = a.get_object()
            notes += [str(a[k]) for k in ("/Contents", "/T") if hasattr(a, "get") and a.get(k) is not None]
        text = (page.extract_text() or "")
        if notes:
            parts.append((f"第 {i + 1} 页的批注", "\n".join(notes)))
        total += len(text)
        _bounded(total)
        if not text.strip():
            readable = False  # a scanned page: a person must look at it
        parts.append((f"第 {i + 1} 页", text))
    return tuple(parts), readable


def _active_pdf() -> _Refused:
    return _Refused("PDF 里带有脚本、嵌入文件、表单提交或多媒体，不能作为附件发布。",
                    "用「打印为 PDF」重新生成一份只有文字和图片的 PDF 再附上。")


def _runs(annotation) -> bool:
    annotation = annotation.get_object()
    action = annotation.get("/A") if hasattr(annotation, "get") else None
    action = action.get_object() if action is not None else None
    return hasattr(action, "get") and action.get("/S") in _PDF_ACTIONS


# Parts of a Word file holding text a reader sees (text boxes included) or its metadata
# (author, company): python-docx's API reaches only the body's paragraphs and tables.
_DOCX_PARTS = re.compile(r"word/(?:document|header\d*|footer\d*|footnotes|endnotes|comments)\.xml|docProps/(?:core|app)\.xml")
_XLSX_PARTS = re.compile(r"xl/comments\d*\.xml|xl/threadedComments/.*\.xml|docProps/(?:core|app)\.xml")


def _ooxml_text(kind: str, data: bytes) -> tuple[tuple[tuple[str, str], ...], bool]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    infos = archive.infolist()
    if len(infos) > MAX_ZIP_MEMBERS or sum(i.file_size for i in infos) > MAX_ZIP_TOTAL_BYTES \
            or any(i.file_size > MAX_ZIP_MEMBER_BYTES for i in infos):
        raise _Refused("文件解压后过大（可能是“压缩炸弹”），不能作为附件发布。", "另存为 PDF 后再附上。")
    if any(i.filename.lower().endswith("vbaproject.bin") for i in infos):
        raise _Refused("文件里带有宏（程序代码），不能作为附件发布。", "另存为不带宏的 .docx / .xlsx 或 PDF 后再附上。")
    for info in infos:  # a template, picture or object fetched from elsewhere when opened
        if info.filename.endswith(".rels") and _EXTERNAL.search(archive.read(info)):
            raise _Refused("文件会在打开时从网上下载模板、图片或对象，不能作为附件发布。",
                           "在 Word/Excel 里把链接的内容改为嵌入（或删掉），另存后再附上；也可另存为 PDF。")
    pattern = _DOCX_PARTS if kind == "docx" else _XLSX_PARTS
    # Pictures and embedded files (a scanned ID card, an embedded sheet) are not read: a
    # person must look at them, as at a scan.
    unread = any(re.match(r"(?:word|xl)/(?:media|embeddings)/", i.filename) for i in infos)
    parts = []
    total = 0
    for info in infos:
        if pattern.fullmatch(info.filename):
            text = _xml_text(archive.read(info))
            total += len(text)
            _bounded(total)
            parts.append(("文档属性" if info.filename.startswith("docProps/") else
                          "批注" if "omment" in info.filename else "正文", text))
    if kind == "xlsx":
        parts.extend(_sheets_text(data))
    return tuple(parts), not unread


# A relationship to an outside target, other than a plain hyperlink (which opens only on a click).
_EXTERNAL = re.compile(rb'<Relationship\b(?=[^>]*TargetMode="External")(?![^>]*Type="[^"]*/hyperlink")[^>]*>')


def _xml_text(xml: bytes) -> str:
    """The text of an Office XML part: one line per paragraph (or row), tabs between cells."""
    out: list[str] = []
    for _, element in ElementTree.iterparse(io.BytesIO(xml), events=("end",)):
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "t":
            out.append(element.text or "")
        elif tag in ("creator", "lastModifiedBy", "title", "subject", "description", "keywords",
                     "Company", "Manager"):
            out.append((element.text or "") + "\n")
        elif tag in ("p", "tr"):
            out.append("\n")
        elif tag in ("tab", "tc"):
            out.append("\t")
        element.clear()
    return "".join(out)


def _sheets_text(data: bytes) -> list[tuple[str, str]]:
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    parts, cells = [], 0
    try:
        for sheet in book.worksheets:  # hidden sheets too: they are in the published file
            rows = []
            for row in sheet.iter_rows(values_only=True):
                cells += len(row)
                if cells > MAX_CELLS:
                    raise _Refused(f"表格太大（超过 {MAX_CELLS} 个单元格），检查程序读不完。",
                                   "删掉不需要公开的行和列，或拆成几个文件。")
                rows.append("\t".join(_cell(v) for v in row))
            parts.append((f"工作表「{sheet.title}」", sheet.title + "\n" + "\n".join(rows)))
    finally:
        book.close()
    return parts


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))  # a mobile typed as a number is stored as 13812345678.0
    return str(value)


# --------------------------------------------------------------------------- privacy and publishing


def privacy_problems(record: str, field: str, line: int | None, file: str, parts: Iterable[tuple[str, str]],
                     allowed: frozenset[str], consent: bool, problems: Problems) -> None:
    """Every privacy check on an attachment's text, each finding naming the record, the
    attachment field and the attachment. The one place attachments call the privacy modules."""
    from . import privacy

    for where, text in parts:
        if not text.strip():
            continue
        findings = list(privacy.scan_numbers(text, allowed))
        if not consent:  # as for the record's own body: consent covers a named hardship
            findings += privacy.scan_hardship(text)
        for f in findings:
            place = where or f"第 {f.line} 行"
            problems.add(record, line, field, f"附件 content/{file}（{place}）：{f.message}",
                         f.hint + "改好原文件后重新导出附件。" if f.hint else "改好原文件后重新导出附件。")


def published_bytes(kind: str, data: bytes) -> bytes:
    """What the site serves for checked bytes: text as UTF-8 with a BOM (read as UTF-8 by a
    browser even without a charset from the server), everything else as it is."""
    if KINDS[kind].text:
        return ("\ufeff" + (_decode_text(data) or "")).encode("utf-8")
    return data


def size_text(n: int) -> str:
    if n < 1024 * 1024:
        return f"{max(1, round(n / 1024))} KB"
    return f"{n / (1024 * 1024):.1f} MB"


def link_label(kind: str, size: int) -> str:
    """`PDF，120 KB`: the type and size beside the attachment's link."""
    return f"{KINDS[kind].label}，{size_text(size)}"


@dataclass(frozen=True)
class Link:
    url: str    # site-relative
    label: str  # "PDF，120 KB"


@dataclass(frozen=True)
class Plan:
    """The attachments a build publishes: site path -> bytes, and each file's link."""

    files: dict[str, bytes]
    links: dict[str, Link]
    records: dict[str, str]  # site path -> the notice that published it (for errors found later)


def plan(notices, content_dir: Path, image_link: Callable[[str], Link | None], problems: Problems) -> Plan:
    """The checked bytes of every attachment of the published notices (read again and
    compared with the checked digest: a file changed since the check is not published)."""
    files: dict[str, bytes] = {}
    links: dict[str, Link] = {}
    records: dict[str, str] = {}
    for notice in notices:
        for i, a in enumerate(notice.attachments):
            if a.file in links or a.kind is None:
                continue
            if KINDS[a.kind].image:
                link = image_link(a.file)
                if link is not None:
                    links[a.file] = link
                continue
            data, why = read_checked(content_dir, Path(content_dir) / a.file)
            if why is None and hashlib.sha256(data).hexdigest() != a.sha256:
                why = ("文件在检查之后被改动过，没有发布。", "重新运行构建。")
            if why is not None:
                problems.add(notice.source, None, f"attachments[{i}]", f"附件 content/{a.file}：{why[0]}", why[1])
                continue
            body = published_bytes(a.kind, data)
            uri = f"attachments/{a.file}"
            files[uri] = body
            records[uri] = notice.source
            links[a.file] = Link(uri, link_label(a.kind, len(body)))
    return Plan(files, links, records)


def _is_record(content_dir: Path, path: Path) -> bool:
    """Whether the file (wherever a link leads within content/) is one of the records: in a
    kind's own file or folder (events' too, which a list written by hand once missed)."""
    from .kinds import KINDS  # the kinds' normalisers import this module's `unsafe`
    rel = Path(os.path.relpath(os.path.realpath(path), os.path.realpath(content_dir))).parts
    return bool(rel) and rel[0] in {k.layout.top for k in KINDS}


def check_notice(notice, content_dir: Path, allowed: frozenset[str], problems: Problems, memo=None) -> tuple:
    """The notice's attachments, each read once, judged and scanned; refusals become
    problems naming the notice, the attachment's field and the file. Returns the attachments
    with what was found (kind, size, digest); a refused one keeps kind None."""
    from dataclasses import replace

    checked = []
    for a in notice.attachments:
        data, why = read_checked(content_dir, Path(content_dir) / a.file)
        if why is None and _is_record(content_dir, Path(content_dir) / a.file):
            data, why = None, ("是一条记录的文件（活动、公告、光荣榜、看板或社区设置），不能作为附件：它会随记录"
                               "发布或不发布，不能另外公开。", "附件放在 content/files/ 里。")
        found = None
        if why is None:
            found = inspect(a.file, data) if memo is None else memo.cached(
                "attachment:" + hashlib.sha256(data).hexdigest() + ":" + a.file, lambda: inspect(a.file, data))
            why = found.refusal
        if why is not None:
            problems.add(notice.source, a.line, a.field, f"附件 content/{a.file}：{why[0]}", why[1])
            checked.append(a)
            continue
        if not found.readable and not a.reviewed:
            what = "图片" if KINDS[found.kind].image else f"{KINDS[found.kind].label}（扫描件或没有文字层的页面）"
            problems.add(notice.source, a.line, f"{a.field}.reviewed",
                         f"附件 content/{a.file} 是{what}，检查程序读不出其中的文字，无法确认没有个人信息。",
                         _REVIEWED_HINT)
        privacy_problems(notice.source, a.field, a.line, a.file, found.parts, allowed, notice.consent, problems)
        checked.append(replace(a, kind=found.kind, size=found.size, sha256=found.sha256))
    return tuple(checked)
