"""attachments.py: kinds by bytes, text for the privacy checks, what is published."""
from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

import filemakers as fm
from community_board import attachments as at
from community_board.errors import Problems
from community_board.records import Attachment, Notice

ID = "33050219850612301X"


@pytest.mark.parametrize("data,kind", [
    (fm.pdf(["x"]), "pdf"), (fm.docx(["x"]), "docx"), (fm.xlsx([["x"]]), "xlsx"), (fm.jpeg(), "jpeg"),
    (fm.png(), "png"), ("中文".encode("gb18030"), "text"), ("中文".encode("utf-16"), "text"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "Workbook".encode("utf-16-le"), "xls"),
    (b"MZ\x90\x00\x03\x00\x00\x00", None), (b"\x00\x01\x02binary", None), (b"PK\x03\x04broken", None),
])
def test_sniff_judges_bytes(data, kind):
    assert at.sniff(data) == kind


@pytest.mark.parametrize("name,data,words", [
    ("a.html", b"<p>hi</p>", ["不允许的附件类型「.html」", "PDF"]),
    ("a.svg", b"<svg/>", ["不允许的附件类型「.svg」"]),
    ("a.pdf", fm.docx(["x"]), ["与扩展名 .pdf 不符", "Word"]),
    ("a.docx", fm.xlsx([["x"]]), ["不符", "Excel"]),
    ("a.jpg", fm.png(), ["不符", "PNG"]),
    ("a.txt", b"\x00\x01\x02\x03", ["无法识别"]),
    ("a.txt", "  <html><body>".encode(), ["网页"]),
])
def test_refusals_say_what_is_allowed(name, data, words):
    found = at.inspect(name, data)
    assert found.kind is None and found.refusal
    text = "".join(found.refusal)
    assert all(w in text for w in words), text


def test_suffix_is_case_insensitive_and_text_kinds_interchange():
    assert at.inspect("A.PDF", fm.pdf(["x"])).kind == "pdf"
    assert at.inspect("list.csv", "a,b\n".encode()).kind == "csv"
    assert at.inspect("list.txt", "a,b\n".encode()).kind == "txt"


def test_pdf_pages_each_read_and_scans_flagged():
    found = at.inspect("a.pdf", fm.pdf(["第一页", None, "第三页"]))
    pages = [(w, t) for w, t in found.parts if w.startswith("第")]
    assert [w for w, _ in pages] == ["第 1 页", "第 2 页", "第 3 页"]
    assert "第三页" in pages[2][1] and not found.readable
    assert at.inspect("b.pdf", fm.pdf(["有字"])).readable


def test_office_text_includes_metadata_hidden_sheets_and_numbers():
    docx = at.inspect("a.docx", fm.docx(["正文一段"], author="作者甲"))
    text = "\n".join(t for _, t in docx.parts)
    assert "正文一段" in text and "作者甲" in text and docx.readable
    xlsx = at.inspect("a.xlsx", fm.xlsx([["电话", 13812345678.0]], hidden_rows=[["藏起来"]]))
    text = "\n".join(t for _, t in xlsx.parts)
    assert "13812345678" in text and "13812345678.0" not in text and "藏起来" in text


def test_bounds_refuse_instead_of_reading_on(monkeypatch):
    monkeypatch.setattr(at, "MAX_PDF_PAGES", 2)
    assert "3 页" in at.inspect("a.pdf", fm.pdf(["a", "b", "c"])).refusal[0]
    monkeypatch.setattr(at, "MAX_CELLS", 3)
    assert "单元格" in at.inspect("a.xlsx", fm.xlsx([[1, 2], [3, 4]])).refusal[0]
    monkeypatch.setattr(at, "MAX_TEXT_CHARS", 5)
    assert "文字太多" in at.inspect("a.txt", "一二三四五六七".encode()).refusal[0]


def test_broken_files_are_refusals_not_tracebacks():
    for name, data in [("a.pdf", b"%PDF-1.4\n%%EOF garbage"), ("a.pdf", fm.pdf(["x"])[:200]),
                       ("a.xlsx", fm.xlsx([["x"]])[:-300])]:
        found = at.inspect(name, data)
        assert found.kind is None and found.refusal, name


def test_published_text_is_utf8_with_bom_whatever_it_was():
    for raw in ("公告".encode("gb18030"), "公告".encode("utf-16"), "\ufeff公告".encode("utf-8"), "公告".encode()):
        assert at.published_bytes("txt", raw) == "\ufeff公告".encode("utf-8")
    pdf = fm.pdf(["x"])
    assert at.published_bytes("pdf", pdf) is pdf
    assert at.inspect("a.txt", "公告".encode("gb18030")).size == 9  # 3 (BOM) + 2 x 3


def test_link_label_has_type_and_size():
    assert at.link_label("pdf", 120 * 1024) == "PDF，120 KB"
    assert at.link_label("xlsx", 3 * 1024 * 1024 // 2) == "Excel 表格，1.5 MB"
    assert at.link_label("txt", 10) == "文本，1 KB"


def _blocked_open_guard(fn, *args):
    """Run fn in a thread: opening a FIFO for reading would block forever."""
    result = {}
    t = threading.Thread(target=lambda: result.setdefault("v", fn(*args)), daemon=True)
    t.start()
    t.join(5)
    assert not t.is_alive(), "a pipe was opened"
    return result["v"]


def test_unsafe_never_opens_and_names_the_reason(tmp_path):
    content = tmp_path / "content"
    (content / "files").mkdir(parents=True)
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.mkfifo(content / "files" / "pipe.pdf")
    os.symlink(outside, content / "files" / "out.txt")
    (content / "files" / "real.txt").write_text("ok")
    os.symlink("real.txt", content / "files" / "alias.txt")
    assert "命名管道" in _blocked_open_guard(at.unsafe, content, content / "files" / "pipe.pdf")[0]
    data, why = _blocked_open_guard(at.read_checked, content, content / "files" / "pipe.pdf")
    assert data is None and "命名管道" in why[0]
    assert "以外" in at.unsafe(content, content / "files" / "out.txt")[0]
    assert at.read_checked(content, content / "files" / "out.txt")[0] is None
    assert at.unsafe(content, content / "files" / "alias.txt") is None  # a link inside content/ is fine
    assert at.read_checked(content, content / "files" / "alias.txt")[0] == b"ok"
    from community_board.content import read_catalog
    _, problems = read_catalog(content)  # the loader's walk: each unreadable entry reported once
    named = [p.file for p in problems.items if p.file.startswith("content/files/")]
    assert sorted(named) == ["content/files/out.txt", "content/files/pipe.pdf"]


def test_a_name_no_file_can_have_is_not_found_not_a_crash(tmp_path, tree):
    assert at.unsafe(tmp_path, tmp_path / "a\0b.pdf") is None
    from community_board.content import read_catalog
    tree.write("notices/2026-03-02-a.md", '---\ntitle: 甲\ndate: 2026-03-02\nattachments: ["files/a\\0.pdf"]\n---\n')
    _, problems = read_catalog(tree.dir)
    assert any(p.field == "attachments[0]" and "找不到文件" in p.message for p in problems.items)


def test_read_is_bounded_before_reading(tmp_path):
    big = tmp_path / "content" / "big.pdf"
    big.parent.mkdir()
    with open(big, "wb") as fh:
        fh.truncate(at.MAX_BYTES + 1)
    data, why = at.read_checked(tmp_path / "content", big)
    assert data is None and "文件太大" in why[0]


def _notice(*attachments: Attachment, consent: bool = False) -> Notice:
    from datetime import date
    return Notice("2026-11-01-x", "content/notices/2026-11-01-x.md", "标题", date(2026, 11, 1), "正文",
                  attachments=attachments, consent=consent)


def test_check_notice_names_record_field_and_attachment(tmp_path):
    content = tmp_path / "content"
    (content / "files").mkdir(parents=True)
    (content / "files" / "id.pdf").write_bytes(fm.pdf(["无关", f"身份证 {ID}"]))
    (content / "files" / "poster.jpg").write_bytes(fm.jpeg())
    (content / "files" / "ok.txt").write_bytes("停水".encode("gb18030"))
    problems = Problems()
    checked = at.check_notice(_notice(Attachment("files/id.pdf", field="attachments[0]", line=4),
                                      Attachment("files/poster.jpg", field="attachments[1]", line=5),
                                      Attachment("files/ok.txt", field="attachments[2]", line=6)),
                              content, frozenset(), problems)
    by_field = {p.field: p for p in problems.items}
    assert set(by_field) == {"attachments[0]", "attachments[1].reviewed"}
    assert by_field["attachments[0]"].file == "content/notices/2026-11-01-x.md" and by_field["attachments[0]"].line == 4
    assert "content/files/id.pdf（第 2 页）" in by_field["attachments[0]"].message
    assert "reviewed: true" in by_field["attachments[1].reviewed"].hint
    assert [a.kind for a in checked] == ["pdf", "jpeg", "txt"] and checked[2].size == 9


def test_reviewed_covers_unreadable_only_and_consent_covers_hardship(tmp_path):
    content = tmp_path / "content"
    (content / "files").mkdir(parents=True)
    (content / "files" / "scan.pdf").write_bytes(fm.pdf([None]))
    (content / "files" / "visit.txt").write_text("低保户张桂芳今年七十岁。")
    problems = Problems()
    at.check_notice(_notice(Attachment("files/scan.pdf", reviewed=True)), content, frozenset(), problems)
    assert not problems
    at.check_notice(_notice(Attachment("files/visit.txt", reviewed=True)), content, frozenset(), problems)
    assert len(problems) == 1 and "低保" in problems.items[0].message
    problems = Problems()
    at.check_notice(_notice(Attachment("files/visit.txt"), consent=True), content, frozenset(), problems)
    assert not problems


def test_plan_publishes_only_the_checked_bytes(tmp_path):
    content = tmp_path / "content"
    (content / "files").mkdir(parents=True)
    path = content / "files" / "a.txt"
    path.write_text("第一版")
    problems = Problems()
    notice = _notice(*at.check_notice(_notice(Attachment("files/a.txt")), content, frozenset(), problems))
    plan = at.plan([notice], content, lambda f: None, problems)
    assert plan.files == {"attachments/files/a.txt": "\ufeff第一版".encode()} and not problems
    assert plan.links["files/a.txt"].label == "文本，1 KB"
    assert plan.records == {"attachments/files/a.txt": "content/notices/2026-11-01-x.md"}
    path.write_text("改过的第二版 " + ID)
    plan = at.plan([notice], content, lambda f: None, problems)
    assert not plan.files and "检查之后被改动" in problems.items[0].message


def test_verify_photos_in_a_pool_says_what_one_process_says(tmp_path):
    """check.py decodes many photos in worker processes: the same refusals, each named."""
    from community_board.photos import PhotoRequest, PhotoSettings, verify_photos
    content = tmp_path / "content"
    (content / "photos").mkdir(parents=True)
    requests = []
    for i in range(33):
        data = fm.jpeg((40, 30)) if i % 3 else fm.jpeg((800, 600))[:700]
        (content / "photos" / f"{i}.jpg").write_bytes(data)
        requests.append(PhotoRequest(f"photos/{i}.jpg", "content/activities/2026/x.md", f"photos[{i}].file"))
    said = []
    for jobs in (1, 2):
        problems = Problems()
        verify_photos(requests, content, tmp_path / "cache", PhotoSettings(), problems, jobs=jobs)
        said.append(sorted(problems.items))
    assert said[0] == said[1] and len(said[0]) == 11 and all("损坏" in p.message for p in said[0])
