"""The community's profile (社区概况): community.yml, one record, read before every other kind
(activities and events name its columns; the privacy rules allow its office phone)."""
from __future__ import annotations

from typing import Any, Mapping

from .. import schema
from ..schema import FIGURES, FOOTER_KEYS, Where, integer_between, known_numbers, list_of, mapping_of, \
    number, sides, slug, text
from .base import Field, Kind, Layout, line_in, record, values

COLUMN_FIELDS = (
    Field("slug", str, "英文短名", "栏目的英文短名，也是它的网址，例如 leifeng。", slug, required=True, public=False),
    Field("title", str, "栏目名称", "栏目的中文名，例如 学雷锋志愿服务。", text, required=True),
    Field("description", str, "说明", "栏目页上的一句说明。", text, default=""),
)
FACILITY_FIELDS = (
    Field("name", str, "名称", "设施的名称，例如 图书阅览室。", text, required=True),
    Field("area_m2", float | None, "面积（平方米）", "只写数字，例如 60。", number, default=None),
    Field("hours", str, "开放时间", "例如 每天 9:00-21:00。", text, default=""),
    Field("note", str, "备注", "例如 藏书 5000 册。", text, default=""),
)
COMMUNITY_HONOR_FIELDS = (
    Field("year", int, "年份", "获得荣誉的年份，例如 2007。", integer_between(1949, 2999), required=True),
    Field("title", str, "荣誉", "荣誉的名称，例如 省科普文明社区。", text, required=True),
    Field("by", str, "授予单位", "例如 湖南省科协。", text, default=""),
)
_FOOTER_HELP = {"icp": "网站的 ICP 备案号，例如 湘ICP备00000000号。", "police": "公安备案号，例如 湘公网安备43010302000000号。"}
FOOTER_FIELDS = tuple(Field(k, str, v, _FOOTER_HELP.get(k, ""), text, default="") for k, v in FOOTER_KEYS.items())


@record(COLUMN_FIELDS)
class Column:
    pass


@record(FACILITY_FIELDS)
class Facility:
    pass


@record(COMMUNITY_HONOR_FIELDS)
class CommunityHonor:
    pass


def footer(value: Any, where: Where) -> tuple[tuple[str, str], ...]:
    checked = schema.validate(value, FOOTER_FIELDS, where, "页脚")
    return tuple((k, checked[k]) for k in FOOTER_KEYS if checked and checked.get(k))


FIELDS = (
    Field("name", str, "社区名称", "社区的名称，例如 白沙井社区。", text, required=True),
    Field("columns", tuple[Column, ...], "宣传栏目",
          "宣传窗的栏目，按展示顺序，至少一个：{slug: 英文短名, title: 栏目名称, description: 说明}。",
          list_of(mapping_of(COLUMN_FIELDS, "栏目"), "栏目", min_items=1), required=True),
    Field("full_name", str, "全称", "居委会的全称，例如 城南路街道白沙井社区居民委员会。", text, default=""),
    Field("motto", str, "口号", "例如 以人为本，服务为民。", text, default=""),
    Field("district", str, "所在区县", "例如 长沙市天心区。", text, default=""),
    Field("street", str, "所属街道", "例如 城南路街道。", text, default=""),
    Field("address", str, "地址", "社区服务中心的地址。", text, default=""),
    Field("phone", str, "办公电话", "社区办公室的公开电话，例如 0731-8888 0000；不要写个人手机号。", text, default=""),
    Field("office_hours", str, "办公时间", "例如 周一至周五 8:30-17:30。", text, default=""),
    Field("figures", tuple[tuple[str, float], ...], "概况数字",
          "概况页上的数字，只能用：" + "、".join(f"{k}（{v[0]}）" for k, v in FIGURES.items()) + "。",
          known_numbers(FIGURES, "概况数字"), default=()),
    Field("boundaries", tuple[tuple[str, str], ...], "四至", "写成 {东: 路名, 南: 路名, 西: 路名, 北: 路名}。", sides,
          default=()),
    Field("honors", tuple[CommunityHonor, ...], "社区荣誉",
          "社区获得的荣誉：{year: 年份, title: 荣誉, by: 授予单位}。",
          list_of(mapping_of(COMMUNITY_HONOR_FIELDS, "社区荣誉"), "社区荣誉"), default=()),
    Field("facilities", tuple[Facility, ...], "服务设施",
          "服务设施：{name: 名称, area_m2: 面积, hours: 开放时间, note: 备注}。",
          list_of(mapping_of(FACILITY_FIELDS, "服务设施"), "服务设施"), default=()),
    Field("footer", tuple[tuple[str, str], ...], "页脚",
          "页脚的备案号：{icp: ICP 备案号, police: 公安备案号}。", footer, default=()),
    Field("source", str, "文件", default="content/community.yml", public=False),
)


@record(FIELDS)
class Community:
    def column(self, slug: str) -> Column | None:
        return next((c for c in self.columns if c.slug == slug), None)

    @property
    def icp(self) -> str:
        return dict(self.footer).get("icp", "")

    @property
    def police(self) -> str:
        return dict(self.footer).get("police", "")


def load(loader: Any, loaded: Mapping[str, tuple]) -> dict[str, tuple]:
    path = loader.content_dir / COMMUNITY.layout.top
    if loader.is_refused(path):
        return {"community": ()}
    if not path.is_file():
        loader.problems.add(loader.display(path), None, None, "缺少社区概况文件 community.yml。",
                            "参照说明文档的示例，写明社区名称 name 和宣传栏目 columns。")
        return {"community": ()}
    before = len(loader.problems)
    data = loader.yaml_file(path)
    if data is None:
        if len(loader.problems) == before:
            loader.problems.add(loader.display(path), None, None, "社区概况文件是空的。",
                                "至少写明社区名称 name 和宣传栏目 columns。")
        return {"community": ()}
    checked = schema.validate(data, COMMUNITY.table, loader.where(path, 1), COMMUNITY.label)
    if checked is None:
        return {"community": ()}
    # the nested mappings, checked by their tables, made into their records
    for key, cls, fields in (("columns", Column, COLUMN_FIELDS), ("honors", CommunityHonor, COMMUNITY_HONOR_FIELDS),
                             ("facilities", Facility, FACILITY_FIELDS)):
        if key in checked:
            checked[key] = tuple(cls(**values(fields, c)) for c in checked[key])
    seen: set[str] = set()
    for i, column in enumerate(checked["columns"]):
        if column.slug in seen:
            loader.problems.add(loader.display(path), line_in(data, "columns", i), f"columns[{i}].slug",
                                f"栏目短名「{column.slug}」重复。", "每个栏目用不同的短名。")
        seen.add(column.slug)
    return {"community": (Community(source=loader.display(path), **values(FIELDS, checked)),)}


def columns(loaded: Mapping[str, tuple]) -> tuple[str, ...] | None:
    """The column slugs of community.yml in display order, for the kinds that name one; None
    when community.yml could not be read (its own problem is reported; no second one)."""
    community = next(iter(loaded.get("community", ())), None)
    return tuple(c.slug for c in community.columns) if community is not None else None


def search(content: Any) -> list:
    from ..search import SearchDoc
    com = content.community
    # The facts as the About page labels them, so 地址, 办公时间 and 办公电话 find it.
    facts = [f"{label} {value}" for label, value in (
        ("所在区县", com.district), ("所属街道", com.street), ("地址", com.address),
        ("办公时间", com.office_hours), ("办公电话", com.phone)) if value]
    return [SearchDoc(COMMUNITY.path(com), com.full_name or com.name, "关于", "",
                      " ".join(facts + [com.motto] + [f.name for f in com.facilities]))]


COMMUNITY = Kind("community", "社区概况", Layout("community.yml", "community.yml"), FIELDS, Community,
                 url=lambda c: "/about/", load=load, search=search,
                 parts=(("columns", COLUMN_FIELDS), ("honors", COMMUNITY_HONOR_FIELDS), ("facilities", FACILITY_FIELDS),
                        ("footer", FOOTER_FIELDS)))
