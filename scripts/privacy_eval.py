#!/usr/bin/env python3
"""Measure the name + hardship detector on generated sentences it was not written against.

Usage: python scripts/privacy_eval.py [--per-template N] [--seed S] [--all-templates]
       python scripts/privacy_eval.py --per-template 40 --seeds 1-10   (a table, one row a seed)

Residents' names are drawn from public frequency lists (the 2020 national surname ranking of
the Ministry of Public Security, and common given names of people born in the 1940s-60s,
1970s-90s and 2010s, both sexes, with compound surnames), and put into sentence templates
phrased like the real 工作总结 in /work/shared/seeds (走访慰问, 送上门, 看望, 帮扶 ...).
`MUST_REFUSE` templates tie a name to a sensitive fact; `MUST_PASS` templates hold sensitive
words but no resident's name (counts, titled staff, public figures, places and organisations,
pseudonyms, 患者 without a name).

Every template carries a fixed half: "tune" or "held". Rules and word lists may be tuned on
the "tune" half only; the "held" half is what the figures report. The figures (recall, false
alarms, overall and per template, on both halves) go in docs/privacy-evaluation.md.
Also measured: false alarms on the seeds' own sentences and on the demo content.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from community_board.names import scan_hardship

ROOT = Path(__file__).resolve().parent.parent
SEEDS = Path("/work/shared/seeds")

# The 100 most frequent surnames (2020 ranking), then compound surnames.
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马胡朱郭何罗高林郑梁谢唐许冯宋韩邓彭曹曾田于肖潘袁董叶杜丁蒋程余吕魏蔡"
    "苏任卢沈姜姚钟崔陆谭汪石付贾范金方韦夏廖侯白孟邹秦尹江熊薛邱阎段雷季史陶毛贺龙万顾关郝孔向龚"
    "邵钱武扈戴易严"
)
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "司徒", "东方", "皇甫", "夏侯", "慕容", "令狐")
GIVEN = tuple("""
桂兰 秀英 淑珍 玉兰 凤英 秀珍 桂英 秀兰 桂芝 淑英 玉珍 秀芳 桂芳 玉梅 凤兰 淑兰 秀荣 桂珍 翠兰 美兰
淑芬 玉英 秀云 凤琴 桂香 素珍 秀梅 金凤 玉芝 秀华 兰英 桂花 凤珍 春兰 秋菊 冬梅 月娥 招娣 来娣 素英
建国 建华 志强 国强 建军 国平 国庆 德胜 永福 文华 福生 长海 金生 荣华 振华 德明 永刚 国华 建平 玉山
宝山 福林 庆丰 长林 树林 德才 有才 有福 水根 阿根 根宝 富贵 忠诚 卫东 卫国 红旗 跃进 胜利 援朝 抗美
海燕 红梅 丽娟 丽华 艳华 春梅 晓红 秀琴 美玲 丽萍 红霞 建英 雪梅 慧敏 玉霞 海霞 晓燕 丽君 桂琴 凤霞
伟 芳 娜 敏 静 丽 强 磊 军 洋 勇 艳 杰 涛 明 超 霞 平 刚 辉 鹏 华 飞 鑫 波 斌 宇 浩 凯 健 俊 帆 帅 旭
志刚 志明 志勇 志华 建新 建设 晓东 晓明 海涛 海峰 海波 立新 立军 文斌 文杰 俊杰 晓峰 振宇 亚军 卫平
红英 秀娟 丽丽 婷婷 静静 晶晶 莉莉 燕燕 倩倩 慧 琳 颖 雪 婷 倩 洁 玲 萍 燕 红 梅 莉 娟 琴 云 英
子涵 浩然 欣怡 梓萱 宇轩 一诺 雨桐 梓涵 可馨 诗涵 子轩 浩宇 皓轩 思远 梓睿 奕辰 宇航 若汐 语桐 依诺
沐宸 梓豪 铭泽 思彤 欣妍 雨萱 佳怡 梦瑶 紫涵 语嫣 一鸣 天佑 俊熙 晨阳 锦程 嘉懿 子墨 昊天 博文 泽宇
明轩 家豪 晨曦 雅婷 心怡 嘉怡 佳琪 梓琪 诗琪 思琪 雨欣 若曦 欣然 悦 菲 琪 瑶 涵 萱 妍 彤 怡 睿 轩
德福 永生 金宝 银宝 小毛 小龙 小军 小红 小芳 小燕 小平 小明 小英 小华 阿芳 阿英 阿宝 阿明 小妹 二妹
根生 林生 水生 火生 土根 长生 秋生 冬生 春生 福根 金娣 银娣 彩娣 凤娣 桂宝 雪芳 爱华 爱国 爱民 爱莲
淑华 淑贞 淑琴 淑霞 淑云 淑梅 淑兰 秀清 秀凤 秀莲 秀娥 秀芝 玉凤 玉华 玉琴 玉清 玉莲 桂荣 桂云 桂凤
""".split())

# Positive templates: (half, category, template). {n}: a resident's name; {k}: a count.
MUST_REFUSE = (
    ("tune", "低保", "其中居民{n}家是低保户，生活十分困难。"),
    ("held", "低保", "社区走访慰问了低保户{n}，送去米、油和慰问金。"),
    ("tune", "低保", "为{n}等 {k} 户低保家庭送去过冬棉被。"),
    ("held", "低保", "{n}一家靠低保维持生活，社区为其申请了临时救助。"),
    ("tune", "低保", "经居民代表评议，同意{n}家庭纳入最低生活保障。"),
    ("held", "低保", "困难户{n}的房屋漏雨，社区联系物业进行了维修。"),
    ("tune", "困难", "{n}家庭经济困难，孩子上学的费用由社区协调解决。"),
    ("held", "困难", "春节前夕，社区书记带队看望了特困人员{n}。"),
    ("tune", "救助", "{n}因病致贫，社区为其办理了临时救助。"),
    ("held", "救助", "民政专干上门为{n}办理低收入家庭认定。"),
    ("tune", "疾病", "{n}老人患有尿毒症，每周要到医院透析三次。"),
    ("held", "疾病", "{n}有糖尿病和高血压，行动不便，志愿者每周上门两次。"),
    ("tune", "疾病", "志愿者上门看望了瘫痪在床的{n}。"),
    ("held", "疾病", "{n}卧病在床多年，全靠老伴照顾。"),
    ("tune", "疾病", "听说{n}得了癌症，楼里的邻居们纷纷捐款。"),
    ("held", "疾病", "{n}去年中风后半身不遂，社区为他申请了护理补贴。"),
    ("tune", "疾病", "社区医生定期上门为{n}测量血压，她患有心脏病。"),
    ("held", "疾病", "{n}确诊白血病后，社区发起了爱心募捐。"),
    ("tune", "疾病", "居民{n}做完手术在家休养，网格员多次上门探望。"),
    ("held", "疾病", "{n}住院期间，邻居们轮流帮忙照看他的孩子。"),
    ("tune", "疾病", "{n}的母亲患有老年痴呆，经常走失。"),
    ("held", "疾病", "{n}患有抑郁症，社工每月与她谈心一次。"),
    ("tune", "疾病", "{n}正在化疗，社区为她送去了营养品。"),
    ("held", "疾病", "独居的{n}在家中突发脑梗，被邻居及时发现送医。"),
    ("tune", "残疾", "社区走访了残疾人{n}的家。"),
    ("held", "残疾", "{n}是一级肢体残疾，常年坐轮椅。"),
    ("tune", "残疾", "为聋哑人{n}联系了手语翻译。"),
    ("held", "残疾", "{n}双目失明，由志愿者每天陪同散步。"),
    ("tune", "残疾", "帮助残疾青年{n}在社区开了一家网店。"),
    ("held", "残疾", "{n}家有一名智障儿童，社区为其联系了康复机构。"),
    ("tune", "矫正", "刑满释放人员{n}在社区帮助下找到了工作。"),
    ("held", "矫正", "社区矫正对象{n}每月到司法所报到。"),
    ("tune", "矫正", "{n}曾经吸毒，现已戒毒三年。"),
    ("held", "矫正", "对{n}开展社区矫正帮教谈话 {k} 次。"),
    ("tune", "失独", "社区为失独老人{n}过了一个温暖的生日。"),
    ("held", "孤寡", "{n}是孤寡老人，社区安排志愿者结对照顾。"),
    ("tune", "空巢", "空巢老人{n}的子女都在外地，社区每周电话问候。"),
    ("held", "独居", "重阳节，志愿者为独居老人{n}送去了重阳糕。"),
    ("tune", "债务", "{n}欠款 3 万元无力偿还，社区调解委员会介入调解。"),
    ("held", "债务", "{n}家负债累累，已被列为帮扶对象。"),
    ("tune", "疾病", "{n}奶奶患阿尔茨海默病多年。"),
    ("held", "低保", "为低保户{n}一家送去年货。"),
    ("tune", "残疾", "{n}大爷腿脚残疾，社区为他加装了扶手。"),
    ("held", "疾病", "{n}同志身患重病，仍坚持参加社区活动。"),
)

# Negative templates: sensitive words but no resident's name. {s}: a surname, {g}: a given
# name (titled staff: they act, they are not the subject); {k}: a count.
MUST_PASS = (
    ("tune", "户数", "社区干部走访 {k} 户低保家庭，送去米面油。"),
    ("held", "户数", "春节前走访慰问困难家庭 {k} 户，发放慰问金 {k}00 元。"),
    ("tune", "人数", "全社区共有残疾人 {k} 名，其中一级残疾 3 名。"),
    ("held", "人数", "社区卫生服务中心为慢性病患者建档 {k} 份。"),
    ("tune", "工作人员", "社区主任{s}{g}带队走访低保户。"),
    ("held", "工作人员", "网格员{s}{g}逐户核实低保家庭情况。"),
    ("tune", "工作人员", "在社区书记{s}{g}的带领下，志愿者走访了 {k} 户困难家庭。"),
    ("held", "工作人员", "民政局{s}科长介绍了低保政策。"),
    ("tune", "工作人员", "{s}医生为残疾人义诊，测量血压 {k} 人次。"),
    ("held", "工作人员", "志愿服务队队长{s}{g}带领队员走访孤寡老人。"),
    ("tune", "公众人物", "学习白求恩精神，医生志愿者为患者义诊。"),
    ("held", "公众人物", "弘扬雷锋精神，为孤寡老人送温暖。"),
    ("tune", "公众人物", "学习焦裕禄同志，关心困难群众。"),
    ("held", "公众人物", "观看纪录片《孔繁森》，党员们表示要多为困难群众办实事。"),
    ("tune", "机构", "区残疾人联合会来社区开展助残活动。"),
    ("held", "机构", "人民医院专家讲解高血压、糖尿病的防治知识。"),
    ("tune", "地名", "白沙井社区低保户共 {k} 户。"),
    ("held", "地名", "王家湾社区开展全国助残日活动。"),
    ("tune", "地名", "夏家桥新村 3 幢的残疾人坡道已改造完成。"),
    ("held", "地名", "黄河路 12 号残疾人之家正式挂牌。"),
    ("tune", "化名", "{s}某某家庭困难，已纳入救助。"),
    ("held", "化名", "{s}某患病住院，社区组织了探望。"),
    ("tune", "政策", "2026 年低保标准提高到每月 1080 元。"),
    ("held", "政策", "临时救助申请须提交病历和收入证明。"),
    ("tune", "活动", "举办“自强不息”残疾人书画展，展出作品 {k} 幅。"),
    ("held", "活动", "组织低保户学习廉租房、住房补贴等政策文件。"),
    ("tune", "时间", "周末志愿者走访了 {k} 户困难家庭。"),
    ("held", "时间", "每周三下午为失能老人提供上门服务。"),
    ("tune", "患者", "为癌症患者家庭募捐善款 {k}000 元。"),
    ("held", "患者", "社区老人免费体检，发现高血压患者 {k} 人。"),
)


@dataclass(frozen=True)
class Case:
    half: str
    label: str  # the template's category
    template: str
    text: str
    positive: bool


def names(rng: random.Random, count: int) -> list[str]:
    out = []
    for _ in range(count):
        surname = rng.choice(COMPOUND) if rng.random() < 0.06 else rng.choice(SURNAMES)
        out.append(surname + rng.choice(GIVEN))
    return out


def cases(per_template: int = 10, seed: int = 15) -> list[Case]:
    rng = random.Random(seed)
    out: list[Case] = []
    for half, label, template in MUST_REFUSE:
        for name in names(rng, per_template):
            out.append(Case(half, label, template, template.format(n=name, k=rng.randint(2, 40)), True))
    for half, label, template in MUST_PASS:
        texts = {template.format(s=rng.choice(SURNAMES), g=rng.choice(GIVEN), k=rng.randint(2, 40))
                 for _ in range(per_template)}
        out += [Case(half, label, template, t, False) for t in sorted(texts)]
    return out


def refused(text: str) -> bool:
    return bool(scan_hardship(text))


@dataclass(frozen=True)
class Figures:
    positives: int
    caught: int
    negatives: int
    alarms: int
    misses: tuple[Case, ...]
    false_alarms: tuple[Case, ...]

    @property
    def recall(self) -> float:
        return self.caught / self.positives if self.positives else 1.0

    @property
    def alarm_rate(self) -> float:
        return self.alarms / self.negatives if self.negatives else 0.0


def measure(all_cases: list[Case], half: str | None) -> Figures:
    chosen = [c for c in all_cases if half is None or c.half == half]
    verdict = {c: refused(c.text) for c in chosen}
    pos = [c for c in chosen if c.positive]
    neg = [c for c in chosen if not c.positive]
    misses = tuple(c for c in pos if not verdict[c])
    alarms = tuple(c for c in neg if verdict[c])
    return Figures(len(pos), len(pos) - len(misses), len(neg), len(alarms), misses, alarms)


def _seed_sentences() -> list[str]:
    """The seeds' Chinese sentences, in simplified characters (one seed is traditional)."""
    if not SEEDS.is_dir():
        return []
    try:
        import opencc
        to_simple = opencc.OpenCC("t2s").convert
    except Exception:  # noqa: BLE001 - without opencc, the seeds are read as they are
        to_simple = str
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text("utf-8", errors="replace")
        for variant in {text, to_simple(text)}:
            out += [s for s in re.findall(r"[^。！？!?；;\n]+", variant) if re.search(r"[\u4e00-\u9fff]", s)]
    return sorted(set(out))


# Seed sentences that do name residents next to hardship (read by hand): refusing them is right.
SEED_LEAKS = ("颜飙", "顏飆", "熊艳", "熊艷", "肖然", "肖月芝")


def seed_alarms() -> tuple[int, list[str], int, int]:
    """(sentences, false alarms, genuine leaks refused, genuine leaks)."""
    sentences = _seed_sentences()
    leaks = [s for s in sentences if any(n in s for n in SEED_LEAKS)]
    alarms = [s for s in sentences if s not in leaks and refused(s)]
    return len(sentences), alarms, sum(refused(s) for s in leaks), len(leaks)


def demo_alarms() -> tuple[int, list[str]]:
    """Problems the checker raises on the demo content (none expected), as their messages."""
    from community_board.content import load_catalog
    from community_board.errors import ContentError

    try:
        load_catalog(ROOT / "content")
    except ContentError as exc:
        return 1, [f"{p.file}:{p.line} {p.message}" for p in exc.problems]
    return 1, []


def per_template(all_cases: list[Case]) -> list[tuple[str, str, str, int, int]]:
    """(half, kind, template, hits, total): hits are refusals for must-refuse, alarms for must-pass."""
    rows = []
    for template in dict.fromkeys(c.template for c in all_cases):
        group = [c for c in all_cases if c.template == template]
        hits = sum(refused(c.text) for c in group)
        rows.append((group[0].half, "refuse" if group[0].positive else "pass", template, hits, len(group)))
    return rows


def _seed_list(text: str) -> list[int]:
    """"1-10" or "1,2,7" (or both: "1-3,7") as the seeds they name."""
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.strip().partition("-")
        out += list(range(int(first), int(last or first) + 1))
    return out


def seeds_table(seeds: list[int], per_template_count: int) -> list[str]:
    """One Markdown row per seed: held-out and tuning recall and false alarms, then the total."""
    rows = ["| 种子 | 留出半召回 | 留出半误报 | 调参半召回 | 调参半误报 |", "|---|---|---|---|---|"]
    sums = [0, 0, 0, 0, 0, 0, 0, 0]
    for seed in seeds:
        all_cases = cases(per_template_count, seed)
        held, tune = measure(all_cases, "held"), measure(all_cases, "tune")
        figures = (held.caught, held.positives, held.alarms, held.negatives,
                   tune.caught, tune.positives, tune.alarms, tune.negatives)
        sums = [a + b for a, b in zip(sums, figures)]
        rows.append(_row(str(seed), figures))
    rows.append(_row("合计", sums))
    return rows


def _row(label: str, f) -> str:
    def pct(a: int, b: int) -> str:
        return f"{a}/{b} = {a / b:.2%}" if b else "0/0"
    return f"| {label} | {pct(f[0], f[1])} | {pct(f[2], f[3])} | {pct(f[4], f[5])} | {pct(f[6], f[7])} |"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-template", type=int, default=10)
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--seeds", type=_seed_list, help="several seeds (1-10, or 1,2,7): print one table row per seed")
    parser.add_argument("--all-templates", action="store_true", help="print every template's row, not only imperfect ones")
    args = parser.parse_args(argv)
    if args.seeds:
        print("\n".join(seeds_table(args.seeds, args.per_template)))
        total, alarms, caught, leaks = seed_alarms()
        print(f"\nseeds' text: false alarms {len(alarms)}/{total - leaks} sentences; genuine leaks refused {caught}/{leaks}")
        _, problems = demo_alarms()
        print(f"demo content: {len(problems)} problems")
        return 0
    all_cases = cases(args.per_template, args.seed)
    for half in ("tune", "held", None):
        f = measure(all_cases, half)
        print(f"{half or 'all':5s} recall {f.caught}/{f.positives} = {f.recall:.1%}   "
              f"false alarms {f.alarms}/{f.negatives} = {f.alarm_rate:.1%}")
    total, alarms, caught, leaks = seed_alarms()
    print(f"seeds: false alarms {len(alarms)}/{total - leaks} sentences; genuine leaks refused {caught}/{leaks}")
    for s in alarms:
        print(f"  SEED ALARM  {s}")
    _, problems = demo_alarms()
    print(f"demo content: {len(problems)} problems")
    for p in problems:
        print(f"  DEMO  {p}")
    print("\nper template (half, must, refused-or-alarmed/total):")
    for half, kind, template, hits, n in per_template(all_cases):
        perfect = hits == (n if kind == "refuse" else 0)
        if args.all_templates or not perfect:
            print(f"  {half:4s} {kind:6s} {hits:3d}/{n:<3d} {template}")
    for c in measure(all_cases, "tune").misses:
        print(f"  MISS (tune)  {c.text}")
    for c in measure(all_cases, "tune").false_alarms:
        print(f"  ALARM (tune) {c.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
