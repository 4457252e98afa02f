"""The normalisers, and the field tables of the record kinds not yet declared in `kinds/`
(activities, honours, community.yml), field -> normaliser.

A normaliser takes the raw YAML value and a `Where` (file, line, field) and either returns
the clean value or raises `Invalid(message, hint)`, which the caller turns into a Problem.
Normalisers for nested values (photos, stats) report their inner problems themselves.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, Callable

from .limits import NESTING_HINT, nesting_problem
from .errors import Problems, did_you_mean, nearest
from .yamlio import LineDict, LineList

STATS: dict[str, tuple[str, str]] = {
    # key: (Chinese label, unit)
    "participants": ("参与人数", "人"),
    "volunteers": ("志愿者人次", "人次"),
    "households_visited": ("走访户数", "户"),
    "beneficiaries": ("受益人数", "人"),
    "donations_yuan": ("捐款", "元"),
    "hours": ("服务时长", "小时"),
}
HONOR_KINDS: dict[str, str] = {
    "family": "家庭", "person": "个人", "building": "楼栋", "unit": "单位", "team": "团队",
}
HONOR_LEVELS = ("社区", "街道", "区", "市", "省", "国家")
NOTICE_KINDS = ("通知公告", "居务公开", "财务公开", "党务公开", "政策宣传")
FIGURES: dict[str, tuple[str, str]] = {
    "area_km2": ("面积", "平方公里"),
    "households": ("户数", "户"),
    "residents": ("居民", "人"),
    "party_members": ("党员", "名"),
    "units": ("驻区单位", "家"),
    "buildings": ("楼栋", "栋"),
    "shops": ("商铺", "家"),
}
BOUNDARY_SIDES = ("东", "南", "西", "北")
FOOTER_KEYS = {"icp": "ICP 备案号", "police": "公安备案号"}

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
RECORD_NAME = re.compile(r"(\d{4}-\d{2}-\d{2})-(.+)")
# A flat number ties an honour to one home: the rule lives with the other address rules.
from .names import FLAT_NUMBER  # noqa: E402  (re-exported: content.py and scripts/new.py use it)


class Invalid(Exception):
    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Where:
    file: str
    line: int | None
    field: str
    problems: Problems
    content_dir: Path

    def at(self, field: str, line: int | None) -> "Where":
        return Where(self.file, line, field, self.problems, self.content_dir)

    def report(self, message: str, hint: str = "") -> None:
        self.problems.add(self.file, self.line, self.field, message, hint)


Normaliser = Callable[[Any, Where], Any]


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    normalise: Normaliser
    required: bool = False


# --- normalisers -------------------------------------------------------------------------

def text(value: Any, where: Where) -> str:
    if isinstance(value, bool) or value is None or isinstance(value, (list, dict)):
        raise Invalid("应为一段文字。", "直接写文字即可，例如 title: 学雷锋走访活动；含冒号的文字请加引号。")
    result = str(value).strip()
    if not result:
        raise Invalid("不能为空。", "填上内容，或删掉这一行。")
    deep = nesting_problem(result)
    if deep is not None:  # refused before Python-Markdown or jieba sees it
        raise Invalid(f"无法排版：{deep}。", NESTING_HINT)
    return result


def day(value: Any, where: Where) -> date:
    hint = "日期写成 年-月-日，月和日都用两位数字，例如 2026-03-05。"
    if not isinstance(value, str):
        raise Invalid(f"应为日期，现在是「{value}」。", hint)
    m = ISO_DATE.fullmatch(value.strip())
    if not m:
        raise Invalid(f"日期格式不对：「{value}」。", hint)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise Invalid(f"日历上没有这一天：「{value}」。", "核对月份和日期，例如 2 月没有 30 日。") from None


def flag(value: Any, where: Where) -> bool:
    if not isinstance(value, bool):
        raise Invalid(f"应为 true 或 false，现在是「{value}」。", "写 true（是）或 false（否），不加引号。")
    return value


def slug(value: Any, where: Where) -> str:
    result = text(value, where)
    if not SLUG.fullmatch(result):
        raise Invalid(f"「{result}」不是合规的英文短名。",
                      "只用小写英文字母、数字和短横线 -，例如 leifeng-visit。")
    return result


def number(value: Any, where: Where) -> float | int:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise Invalid(f"应为数字，现在是「{value}」。", "只写阿拉伯数字，不带单位，例如 20。")
    if value < 0:
        raise Invalid(f"不能是负数：{value}。", "写 0 或正数。")
    return value


def text_list(value: Any, where: Where) -> tuple[str, ...]:
    if isinstance(value, str):  # a single name is a list of one: forgiving for staff
        return (text(value, where),)
    if not isinstance(value, list):
        raise Invalid("应为一组文字。", "写成 [社区居委会, 人民医院] 的形式。")
    items = []
    for i, item in enumerate(value):
        try:
            items.append(text(item, where))
        except Invalid as exc:
            raise Invalid(f"第 {i + 1} 项{exc.message}", exc.hint) from None
    return tuple(items)


def choice(options: tuple[str, ...] | dict) -> Normaliser:
    labels = dict(options) if isinstance(options, dict) else {}
    options = tuple(options)

    def normalise(value: Any, where: Where) -> str:
        result = text(value, where)
        if result not in options:
            raise Invalid(f"「{result}」不在可选范围内。", did_you_mean(result, options))
        return result
    normalise.labels = labels  # Chinese names of the values, for the web editor's select
    return normalise


def integer_between(low: int, high: int) -> Normaliser:
    def normalise(value: Any, where: Where) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise Invalid(f"应为 {low} 到 {high} 之间的整数，现在是「{value}」。",
                          f"写一个 {low} 到 {high} 的整数。")
        return value
    return normalise


def content_file(value: Any, where: Where) -> str:
    """A path relative to content/ naming a file that exists."""
    result = text(value, where).replace("\\", "/")
    path = PurePosixPath(result)
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", result):
        raise Invalid(f"路径「{result}」应相对于 content 文件夹。", "例如 photos/2026/0305-1.jpg。")
    full = where.content_dir / result
    from .attachments import unsafe
    why = unsafe(where.content_dir, full)
    if why is not None:
        raise Invalid(f"content/{result} {why[0]}", why[1])
    if not full.is_file():
        near = _near_file(full)
        hint = f"是不是「{near}」？" if near else "确认文件已放进 content 文件夹，路径和大小写都要一致。"
        raise Invalid(f"找不到文件 content/{result}。", hint)
    return result


def _near_file(full: Path) -> str | None:
    try:
        siblings = [p.name for p in full.parent.iterdir() if p.is_file()]
    except OSError:
        return None
    guess = nearest(full.name, siblings)
    return str(PurePosixPath(full.parent.name) / guess) if guess else None


def mapping_of(fields: tuple[Field, ...], what: str) -> Normaliser:
    """A nested mapping validated by its own field table (facilities, columns…)."""
    def normalise(value: Any, where: Where) -> dict | None:
        return validate(value, fields, where, what)
    return normalise


def list_of(item: Normaliser, what: str, min_items: int = 0) -> Normaliser:
    def normalise(value: Any, where: Where) -> tuple:
        if not isinstance(value, list):
            raise Invalid(f"应为一组{what}（列表）。", "每项另起一行，以「- 」开头。")
        if len(value) < min_items:
            raise Invalid(f"至少要有 {min_items} 项{what}。", "按示例补上。")
        lines = value.lines if isinstance(value, LineList) else [where.line] * len(value)
        results = []
        for i, raw in enumerate(value):
            inner = where.at(f"{where.field}[{i}]", lines[i])
            try:
                result = item(raw, inner)
            except Invalid as exc:
                inner.report(exc.message, exc.hint)
                continue
            if result is not None:
                results.append(result)
        return tuple(results)
    return normalise


def one_or_list(item: Normaliser, what: str) -> Normaliser:
    """A list, or one item written on its own (attachments: files/a.pdf): forgiving for staff."""
    many = list_of(item, what)
    return lambda value, where: many(value if isinstance(value, list) else [value], where)


def known_numbers(table: dict[str, tuple[str, str]], what: str) -> Normaliser:
    """A mapping of known keys to numbers >= 0 (stats, figures), in the table's order."""
    def normalise(value: Any, where: Where) -> tuple[tuple[str, float], ...]:
        if not isinstance(value, dict):
            raise Invalid(f"应为{what}的「名称: 数字」列表。", "每行写一项，例如 participants: 12。")
        found = {}
        for key, raw in value.items():
            inner = where.at(f"{where.field}.{key}", _line(value, key, where))
            if key in table and _left_empty(raw):  # a number the editor's form left empty
                continue
            if key not in table:
                guess = nearest(str(key), table)
                hint = f"是不是想写「{guess}」（{table[guess][0]}）？" if guess else ""
                hint += "可用的有：" + "、".join(f"{k}（{v[0]}）" for k, v in table.items()) + "。"
                inner.report(f"不认识的{what}「{key}」。", hint)
                continue
            try:
                found[key] = number(raw, inner)
            except Invalid as exc:
                inner.report(exc.message, exc.hint)
        return tuple((k, found[k]) for k in table if k in found)
    return normalise


def sides(value: Any, where: Where) -> tuple[tuple[str, str], ...]:
    if not isinstance(value, dict):
        raise Invalid("应写成 {东: 路名, 南: 路名, 西: 路名, 北: 路名}。")
    result = []
    for key, raw in value.items():
        inner = where.at(f"{where.field}.{key}", _line(value, key, where))
        if key not in BOUNDARY_SIDES:
            inner.report(f"「{key}」不是方位。", "只能用 东、南、西、北。")
            continue
        try:
            result.append((key, text(raw, inner)))
        except Invalid as exc:
            inner.report(exc.message, exc.hint)
    return tuple(sorted(result, key=lambda kv: BOUNDARY_SIDES.index(kv[0])))


def footer(value: Any, where: Where) -> tuple[tuple[str, str], ...]:
    checked = validate(value, tuple(Field(k, v, text) for k, v in FOOTER_KEYS.items()), where, "页脚")
    return tuple((k, checked[k]) for k in FOOTER_KEYS if checked and checked.get(k))


# --- validating a mapping against a table -------------------------------------------------

def _line(mapping: Any, key: Any, where: Where) -> int | None:
    if isinstance(mapping, LineDict):
        return mapping.line_of(key)
    return where.line


def _left_empty(value: Any) -> bool:
    """Written as nothing: `key:` (None), or `key: ""`, which the web editor writes for an input
    staff cleared. Either is as if the line were left out (a required field is then missing)."""
    return value is None or (isinstance(value, str) and value == "")


def validate(data: Any, fields: tuple[Field, ...], where: Where, what: str) -> dict | None:
    """Check one mapping against its table; report every problem; None if any was bad."""
    if not isinstance(data, dict):
        where.report(f"{what}应为「字段: 值」的形式。", "按示例格式书写，每行一个字段。")
        return None
    table = {f.key: f for f in fields}
    base = f"{where.field}." if where.field else ""
    ok = True
    result: dict[str, Any] = {}
    for key in data:
        if key not in table:
            ok = False
            labels = [f"{k}" for k in table]
            where.at(f"{base}{key}", _line(data, key, where)).report(
                f"{what}里没有「{key}」这个字段。", did_you_mean(str(key), labels))
    for f in fields:
        inner = where.at(f"{base}{f.key}", _line(data, f.key, where))
        if _left_empty(data.get(f.key)):
            if f.required:
                ok = False
                line = data.line if isinstance(data, LineDict) else where.line
                where.at(f"{base}{f.key}", line).report(
                    f"缺少必填字段「{f.key}」（{f.label}）。", f"加上一行 {f.key}: ……")
            continue
        before = len(where.problems)
        try:
            result[f.key] = f.normalise(data[f.key], inner)
        except Invalid as exc:
            ok = False
            inner.report(exc.message, exc.hint)
            continue
        if len(where.problems) != before:
            ok = False
    return result if ok else None


# --- the tables ----------------------------------------------------------------------------

def photo_entry(value: Any, where: Where) -> Any:
    from .records import Photo
    if isinstance(value, str):
        value = {"file": value}
    checked = validate(value, PHOTO_FIELDS, where, "照片")
    if checked is None:
        return None
    return Photo(checked["file"], checked.get("caption", ""), checked.get("consent", False))


def attachment_entry(value: Any, where: Where) -> Any:
    """A path, or {file, title, reviewed}; what the file holds is judged by the loader."""
    from .records import Attachment
    if isinstance(value, str):
        return Attachment(content_file(value, where), field=where.field, line=where.line)
    checked = validate(value, ATTACHMENT_FIELDS, where, "附件")
    if checked is None:
        return None
    return Attachment(checked["file"], checked.get("title", ""), checked.get("reviewed", False),
                      field=where.field, line=where.line)


ATTACHMENT_FIELDS = (
    Field("file", "附件文件", content_file, required=True),
    Field("title", "链接上显示的名称", text),
    Field("reviewed", "已由工作人员检查过没有个人信息", flag),
)

PHOTO_FIELDS = (
    Field("file", "照片文件", content_file, required=True),
    Field("caption", "说明", text),
    Field("consent", "已征得本人同意", flag),
)

ACTIVITY_FIELDS = (
    Field("title", "标题", text, required=True),
    Field("date", "日期", day, required=True),
    Field("column", "栏目", text, required=True),  # checked against community.yml by the loader
    Field("summary", "摘要", text),
    Field("location", "地点", text),
    Field("organizers", "主办", text_list),
    Field("partners", "协办", text_list),
    Field("stats", "数据", known_numbers(STATS, "数据项")),
    Field("photos", "照片", list_of(photo_entry, "照片")),
    Field("cover", "封面照片", content_file),
    Field("featured", "在本季度看板置顶", flag),
    Field("publish", "发布日期", day),
    Field("draft", "草稿", flag),
    Field("consent", "已征得当事人同意", flag),
)

HONOR_FIELDS = (
    Field("title", "荣誉名称", text, required=True),
    Field("kind", "类别", choice(HONOR_KINDS), required=True),
    Field("name", "获得者", text, required=True),
    Field("stars", "星级", integer_between(1, 5)),
    Field("place", "楼栋单元", text),
    Field("date", "日期", day),
    Field("by", "授予单位", text),
    Field("level", "级别", choice(HONOR_LEVELS)),
    Field("story", "事迹", text),
    Field("photo", "照片", content_file),
    Field("consent", "已征得本人同意", flag),
)

HONORS_FILE_FIELDS = (
    Field("year", "年份", integer_between(1949, 2999), required=True),
    Field("honors", "荣誉列表", lambda v, w: v, required=True),  # items checked by the loader
)

COLUMN_FIELDS = (
    Field("slug", "英文短名", slug, required=True),
    Field("title", "栏目名称", text, required=True),
    Field("description", "说明", text),
)
FACILITY_FIELDS = (
    Field("name", "名称", text, required=True),
    Field("area_m2", "面积（平方米）", number),
    Field("hours", "开放时间", text),
    Field("note", "备注", text),
)
COMMUNITY_HONOR_FIELDS = (
    Field("year", "年份", integer_between(1949, 2999), required=True),
    Field("title", "荣誉", text, required=True),
    Field("by", "授予单位", text),
)
COMMUNITY_FIELDS = (
    Field("name", "社区名称", text, required=True),
    Field("full_name", "全称", text),
    Field("motto", "口号", text),
    Field("district", "所在区县", text),
    Field("street", "所属街道", text),
    Field("address", "地址", text),
    Field("phone", "办公电话", text),
    Field("office_hours", "办公时间", text),
    Field("figures", "概况数字", known_numbers(FIGURES, "概况数字")),
    Field("boundaries", "四至", sides),
    Field("honors", "社区荣誉", list_of(mapping_of(COMMUNITY_HONOR_FIELDS, "社区荣誉"), "社区荣誉")),
    Field("facilities", "服务设施", list_of(mapping_of(FACILITY_FIELDS, "服务设施"), "服务设施")),
    Field("columns", "宣传栏目", list_of(mapping_of(COLUMN_FIELDS, "栏目"), "栏目", min_items=1),
          required=True),
    Field("footer", "页脚", footer),
)
