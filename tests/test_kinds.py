"""Record kinds declared once (hooks/community_board/kinds/): the dataclass, the loader, the
privacy walk and the documentation all follow the declaration."""
from __future__ import annotations

import dataclasses
import re
import typing
from pathlib import Path

import pytest
import yaml

from community_board import content
from community_board.content import load_catalog
from community_board.errors import ContentError
from community_board.guard import public_strings
from community_board.kinds import KINDS, kind_of
from community_board.kinds.base import NO_DEFAULT
from community_board.kinds.docs import field_table, marker, rewrite, table, tables

DOC = Path(__file__).resolve().parent.parent / "docs" / "content-format.md"


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_record_has_the_declared_fields_types_and_defaults_in_order(kind):
    fields = dataclasses.fields(kind.record)
    assert [f.name for f in fields] == [f.name for f in kind.fields]
    hints = typing.get_type_hints(kind.record)
    for declared, actual in zip(kind.fields, fields):
        assert hints[actual.name] == declared.type, (kind.name, declared.key)
        expected = dataclasses.MISSING if declared.default is NO_DEFAULT else declared.default
        assert actual.default == expected, (kind.name, declared.key)
        # a field staff may leave out has a default: the loader never invents one of its own
        assert declared.required or not declared.written or declared.default is not NO_DEFAULT, declared.key


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_every_declaration_has_chinese_label_and_help(kind):
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert chinese.search(kind.label)
    for f in kind.table:
        assert chinese.search(f.label) and chinese.search(f.help), (kind.name, f.key)


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_privacy_walk_reads_every_public_text_field_and_only_those(kind):
    values = {f.name: f"字段{f.name}" if f.type is str else None if f.default is NO_DEFAULT else f.default
              for f in kind.fields}
    walked = {path for path, _ in public_strings(kind.record(**values))}
    texts = {f.name for f in kind.fields if f.type is str}
    assert walked == {name for name in texts if name not in kind.not_public}
    assert kind_of(kind.record(**values)) is kind


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_the_documented_field_table_is_the_declarations(kind):
    text = DOC.read_text("utf-8")
    assert marker(kind) + field_table(kind) in text, (
        f"docs/content-format.md: the table of {kind.name} differs from its declaration; run "
        "`python -m community_board.kinds.docs docs/content-format.md` in hooks/")
    assert rewrite(text) == text


@pytest.mark.parametrize("name", sorted(tables()))
def test_every_table_of_every_kind_is_documented_with_chinese_help(name):
    """The kinds' tables and those of the mappings inside their fields (photos, attachments,
    columns...): each marked in the contract and equal to the declaration."""
    fields = tables()[name]
    assert marker(name) + table(fields) in DOC.read_text("utf-8"), name
    chinese = re.compile(r"[\u4e00-\u9fff]")
    assert all(chinese.search(f.label) and chinese.search(f.help) for f in fields), name


def test_a_changed_declaration_is_rewritten_into_its_table():
    text = DOC.read_text("utf-8")
    stale = text.replace("| 照片里的人同意公开时写 true。 |", "| 旧的说明 |")
    assert stale != text and rewrite(stale) == text


def _doc_example(heading: str) -> dict:
    """The YAML example under a `## heading` of the contract."""
    section = DOC.read_text("utf-8").split(f"\n## {heading}", 1)[1].split("\n## ", 1)[0]
    return yaml.safe_load(re.search(r"```yaml\n(.*?)```", section, re.S)[1])


def test_the_contracts_slogans_example_uses_every_declared_key_and_no_other():
    from community_board.kinds.slogans import MAXIMS, SLOGANS
    example = _doc_example("Slogans")
    for kind in (SLOGANS, MAXIMS):
        written = {key for item in example[kind.layout.section] for key in item}
        assert written == {f.key for f in kind.table}, kind.name


def test_the_contracts_boards_example_uses_every_declared_key_and_no_other():
    from community_board.kinds.boards import BOARDS
    assert set(_doc_example("Boards")) == {f.key for f in BOARDS.table}


def test_every_kinds_place_in_content_is_a_known_name():
    for kind in KINDS:
        assert kind.layout.top in content.KNOWN_TOP, kind.name
        assert set(kind.layout.files) <= set(content.KNOWN_TOP), kind.name
    # nothing else: the list is the kinds' (photos: activities and honours; files: notices)
    assert set(content.KNOWN_TOP) == {k.layout.top for k in KINDS} | {f for k in KINDS for f in k.layout.files}


@pytest.mark.parametrize("entry", ["notes", "说明.txt", "activity", "event"])
def test_an_unknown_entry_at_the_top_of_content_is_an_error_listing_every_allowed_name(tree, entry):
    if "." in entry:
        tree.write(entry, "随便写写")
    else:
        tree.write(f"{entry}/2026-03-05-a.md", "---\ntitle: 甲\n---\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    (problem,) = [p for p in info.value.problems if p.file == f"content/{entry}"]
    assert problem.message == f"「{entry}」不是约定的文件或文件夹名，其中内容不会被读取。"
    allowed = problem.hint.split("content 里只能有：", 1)[1].rstrip("。").split("、")
    assert allowed == list(content.KNOWN_TOP) and {"events", "boards", "photos", "files"} <= set(allowed)
    meant = {"activity": "activities", "event": "events"}.get(entry)
    assert (f"是不是想写「{meant}」" in problem.hint) == bool(meant), problem.hint


def test_a_kind_with_records_of_its_own_folder_is_read_and_not_reported(tree):
    tree.write("events/2026-11-28-talk.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n说明。\n")
    tree.write("files/note.txt", "停水通知附件")
    assert [e.id for e in load_catalog(tree.dir).events] == ["2026-11-28-talk"]


def test_the_files_read_ahead_are_every_file_each_folder_kind_reads_and_only_those(tree):
    """The build's background work (Markdown, names) starts from content.record_files: an
    event's or a board's file is read ahead like an activity's, a stray file is not."""
    tree.write("events/2026-11-28-talk.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n说明。\n")
    tree.write("boards/2026-q1.yml", "theme: 春节\n")
    tree.write("files/note.md", "附件")
    tree.write("activities/stray.md", "---\ntitle: 放错位置\n---\n")
    found = sorted(p.relative_to(tree.dir).as_posix() for p in content.record_files(tree.dir))
    assert found == ["activities/2026/2026-03-05-leifeng-visit.md", "boards/2026-q1.yml",
                     "events/2026-11-28-talk.md", "honors/2026.yml", "notices/2026-03-01-water.md"]


def test_a_record_of_any_kind_is_refused_as_an_attachment(tree):
    """An event's file (a folder a hand-written list once left out) cannot be published again
    as a notice's attachment, no more than an activity's."""
    tree.write("events/2026-11-28-talk.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n说明。\n")
    tree.write("notices/2026-03-08-att.md", "---\ntitle: 公告\ndate: 2026-03-08\n"
                                            "attachments: [events/2026-11-28-talk.md, slogans.yml]\n---\n正文。\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    refused = {p.field for p in info.value.problems if "是一条记录的文件" in p.message}
    assert refused == {"attachments[0]", "attachments[1]"}, info.value.report()


def test_a_slogan_left_without_optional_fields_gets_the_declared_defaults(tree):
    tree.write("slogans.yml", "slogans:\n  - text: 邻里守望\n  - {text: 平安法治, theme: 法治, from: 2026-01-01}\n"
                              "maxims:\n  - {text: 家和万事兴}\n")
    catalog = load_catalog(tree.dir)
    first, second = catalog.slogans
    assert (first.theme, first.start, first.until) == ("", None, None)
    assert (second.theme, str(second.start)) == ("法治", "2026-01-01")
    assert catalog.maxims[0].by == ""


def test_errors_in_slogans_name_the_item_and_use_the_declared_label(tree):
    tree.write("slogans.yml", "slogans:\n  - {theme: 无文字}\n  - {text: 倒序, from: 2026-05-01, until: 2026-01-01}\n"
                              "maxims:\n  - {by: 某家庭}\n  - {text: 好, colour: red}\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    found = {(p.field, p.message) for p in info.value.problems}
    assert ("slogans[0].text", "缺少必填字段「text」（标语）。") in found
    assert ("slogans[1].until", "结束日期 2026-01-01 早于开始日期 2026-05-01。") in found
    assert ("maxims[0].text", "缺少必填字段「text」（格言）。") in found
    assert ("maxims[1].colour", "格言里没有「colour」这个字段。") in found


def test_board_errors_keep_their_fields_and_lines(tree):
    tree.write("boards/2026-q1.yml", "theme: [1]\n")
    tree.write("boards/2026-q2.yml", "featured: [2026-03-05-leifeng-visi]\nslogans: [邻里守望，大家相]\n")
    tree.write("boards/2026-q3.yml", "theme: 秋季\n\ncolour: 1\n")
    tree.write("boards/2026-q5.yml", "theme: x\n")
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    found = {(p.file.split("/")[-1], p.line, p.field, p.message) for p in info.value.problems}
    assert ("2026-q1.yml", 1, "theme", "应为一段文字。") in found
    assert ("2026-q3.yml", 3, "colour", "看板里没有「colour」这个字段。") in found
    assert ("2026-q5.yml", None, "文件名", "看板文件名「2026-q5.yml」不合规，不会被读取。") in found
    assert ("2026-q2.yml", 1, "featured[0]", "找不到活动「2026-03-05-leifeng-visi」。") in found
    hints = {p.field: p.hint for p in info.value.problems if p.file.endswith("2026-q2.yml")}
    assert ("2026-q2.yml", 2, "slogans[0]", "找不到标语「邻里守望，大家相」。") in found
    assert hints["featured[0]"] == "是不是「2026-03-05-leifeng-visit」？"


def test_a_board_left_without_optional_fields_gets_the_declared_defaults(tree):
    tree.write("boards/2026-q1.yml", "theme: 学雷锋月\n")
    (board,) = load_catalog(tree.dir).boards
    assert (board.quarter, board.theme, board.featured, board.slogans) == ("2026-q1", "学雷锋月", (), None)
    assert board.source.endswith("boards/2026-q1.yml")


def test_compare_sites_names_each_changed_missing_and_extra_file(tmp_path):
    """The byte comparison every move of a kind is checked with (issue 16.4)."""
    import subprocess
    import sys
    script = Path(__file__).resolve().parent.parent / "scripts" / "compare_sites.py"
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "活动").mkdir(parents=True)
        (root / "活动" / "index.html").write_bytes(b"<p>\xe5\x90\x8c</p>")
    same = subprocess.run([sys.executable, str(script), str(a), str(b)], capture_output=True, text=True)
    assert same.returncode == 0 and "逐字节相同：1 个文件" in same.stdout
    (b / "活动" / "index.html").write_bytes(b"<p>\xe5\x90\x8c</p>\n")
    (a / "old.html").write_text("x")
    (b / "new.html").write_text("x")
    differ = subprocess.run([sys.executable, str(script), str(a), str(b)], capture_output=True, text=True)
    assert differ.returncode == 1
    assert "内容不同：活动/index.html" in differ.stdout
    assert "新网站里缺少：old.html" in differ.stdout and "新网站里多出：new.html" in differ.stdout


def test_raw_html_the_sanitizer_would_remove_is_refused_in_every_kind_with_a_body(tree):
    """The raw-HTML rule follows the records, not a list of types: an event's description is
    checked like an activity's and a notice's (it once was not)."""
    script = "<script>alert(1)</script>\n"
    tree.activity("2026-03-07-html-check", text="---\ntitle: 活动\ndate: 2026-03-07\ncolumn: leifeng\n---\n" + script)
    tree.write("notices/2026-03-08-html-check.md", "---\ntitle: 公告\ndate: 2026-03-08\n---\n" + script)
    tree.write("events/2026-11-28-html-check.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n" + script)
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    found = {(p.file.split("/")[1], p.field, p.line) for p in info.value.problems if "script" in p.message}
    assert found == {("activities", "正文", 6), ("notices", "正文", 5), ("events", "正文", 6)}, info.value.report()


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.name)
def test_each_kind_links_its_records_to_the_page_its_url_names(kind):
    """Kind.url is the one place a record's address is written: the page's source, the path
    the feed and search use and the anchor all follow it."""
    values = {f.name: "2026-03-05-x" if f.type is str else 2026 if f.type is int else None if f.default is NO_DEFAULT
              else f.default for f in kind.fields}
    r = kind.record(**values)
    url = kind.url(r)
    assert url.startswith("/") and kind.path(r) == url[1:]
    page = kind.src(r)
    from community_board.pages import url_of
    assert page.endswith(".md") and "/" + url_of(page) + kind.anchor(r) == url


def test_every_record_of_every_kind_goes_through_the_privacy_walk(tree, monkeypatch):
    """guard.check_records is handed the records of every kind in KINDS, without a list of
    kinds of its own to forget a new one in."""
    tree.write("events/2026-11-28-talk.md", "---\ntitle: 讲座\nstart: 2026-11-28\nplace: 会议室\n---\n说明。\n")
    tree.write("boards/2026-q1.yml", "theme: 学雷锋月\n")
    seen = []
    monkeypatch.setattr(content.guard, "check_records", lambda records, *a, **k: seen.extend(records))
    catalog = load_catalog(tree.dir)
    expected = {id(r) for k in KINDS
                for r in ((catalog.community,) if k.name == "community" else getattr(catalog, k.name))}
    assert {id(r) for r in seen} == expected
    assert {kind_of(r).name for r in seen} == {k.name for k in KINDS}


def test_the_catalog_holds_every_kind_by_name_and_nothing_else():
    """A new kind gets its place in the Catalog from KINDS: no line to add in records.py."""
    from community_board.records import Catalog
    assert [f.name for f in dataclasses.fields(Catalog)] == [k.name for k in KINDS]
    empty = Catalog(None)
    assert all(getattr(empty, k.name) == () for k in KINDS[1:])


def test_the_editor_widgets_the_kinds_declare():
    """The web editor's hints (issue 17): a column is chosen from community.yml's, photos and
    attachments are files of their sort, an event's times are a date with a time."""
    from community_board.kinds.docs import tables
    widgets = {(name, f.key): f.widget for name, fields in tables().items() for f in fields if f.widget}
    assert widgets == {("activities", "column"): "column", ("events", "column"): "column",
                       ("events", "start"): "datetime", ("events", "end"): "datetime",
                       ("activities", "cover"): "image", ("activities.photos", "file"): "image",
                       ("honors", "photo"): "image", ("notices.attachments", "file"): "file"}
