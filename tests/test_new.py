"""scripts/new.py: a staff member answers questions in Chinese and gets a valid, published record."""
from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
import yaml

import new
from community_board.content import load_catalog
from community_board.schema import SLUG
from community_board.slugs import slugify, unique_slug
from conftest import build_site, copy_project

AS_OF = "2026-11-25"



def run_new(project: Path, *args: str, answers: str = "") -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "SOURCE_DATE_EPOCH")}
    env["BOARD_AS_OF"] = AS_OF  # "today" for the default date
    return subprocess.run([sys.executable, str(project / "scripts" / "new.py"), *args], cwd=project, env=env,
                          input=answers, capture_output=True, text=True)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture
def project(tmp_path):
    return copy_project(tmp_path / "board")


@pytest.mark.build
def test_activity_end_to_end_from_answers_to_the_built_page(project, tmp_path):
    photo_ok = project / "content" / "photos" / "2026" / "0305-1.jpg"
    photo_refused = project / "content" / "photos" / "2025" / "0212-1.jpg"
    answers = "\n".join([
        "冬季义诊进社区",           # 题目
        "11月20日",                 # 日期, as staff write it
        "9",                        # 栏目: no such number, asked again
        "1",                        # 栏目: 学雷锋志愿服务
        "社区服务中心",             # 地点
        "区人民医院医生为 60 位居民义诊",  # 摘要
        "上午九点，义诊在服务中心开始。",  # 正文, one line per paragraph
        "医生还讲了冬季防跌倒的知识。",
        "",                         # 正文 ends
        f"'{photo_ok}'",            # dragged into the terminal: quoted
        "是",                       # consent
        "医生为老人量血压",         # 说明
        str(photo_refused),
        "否",                       # no consent: left out
        "",                         # no more photos
    ]) + "\n"
    done = run_new(project, "activity", answers=answers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "栏目（填编号）" in done.stdout and "没有「9」这一项" in done.stdout
    assert "未征得同意的照片不能发布" in done.stdout
    assert "检查通过" in done.stdout

    written = sorted((project / "content" / "activities" / "2026").glob("2026-11-20-*.md"))
    assert len(written) == 1
    record = written[0]
    slug = record.stem[len("2026-11-20-"):]
    assert SLUG.fullmatch(slug) and slug.startswith("dongji") and len(slug) <= 40
    text = record.read_text(encoding="utf-8")
    meta = yaml.safe_load(text.split("---")[1])
    assert meta["title"] == "冬季义诊进社区" and meta["date"] == date(2026, 11, 20)
    assert meta["column"] == "leifeng" and meta["location"] == "社区服务中心"
    assert meta["photos"] == [{"file": "photos/2026/1120-1.jpg", "caption": "医生为老人量血压", "consent": True}]
    assert "上午九点，义诊在服务中心开始。\n\n医生还讲了冬季防跌倒的知识。" in text
    copied = project / "content" / "photos" / "2026" / "1120-1.jpg"
    assert copied.read_bytes() == photo_ok.read_bytes()
    assert not (project / "content" / "photos" / "2026" / "1120-2.jpg").exists()

    site = tmp_path / "site"
    built = build_site(site, AS_OF, project=project, extra_env={"BOARD_CACHE": str(tmp_path / "cache")})
    assert built.returncode == 0, built.stderr[-3000:]
    page = (site / "activities" / record.stem / "index.html").read_text(encoding="utf-8")
    assert "冬季义诊进社区" in page and "医生还讲了冬季防跌倒的知识。" in page
    assert "<picture>" in page and "医生为老人量血压" in page
    assert f'href="{record.stem}/"' in (site / "activities" / "index.html").read_text(encoding="utf-8")


def test_notice_from_flags_for_scripts(project):
    done = run_new(project, "notice", "--yes", "--title", "关于冬季供暖检修的通知", "--date", "2026-11-24",
                   "--kind", "通知公告", "--expires", "2026-12-31", "--body", "12月1日起检修。")
    assert done.returncode == 0, done.stderr
    record = project / "content" / "notices" / "2026-11-24-dongji-gongnuan-jianxiu-tongzhi.md"
    assert record.is_file()
    notice = next(n for n in load_catalog(project / "content").notices if n.id == record.stem)
    assert notice.kind == "通知公告" and notice.expires == date(2026, 12, 31)


def test_honor_is_appended_keeping_the_file_as_staff_wrote_it(project):
    honors = project / "content" / "honors" / "2026.yml"
    before = honors.read_text(encoding="utf-8")
    count = len(yaml.safe_load(before)["honors"])
    photo = project / "content" / "photos" / "2026" / "0305-1.jpg"
    answers = "\n".join(["星级文明家庭", "1", "王利华家庭", "5",
                         "3栋201室",                 # a flat number: refused, asked again
                         "3栋2单元", "2026-11-20", "", "", "孝老爱亲，邻里称道。", str(photo), "是"]) + "\n"
    done = run_new(project, "honor", answers=answers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "不要写门牌号" in done.stdout
    after = honors.read_text(encoding="utf-8")
    assert after.startswith(before)                       # comments and order untouched
    catalog = load_catalog(project / "content")
    mine = [h for h in catalog.honors if h.year == 2026]
    assert len(mine) == count + 1
    added = mine[-1]
    assert (added.name, added.stars, added.place, added.by, added.consent) == ("王利华家庭", 5, "3栋2单元", "社区居委会", True)
    assert added.photo == "photos/2026/1120-1.jpg" and (project / "content" / added.photo).is_file()


def test_event_from_answers_each_checked_as_the_checker_reads_its_field(project):
    """An event's questions come from its declaration: a wrong answer is refused with the
    checker's own message and asked again; the record is then read by the loader."""
    answers = "\n".join([
        "冬季健康讲座",      # 标题
        "12月12日 下午",     # 开始时间: not a day nor a day and a time, asked again
        "2026-12-12 14:30",
        "社区服务中心二楼",  # 地点
        "",                  # 结束时间: left out
        "4",                 # 栏目: 市民课堂
        "",                  # 面向
        "请拨打社区办公室电话报名",
        "四十",              # 名额: not a whole number, asked again
        "40",
        "",                  # 发布日期
        "请带上医保卡。",    # 正文
        "",
    ]) + "\n"
    done = run_new(project, "event", answers=answers)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "日期时间格式不对" in done.stdout and "整数" in done.stdout
    record = project / "content" / "events" / "2026-12-12-dongji-jiankang-jiangzuo.md"
    assert record.is_file()
    event = next(e for e in load_catalog(project / "content").events if e.id == record.stem)
    assert (event.title, str(event.start), event.place, event.column, event.capacity) == (
        "冬季健康讲座", "2026-12-12 14:30:00", "社区服务中心二楼", "classroom", 40)
    assert "请带上医保卡。" in event.body


def test_event_flags_are_its_declared_fields_and_refuse_what_the_checker_would(project):
    content = project / "content"
    before = snapshot(content)
    missing = run_new(project, "event", "--yes", "--title", "讲座", "--start", "2026-12-12")
    assert missing.returncode == 1 and "--place" in missing.stderr
    wrong = run_new(project, "event", "--yes", "--title", "讲座", "--start", "2026-12-12", "--place", "会议室",
                    "--capacity", "0")
    assert wrong.returncode == 1 and "1 到 100000" in wrong.stderr
    assert snapshot(content) == before
    helped = run_new(project, "event", "--help")
    for key in ("--start", "--end", "--place", "--audience", "--signup", "--capacity", "--report"):
        assert key in helped.stdout


def test_missing_answers_write_nothing(project):
    content = project / "content"
    before = snapshot(content)
    batch = run_new(project, "activity", "--yes", "--title", "缺栏目的活动")
    assert batch.returncode == 1 and "--column" in batch.stderr
    ended = run_new(project, "activity", answers="只答了题目\n")  # input ends half-way
    assert ended.returncode == 1 and "没有写入任何文件" in ended.stderr
    refused = run_new(project, "activity", "--yes", "--title", "x", "--column", "leifeng",
                      "--photo", str(content / "photos" / "2026" / "0305-1.jpg"))  # consent not given
    assert refused.returncode == 1 and "照片" in refused.stderr
    assert snapshot(content) == before


def test_the_checker_report_is_shown_when_the_new_record_is_wrong(project):
    # The checker reads all of content/: a problem anywhere is shown right after writing.
    (project / "content" / "boards" / "2026-q4.yml").write_text("featured: [no-such-activity]\n", encoding="utf-8")
    done = run_new(project, "activity", "--yes", "--title", "检查报告", "--date", "2026-11-21", "--column", "leifeng")
    assert done.returncode == 1
    assert "no-such-activity" in done.stderr and "检查没有通过" in done.stderr
    assert len(list((project / "content" / "activities" / "2026").glob("2026-11-21-jiancha*.md"))) == 1


# --- the pieces ----------------------------------------------------------------------------

@pytest.mark.parametrize("title", ["学雷锋走访困难家庭", "2026年元宵节“猜灯谜、吃汤圆”活动", "ＷｉＦｉ改造",
                                   "关于开展夏家桥社区第三季度居务公开工作并征求居民意见的通知", "！！！", "Café 咖啡"])
def test_slugs_are_short_ascii(title):
    slug = slugify(title)
    assert SLUG.fullmatch(slug) and len(slug) <= 40


def test_slug_examples():
    assert slugify("学雷锋走访困难家庭") == "xueleifeng-zoufang-kunnan-jiating"
    assert slugify("ＷｉＦｉ改造") == "wifi-gaizao"
    assert slugify("！！！") == "record"


def test_unique_slug_counts_up_per_day():
    taken = {"2026-03-05-visit", "2026-03-05-visit-2", "2026-03-06-walk"}
    assert unique_slug("visit", taken, "2026-03-05-") == "visit-3"
    assert unique_slug("walk", taken, "2026-03-05-") == "walk"


def test_photo_names_continue_after_those_taken(tmp_path):
    folder = tmp_path / "photos" / "2026"
    folder.mkdir(parents=True)
    (folder / "0305-1.jpg").write_bytes(b"")
    (folder / "0305-3.png").write_bytes(b"")
    plans = [new.PhotoPlan(Path("a.JPG"), ""), new.PhotoPlan(Path("b.jpeg"), ""), new.PhotoPlan(Path("c.HEIC"), "")]
    assert new.photo_names(tmp_path, date(2026, 3, 5), plans) == [
        "photos/2026/0305-2.jpg", "photos/2026/0305-4.jpeg", "photos/2026/0305-5.heic"]


@pytest.mark.parametrize("answer, expected", [
    ("2026-03-05", date(2026, 3, 5)), ("2026-3-5", date(2026, 3, 5)), ("2026/3/5", date(2026, 3, 5)),
    ("2026年3月5日", date(2026, 3, 5)), ("3月5日", date(2026, 3, 5)), ("今天", date(2026, 11, 25)),
])
def test_dates_as_staff_write_them(answer, expected):
    assert new.parse_date(answer, date(2026, 11, 25)) == expected


@pytest.mark.parametrize("answer", ["2026-02-30", "下周一", "20260305"])
def test_dates_that_are_not_dates(answer):
    with pytest.raises(new.Invalid):
        new.parse_date(answer, date(2026, 11, 25))


def test_dragged_paths_are_cleaned():
    assert new.clean_path("  '/tmp/a b.jpg' ") == Path("/tmp/a b.jpg")
    assert new.clean_path("file:///tmp/x.jpg") == Path("/tmp/x.jpg")
