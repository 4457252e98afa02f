"""Names next to hardship and health (fail closed), every field of every record, flat numbers,
and the held-out evaluation (issue 15 points 1, 2, 5, 6)."""
from __future__ import annotations

import pytest

import privacy_eval
from community_board.content import load_catalog
from community_board.errors import ContentError
from community_board.names import flat_numbers, names_person, scan_hardship


@pytest.mark.parametrize("text", [
    "其中居民王桂兰家是低保户，患有尿毒症。", "谢淑英老人患有尿毒症，生活困难。",
    "志愿者上门看望了瘫痪在床的何志强。", "社区走访了残疾人龙宝山的家。", "孙桂芳卧病在床多年",
    "王秀兰有糖尿病和心脏病", "Wang Xiuying 患有尿毒症", "WANG Xiuying 患有尿毒症", "Xiuying Wang 患有尿毒症",
    "欧阳建国是刑满释放人员", "诸葛淑珍失独多年", "社區殘疾人肖然患了胰腺炎",
])
def test_a_possible_name_next_to_a_sensitive_word_is_refused(text):
    found = scan_hardship(text)
    assert found and found[0].kind == "hardship"
    assert "*" in found[0].masked and found[0].masked not in text  # masked, never the name itself


@pytest.mark.parametrize("text", [
    "学习白求恩精神，医生志愿者为患者义诊。", "社区主任王芳带队走访低保户", "李明书记看望特困老人",
    "民政局王科长介绍低保政策", "社区干部走访 20 户低保家庭", "张某某家庭困难，已纳入救助",
    "王府井社区低保户 8 户", "周末走访困难家庭", "在公告栏张贴低保政策", "为癌症患者家庭募捐",
    "送到高龄老人和独居老人家中", "两年来累计服务 600 余小时，看望孤寡老人",
])
def test_counts_staff_public_figures_places_and_words_pass(text):
    assert scan_hardship(text) == []


def test_the_message_says_what_was_found_masked_its_category_and_how_to_reword():
    [f] = scan_hardship("第一行\n社区为低保户张建国一家送去米面油。")
    assert f.line == 2 and f.masked == "张**"
    assert "低保" in f.message and "生活困难" in f.message and "张建国" not in f.message + f.hint
    assert "走访 2 户低保家庭" in f.hint and "consent: true" in f.hint


def test_honour_names():
    assert names_person("施福生家庭") and names_person("欧阳娜娜")
    assert not names_person("夏家桥社区红领巾小志愿者服务队") and not names_person("南苑小区 2 幢 1 单元")


@pytest.mark.parametrize("text", ["9幢2单元302", "302室", "3-2-302", "3号楼302", "3栋2单元302室", "302房", "３号楼３０２"])
def test_flat_numbers_in_every_common_form(text):
    assert flat_numbers(f"住在{text}的居民") != []


@pytest.mark.parametrize("text", ["3栋2单元", "夏家桥新村 2 幢", "42 幢楼的楼道", "301会议室", "3室2厅", "2026-03-05",
                                  "400-800-8888", "13:00-15:00"])
def test_not_flat_numbers(text):
    assert flat_numbers(text) == []


def _problems(tree) -> list:
    with pytest.raises(ContentError) as exc:
        load_catalog(tree.dir)
    return exc.value.problems


def test_every_field_of_every_record_is_checked_with_its_file_line_and_field(tree):
    tree.activity("2026-03-06-visit", text=(
        "---\ntitle: 冬日走访\ndate: 2026-03-06\ncolumn: leifeng\nsummary: 慰问低保户张建国一家\n"
        "location: 低保户王桂兰家中\nphotos:\n  - {file: photos/2026/a.jpg, caption: 低保户李桂兰在家中接受慰问, consent: true}\n"
        "---\n社区开展冬日走访。\n"))
    tree.write("photos/2026/a.jpg", b"")
    tree.write("honors/2025.yml", "year: 2025\nhonors:\n  - {title: 好邻居, kind: building, name: 南苑小区 2 幢, place: 9幢2单元302}\n")
    tree.write("slogans.yml", "slogans:\n  - {text: 邻里守望，大家相帮}\nmaxims:\n  - {text: 孙桂芳卧病在床多年, by: 王利华家庭}\n")
    found = {(p.file, p.field): p for p in _problems(tree)}
    activity = "content/activities/2026/2026-03-06-visit.md"
    assert found[(activity, "summary")].line == 5
    assert found[(activity, "location")].line == 6
    assert found[(activity, "photos[0].caption")].line == 8  # the photo's consent is not the record's
    assert "门牌号" in found[("content/honors/2025.yml", "honors[0].place")].message
    assert found[("content/slogans.yml", "text")].line == 4
    assert all("*" in p.message for k, p in found.items() if "hardship" not in k and "低保" in p.message)


def test_a_record_with_consent_may_name_its_resident(tree):
    tree.activity("2026-03-06-visit", text=(
        "---\ntitle: 冬日走访\ndate: 2026-03-06\ncolumn: leifeng\nsummary: 慰问低保户张建国一家\nconsent: true\n"
        "---\n张建国同意公开他的故事。\n"))
    load_catalog(tree.dir)


@pytest.mark.parametrize("text", [
    "秦正义家庭经济困难", "志愿者看望了瘫痪在床的白云山", "孙子明因病致贫，社区为其办理了临时救助", "高明患有糖尿病",
    "王家兴大爷腿脚残疾", "曾海军欠款 3 万元无力偿还", "社区医生上门为何德才测量血压，他患有心脏病", "朱德胜是残疾人",
    "为杨淑华等 3 户低保家庭送去棉被", "方军的母亲患有老年痴呆", "空巢老人马海洋的子女都在外地", "金秋生的母亲患有老年痴呆",
])
def test_a_name_whose_given_part_is_a_common_word_is_refused(text):
    # the excuse "it is a word" needs the whole span to read as a word where it stands: 正义,
    # 孙子, 高明, 王家, 海军 or 朱德 followed by the rest of a name, a person word or the
    # sensitive word itself is a name
    assert scan_hardship(text)


@pytest.mark.parametrize("text", [
    "为让居民及时了解惠民政策，现将残疾人两项补贴政策宣传如下", "周末志愿者走访了 5 户困难家庭",
    "社区干部走访 5 户低保家庭，送去米面油", "常态化开展困难群众帮扶", "黄金周期间慰问低保户",
    "位于社区的残疾人之家正式挂牌", "朱德同志关心残疾人", "学习白求恩精神，医生志愿者为患者义诊",
])
def test_words_that_start_with_a_surname_still_pass_where_they_read_as_words(text):
    assert scan_hardship(text) == []


def test_held_out_goals_on_a_small_sample_of_several_seeds():
    """The generator's held-out half (never tuned on), pooled over a few seeds: recall >= 99 %,
    false alarms <= 3 % (docs/privacy-evaluation.md has the full table, seeds 1-10 at 40)."""
    cases = [c for seed in (2026, 1, 9) for c in privacy_eval.cases(per_template=4, seed=seed)]
    held = privacy_eval.measure(cases, "held")
    assert held.positives >= 250 and held.negatives >= 45
    assert held.recall >= 0.99, [c.text for c in held.misses]
    assert held.alarm_rate <= 0.03, [c.text for c in held.false_alarms]
    tune = privacy_eval.measure(cases, "tune")
    assert tune.positives >= 250 and tune.recall >= 0.99 and tune.alarm_rate <= 0.03


def test_the_seeds_table_has_a_row_per_seed_and_a_total(capsys):
    assert privacy_eval._seed_list("1-3,7") == [1, 2, 3, 7]
    privacy_eval.main(["--per-template", "2", "--seeds", "1,2"])
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert [r.split("|")[1].strip() for r in rows[1:]] == ["1", "2", "合计"]
    assert "留出半召回" in rows[0] and "demo content: 0 problems" in out


def test_the_generator_is_as_large_and_split_as_promised():
    assert len(set(privacy_eval.SURNAMES)) >= 100 and len(set(privacy_eval.GIVEN)) >= 300
    assert len(privacy_eval.MUST_REFUSE) >= 40 and len(privacy_eval.MUST_PASS) >= 20
    for table in (privacy_eval.MUST_REFUSE, privacy_eval.MUST_PASS):
        halves = [h for h, _, _ in table]
        assert set(halves) == {"tune", "held"} and abs(halves.count("tune") - halves.count("held")) <= 1
    assert privacy_eval.cases(3, 1) == privacy_eval.cases(3, 1)  # fixed seed: the same sentences


def test_no_false_alarm_on_the_seeds_own_text():
    total, alarms, caught, leaks = privacy_eval.seed_alarms()
    if not total:
        pytest.skip("the seeds are not on this machine")
    assert alarms == [] and caught == leaks


def test_every_text_field_of_every_record_kind_is_walked_unless_declared_not_public():
    """A new field or record kind is checked without anyone adding it to a list."""
    import dataclasses
    import typing

    import sys

    from community_board import records
    from community_board.guard import NOT_PUBLIC, public_strings
    from community_board.kinds import KINDS, kind_of

    # records.py, and the modules of the kinds declared in kinds/ (their nested records too)
    modules = [records, *dict.fromkeys(sys.modules[k.record.__module__] for k in KINDS)]
    kinds = [c for m in modules for c in vars(m).values() if dataclasses.is_dataclass(c) and c.__module__ == m.__name__]
    assert len(kinds) >= 10
    for kind in kinds:
        hints = typing.get_type_hints(kind)
        values = {}
        for f in dataclasses.fields(kind):
            hint = str(hints[f.name])
            values[f.name] = ("字段" + f.name if "str" in hint and "tuple" not in hint
                              else f.default if f.default is not dataclasses.MISSING
                              else () if "tuple" in hint else None)
        record = kind(**values)
        walked = {path for path, _ in public_strings(record)}
        hidden = kind_of(record).not_public if kind_of(record) else NOT_PUBLIC
        for name, value in values.items():
            if isinstance(value, str) and name not in hidden:
                assert name in walked, (kind.__name__, name)


def test_community_board_themes_and_attachment_names_are_checked(tree):
    tree.write("boards/2026-q1.yml", "theme: 关爱低保户王桂兰一家\n")
    tree.write("notices/2026-03-02-help.md", "---\ntitle: 帮扶公示\ndate: 2026-03-02\n"
                                             "attachments: [files/低保户王桂兰申请表.txt]\n---\n公示帮扶名单。\n")
    tree.write("files/低保户王桂兰申请表.txt", "申请表")
    text = (tree.dir / "community.yml").read_text("utf-8") + "motto: 谢淑英老人患有尿毒症\n"
    tree.write("community.yml", text)
    fields = {(p.file.split("/")[-1], p.field) for p in _problems(tree) if "敏感" in p.message}
    assert ("2026-q1.yml", "theme") in fields and ("community.yml", "motto") in fields
    assert ("2026-03-02-help.md", "attachments[0].file") in fields


def test_the_fast_paths_of_the_detectors_change_no_answer():
    """The look-aheads before the sensitive words and the flat-number forms, and simplified's
    test for text OpenCC keeps, give what the plain patterns and a conversion character by
    character give: on every character of the BMP alone, inside a sentence, and on the
    labelled set."""
    import re

    from community_board import names
    from test_privacy import LABELLED

    w = names.words()
    plain_words = re.compile("|".join(map(re.escape, sorted(w.category_of, key=lambda x: (-len(x), x)))), re.IGNORECASE)
    plain_flat = re.compile(names.FLAT_NUMBER.pattern.removeprefix("(?=\\d)(?:").removesuffix(")"))
    convert = names._to_simplified()

    def by_character(text: str) -> str:
        return text if not text or text.isascii() else "".join(c if len(convert(c)) != 1 else convert(c) for c in text)

    texts = [p["text"] for p in LABELLED["positives"] + LABELLED["negatives"]]
    texts += ["住在3栋2单元302室的王秀英患有尿毒症，5-2-301 与 12幢1003、HIV、Icu、ＩＣＵ"]
    texts += [chr(i) for i in range(0x20, 0x10000) if not 0xD800 <= i < 0xE000]
    texts += [f"社区{c}低保户王桂兰{c}" for c in texts[-65000:]]
    for text in texts:
        assert names.simplified(text) == by_character(text), text
        m, p = w.sensitive_re.search(text), plain_words.search(text)
        assert (m and (m.span(), m.group())) == (p and (p.span(), p.group())), text
        assert [m.span() for m in names.FLAT_NUMBER.finditer(text)] == [m.span() for m in plain_flat.finditer(text)], text
