"""Personal numbers (numbers.py): every shape staff paste is refused, serials and amounts pass,
and check.py and the build judge a record alike (issue 15.3)."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_board.numbers import id_check_char, luhn_ok, scan_filename, scan_numbers
from hostile import run_build, run_check

OFFICE = frozenset({"05723012345"})


def _id(prefix: str, birth: str, seq: str) -> str:
    return prefix + birth + seq + id_check_char(prefix + birth + seq)


def _card(prefix: str, length: int) -> str:
    body = prefix + "3" * (length - len(prefix) - 1)
    return next(body + c for c in "0123456789" if luhn_ok(body + c))


def _digits(masked: str) -> str:
    """A masked number's digits and stars, separators dropped, in ASCII."""
    return re.sub(r"[^0-9*X]", "", unicodedata.normalize("NFKC", masked))


PID = _id("330503", "19800101", "123")  # a valid ID: check digit computed
CARD = _card("622202", 19)
_CN = str.maketrans("0123456789", "〇一二三四五六七八九")
_CN_UPPER = str.maketrans("0123456789", "零壹贰叁肆伍陆柒捌玖")
_WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def _groups(s: str, sizes: tuple[int, ...], sep: str) -> str:
    out, i = [], 0
    for n in sizes:
        out.append(s[i:i + n])
        i += n
    return sep.join(out)


# Each shape: (what staff wrote, the kind that must be found). Built from the numbers above by
# rules (grouping, separators, scripts), not typed in, so a new shape is one more line.
REFUSED = [
    *[(f"身份证 {_groups(PID, sizes, sep)}", "id_number")
      for sizes in ((18,), (6, 8, 4), (4, 4, 4, 4, 2), (3, 3, 4, 4, 4)) for sep in (" ", "-", ".", "　")],
    (f"身份证{PID.translate(_WIDE)}", "id_number"),
    (f"身份证{PID[:6]}{PID[6:].translate(_CN)}", "id_number"),
    (f"证件号 {PID[:17]}x", "id_number") if PID[-1] == "X" else (f"证件号 {PID}", "id_number"),
    ("号码 " + _groups("33050319800101", (6, 8), " ") + " **38", "id_number"),  # masked, birth date shown
    ("身份证 ＊＊＊＊＊＊19800101＊＊＊＊", "id_number"),
    ("旧身份证 330503800101123", "id_number"),
    ("旧证 330503 800101 123", "id_number"),
    *[(f"联系 {_groups('13912345678', sizes, sep)}", "mobile")
      for sizes in ((11,), (3, 4, 4), (3, 8), (4, 3, 4)) for sep in (" ", "-", ".", "·", "_", "/")],
    ("电话 " + "13912345678".translate(_CN), "mobile"),
    ("电话 " + "13912345678".translate(_CN_UPPER), "mobile"),
    ("电话 139" + "12345678".translate(_CN), "mobile"),
    ("电话 " + "13912345678".translate(_WIDE), "mobile"),
    ("电话 １３９－１２３４－５６７８", "mobile"),
    ("请拨打 **13912345678** 报名", "mobile"),
    ("报名请找王阿姨 139**1234**5678", "mobile"),  # bold inside: the page shows it whole
    ("报名请拨 &#49;3912345678", "mobile"),  # a character reference: a digit on the page
    ("王阿姨13912345678一直热心", "mobile"),
    ("订单号 13912345678", "mobile"),  # an order number that reads as a mobile: cannot tell, refused
    ("+86 139 1234 5678", "mobile"),
    (f"卡号 {_groups(CARD, (4, 4, 4, 4, 3), ' ')}", "bank_card"),
    (f"捐款请转 {_groups(CARD, (4, 4, 4, 4, 3), '-')}", "bank_card"),
    (f"{CARD.translate(_WIDE)}", "bank_card"),
    ("收款账号 6228482549552368", "bank_card"),  # an account: refused, check digit or not
    ("开户行：工商银行，账号 1202 0211 0900 1234 567", "bank_card"),
    ("帐号：33001617835059000123", "bank_card"),
]

PASSES = [
    "订单号 " + CARD,  # a serial, though card-shaped
    "快递单号 SF1391234567890",
    "快递单号 SF13912345678",
    "运单号 YT1234567890123",
    "发票号码 12345678，发票代码 033001900111",
    "（2025）浙0503民初1234号，案号 202505031234567",
    "交易流水 2026030514301288",
    "筹得善款 12,000元",
    "捐款 13912345678 元",
    "¥13912345678",
    "共 1,234,567,890 人次",
    "办公电话 0572-3012345",
    "市民热线 12345，举报电话 0572-3012346",
    "2026.03.05 13:30 在 3 号楼前集合",
    "经度 120.08654321，纬度 30.86543210",
    "身份证 330503********1238",
    "手机 139****5678",
    "卡号 6222 **** **** 1234",
    "第一二三四五期",
    "邮编 313000",
    "统一社会信用代码 91330503MA2B3C4D5E",
]


@pytest.mark.parametrize("text,kind", REFUSED, ids=lambda v: v if isinstance(v, str) and len(v) > 12 else None)
def test_every_shape_staff_paste_is_refused(text, kind):
    found = scan_numbers(text, OFFICE)
    assert [f.kind for f in found] == [kind], (text, found)
    shown = _digits(found[0].masked)
    assert "*" in shown and len(re.sub(r"\*", "", shown)) <= len(shown) - 4, found[0].masked
    assert not re.search(r"\d{9,}", unicodedata.normalize("NFKC", found[0].message))


@pytest.mark.parametrize("text", PASSES)
def test_serials_amounts_office_numbers_and_masked_forms_pass(text):
    assert scan_numbers(text, OFFICE) == []


def test_the_message_shows_the_number_as_written_masked_and_its_line():
    found = scan_numbers("第一行\n请联系 一三九一二三四五六七八 报名", OFFICE)
    assert [(f.line, f.masked) for f in found] == [(2, "一三九****五六七八")]
    found = scan_numbers("电话 139.1234.5678")
    assert found[0].masked == "139.****.5678" and "请拨打社区办公室电话" in found[0].hint


def test_two_numbers_written_side_by_side_do_not_make_a_third():
    # a landline and a mobile with single spaces: only the mobile, once
    assert [f.kind for f in scan_numbers("电话 0572 3012345 13912345678", OFFICE)] == ["mobile"]
    # pager-like runs of small numbers make nothing
    assert scan_numbers("1 2 3 4 5 6 7 8 9 10 11 12") == []


def test_ids_are_judged_by_stdnum_birth_date_and_province():
    assert [f.kind for f in scan_numbers(f"身份证 {PID}")] == ["id_number"]
    bad_date = _id("330503", "19801301", "123")  # month 13
    assert scan_numbers(f"身份证 {bad_date}") == []
    no_province = _id("990503", "19800101", "123")  # 99: no such province
    assert scan_numbers(f"身份证 {no_province}") == []


def test_id_number_is_reported_masked_with_its_line_and_a_fix():
    pid = _id("330503", "19900101", "123")
    found = scan_numbers(f"第一行\n第二行\n申请人身份证号：{pid}，已核实。")
    assert [(f.kind, f.line, f.masked) for f in found] == [("id_number", 3, "330503********" + pid[-4:])]
    assert pid not in found[0].message + found[0].hint
    assert "删去" in found[0].hint


def test_id_ending_in_x_upper_or_lower():
    seq = next(f"{n:03d}" for n in range(1000) if id_check_char("430103" + "19630427" + f"{n:03d}") == "X")
    pid = "43010319630427" + seq + "X"
    assert [f.kind for f in scan_numbers(pid)] == ["id_number"]
    assert [f.kind for f in scan_numbers(pid.lower())] == ["id_number"]


def test_id_with_a_wrong_check_digit_is_not_an_id():
    pid = _id("330503", "19900101", "123")
    wrong = pid[:-1] + ("1" if pid[-1] != "1" else "2")
    assert scan_numbers(f"身份证号 {wrong}") == []


def test_masked_id_that_still_shows_the_birth_date_is_refused():
    assert [f.kind for f in scan_numbers("身份证 33050319900101**34")] == ["id_number"]
    assert "出生日期" in scan_numbers("证件号 ******19900101****")[0].hint
    assert scan_numbers("身份证 330503********1234") == []
    assert scan_numbers("身份证 3305031990********") == []


def test_fifteen_digit_old_id():
    assert [f.masked for f in scan_numbers("旧证 330503580101123")] == ["330503******123"]
    assert scan_numbers("编码 330503581341123") == []  # month 13: not a date


@pytest.mark.parametrize(
    "text",
    ["13800138000", "138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "+8613800138000",
     "0086 13800138000", "(+86)13800138000", "１３８００１３８０００", "tel:13800138000", "王女士-13800138000"],
)
def test_mobile_written_every_common_way(text):
    found = scan_numbers(f"联系：{text}。")
    assert [(f.kind, _digits(f.masked)[-11:]) for f in found] == [("mobile", "138****8000")]


@pytest.mark.parametrize(
    "text",
    ["139****5678", "办公电话 0572-3012345", "12812345678", "SF13800138000",
     "捐款 13800138000 元", "1380013800013", "2026-03-05 13:30", "400-800-8888", "邮编 313000"],
)
def test_not_a_mobile(text):
    assert scan_numbers(text, OFFICE) == []


def test_office_phone_is_allowed_even_when_it_is_a_mobile():
    assert scan_numbers("社区值班手机 139 1234 5678", frozenset({"13912345678"})) == []
    assert scan_numbers("社区值班手机 +86 139 1234 5678", frozenset({"13912345678"})) == []
    assert len(scan_numbers("社区值班手机 139 1234 5678")) == 1


def test_bank_card_plain_and_grouped_luhn_checked():
    card = _card("622202", 19)
    grouped = " ".join(card[i:i + 4] for i in range(0, 19, 4))
    for text in (card, grouped, card[:16] if luhn_ok(card[:16]) else _card("436742", 16)):
        assert [f.kind for f in scan_numbers(f"卡号 {text}")] == ["bank_card"]
    wrong = card[:-1] + str((int(card[-1]) + 1) % 10)
    assert scan_numbers("号码 " + wrong) == []  # no context: a card must pass Luhn
    assert [f.kind for f in scan_numbers("卡号 " + wrong)] == ["bank_card"]  # after 卡号: an account, refused
    masked = scan_numbers(f"卡号 {card}")[0].masked
    assert masked.startswith("6222") and masked.endswith(card[-4:]) and card not in masked


def test_date_prefixed_serials_and_amounts_are_not_cards():
    serial = next(f"20260305{n:08d}" for n in range(100) if luhn_ok(f"20260305{n:08d}"))
    assert scan_numbers(f"交易 {serial}") == []
    assert scan_numbers(f"金额 {_card('622202', 16)} 元") == []


def test_several_numbers_each_on_its_own_line():
    text = "a 13800138000\n\nb 13912345678 和 15057261234\n"
    assert [(f.line, f.masked) for f in scan_numbers(text)] == [(1, "138****8000"), (3, "139****5678"), (3, "150****1234")]


def test_file_names_are_scanned_with_letters_as_gaps():
    assert [f.kind for f in scan_filename("photos/2026/IMG13800138000.jpg")] == ["mobile"]
    assert scan_filename("photos/2026/0305-1.jpg") == []
    assert scan_filename("assets/javascripts/bundle.a5f9d56c.min.js") == []


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(["11", "33", "43", "44", "51", "65"]), st.integers(0, 9999),
    st.dates(min_value=__import__("datetime").date(1900, 1, 1), max_value=__import__("datetime").date(2025, 12, 31)),
    st.integers(0, 999), st.text(alphabet="社区居民身份证号：，。 \n王李", max_size=8),
)
def test_any_valid_id_anywhere_in_prose_is_caught(province, region, birth, seq, around):
    pid = _id(f"{province}{region:04d}", birth.strftime("%Y%m%d"), f"{seq:03d}")
    found = scan_numbers(around + pid + around)
    assert [f.kind for f in found] == ["id_number"]
    assert pid not in found[0].message


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_no_text_crashes_the_number_scan_and_no_message_repeats_a_long_number(text):
    for f in scan_numbers(text):
        assert f.kind in {"id_number", "mobile", "bank_card"} and f.line >= 1
        assert not re.search(r"\d{9,}", f.message)


def test_check_and_build_agree_on_express_order_and_account_numbers(tree, tmp_path):
    """An express number used to pass check.py and fail the build on a search-index shard;
    now both judge the record's text alike: serials and amounts pass both, an account number
    is refused by both, naming the record."""
    tree.activity("2026-03-06-parcel", extra="summary: 快递单号 SF13912345678，订单号 " + CARD + "，共 12,000元\n")
    check, build = run_check(tree), run_build(tree, tmp_path / "site")
    assert check.returncode == 0, check.output[-2000:]
    assert build.returncode == 0, build.output[-2000:]
    tree.activity("2026-03-07-donate", extra="summary: 善款请转收款账号 6228482549552368\n")
    check, build = run_check(tree), run_build(tree, tmp_path / "site2")
    record = "content/activities/2026/2026-03-07-donate.md"
    assert check.returncode == 1 and record in check.output and "银行账号" in check.output, check.output[-2000:]
    assert build.returncode != 0 and record in build.output and "银行账号" in build.output, build.output[-2000:]


_SCRIPTS = {"ascii": "0123456789", "wide": "０１２３４５６７８９", "cn": "〇一二三四五六七八九", "upper": "零壹贰叁肆伍陆柒捌玖"}


@st.composite
def _written(draw, number: str) -> str:
    """`number` as staff might paste it: cut into groups, joined by one separator, each group
    in a script of its own."""
    cuts = sorted(draw(st.sets(st.integers(1, len(number) - 1), max_size=4)))
    sep = draw(st.sampled_from([" ", "-", ".", "·", "　", "－", "/"]))
    parts = [number[a:b] for a, b in zip([0, *cuts], [*cuts, len(number)])]
    out = []
    for part in parts:
        script = _SCRIPTS[draw(st.sampled_from(sorted(_SCRIPTS)))]
        out.append(part.translate(str.maketrans("0123456789", script)))
    return sep.join(out) if draw(st.booleans()) else "".join(out)


@settings(max_examples=300, deadline=None)
@given(st.data(), st.sampled_from("3456789"), st.integers(0, 10 ** 9 - 1),
       st.sampled_from(["联系人王阿姨", "报名：", "有事请打", "", "志愿者小李（", "微信同号"]),
       st.sampled_from(["。", "）", "，谢谢", "", " 报名"]))
def test_a_mobile_in_any_grouping_and_script_is_refused(data, second, rest, before, after):
    mobile = f"1{second}{rest:09d}"
    written = data.draw(_written(mobile))
    found = scan_numbers(before + written + after)
    assert [f.kind for f in found] == ["mobile"], (written, found)
    assert mobile not in found[0].message


@settings(max_examples=200, deadline=None)
@given(st.data(), st.sampled_from(["110105", "330503", "430103", "440304", "510104", "650102"]),
       st.dates(min_value=date(1930, 1, 1), max_value=date(2020, 12, 31)), st.integers(0, 999))
def test_an_id_in_any_grouping_and_script_is_refused(data, region, birth, seq):
    pid = _id(region, birth.strftime("%Y%m%d"), f"{seq:03d}")
    written = data.draw(_written(pid[:17])) + pid[17]
    found = scan_numbers(f"申请人证件：{written}，已核实")
    assert [f.kind for f in found] == ["id_number"], (written, found)


def test_a_number_found_in_a_record_names_the_field_it_is_in(tree):
    """Staff are told where: the front-matter key, 正文 for the body, the YAML key of a list item."""
    from community_board.content import read_catalog
    tree.activity("2026-03-06-phone", text="---\ntitle: 走访\ndate: 2026-03-06\ncolumn: leifeng\n"
                                           "location: 联系 139 1234 5678\n---\n正文里也有 13912345678。\n")
    tree.write("honors/2026.yml", "year: 2026\nhonors:\n  - title: 星级文明家庭\n    kind: family\n"
                                  "    name: 施福生家庭\n    consent: true\n    story: 电话 13912345678\n")
    _, problems = read_catalog(tree.dir)
    where = {(p.file.rsplit("/", 1)[-1], p.line, p.field) for p in problems.items if "手机号" in p.message}
    assert where == {("2026-03-06-phone.md", 5, "location"), ("2026-03-06-phone.md", 7, "正文"),
                     ("2026.yml", 7, "story")}
