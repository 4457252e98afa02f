"""The board's Chinese search: what a resident typing on a phone gets back.

The index (hooks/community_board/search.py) and its client (overrides/assets/board/search.js)
must agree: `search()` / `query()` is the Python mirror, and the last tests run the real
search.js under Node against a stub page, and in Chromium on the demo's query set, and compare
the links it renders with `query()`.

The demo's query set (tests/data/search_queries.yml) is the measure of the ranking: each
query's record(s) must be in the first three, for at least 95% of the tuning part and of the
held-out part, and no query whose record exists may come back empty.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from community_board import search
from community_board.search import (
    MAX_QUERY_TERMS, SHARD_TARGET_BYTES, SearchDoc, build_index, decode_postings, encode_postings,
    first_query_files, query, query_terms,
)

ROOT = Path(__file__).resolve().parent.parent
SEARCH_JS = ROOT / "overrides" / "assets" / "board" / "search.js"
PARTIAL = ROOT / "overrides" / "partials" / "search.html"

DOCS = [
    SearchDoc("activities/2025-10-11-chongyang/", "重阳节敬老爱老活动", "活动", "2025-10-11",
              "农历九月初九，社区为八十岁以上老人送去重阳糕和慰问品。"),
    SearchDoc("notices/2025-10-01-chongyang-signup/", "敬老活动报名通知", "公告", "2025-10-01",
              "重阳节当天上午九点在社区服务中心集合，请提前报名。"),
    SearchDoc("activities/2026-03-05-leifeng/", "学雷锋走访困难家庭", "活动", "2026-03-05",
              "三月学雷锋月，志愿者走访了 20 户困难家庭，为居民义务理发。"),
    SearchDoc("activities/2026-01-20-spirit/", "雷锋精神进校园", "活动", "2026-01-20",
              "老党员给孩子们讲雷锋的故事，大家认真学习。"),
    SearchDoc("honors/2026/#shi", "星级文明家庭：施福生家庭", "光荣榜", "2026-05-12",
              "施福生家庭孝老爱亲，邻里和睦，被评为五星级文明家庭。"),
    SearchDoc("honors/2026/#wang", "文明家庭：王利华家庭", "光荣榜", "2026-05-12",
              "王利华家庭热心公益，被评为文明家庭。"),
    SearchDoc("activities/2026-04-02-hotel/", "社区走访辖区酒店", "活动", "2026-04-02",
              "走访了一家三星级酒店，宣传文明家庭创建和消防安全。"),
    SearchDoc("activities/2026-02-14-wifi/", "老年人学用智能手机", "活动", "2026-02-14",
              "志愿者教老人连接 WiFi、使用微信视频通话，共 15 人参加。"),
    SearchDoc("slogans/#s0", "邻里守望，大家相帮", "标语", "", "邻里守望，大家相帮，各献其爱，共享幸福"),
    SearchDoc("about/", "社区简介", "关于", "", "白沙井社区位于城南路街道，设有老年活动室。"),
]


@pytest.fixture(scope="module")
def files() -> dict[str, bytes]:
    # Tiny shards, so this small fixture spreads over many files as a big site does and the
    # client's hash must agree with the builder's for any test to pass.
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "SHARD_TARGET_BYTES", 300)
        built = build_index(DOCS)
        assert build_index(list(reversed(DOCS))) == built
    assert json.loads(built["search/meta.json"])["shards"] > 8
    return built


@pytest.mark.parametrize("q, first", [
    # The activity has 重阳 in its title; the notice only in its text.
    ("重阳", ["activities/2025-10-11-chongyang/", "notices/2025-10-01-chongyang-signup/"]),
    # The full phrase first: the plain 文明家庭 honour and the hotel (三星级 … 文明家庭) after it.
    ("星级文明家庭", ["honors/2026/#shi"]),
    ("学雷锋", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    ("雷锋", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    # One character: every document that has it, title hits first.
    ("雷", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    ("邻", ["slogans/#s0", "honors/2026/#shi"]),
    # Space and punctuation separate words; the document with both comes first.
    ("重阳 老人", ["activities/2025-10-11-chongyang/"]),
    ("学雷锋！", ["activities/2026-03-05-leifeng/"]),
    ("《重阳》，", ["activities/2025-10-11-chongyang/", "notices/2025-10-01-chongyang-signup/"]),
    # ASCII is case-insensitive and full-width letters fold to half-width.
    ("wifi", ["activities/2026-02-14-wifi/"]),
    ("ＷＩＦＩ", ["activities/2026-02-14-wifi/"]),
    # Words in another order, or with others between them: ranked, not required as a phrase.
    ("老人重阳活动", ["activities/2025-10-11-chongyang/"]),
    ("走访家庭困难", ["activities/2026-03-05-leifeng/"]),
    # Traditional characters fold to Simplified; pinyin of titles, full and initials.
    ("學雷鋒", ["activities/2026-03-05-leifeng/"]),
    ("重陽節", ["activities/2025-10-11-chongyang/"]),
    ("leifeng", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    ("xue lei feng", ["activities/2026-03-05-leifeng/"]),
    ("XueLeiFeng", ["activities/2026-03-05-leifeng/"]),
    ("xlf", ["activities/2026-03-05-leifeng/"]),
    ("chongyangjie", ["activities/2025-10-11-chongyang/"]),
    # Community synonyms, added at index time: the text says 老年人 / 长者 is not written.
    ("长者", ["activities/2026-02-14-wifi/"]),
    # Numbers with or without thousands separators, and in 万.
    ("20", ["activities/2026-03-05-leifeng/"]),
])
def test_a_query_ranks_the_documents_that_hold_it_first(files, q, first):
    assert query(files, q)[:len(first)] == first


@pytest.mark.parametrize("q", ["不存在的词", "xyzzyq", "骉"])
def test_a_query_with_nothing_like_it_finds_nothing(files, q):
    assert query(files, q) == []
    assert search.search(files, q).suggestion == ""


@pytest.mark.parametrize("typo, meant, first", [
    ("重杨", "重阳", "activities/2025-10-11-chongyang/"),  # a homophone picked from the IME
    ("学雷峰", None, "activities/2026-03-05-leifeng/"),  # 学雷 still finds it: no suggestion
    ("雷峰精神", None, "activities/2026-01-20-spirit/"),  # 精神 finds it
    ("雷峰", "雷锋", "activities/2026-03-05-leifeng/"),
    ("星级文明家廷", None, "honors/2026/#shi"),
    ("邻里守忘", None, "slogans/#s0"),
])
def test_a_one_character_typo_still_finds_the_title(files, typo, meant, first):
    result = search.search(files, typo)
    assert query(files, typo)[0] == first
    assert result.suggestion == (meant or "")


def test_a_typo_suggestion_comes_from_titles_only():
    docs = [SearchDoc("a/1/", "重阳节敬老", "活动", "2026-10-01", "重点工作"),
            SearchDoc("a/2/", "重点工作", "活动", "2026-09-01", "重阳节")]
    files = build_index(docs)
    # 重杨 -> 重阳 or 重点: both are title bigrams once; 阳 comes first in the list only if
    # it is in more titles, so add one more.
    files = build_index([*docs, SearchDoc("a/3/", "九九重阳", "活动", "2026-08-01", "")])
    assert search.search(files, "重杨").suggestion == "重阳"


def test_numbers_match_with_or_without_thousands_separators():
    docs = [SearchDoc("n/1/", "收支公开", "公告", "2026-01-01", "平安巡视队补贴 12,000.00 元"),
            SearchDoc("n/2/", "另一份公开", "公告", "2026-01-02", "共建资金 8000 元，约 1.5万 人次")]
    files = build_index(docs)
    for q in ("12000", "12,000", "1.2万", "12，000"):
        assert query(files, q)[:1] == ["n/1/"], q
    for q in ("8,000", "8000", "0.8万"):
        assert query(files, q)[:1] == ["n/2/"], q
    assert query(files, "15000")[:1] == ["n/2/"]


def _unicodedata_only(text: str) -> str:
    """normalize() without its fold of the fullwidth forms: NFKC by unicodedata alone."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(search, "_fold_fullwidth", lambda t: t)
        return search.normalize(text)


_FULLWIDTH = [chr(c) for c in (0x3000, *range(0xFF01, 0xFF5F))]
# Combining marks (acute, diaeresis, the kana voicing mark, cedilla + acute out of order),
# half a Hangul syllable, and characters NFKC composes or decomposes: what could interact.
_AROUND = ["", "a", "中", "\u0301", "\u0308", "\u3099", "\u0327\u0301", "\u1100", "\u1161", "\uac00",
           "\u2160", "\ufb01", "\u212b", "e\u0301", "，", "Ａ"]


def test_folding_the_fullwidth_forms_first_gives_unicodedatas_nfkc():
    # normalize() replaces each fullwidth form by its NFKC before unicodedata's NFKC (its slow
    # path otherwise): a compatibility-equivalent text, whose NFKC must be the same.
    for c in _FULLWIDTH:
        for before in _AROUND:
            for after in _AROUND:
                text = before + c + after + c
                assert search.normalize(text) == _unicodedata_only(text), repr(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_FULLWIDTH + _AROUND[1:] + list("12,000.5万萬學")), max_size=16).map("".join))
def test_normalize_is_unicodedatas_nfkc_on_mixed_text(text):
    assert search.normalize(text) == _unicodedata_only(text)


def test_a_builds_shared_grams_give_each_document_the_terms_it_has_alone():
    # build_index keeps each distinct CJK run's grams for the whole build; a document's terms
    # (their counts and order too) must not depend on the documents read before it.
    groups = search.synonym_groups()
    pinyin_runs: dict = {}
    grams: dict = {}
    for d in [*DOCS, *reversed(DOCS)]:
        alone = search.doc_terms(d.title, d.text, groups)
        assert search.doc_terms(d.title, d.text, groups, pinyin_runs, grams) == alone, d.url
    assert grams


def test_levels_in_the_postings():
    # 0 once in the text, 1 several times, 2 in the title (once in the text or not at all),
    # 3 in the title and several times in the text. (Words of no synonym group.)
    docs = [SearchDoc("a/1/", "梧桐石榴", "活动", "2026-01-02", "梧桐梧桐，石榴。桂花"),
            SearchDoc("a/2/", "桂花", "活动", "2026-01-01", "梧桐，桂花")]
    files = build_index(docs)
    meta = json.loads(files["search/meta.json"])
    words = ["梧桐", "石榴", "桂花"]
    found = dict(zip(words, search._lookup(files, meta, words)))
    assert decode_postings(found["梧桐"]) == [(0, 3), (1, 0)]
    assert decode_postings(found["石榴"]) == [(0, 2)]
    assert decode_postings(found["桂花"]) == [(0, 0), (1, 2)]


def test_synonyms_from_the_data_file_are_added_at_index_time(tmp_path, monkeypatch):
    docs = [SearchDoc("a/1/", "重阳节庆生", "活动", "2026-10-18", "医生为老人做了健康检查。"),
            SearchDoc("a/2/", "垃圾清运", "活动", "2026-04-12", "清运垃圾约 3 车。")]
    files = build_index(docs)
    assert query(files, "体检")[:1] == ["a/1/"]
    assert query(files, "垃圾分类")[:1] == ["a/2/"]
    # The groups are data: a new line in the file is a new synonym, with no code change.
    own = tmp_path / "synonyms.yml"
    own.write_text("groups:\n  - [庆生, 做寿]\n", encoding="utf-8")
    monkeypatch.setattr(search, "SYNONYMS", own)
    files = build_index(docs)
    assert query(files, "做寿")[:1] == ["a/1/"] and query(files, "体检") == []


def test_a_synonym_group_of_one_word_is_refused(tmp_path):
    bad = tmp_path / "synonyms.yml"
    bad.write_text("groups:\n  - [体检]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="至少要有两个词"):
        search.synonym_groups(bad)


def test_the_fold_table_holds_only_what_the_index_needs(files):
    fold = json.loads(files["search/fold.json"])
    pairs = fold["t2s"]
    table = {pairs[i]: pairs[i + 1] for i in range(0, len(pairs), 2)}
    assert table["鋒"] == "锋" and table["陽"] == "阳"
    assert "鐵" not in table  # 铁 is in no document: a phone need not know 鐵
    assert len(files["search/fold.json"]) < 4000
    assert {"lei", "feng", "chong", "yang"} <= set(fold["py"].split())


def test_a_title_hit_comes_before_a_newer_body_hit(files):
    # 星级文明家庭 in the honour's title beats the newer hotel visit that only mentions 文明家庭.
    assert query(files, "文明家庭")[:2] == ["honors/2026/#shi", "honors/2026/#wang"]
    assert query(files, "文明家庭")[2] == "activities/2026-04-02-hotel/"


@pytest.mark.parametrize("q", ["", "   ", "，。！？", "——……", "\u3000"])
def test_an_empty_query_finds_nothing_and_fetches_no_shard(files, q):
    assert query(files, q) == []
    assert query_terms(q) == []
    assert first_query_files(files, q) == ["search/meta.json"]


def test_a_pasted_paragraph_is_capped_but_still_finds_its_document(files):
    q = DOCS[4].text
    assert len(query_terms(q)) == MAX_QUERY_TERMS
    assert query(files, q) == ["honors/2026/#shi"]


def test_the_same_documents_give_the_same_bytes_in_any_order():
    files = build_index(DOCS)
    assert build_index(list(reversed(DOCS))) == files
    meta = json.loads(files["search/meta.json"])
    assert meta["v"] and meta["docs"] == len(DOCS)
    # A changed document changes the version phones append to every fetch.
    changed = build_index([*DOCS[:-1], SearchDoc("about/", "社区简介", "关于", "", "新的简介")])
    assert json.loads(changed["search/meta.json"])["v"] != meta["v"]


def test_files_are_compact_utf8_json_under_search(files):
    for path, data in files.items():
        assert path.startswith("search/") and path.endswith(".json")
        text = data.decode("utf-8")
        json.loads(text)
        assert "\\u" not in text and ": " not in text


def test_two_documents_with_one_url_are_refused():
    with pytest.raises(ValueError):
        build_index([DOCS[0], DOCS[0]])


@given(st.lists(st.tuples(st.integers(1, 5000), st.booleans()), max_size=60))
def test_postings_survive_encoding(gaps_titles):
    entries, doc_id = [], -1
    for gap, in_title in gaps_titles:
        doc_id += gap
        entries.append((doc_id, in_title))
    encoded = encode_postings(entries)
    assert re.fullmatch(r"[0-9A-Za-z_-]*", encoded)
    assert decode_postings(encoded) == entries


_CHARS = "重阳学雷锋星级文明家庭社区老人志愿"
_corpus = st.lists(st.text(alphabet=_CHARS + " ，", min_size=1, max_size=40), min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(_corpus, st.data())
def test_every_document_holding_the_phrase_is_found(texts, data):
    docs = [SearchDoc(f"a/{i}/", f"标题{i}", "活动", f"2026-01-{1 + i:02d}", t) for i, t in enumerate(texts)]
    files = build_index(docs)
    source = data.draw(st.sampled_from(texts))
    start = data.draw(st.integers(0, len(source) - 1))
    phrase = source[start:start + data.draw(st.integers(1, 6))].strip(" ，")
    if not phrase or " " in phrase or "，" in phrase:
        return
    found = set(query(files, phrase))
    assert {d.url for d in docs if phrase in d.text} <= found


@settings(max_examples=40, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, min_size=2, max_size=8), min_size=1, max_size=8), st.data())
def test_a_title_word_with_one_wrong_character_is_never_a_dead_end(titles, data):
    docs = [SearchDoc(f"a/{i}/", t, "活动", f"2026-01-{1 + i:02d}", "正文") for i, t in enumerate(titles)]
    files = build_index(docs)
    title = data.draw(st.sampled_from(titles))
    at = data.draw(st.integers(0, len(title) - 2))
    word = title[at:at + 2]
    typo = data.draw(st.sampled_from([word[0] + "骉", "骉" + word[1]]))  # 骉 is in no title
    result = search.search(files, typo)
    assert result.ids, typo
    assert any(result.suggestion in t for t in titles)


def test_a_shard_stays_small_at_a_few_hundred_documents():
    docs = [SearchDoc(f"a/{i}/", f"活动{i}", "活动", "2026-01-01",
                      "".join(_CHARS[(i * 7 + j * j) % len(_CHARS)] for j in range(300)) + f"编号{i}号")
            for i in range(300)]
    files = build_index(docs)
    shards = [b for p, b in files.items() if p.startswith("search/t/")]
    assert len(shards) > 1
    assert max(map(len, shards)) < 3 * SHARD_TARGET_BYTES


def test_the_header_partial_is_a_plain_form_with_a_deferred_script():
    html = PARTIAL.read_text(encoding="utf-8")
    assert re.search(r'<form[^>]*action="\{\{ root \}\}search/"[^>]*role="search"', html)
    assert re.search(r'<label[^>]*for="cb-search-q"', html) and 'id="cb-search-q"' in html
    assert 'name="q"' in html and 'type="submit"' in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all("src=" in attrs and "defer" in attrs and not body.strip() for attrs, body in scripts)


# --- search.js against a stub page, under Node --------------------------------------------

_STUB = r"""
const fs = require('fs'), vm = require('vm');
const [files, q] = JSON.parse(fs.readFileSync(0, 'utf8'));
const fetched = [];
function El(tag) { this.tagName = tag; this.childNodes = []; this.attrs = {}; this.parentNode = null; }
El.prototype.appendChild = function (c) { c.parentNode = this; this.childNodes.push(c); return c; };
El.prototype.removeChild = function (c) { this.childNodes.splice(this.childNodes.indexOf(c), 1); c.parentNode = null; return c; };
Object.defineProperty(El.prototype, 'firstChild', { get() { return this.childNodes[0] || null; } });
El.prototype.setAttribute = function (k, v) { this.attrs[k] = String(v); };
El.prototype.getAttribute = function (k) { return k in this.attrs ? this.attrs[k] : null; };
function text(n) { return n.nodeType === 3 ? n.data : n.childNodes.map(text).join(''); }
function all(n, tag, out) { if (n.tagName === tag) out.push(n); (n.childNodes || []).forEach(c => all(c, tag, out)); return out; }
const box = new El('div'); box.setAttribute('data-base', '../');
const input = new El('input'); input.value = '';
const document = {
  readyState: 'complete',
  getElementById: id => id === 'search-results' ? box : null,
  querySelectorAll: sel => sel === 'input[name="q"]' ? [input] : [],
  createElement: t => new El(t),
  createTextNode: t => ({ nodeType: 3, data: t, parentNode: null }),
  addEventListener() {},
};
function XMLHttpRequest() {}
XMLHttpRequest.prototype.open = function (m, url) { this.url = url; };
XMLHttpRequest.prototype.send = function () {
  fetched.push(this.url);
  const path = this.url.replace(/^\.\.\//, '').replace(/\?.*$/, '');
  setTimeout(() => {
    this.readyState = 4;
    this.status = path in files ? 200 : 404;
    this.responseText = path in files ? files[path] : '';
    this.onreadystatechange();
  }, 0);
};
const window = { location: { search: '?q=' + encodeURIComponent(q).replace(/%20/g, '+') } };
const context = { window, document, XMLHttpRequest, String, Math, Date, JSON, parseInt, decodeURIComponent };
vm.runInNewContext(fs.readFileSync(process.argv[1], 'utf8'), context);
let firstPage = null;
function settle() {
  const busy = all(box, 'p', []).some(p => /正在/.test(text(p)));
  if (busy) { setTimeout(settle, 5); return; }
  const more = all(box, 'button', [])[0];
  if (firstPage === null) firstPage = fetched.slice();
  if (more && !more.disabled) { more.onclick(); setTimeout(settle, 5); return; }
  setTimeout(() => {
    if (all(box, 'button', []).length && all(box, 'button', [])[0].parentNode) return settle();
    const links = all(box, 'a', []).filter(a => a.className === 'cb-search__link');
    process.stdout.write(JSON.stringify({
      input: input.value,
      status: all(box, 'p', []).filter(p => /status/.test(p.className)).map(text),
      hints: all(box, 'p', []).filter(p => /hint/.test(p.className)).map(text),
      links: links.map(a => a.href),
      titles: links.map(text),
      marks: all(box, 'mark', []).map(text),
      meta: all(box, 'p', []).filter(p => p.className === 'cb-search__meta').map(text),
      firstPage,
    }));
  }, 20);
}
setTimeout(settle, 20);
"""

needs_node = pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")


def _run_js(files: dict[str, bytes], q: str) -> dict:
    payload = json.dumps([{p: b.decode("utf-8") for p, b in files.items()}, q], ensure_ascii=False)
    out = subprocess.run(["node", "-e", _STUB, str(SEARCH_JS)], input=payload.encode("utf-8"),
                         capture_output=True, timeout=60, check=True)
    return json.loads(out.stdout)


@needs_node
@pytest.mark.parametrize("q", ["重阳", "星级文明家庭", "学雷锋", "雷", "重阳 老人", "学雷锋！", "ＷＩＦＩ", "家",
                               "老人重阳活动", "學雷鋒", "leifeng", "xue lei feng", "xlf", "长者", "20"])
def test_search_js_lists_what_query_lists(files, q):
    got = _run_js(files, q)
    assert got["links"] == ["../" + u for u in query(files, q)]
    assert got["input"] == q
    assert got["status"] == [f"找到 {len(got['links'])} 条与「{q}」有关的内容"]


@needs_node
@pytest.mark.parametrize("typo", ["重杨", "雷峰"])
def test_search_js_suggests_the_title_a_typo_meant(files, typo):
    got = _run_js(files, typo)
    meant = search.search(files, typo).suggestion
    assert meant and got["links"] == ["../" + u for u in query(files, typo)]
    assert got["status"] == [f"没有找到与「{typo}」有关的内容，下面是「{meant}」的 {len(got['links'])} 条结果"]
    assert f"您是不是要找：{meant}" in got["hints"]
    assert got["marks"] and all(m in meant for m in got["marks"])


@needs_node
@pytest.mark.parametrize("q", ["星级文明家庭", DOCS[4].text, "重杨", "不存在的词", "學雷鋒"])
def test_search_js_fetches_only_what_the_first_page_needs(files, q):
    got = _run_js(files, q)
    paths = sorted({re.sub(r"^\.\./|\?.*$", "", u) for u in got["firstPage"]})
    assert paths == sorted(first_query_files(files, q))


@needs_node
def test_search_js_shows_title_highlight_kind_and_date(files):
    got = _run_js(files, "星级文明家庭")
    assert got["titles"][0] == "星级文明家庭：施福生家庭" and got["marks"][0] == "星级文明家庭"
    assert got["meta"][0] == "光荣榜 · 2026年5月12日"


@needs_node
def test_search_js_pages_ten_results_at_a_time():
    docs = [SearchDoc(f"activities/2026-01-{d:02d}-x/", f"重阳活动{d}", "活动", f"2026-01-{d:02d}", "重阳")
            for d in range(1, 26)]
    files = build_index(docs)
    got = _run_js(files, "重阳")
    assert got["links"] == ["../" + u for u in query(files, "重阳")] and len(got["links"]) == 25
    chunk_fetches = [u for u in got["firstPage"] if "/d/" in u]
    # The ten newest (equal scores: newer first) fill the first chunks, nothing more.
    assert len(chunk_fetches) == -(-10 // search.DOC_CHUNK)


@needs_node
def test_search_js_decodes_long_gaps_between_documents():
    # Hits at triangular ids: gaps 1..40 exercise every digit of the postings codec.
    hits = {i * (i + 1) // 2 for i in range(41)}
    docs = [SearchDoc(f"a/{i:03d}/", f"第{i}期", "活动", "2026-01-01", "重阳" if i in hits else "中秋")
            for i in range(max(hits) + 1)]
    files = build_index(docs)
    got = _run_js(files, "重阳")
    assert got["links"] == ["../" + u for u in query(files, "重阳")] and len(got["links"]) == len(hits)


@needs_node
@pytest.mark.parametrize("q, words", [
    ("不存在的词", ["没有找到与「不存在的词」有关的内容。", "全部活动"]),
    ("", ["请在搜索框里输入要找的字词"]),
    ("！！", ["请在搜索框里输入要找的字词"]),
])
def test_search_js_explains_no_result_in_chinese(files, q, words):
    got = _run_js(files, q)
    said = "".join(got["status"] + got["hints"])
    assert got["links"] == []
    for w in words:
        assert w in said


# --- the demo's query set: the measure of the ranking ---------------------------------------

QUERIES = ROOT / "tests" / "data" / "search_queries.yml"


def _passes(entry: dict, urls: list[str]) -> bool:
    top = urls[:3]
    return all(u in top for u in entry.get("want", ())) and (
        not entry.get("any") or any(u in top for u in entry["any"]))


@pytest.fixture(scope="module")
def demo_files() -> dict[str, bytes]:
    from datetime import date
    from community_board.content import load_content
    return build_index(search.documents(load_content(ROOT / "content", date(2026, 11, 25))))


@pytest.fixture(scope="module")
def query_set() -> dict[str, list[dict]]:
    import yaml
    return yaml.safe_load(QUERIES.read_text(encoding="utf-8"))


def test_the_query_set_is_big_enough_and_names_real_records(demo_files, query_set):
    assert len(query_set["tuning"]) + len(query_set["held_out"]) >= 60 and len(query_set["held_out"]) >= 20
    urls = set(query(demo_files, "社区") + query(demo_files, "家"))
    meta = json.loads(demo_files["search/meta.json"])
    rows = [r[0] for p, b in demo_files.items() if p.startswith("search/d/") for r in json.loads(b)]
    assert len(rows) == meta["docs"] and urls <= set(rows)
    for part in query_set.values():
        for entry in part:
            assert entry.get("want") or entry.get("any"), entry
            assert set(entry.get("want", ())) | set(entry.get("any", ())) <= set(rows), entry


@pytest.mark.parametrize("part", ["tuning", "held_out"])
def test_residents_find_what_they_mean_on_the_demo(demo_files, query_set, part):
    entries = query_set[part]
    results = {str(e["q"]): query(demo_files, str(e["q"])) for e in entries}
    empty = [q for q, urls in results.items() if not urls]
    missed = [f"{e['q']}: {results[str(e['q'])][:3]}" for e in entries if not _passes(e, results[str(e["q"])])]
    assert empty == [], "这些查询什么也没找到：" + "、".join(empty)
    assert len(missed) <= 0.05 * len(entries), "前三条里没有要找的记录：\n" + "\n".join(missed)


# --- the real search.js in Chromium ranks as query() does ----------------------------------

CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
def test_search_js_in_chromium_ranks_the_query_set_as_python_does(demo_files, query_set, tmp_path, chromium):
    import functools
    import http.server
    import threading
    from urllib.parse import quote, urlsplit

    from bench_search import write_search_site
    write_search_site(tmp_path, demo_files, csp="default-src 'self'")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(tmp_path)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    # Every typo, fold and pinyin query, and every third of the others: the JS must agree.
    entries = [*query_set["tuning"], *query_set["held_out"]]
    sample = [str(e["q"]) for i, e in enumerate(entries)
              if i % 3 == 0 or not re.fullmatch(r"[\u4e00-\u9fff]+", str(e["q"]))
              or search.search(demo_files, str(e["q"])).suggestion]
    sample += ["重杨", "学雷峰", "雷鋒", "leifeng", "xlf", "12000"]
    foreign: list[str] = []
    try:
        context = chromium.new_context()
        try:
            page = context.new_page()
            page.on("request", lambda r: urlsplit(r.url).hostname != "127.0.0.1" and foreign.append(r.url))
            errors: list[str] = []
            page.on("pageerror", lambda e: errors.append(str(e)))
            for q in dict.fromkeys(sample):
                page.goto(base + "search/?q=" + quote(q))
                page.locator(".cb-search__status", has_not_text="正在").wait_for()
                shown = page.eval_on_selector_all(".cb-search__link", "as => as.map(a => a.getAttribute('href'))")
                assert shown == ["../" + u for u in query(demo_files, q)[:10]], q
                meant = search.search(demo_files, q).suggestion
                hint = page.eval_on_selector_all(".cb-search__hint", "ps => ps.map(p => p.textContent)")
                assert (f"您是不是要找：{meant}" in hint) == bool(meant), q
        finally:
            context.close()
    finally:
        server.shutdown()
        server.server_close()
    assert errors == [] and foreign == []
