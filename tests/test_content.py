"""The content model: every rule of the contract, as staff would break it."""
from __future__ import annotations

from datetime import date

import pytest

from community_board.content import load_catalog, load_content
from community_board.errors import ContentError


def problems_of(tree):
    with pytest.raises(ContentError) as info:
        load_catalog(tree.dir)
    return info.value.problems


def test_valid_tree_loads(tree):
    content = load_content(tree.dir, date(2026, 3, 31))
    assert [a.title for a in content.activities] == ["学雷锋走访居民家庭"]
    activity = content.activities[0]
    assert activity.stats == (("volunteers", 8), ("households_visited", 20))
    assert activity.summary.startswith("3月5日，社区主任")
    assert content.community.column("leifeng").title == "学雷锋志愿服务"


# (case name, how to break the tree, file, field, words the message must contain)
BAD = [
    ("missing title", lambda t: t.activity("2026-03-06-a", text="---\ndate: 2026-03-06\ncolumn: leifeng\n---\n正文\n"),
     "activities/2026/2026-03-06-a.md", "title", ["缺少必填字段", "title"]),
    ("missing date", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ncolumn: leifeng\n---\n正文\n"),
     "2026-03-06-a.md", "date", ["缺少必填字段"]),
    ("title not text", lambda t: t.activity("2026-03-06-a", text="---\ntitle: [a, b]\ndate: 2026-03-06\ncolumn: leifeng\n---\n"),
     "2026-03-06-a.md", "title", ["文字"]),
    ("date format", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-3-6\ncolumn: leifeng\n---\n"),
     "2026-03-06-a.md", "date", ["日期格式不对", "2026-3-6"]),
    ("impossible date", lambda t: t.activity("2026-02-30-a", text="---\ntitle: 甲\ndate: 2026-02-30\ncolumn: leifeng\n---\n"),
     "2026-02-30-a.md", "date", ["日历上没有这一天"]),
    ("date differs from file name", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-07\ncolumn: leifeng\n---\n"),
     "2026-03-06-a.md", "date", ["与文件名里的日期", "不一致"]),
    ("non-ascii slug", lambda t: t.activity("2026-03-06-学雷锋", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\n---\n"),
     "2026-03-06-学雷锋.md", "文件名", ["文件名", "不合规"]),
    ("wrong year folder", lambda t: t.write("activities/2025/2026-03-06-a.md", "---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\n---\n"),
     "activities/2025/2026-03-06-a.md", "文件位置", ["2026 年的活动", "2025"]),
    ("unknown column suggests nearest", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: enviroment\n---\n"),
     "2026-03-06-a.md", "column", ["enviroment", "environment"]),
    ("unknown stats key suggests nearest", lambda t: t.activity("2026-03-06-a", extra="", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nstats: {volunters: 3}\n---\n"),
     "2026-03-06-a.md", "stats.volunters", ["volunters", "volunteers"]),
    ("negative stat", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nstats: {participants: -1}\n---\n"),
     "2026-03-06-a.md", "stats.participants", ["负数"]),
    ("stat not a number", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nstats: {participants: 十二}\n---\n"),
     "2026-03-06-a.md", "stats.participants", ["应为数字"]),
    ("misspelt field", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nlocaton: 社区\n---\n"),
     "2026-03-06-a.md", "locaton", ["没有「locaton」", "location"]),
    ("missing photo file", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nphotos:\n  - {file: photos/none.jpg, consent: true}\n---\n"),
     "2026-03-06-a.md", "photos[0].file", ["找不到文件", "photos/none.jpg"]),
    ("photo without consent", lambda t: (t.write("photos/a.jpg", b"x"), t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nphotos:\n  - {file: photos/a.jpg}\n---\n")),
     "2026-03-06-a.md", "photos[0].consent", ["同意", "consent: true"]),
    ("featured not boolean", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nfeatured: 是\n---\n"),
     "2026-03-06-a.md", "featured", ["true 或 false"]),
    ("no front matter", lambda t: t.activity("2026-03-06-a", text="标题：甲\n"),
     "2026-03-06-a.md", None, ["YAML 头信息"]),
    ("yaml syntax with line", lambda t: t.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: [leifeng\n---\n"),
     "2026-03-06-a.md", None, ["YAML 格式错误"]),
    ("gbk file", lambda t: t.write("activities/2026/2026-03-06-a.md", "---\ntitle: 学雷锋\ndate: 2026-03-06\ncolumn: leifeng\n---\n".encode("gbk")),
     "2026-03-06-a.md", None, ["不是 UTF-8", "GBK", "另存为"]),
    ("stars out of range", lambda t: t.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 星级文明家庭, kind: family, name: 甲家庭, stars: 6}\n"),
     "honors/2026.yml", "honors[0].stars", ["1 到 5"]),
    ("honour kind", lambda t: t.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 文明楼栋, kind: buiding, name: 3栋}\n"),
     "honors/2026.yml", "honors[0].kind", ["buiding", "building"]),
    ("honour year differs from name", lambda t: t.write("honors/2026.yml", "year: 2025\nhonors: []\n"),
     "honors/2026.yml", "year", ["2025", "不一致"]),
    ("honour date outside year", lambda t: t.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 民星, kind: person, name: 3栋志愿者, date: 2025-12-01}\n"),
     "honors/2026.yml", "honors[0].date", ["不在 2026 年内"]),
    ("honour flat number", lambda t: t.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 文明楼栋, kind: building, name: 3栋, place: 3栋2单元302室}\n"),
     "honors/2026.yml", "honors[0].place", ["门牌号"]),
    ("notice kind", lambda t: t.write("notices/2026-03-02-a.md", "---\ntitle: 甲\ndate: 2026-03-02\nkind: 财务公示\n---\n"),
     "notices/2026-03-02-a.md", "kind", ["财务公示", "财务公开"]),
    ("missing attachment", lambda t: t.write("notices/2026-03-02-a.md", "---\ntitle: 甲\ndate: 2026-03-02\nattachments: [files/a.pdf]\n---\n"),
     "notices/2026-03-02-a.md", "attachments[0]", ["找不到文件"]),
    ("notice expires before date", lambda t: t.write("notices/2026-03-02-a.md", "---\ntitle: 甲\ndate: 2026-03-02\nexpires: 2026-03-01\n---\n"),
     "notices/2026-03-02-a.md", "expires", ["早于"]),
    ("board featured id missing", lambda t: t.write("boards/2026-q1.yml", "theme: 学雷锋月\nfeatured: [2026-03-05-leifeng-vist]\n"),
     "boards/2026-q1.yml", "featured[0]", ["找不到活动", "2026-03-05-leifeng-visit"]),
    ("board slogan missing", lambda t: t.write("boards/2026-q1.yml", "slogans: [人人遵纪守法]\n"),
     "boards/2026-q1.yml", "slogans[0]", ["找不到标语"]),
    ("board file name", lambda t: t.write("boards/2026-q5.yml", "theme: 甲\n"),
     "boards/2026-q5.yml", "文件名", ["看板文件名"]),
    ("column slug not ascii", lambda t: t.write("community.yml", "name: 社区\ncolumns:\n  - {slug: 学雷锋, title: 学雷锋}\n"),
     "community.yml", "columns[0].slug", ["英文短名"]),
    ("community without columns", lambda t: t.write("community.yml", "name: 社区\n"),
     "community.yml", "columns", ["缺少必填字段"]),
    ("slogan window reversed", lambda t: t.write("slogans.yml", "slogans:\n  - {text: 甲, from: 2026-05-01, until: 2026-04-01}\n"),
     "slogans.yml", "slogans[0].until", ["早于"]),
    ("duplicate key", lambda t: t.write("slogans.yml", "slogans: []\nslogans: []\n"),
     "slogans.yml", "slogans", ["写了两次"]),
    ("typo in folder name", lambda t: t.write("activites/2026/2026-03-06-a.md", "x"),
     "content/activites", None, ["activities"]),
]


@pytest.mark.parametrize("case,breaks,file,field,words", BAD, ids=[b[0] for b in BAD])
def test_bad_input_is_reported(tree, case, breaks, file, field, words):
    breaks(tree)
    problems = problems_of(tree)
    hits = [p for p in problems if p.file.endswith(file) and (field is None or p.field == field)]
    assert hits, "\n".join(p.format() for p in problems)
    text = hits[0].format()
    for word in words:
        assert word in text
    assert "怎么改" in text


def test_duplicate_id_across_years(tree):
    # the same file name filed under a second year folder: its URL would collide
    tree.write("activities/2025/2026-03-05-leifeng-visit.md",
               "---\ntitle: 甲\ndate: 2026-03-05\ncolumn: leifeng\n---\n")
    problems = problems_of(tree)
    assert any("重复" in p.message for p in problems)


def test_every_error_of_a_run_is_reported(tree):
    tree.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-3-6\ncolumn: leifeng\n---\n")
    tree.activity("2026-03-07-b", text="---\ntitle: 乙\ndate: 2026-03-07\ncolumn: enviroment\n---\n")
    tree.write("honors/2026.yml", "year: 2026\nhonors:\n  - {title: 星级文明家庭, kind: family, name: 甲家庭, stars: 9}\n")
    files = {p.file for p in problems_of(tree)}
    assert len(files) == 3


def test_line_numbers_point_at_the_field(tree):
    tree.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\ncolumn: leifeng\nstats:\n  participants: 3\n  volunters: 2\n---\n")
    problem = next(p for p in problems_of(tree) if p.field == "stats.volunters")
    assert problem.line == 7
    assert "2026-03-06-a.md:7：" in problem.format()


def test_yaml_error_names_its_line(tree):
    tree.activity("2026-03-06-a", text="---\ntitle: 甲\ndate: 2026-03-06\nlocation: 社区: 广场\ncolumn: leifeng\n---\n")
    problem = next(p for p in problems_of(tree) if p.file.endswith("2026-03-06-a.md"))
    assert problem.line == 4 and "多余的冒号" in problem.message


def test_gbk_message_names_the_line(tree):
    tree.write("slogans.yml", "slogans:\n  - text: 邻里守望\n".encode("gbk"))
    problem = next(p for p in problems_of(tree) if p.file.endswith("slogans.yml"))
    assert problem.line == 2 and "UTF-8" in problem.message


def test_bom_and_crlf_are_accepted(tree):
    tree.write("activities/2026/2026-03-06-a.md",
               "\ufeff---\r\ntitle: 甲\r\ndate: 2026-03-06\r\ncolumn: leifeng\r\n---\r\n正文\r\n".encode("utf-8"))
    assert len(load_catalog(tree.dir).activities) == 2


def test_a_broken_featured_activity_is_reported_once(tree):
    tree.write("boards/2026-q1.yml", "featured: [2026-03-05-leifeng-visit]\n")
    path = tree.dir / "activities/2026/2026-03-05-leifeng-visit.md"
    path.write_text(path.read_text(encoding="utf-8").replace("column: leifeng", "column: leifng"), encoding="utf-8")
    problems = problems_of(tree)
    assert [p.field for p in problems] == ["column"]
    assert "可用的有：leifeng、environment" in problems[0].hint  # community.yml's order


def test_jieba_is_loaded_only_when_a_sentence_needs_tagging(tree):
    """A community whose records hold no hardship word and no unconsented honour builds
    without loading jieba (about half a second); one sentence that needs it is still caught.
    Run in a fresh interpreter, where nothing has loaded jieba yet."""
    import os
    import subprocess
    import sys
    from conftest import ROOT
    code = (
        "import sys\n"
        "from community_board.content import load_catalog\n"
        "from community_board.errors import ContentError\n"
        "try:\n"
        "    load_catalog(sys.argv[1])\n"
        "    found = []\n"
        "except ContentError as exc:\n"
        "    found = sorted(p.field for p in exc.problems)\n"
        "print('jieba' in sys.modules, found)\n")

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", code, str(tree.dir)], capture_output=True, text=True,
                             env={**os.environ, "PYTHONPATH": str(ROOT / "hooks")})
        return out.stdout.strip() or out.stderr[-2000:]

    assert run() == "False []"
    tree.activity("2026-03-06-visit", text="---\ntitle: 走访\ndate: 2026-03-06\ncolumn: leifeng\n---\n"
                                           "社区为低保户赵志刚送去米面油。\n")
    assert run() == "True ['正文']"
