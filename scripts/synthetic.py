"""A deterministic synthetic community: a complete `content/` tree for tests and benchmarks.

    python scripts/synthetic.py OUT_DIR --activities 2000 [--seed 1] [--photos 0]

writes OUT_DIR/content/ following /work/shared/content-format.md: community.yml with five
columns, activities at 4-6 a week (like a large street office) ending on the as-of date,
honours (about 1 per 10 activities, every kind), slogans (about 1 per 50), notices (about 1
per 8, all five kinds, some expiring) and board files for some quarters.

Same arguments give the same bytes: one `random.Random(seed)`, no clock, no set iteration.
The text passes the privacy rules on purpose: no personal numbers and no long digit runs, no
person named in an activity or notice, hardship words (低保, 残疾, 困难家庭) only with counts.
YAML is written by hand, not with `yaml.dump`, so that 10,000 activities take about a second.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

DEFAULT_END = date(2026, 11, 25)  # the benchmark's BOARD_AS_OF
PER_WEEK = 5.0  # a large street office posts 4-6 activities a week

COLUMNS = (
    ("leifeng", "学雷锋志愿服务", "三月学雷锋与常态志愿服务"),
    ("festivals", "传统节日", "春节、元宵、端午、中秋、重阳等节日活动"),
    ("environment", "环境整治", "清洁家园、垃圾分类与背街小巷整治"),
    ("classroom", "社区课堂", "讲座、培训与兴趣课程"),
    ("safety", "平安建设", "消防、防诈骗、防汛与治安巡逻"),
)

# (title, ASCII slug) per column; festivals are chosen by month below.
TITLES = {
    "leifeng": [
        ("学雷锋走访困难家庭", "leifeng-visit"),
        ("志愿者为老人义务理发", "free-haircut"),
        ("学雷锋义诊进社区", "free-clinic"),
        ("志愿服务队清理楼道小广告", "clean-ads"),
        ("党员志愿者上门送温暖", "party-visit"),
        ("学雷锋便民服务集市", "service-fair"),
        ("青年志愿者陪伴空巢老人", "elderly-company"),
        ("“雷锋超市”爱心物资捐赠", "charity-shop"),
        ("义务维修家电服务日", "repair-day"),
        ("关爱留守儿童志愿活动", "children-care"),
        ("志愿者助力无偿献血", "blood-drive"),
        ("爱心助残志愿服务", "disability-help"),
    ],
    "environment": [
        ("环境卫生大扫除", "big-clean"),
        ("背街小巷环境整治", "alley-cleanup"),
        ("垃圾分类宣传进楼栋", "waste-sorting"),
        ("清理卫生死角专项行动", "dead-corners"),
        ("社区绿化补植活动", "tree-planting"),
        ("文明养犬宣传", "dog-owners"),
        ("楼道杂物清理行动", "stairwell-clear"),
        ("共享单车规范停放整治", "bike-parking"),
        ("爱国卫生月灭蚊行动", "mosquito-control"),
        ("河道沿岸捡拾垃圾", "riverside-litter"),
        ("旧衣物回收再利用", "clothes-recycling"),
    ],
    "classroom": [
        ("社区大课堂：智能手机使用培训", "smartphone-class"),
        ("老年人防诈骗知识讲座", "anti-fraud-talk"),
        ("亲子阅读分享会", "family-reading"),
        ("中医养生知识讲座", "tcm-health"),
        ("书法兴趣班开课", "calligraphy"),
        ("暑期少儿托管班", "summer-care"),
        ("心理健康讲座", "mental-health"),
        ("营养膳食讲座", "nutrition-talk"),
        ("法律知识进社区", "law-class"),
        ("非遗剪纸体验课", "paper-cutting"),
        ("急救知识培训", "first-aid"),
    ],
    "safety": [
        ("消防安全应急演练", "fire-drill"),
        ("防范电信网络诈骗宣传", "anti-fraud"),
        ("燃气安全入户检查", "gas-check"),
        ("电动自行车充电安全宣传", "ebike-charging"),
        ("防汛应急演练", "flood-drill"),
        ("禁毒宣传进社区", "anti-drug"),
        ("交通安全知识讲座", "traffic-safety"),
        ("夜间平安巡逻", "night-patrol"),
        ("高空抛物专项宣传", "falling-objects"),
        ("沿街商铺安全生产检查", "shop-inspection"),
    ],
}

FESTIVALS = {
    1: [("迎新春写春联送福字", "spring-couplets"), ("包饺子迎新春", "dumplings")],
    2: [("元宵节猜灯谜游园会", "lantern-riddles"), ("新春邻里联欢会", "new-year-party")],
    3: [("三八妇女节插花活动", "womens-day"), ("植树节义务植树", "arbor-day")],
    4: [("清明节缅怀革命先烈", "qingming"), ("清明文明祭扫宣传", "qingming-civil")],
    5: [("五一劳动者座谈会", "labour-day"), ("母亲节感恩活动", "mothers-day")],
    6: [("端午节包粽子邻里情", "dragon-boat"), ("六一儿童节游园活动", "childrens-day")],
    7: [("七一党员重温入党誓词", "party-day"), ("建党节红色观影", "red-film")],
    8: [("八一走访慰问退役军人", "army-day"), ("七夕邻里联谊会", "qixi")],
    9: [("中秋节月饼传情", "mid-autumn"), ("教师节致敬老教师", "teachers-day")],
    10: [("国庆升旗仪式", "national-day"), ("重阳节敬老爱老", "double-ninth")],
    11: [("重阳敬老百家宴", "elders-banquet"), ("立冬邻里火锅宴", "winter-start")],
    12: [("冬至饺子宴", "winter-solstice"), ("迎新年文艺汇演", "new-year-show")],
}

PLACES = ["社区服务中心", "社区党群服务中心", "社区文化广场", "社区新时代文明实践站", "社区图书阅览室",
          "小区中心花园", "社区多功能活动室", "社区老年活动中心", "社区居委会会议室", "辖区各小区"]
ORGANIZERS = ["社区居委会", "社区党委", "社区新时代文明实践站", "社区志愿服务队", "社区妇联",
              "社区团支部", "社区关工委", "社区网格站"]
PARTNERS = ["区人民医院", "街道社区卫生服务中心", "辖区派出所", "区消防救援大队", "白沙路第一小学",
            "区图书馆", "区司法局", "街道城管中队", "物业服务中心", "辖区共建单位", "区税务局",
            "银行营业网点", "区文化馆", "区红十字会"]
TIMES = ["上午", "下午", "晚上"]

PURPOSES = {
    "leifeng": ["传承雷锋精神，弘扬志愿服务风尚", "把关爱送到居民家门口", "营造邻里互助、人人参与的良好氛围"],
    "festivals": ["弘扬中华优秀传统文化", "增进邻里感情，营造欢乐祥和的节日氛围", "让居民在家门口感受浓浓的节日气息"],
    "environment": ["改善社区人居环境", "巩固文明城市创建成果", "引导居民养成文明卫生的好习惯"],
    "classroom": ["丰富居民精神文化生活", "提升居民的知识水平和生活技能", "让居民在家门口享受优质课程"],
    "safety": ["增强居民的安全防范意识", "筑牢社区平安防线", "切实保障居民生命财产安全"],
}
PROCESS = {
    "leifeng": ["志愿者们分成几个小组，逐楼逐户上门，了解居民的实际需求", "现场设置了健康咨询、义务理发、家电维修等服务摊位",
                "志愿者们耐心细致地为居民提供服务，现场秩序井然", "活动还为辖区低保家庭和残疾人家庭送去了米、油等生活物资"],
    "festivals": ["居民们围坐在一起，边做边聊，欢声笑语不断", "文艺骨干表演了歌舞、快板和戏曲等精彩节目",
                  "小朋友们在家长的陪同下认真参与，体验传统习俗", "社区工作人员向居民讲解节日的由来和传统习俗"],
    "environment": ["大家拿起扫帚、铁锹和夹子，对绿化带、楼道和背街小巷进行了全面清理", "工作人员向居民发放垃圾分类宣传资料，并现场演示分类方法",
                    "对乱堆乱放、乱贴乱画等问题进行了集中整治", "物业公司安排专人对清理出的垃圾及时清运"],
    "classroom": ["授课老师结合生活中的实例，深入浅出地讲解相关知识", "课堂上设置了互动问答环节，居民们踊跃提问",
                  "老师手把手地指导大家操作练习，气氛热烈", "课后居民们纷纷表示收获很大，希望多举办这样的课程"],
    "safety": ["工作人员通过案例讲解、现场演示等方式普及安全知识", "居民们在指导下亲手操作灭火器，掌握了正确的使用方法",
               "工作人员逐户检查燃气管道和电线线路，排查安全隐患", "现场发放宣传手册，并提醒居民提高警惕、守好钱袋子"],
}
ITEMS = {
    "leifeng": ["上门走访慰问", "义诊和健康咨询", "义务理发", "小家电维修", "政策咨询", "心理疏导", "代购代办服务"],
    "festivals": ["传统习俗讲解", "亲子手工制作", "文艺节目表演", "猜灯谜", "包饺子、包粽子", "赠送节日礼包"],
    "environment": ["清理楼道杂物", "清除小广告", "绿化带捡拾垃圾", "垃圾分类指导", "清理积水容器", "规范停放非机动车"],
    "classroom": ["知识讲解", "案例分析", "现场互动问答", "动手实践", "发放学习资料", "课后答疑"],
    "safety": ["安全知识讲座", "灭火器使用演示", "入户隐患排查", "发放宣传手册", "应急疏散演练", "签订安全承诺书"],
}
CLOSINGS = ["下一步，社区将继续常态化开展此类活动，不断提升居民的获得感、幸福感和安全感。",
            "此次活动得到了居民的一致好评，大家纷纷表示希望社区多组织类似的活动。",
            "社区将以此次活动为契机，持续完善服务机制，把好事实事办到居民心坎上。",
            "活动虽然结束了，但服务不会停止，社区将把这份热情延续到日常工作中。"]
BOLD = ["人人为我，我为人人", "社区是我家，建设靠大家", "安全无小事，防范靠大家", "文明从点滴做起",
        "守望相助，共建和谐家园", "垃圾分类，从我做起"]

SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤施"
GIVEN = "建国华明伟芳秀英丽军强敏静海燕平刚桂兰志红玉梅福生德林春霞文杰国庆淑珍爱民凤云立新宏亮俊宇晓东"

HONOR_KINDS = {
    "family": [("星级文明家庭", True), ("最美家庭", False), ("五好家庭", False), ("书香家庭", False)],
    "person": [("优秀志愿者", False), ("身边好人", False), ("道德模范", False), ("好婆婆", False)],
    "building": [("文明楼栋", False), ("美丽楼道", False), ("星级楼栋", True)],
    "unit": [("共建先进单位", False), ("爱心商户", False), ("文明单位", False)],
    "team": [("优秀志愿服务队", False), ("先进文艺队", False), ("优秀巡逻队", False)],
}
UNITS = ["白沙路第一小学", "区人民医院", "城南邮政支局", "桂花园幼儿园", "惠民超市", "老街面馆", "平安药房",
         "区图书馆", "社区卫生服务站", "城南供电所", "新华书店城南店", "物业服务中心"]
TEAMS = ["夕阳红志愿服务队", "红袖章巡逻队", "银发文艺队", "巾帼志愿服务队", "青年突击队", "腰鼓队", "合唱团",
         "太极拳队", "义务理发队", "法律服务队"]
LEVELS = ["社区", "社区", "街道", "区", "市", "省"]
HONOR_STORIES = ["多年来热心公益，积极参加社区志愿服务，带动身边邻居一起参与。",
                 "家庭和睦，尊老爱幼，邻里关系融洽，是楼栋里公认的好榜样。",
                 "坚持义务打扫楼道、照看公共设施，默默为邻居们服务。",
                 "在文明城市创建中表现突出，主动劝导不文明行为。"]

# Slogans are built from phrases of one theme, so that they read as one thought.
SLOGANS = {
    "邻里互助": ["邻里守望", "大家相帮", "各献其爱", "共享幸福", "守望相助", "远亲不如近邻", "和睦相处", "互帮互助"],
    "文明创建": ["文明创建", "人人参与", "和谐社区", "共建共享", "文明新风", "移风易俗", "崇德向善", "见贤思齐"],
    "垃圾分类": ["垃圾分类", "从我做起", "爱护环境", "绿色生活", "变废为宝", "清洁家园", "低碳出行"],
    "平安建设": ["平安社区", "携手共建", "安全第一", "预防为主", "群防群治", "守护家园", "警民同心"],
    "敬老孝亲": ["敬老爱老", "弘扬美德", "孝老爱亲", "百善孝为先", "老有所养", "老有所乐", "尊老爱幼"],
    "志愿服务": ["志愿服务", "温暖你我", "奉献爱心", "传递温暖", "人人为我", "我为人人", "学习雷锋"],
    "健康生活": ["全民健身", "健康生活", "合理膳食", "适量运动", "戒烟限酒", "心理平衡", "健康你我"],
}
MAXIMS = ["家和万事兴", "忠厚传家久，诗书继世长", "勤俭持家，孝老爱亲", "百善孝为先", "一粥一饭，当思来处不易",
          "邻里和睦，守望相助", "读书明理，诚实做人", "爱国守法，明礼诚信", "耕读传家，勤俭立身", "和睦相处，尊老爱幼"]

NOTICE_KINDS = {
    "通知公告": [("停水通知", "water-outage"), ("关于开展燃气安全入户检查的通知", "gas-check-notice"),
                 ("关于清理楼道杂物的通知", "stairwell-notice"), ("关于开展人口信息采集的通知", "census-notice"),
                 ("电梯维修保养通知", "lift-service")],
    "居务公开": [("社区居务公开", "affairs"), ("社区民生实事项目公示", "livelihood-projects"),
                 ("社区居民议事会决议公开", "council-decisions")],
    "财务公开": [("社区财务收支公开", "finance"), ("社区公益基金使用情况公开", "charity-fund")],
    "党务公开": [("社区党委党务公开", "party-affairs"), ("社区党费收缴情况公开", "party-dues")],
    "政策宣传": [("城乡居民医保参保缴费政策解读", "medical-insurance"), ("低保政策问答", "dibao-policy"),
                 ("残疾人两项补贴政策解读", "disability-subsidy"), ("老年人优待政策宣传", "elderly-benefits"),
                 ("垃圾分类管理条例宣传", "waste-rules")],
}
QUARTER_CN = "一二三四"
VOICES = ["参加活动的居民纷纷表示，这样的活动办到了大家的心坎上，既实用又暖心，希望社区以后多组织。",
          "一位在小区住了三十多年的老居民感慨地说：“社区的变化大家都看在眼里，我们也要出一份力。”",
          "不少年轻人也带着孩子一起参加，大家在活动中增进了了解，邻里之间的距离拉近了。",
          "志愿者们表示，能为邻居们做点事情很有意义，今后会继续参加社区的志愿服务。"]
REVIEWS = ["据统计，今年以来社区已累计开展各类志愿服务和宣传活动数十场，服务居民上千人次，形成了“有需求就有服务”的良好局面。",
           "活动结束后，社区工作人员对居民提出的意见和建议进行了梳理登记，能当场解决的当场解决，不能当场解决的建立台账、限期办理。",
           "为了办好这次活动，社区提前一周通过楼栋长、居民微信群和宣传栏发布通知，并对场地、物资和人员分工作了细致安排。",
           "在共建单位的大力支持下，活动内容更加丰富，服务更加专业，真正把资源送到了居民身边。",
           "活动现场气氛热烈，不少居民一直待到活动结束，还主动帮忙收拾场地、整理物资，展现了良好的社区风貌。",
           "社区党委书记在活动中强调，要坚持以居民需求为导向，把服务做细做实，让居民在家门口就能感受到党和政府的温暖。",
           "下一步，社区将进一步整合辖区资源，动员更多党员、志愿者和共建单位参与进来，推动服务从“有没有”向“好不好”转变。"]
BACKGROUND = {
    "leifeng": "近年来，社区持续推进志愿服务常态化，组建了多支志愿服务队伍，定期开展走访、义诊、义剪等便民服务。",
    "festivals": "传统节日是传承中华文化的重要载体，社区每逢佳节都会组织丰富多彩的活动，让居民过一个热闹、祥和的节日。",
    "environment": "社区老旧小区多、背街小巷多，环境卫生一直是居民关心的问题，社区坚持每月开展集中整治，努力做到常态长效。",
    "classroom": "社区大课堂开办以来，围绕居民需求设置课程，邀请专业老师授课，已成为居民家门口的学习平台。",
    "safety": "社区坚持把平安建设放在重要位置，联合辖区派出所、消防救援站等单位，常态化开展安全宣传和隐患排查。",
}
BOARD_THEMES = {1: "迎新春 · 学雷锋", 2: "文明创建 · 绿色家园", 3: "平安夏季 · 防汛安全", 4: "敬老爱老 · 幸福社区"}


@dataclass(frozen=True)
class _Activity:
    id: str
    day: date
    column: str
    title: str
    draft: bool
    publish: date | None


# --- YAML scalars: quote only what YAML would misread ------------------------------------

_PLAIN = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”·—A-Za-z0-9 _.\-]+")
_NOT_PLAIN = re.compile(r"[-?:,\[\]{}#&*!|>'\"%@`\s]|\d|(true|false|yes|no|on|off|null|~)$", re.I)


def _q(text: str) -> str:
    """A YAML scalar for `text`: plain when safe, else a JSON string (valid YAML)."""
    if _PLAIN.fullmatch(text) and not _NOT_PLAIN.match(text) and ": " not in text and " #" not in text:
        return text
    return json.dumps(text, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(_q(i) for i in items) + "]"


# --- picking --------------------------------------------------------------------------------

def _column_for(rng: random.Random, day: date) -> str:
    # March is 学雷锋月; festival months weigh festivals up; summer weighs safety (防汛) up.
    weights = {"leifeng": 2, "festivals": 1.5, "environment": 2, "classroom": 2, "safety": 2}
    if day.month == 3:
        weights["leifeng"] = 6
    if day.month in (1, 2, 6, 9, 10):
        weights["festivals"] = 4
    if day.month in (6, 7, 8):
        weights["safety"] = 3
    names = [c[0] for c in COLUMNS]
    return rng.choices(names, weights=[weights[n] for n in names])[0]


def _title_for(rng: random.Random, column: str, day: date) -> tuple[str, str]:
    if column == "festivals":
        return rng.choice(FESTIVALS[day.month])
    return rng.choice(TITLES[column])


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _stats(rng: random.Random, column: str) -> dict[str, int]:
    stats: dict[str, float] = {"participants": rng.randint(12, 180), "volunteers": rng.randint(3, 40)}
    if column == "leifeng" and rng.random() < 0.6:
        stats["households_visited"] = rng.randint(5, 60)
        stats["beneficiaries"] = rng.randint(10, 150)
    if column == "leifeng" and rng.random() < 0.2:
        stats["donations_yuan"] = rng.randrange(500, 30000, 100)
    if rng.random() < 0.7:
        stats["hours"] = rng.choice((1, 1.5, 2, 2.5, 3, 4))
    return stats


def _body(rng: random.Random, a: _Activity, place: str, organizer: str, stats: dict) -> str:
    """300-800 characters: paragraphs, a list, bold, sometimes a table."""
    col = a.column
    intro = (f"{a.day.month}月{a.day.day}日{rng.choice(TIMES)}，{organizer}在{place}开展“{a.title}”活动，"
             f"{rng.choice(PURPOSES[col])}。共有 {stats['participants']} 名居民参加，"
             f"{stats['volunteers']} 名志愿者提供服务。")
    steps = rng.sample(PROCESS[col], 3)
    middle = f"活动中，{steps[0]}。{steps[1]}，**{rng.choice(BOLD)}**的理念深入人心。{steps[2]}。"
    items = rng.sample(ITEMS[col], rng.randint(3, 5))
    listing = "本次活动的主要内容：\n\n" + "\n".join(f"- {i}" for i in items)
    parts = [intro, middle, listing]
    if rng.random() < 0.3:
        rows = [("参与居民", f"{stats['participants']} 人"), ("志愿者", f"{stats['volunteers']} 人次")]
        if "households_visited" in stats:
            rows.append(("走访户数", f"{stats['households_visited']} 户"))
        if "hours" in stats:
            rows.append(("服务时长", f"{stats['hours']} 小时"))
        parts.append("| 项目 | 数量 |\n| --- | --- |\n" + "\n".join(f"| {k} | {v} |" for k, v in rows))
    # Grow towards a target length drawn from 300-800 with paragraphs staff typically add.
    target = rng.randint(300, 800)
    extras = [BACKGROUND[col], *rng.sample(VOICES, 2), *rng.sample(REVIEWS, 3)]
    rng.shuffle(extras)
    closing = f"{rng.choice(PURPOSES[col])}是社区工作的重要内容。" + rng.choice(CLOSINGS)
    while extras and len("\n\n".join(parts)) + len(closing) + len(extras[-1]) < target:
        parts.insert(rng.randint(1, len(parts)), extras.pop())
    parts.append(closing)
    body = "\n\n".join(parts)
    while len(body) < 300:
        body += "\n\n" + rng.choice(CLOSINGS)
    return body + "\n"


def _activity_text(rng: random.Random, a: _Activity, photos: list[str]) -> str:
    organizer = rng.choice(ORGANIZERS)
    # not "社区居委会在社区居委会会议室": the place must not repeat the organizer's name
    place = rng.choice([p for p in PLACES if not p.startswith(organizer)])
    stats = _stats(rng, a.column)
    body = _body(rng, a, place, organizer, stats)
    lines = ["---", f"title: {_q(a.title)}", f"date: {a.day.isoformat()}", f"column: {a.column}"]
    if rng.random() < 0.8:
        summary = f"{organizer}在{place}开展{a.title}活动，{stats['participants']} 名居民参加"
        lines.append(f"summary: {_q(summary)}")
    lines.append(f"location: {_q(place)}")
    lines.append(f"organizers: {_flow([organizer])}")
    if rng.random() < 0.5:
        lines.append(f"partners: {_flow(rng.sample(PARTNERS, rng.randint(1, 2)))}")
    lines.append("stats:")
    lines.extend(f"  {k}: {v}" for k, v in stats.items())
    if photos:
        lines.append("photos:")
        lines.extend(f"  - {{file: {p}, caption: {_q(a.title + '现场')}, consent: true}}" for p in photos)
    if rng.random() < 0.05:
        lines.append("featured: true")
    if a.publish:
        lines.append(f"publish: {a.publish.isoformat()}")
    if a.draft:
        lines.append("draft: true")
    lines.append("---")
    return "\n".join(lines) + "\n" + body


def _plan_activities(rng: random.Random, n: int, end: date) -> list[_Activity]:
    """n activities at about PER_WEEK a week, the last ones in the days before `end`."""
    span = max(1, round(n * 7 / PER_WEEK))
    start = end - timedelta(days=span - 1)
    days = sorted(start + timedelta(days=rng.randrange(span)) for _ in range(n))
    taken: set[str] = set()
    out = []
    for day in days:
        column = _column_for(rng, day)
        title, slug = _title_for(rng, column, day)
        base = f"{day.isoformat()}-{slug}"
        ident, k = base, 2
        while ident in taken:
            ident, k = f"{base}-{k}", k + 1
        taken.add(ident)
        draft = rng.random() < 0.01
        publish = day + timedelta(days=rng.randint(1, 3)) if rng.random() < 0.1 else None
        out.append(_Activity(ident, day, column, title, draft, publish))
    return out


# --- the other records ----------------------------------------------------------------------

def _community_text() -> str:
    cols = "\n".join(f"  - {{slug: {s}, title: {t}, description: {d}}}" for s, t, d in COLUMNS)
    return f"""name: 桂花园社区
full_name: 城南路街道桂花园社区居民委员会
motto: 以人为本，服务为民
district: 长沙市天心区
street: 城南路街道
address: 桂花路 8 号社区服务中心
phone: 0731-8888 0000
office_hours: 周一至周五 8:30-17:30
figures:
  area_km2: 1.2
  households: 4816
  residents: 12530
  party_members: 188
  units: 46
  buildings: 92
  shops: 215
boundaries: {{东: 芙蓉中路, 南: 劳动西路, 西: 桂花路, 北: 城南中路}}
honors:
  - {{year: 2012, title: 省级文明社区, by: 湖南省文明委}}
  - {{year: 2019, title: 市级平安社区, by: 长沙市委政法委}}
facilities:
  - {{name: 图书阅览室, area_m2: 80, hours: 每天 9:00-21:00, note: 藏书 8000 册}}
  - {{name: 老年活动中心, area_m2: 200, hours: 每天 8:00-20:00}}
  - {{name: 多功能活动室, area_m2: 120, hours: 按活动安排开放}}
columns:
{cols}
footer: {{icp: 湘ICP备00000000号}}
"""


def _honors_by_year(rng: random.Random, n: int, years: list[int], end: date) -> dict[int, list[str]]:
    kinds = list(HONOR_KINDS)
    taken: set[tuple] = set()
    by_year: dict[int, list[str]] = {}
    for i in range(n):
        kind = kinds[i] if i < len(kinds) else rng.choice(kinds)  # every kind at least once
        year = rng.choice(years)
        title, starred = rng.choice(HONOR_KINDS[kind])
        for _ in range(20):
            if kind == "family":
                name = _person(rng) + "家庭"
            elif kind == "person":
                name = _person(rng)
            elif kind == "building":
                name = f"{rng.randint(1, 92)}栋"
            elif kind == "unit":
                name = rng.choice(UNITS)
            else:
                name = rng.choice(TEAMS)
            if (year, title, name) not in taken:
                break
        taken.add((year, title, name))
        lines = [f"  - title: {_q(title)}", f"    kind: {kind}", f"    name: {_q(name)}"]
        if starred:
            lines.append(f"    stars: {rng.randint(3, 5)}")
        if kind in ("family", "person"):
            lines.append(f"    place: {rng.randint(1, 92)}栋{rng.randint(1, 4)}单元")
        last = min(date(year, 12, 31), end)
        if rng.random() < 0.8:
            first = date(year, 1, 1)
            lines.append(f"    date: {(first + timedelta(days=rng.randrange((last - first).days + 1))).isoformat()}")
        lines.append(f"    by: {rng.choice(('社区居委会', '城南路街道', '区文明办'))}")
        lines.append(f"    level: {rng.choice(LEVELS)}")
        has_story = rng.random() < 0.5
        if has_story:
            lines.append(f"    story: {_q(name + rng.choice(HONOR_STORIES))}")
        if has_story or kind in ("family", "person"):  # a name or story of a person needs consent
            lines.append("    consent: true")
        by_year.setdefault(year, []).append("\n".join(lines))
    return by_year


def _slogans(rng: random.Random, n: int, years: list[int]) -> tuple[list[tuple[str, date | None, date | None]], str]:
    taken: set[str] = set()
    slogans = []
    lines = ["slogans:"]
    while len(slogans) < n:
        theme = rng.choice(list(SLOGANS))
        text = "，".join(rng.sample(SLOGANS[theme], rng.choice((2, 4))))
        if text in taken:
            continue
        taken.add(text)
        start = end = None
        lines.append(f"  - text: {_q(text)}")
        lines.append(f"    theme: {theme}")
        if rng.random() < 0.6:
            year = rng.choice(years)
            start, end = date(year, 1, 1), date(year, 12, 31)
            lines.append(f"    from: {start.isoformat()}")
            lines.append(f"    until: {end.isoformat()}")
        slogans.append((text, start, end))
    lines.append("maxims:")
    for i in range(max(1, n // 2)):
        lines.append(f"  - {{text: {_q(MAXIMS[i % len(MAXIMS)])}, by: {_q(_person(rng) + '家庭')}}}")
    return slogans, "\n".join(lines) + "\n"


def _notice_text(rng: random.Random, kind: str, title: str, day: date, expires: date | None) -> str:
    lines = ["---", f"title: {_q(title)}", f"date: {day.isoformat()}", f"kind: {kind}"]
    if expires:
        lines.append(f"expires: {expires.isoformat()}")
    lines.append("---")
    quarter = QUARTER_CN[(day.month - 1) // 3]
    if kind == "财务公开":
        income, spent = rng.randint(20000, 300000), rng.randint(10000, 200000)
        body = (f"现将社区 {day.year} 年第{quarter}季度财务收支情况公开如下，请居民监督。\n\n"
                f"| 项目 | 金额（元） |\n| --- | --- |\n| 本期收入 | {income} |\n| 本期支出 | {spent} |\n"
                f"| 期末结余 | {income - spent} |\n\n如有疑问，请于工作时间到社区居委会咨询。\n")
    elif kind == "政策宣传":
        body = (f"为让居民及时了解惠民政策，现将**{title}**的要点宣传如下：\n\n"
                "- 申请对象和条件以相关部门公布的为准\n- 申请材料可到社区服务中心窗口咨询\n- 办理结果将按规定公示\n\n"
                "符合条件的居民可在工作日到社区服务中心办理，社区将提供帮办代办服务。\n")
    elif kind == "通知公告":
        when = day + timedelta(days=rng.randint(1, 10))
        body = (f"各位居民：\n\n社区定于 {when.month}月{when.day}日 开展相关工作，届时请大家予以配合。"
                "给您带来的不便，敬请谅解。\n\n**特此通知。**\n")
    else:
        body = (f"根据有关规定，现将社区 {day.year} 年第{quarter}季度{kind}事项公示如下：\n\n"
                "1. 社区重点工作推进情况\n2. 居民意见建议办理情况\n3. 下一阶段工作安排\n\n"
                "公示期间如有意见，请到社区居委会反映。\n")
    return "\n".join(lines) + "\n" + body


def _board_text(rng: random.Random, quarter: int, featured: list[str], slogans: list[str]) -> str:
    lines = [f"theme: {_q(BOARD_THEMES[quarter])}", f"featured: {_flow(featured)}"]
    if slogans:
        lines.append(f"slogans: {_flow(slogans)}")
    return "\n".join(lines) + "\n"


def _jpeg(rng: random.Random) -> bytes:
    from io import BytesIO

    from PIL import Image  # only when photos are asked for

    img = Image.new("RGB", (64, 48), tuple(rng.randrange(256) for _ in range(3)))
    buf = BytesIO()
    img.save(buf, "JPEG", quality=80)
    return buf.getvalue()


# --- writing ---------------------------------------------------------------------------------

def _write(path: Path, text: str, counter: list[int]) -> None:
    data = text.encode("utf-8")
    path.write_bytes(data)
    counter[0] += 1
    counter[1] += len(data)


def generate(root: Path, activities: int, seed: int = 1, *, end: date = DEFAULT_END, photos: int = 0) -> dict:
    """Write root/content/ with `activities` activities and the other records in proportion.

    Returns the counts written. Refuses to write into a non-empty root/content.
    `photos` > 0 adds that many tiny JPEGs, spread evenly over the activities.
    """
    if activities < 1:
        raise ValueError("activities must be >= 1")
    content = Path(root) / "content"
    if content.exists() and any(content.iterdir()):
        raise FileExistsError(f"{content} is not empty")
    rng = random.Random(seed)
    plan = _plan_activities(rng, activities, end)
    years = sorted({a.day.year for a in plan})
    counter = [0, 0]
    for sub in ("activities", "honors", "notices", "boards"):
        (content / sub).mkdir(parents=True, exist_ok=True)
    for y in years:
        (content / "activities" / str(y)).mkdir(exist_ok=True)

    _write(content / "community.yml", _community_text(), counter)

    photo_every = max(1, activities // photos) if photos else 0
    n_photos = 0
    for i, a in enumerate(plan):
        files = []
        if photo_every and i % photo_every == 0 and n_photos < photos:
            rel = f"photos/{a.day.year}/{a.id}-1.jpg"
            (content / "photos" / str(a.day.year)).mkdir(parents=True, exist_ok=True)
            (content / rel).write_bytes(_jpeg(rng))
            n_photos += 1
            files.append(rel)
        _write(content / "activities" / str(a.day.year) / f"{a.id}.md", _activity_text(rng, a, files), counter)

    n_honors = max(len(HONOR_KINDS), round(activities / 10))
    honors = _honors_by_year(rng, n_honors, [a.day.year for a in plan], end)
    for year in sorted(honors):
        _write(content / "honors" / f"{year}.yml", f"year: {year}\nhonors:\n" + "\n".join(honors[year]) + "\n", counter)

    slogans, slogan_text = _slogans(rng, max(1, round(activities / 50)), years)
    _write(content / "slogans.yml", slogan_text, counter)

    n_notices = max(len(NOTICE_KINDS), round(activities / 8))
    kinds = list(NOTICE_KINDS)
    span = (plan[-1].day - plan[0].day).days + 1
    notice_ids: set[str] = set()
    for i in range(n_notices):
        kind = kinds[i] if i < len(kinds) else rng.choice(kinds)  # every kind at least once
        day = plan[0].day + timedelta(days=rng.randrange(span))
        title, slug = rng.choice(NOTICE_KINDS[kind])
        if kind in ("居务公开", "财务公开", "党务公开"):
            title = f"{day.year}年第{QUARTER_CN[(day.month - 1) // 3]}季度{title}"
        ident, k = f"{day.isoformat()}-{slug}", 2
        while ident in notice_ids:
            ident, k = f"{day.isoformat()}-{slug}-{k}", k + 1
        notice_ids.add(ident)
        expires = day + timedelta(days=rng.randint(7, 60)) if rng.random() < 0.4 else None
        _write(content / "notices" / f"{ident}.md", _notice_text(rng, kind, title, day, expires), counter)

    # Boards for about a third of the quarters, always for the current one.
    by_quarter: dict[tuple[int, int], list[_Activity]] = {}
    for a in plan:
        if not a.draft and a.publish is None:
            by_quarter.setdefault((a.day.year, (a.day.month - 1) // 3 + 1), []).append(a)
    quarters = sorted(by_quarter)
    n_boards = 0
    for q in quarters:
        if q != quarters[-1] and rng.random() >= 0.33:
            continue
        year, quarter = q
        q_start, q_end = date(year, 3 * quarter - 2, 1), date(year + (quarter == 4), 3 * quarter % 12 + 1, 1)
        featured = [a.id for a in rng.sample(by_quarter[q], min(2, len(by_quarter[q])))]
        active = [t for t, f, u in slogans if f is None or (f < q_end and u >= q_start)]
        chosen = rng.sample(active, min(2, len(active)))
        _write(content / "boards" / f"{year}-q{quarter}.yml", _board_text(rng, quarter, featured, chosen), counter)
        n_boards += 1

    return {
        "activities": activities,
        "drafts": sum(a.draft for a in plan),
        "honors": n_honors,
        "slogans": len(slogans),
        "maxims": max(1, len(slogans) // 2),
        "notices": n_notices,
        "boards": n_boards,
        "photos": n_photos,
        "years": [years[0], years[-1]],
        "files": counter[0] + n_photos,
        "bytes": counter[1],
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description="Write a deterministic synthetic content/ tree.")
    p.add_argument("out_dir", type=Path, help="writes OUT_DIR/content/")
    p.add_argument("--activities", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--photos", type=int, default=0, help="tiny JPEGs to attach (default 0)")
    p.add_argument("--end", type=date.fromisoformat, default=DEFAULT_END, help="last possible date (YYYY-MM-DD)")
    args = p.parse_args(argv)
    t0 = time.perf_counter()
    try:
        counts = generate(args.out_dir, args.activities, args.seed, end=args.end, photos=args.photos)
    except FileExistsError as e:
        print(f"{e}: choose an empty folder", file=sys.stderr)
        return 2
    elapsed = time.perf_counter() - t0
    print(json.dumps(counts, ensure_ascii=False))
    print(f"wrote {counts['files']} files ({counts['bytes'] / 1e6:.1f} MB) in {elapsed:.2f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
