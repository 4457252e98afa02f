"""The board's Chinese search: what a resident typing on a phone gets back.

The index (hooks/community_board/search.py) and its client (overrides/assets/board/search.js)
must agree: `query()` is the Python mirror, and the last tests run the real search.js under
Node against a stub page and compare the links it renders with `query()`.
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


@pytest.mark.parametrize("q, expected", [
    # The activity has 重阳 in its title; the notice only in its text.
    ("重阳", ["activities/2025-10-11-chongyang/", "notices/2025-10-01-chongyang-signup/"]),
    # The full phrase: the plain 文明家庭 honour and the hotel (三星级 … 文明家庭) are not it.
    ("星级文明家庭", ["honors/2026/#shi"]),
    # 学雷锋, not every text that has 雷锋 and 学 somewhere.
    ("学雷锋", ["activities/2026-03-05-leifeng/"]),
    ("雷锋", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    # One character: every document that has it, title hits first.
    ("雷", ["activities/2026-03-05-leifeng/", "activities/2026-01-20-spirit/"]),
    ("邻", ["slogans/#s0", "honors/2026/#shi"]),
    # Space and punctuation separate words that must all be there.
    ("重阳 老人", ["activities/2025-10-11-chongyang/"]),
    ("学雷锋！", ["activities/2026-03-05-leifeng/"]),
    ("《重阳》，", ["activities/2025-10-11-chongyang/", "notices/2025-10-01-chongyang-signup/"]),
    # ASCII is case-insensitive and full-width letters fold to half-width.
    ("wifi", ["activities/2026-02-14-wifi/"]),
    ("ＷＩＦＩ", ["activities/2026-02-14-wifi/"]),
    ("不存在的词", []),
])
def test_a_query_finds_the_documents_that_contain_it(files, q, expected):
    assert query(files, q) == expected


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
@pytest.mark.parametrize("q", ["重阳", "星级文明家庭", "学雷锋", "雷", "重阳 老人", "学雷锋！", "ＷＩＦＩ", "家"])
def test_search_js_lists_what_query_lists(files, q):
    got = _run_js(files, q)
    assert got["links"] == ["../" + u for u in query(files, q)]
    assert got["input"] == q
    assert got["status"] == [f"找到 {len(got['links'])} 条与「{q}」有关的内容"]


@needs_node
@pytest.mark.parametrize("q", ["星级文明家庭", DOCS[4].text])
def test_search_js_fetches_only_what_the_first_page_needs(files, q):
    got = _run_js(files, q)
    paths = sorted({re.sub(r"^\.\./|\?.*$", "", u) for u in got["firstPage"]})
    assert paths == sorted(first_query_files(files, q))


@needs_node
def test_search_js_shows_title_highlight_kind_and_date(files):
    got = _run_js(files, "星级文明家庭")
    assert got["titles"] == ["星级文明家庭：施福生家庭"] and got["marks"][0] == "星级文明家庭"
    assert got["meta"] == ["光荣榜 · 2026年5月12日"]


@needs_node
def test_search_js_pages_ten_results_at_a_time():
    docs = [SearchDoc(f"activities/2026-01-{d:02d}-x/", f"重阳活动{d}", "活动", f"2026-01-{d:02d}", "重阳")
            for d in range(1, 26)]
    files = build_index(docs)
    got = _run_js(files, "重阳")
    assert got["links"] == ["../" + u for u in query(files, "重阳")] and len(got["links"]) == 25
    chunk_fetches = [u for u in got["firstPage"] if "/d/" in u]
    assert len(chunk_fetches) == 1  # the ten newest share one 16-document chunk


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
