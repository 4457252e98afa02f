"""Benchmark of the board's Chinese search: index size, bytes a phone fetches, recall.

    python scripts/bench_search.py                    # demo size and 2,000 activities
    python scripts/bench_search.py --activities 5000  # another synthetic size
    python scripts/bench_search.py --browser          # also run search.js in Chromium
    python scripts/bench_search.py --pagefind PATH    # also Pagefind's extended binary
    python scripts/bench_search.py --content content  # also the real records in content/

For each corpus it prints the total index bytes, then for each query of QUERIES the bytes of
the files fetched for the first page of results (meta + fold table + postings shards +
doc-table chunks; raw and gzip -6, which is what a static host sends) by a phone with an
empty cache ("first"), and by the same phone after the queries above it ("later": meta.json
is fetched anew, every other file is cached by its ?v=), the number of requests, and recall
and precision against a brute-force substring match over title + text (every part of the
query must be in the document: ranking finds more than that, and drops the weak tail).
Then the demo's query set (tests/data/search_queries.yml) on the records in content/: the
share of queries whose record(s) are in the first three, tuning and held-out part apart.

`--browser` serves the index on 127.0.0.1, opens a tiny page with the real
overrides/assets/board/search.js in Debian's Chromium (Playwright), and records every byte the
page fetched and the links it rendered; it fails loudly if they differ from `query()`.
`--pagefind` builds the same documents as HTML pages, indexes them with Pagefind (the npm
package `pagefind`, whose `@pagefind/linux-x64` dependency ships `pagefind_extended`), and
measures its first query the same way in Chromium (its default API: search, then data() of the
first 10 results, which is what a results list needs).

The synthetic corpus comes from a small deterministic generator in this file (seeded; same
bytes every run); it does not depend on any other generator in the project.
"""
from __future__ import annotations

import argparse
import gzip
import json
import random
import sys
import tempfile
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))

from community_board.search import (  # noqa: E402
    SearchDoc, build_index, documents, first_query_files, normalize, query,
)

QUERIES = [
    "重阳", "星级文明家庭", "学雷锋", "环境整治", "低保政策", "法律知识进万家", "元宵", "中秋",
    "垃圾分类", "消防安全", "防范电信诈骗", "义诊", "志愿者", "文明家庭", "居务公开",
    "党员", "端午节", "重阳 敬老", "学雷锋！", "家", "雷", "社区",
    # issue 18's: natural phrasing, Traditional, pinyin, numbers, typos
    "消防检查", "重阳节活动", "居委会电话", "体检", "12000", "雷鋒", "重陽", "leifeng", "重杨", "学雷峰",
]
QUERY_SET = ROOT / "tests" / "data" / "search_queries.yml"
PER_PAGE = 10

# --- synthetic corpus ----------------------------------------------------------------------

PLACES = ["社区服务中心", "社区广场", "党群服务站", "老年活动室", "图书阅览室", "3栋前坪",
          "白沙井公园", "社区文化活动室", "居民议事厅", "12栋架空层"]
PARTNERS = ["人民医院", "城南路小学", "区司法局", "街道综合执法队", "消防救援站", "区图书馆",
            "物业公司", "共建单位天心区税务局", "长沙银行白沙支行", "爱心企业"]
PEOPLE = ["社区书记", "社区主任", "网格员", "志愿者代表", "楼栋长", "退休老党员", "居民代表"]

THEMES = {
    "leifeng": {
        "titles": ["学雷锋走访困难家庭", "学雷锋志愿服务进楼栋", "三月学雷锋便民服务", "弘扬雷锋精神 志愿服务暖人心"],
        "sentences": [
            "在三月学雷锋月期间，社区组织志愿者开展了便民服务活动。",
            "志愿者们为居民义务理发、磨刀、修理小家电，现场热闹非凡。",
            "雷锋精神历久弥新，志愿服务永远在路上。",
            "志愿者带着米、油等慰问品走访了辖区困难家庭，详细了解他们的生活情况。",
            "学雷锋不是一阵风，社区将把志愿服务常态化，让更多居民参与进来。",
        ],
    },
    "elderly": {
        "titles": ["重阳节敬老爱老活动", "九九重阳 情暖夕阳", "重阳登高 健康同行", "为高龄老人送上重阳祝福"],
        "sentences": [
            "农历九月初九是重阳节，社区为辖区高龄老人送去了节日祝福和慰问品。",
            "志愿者陪老人们聊天、包饺子，现场洋溢着浓浓的敬老氛围。",
            "社区将继续关爱空巢老人、独居老人，弘扬孝老爱亲的传统美德。",
            "医护人员为老人们免费测量血压、血糖，讲解秋冬季节养生知识。",
            "老人们表演了合唱和太极拳，展现了老有所乐的精神风貌。",
        ],
    },
    "civility": {
        "titles": ["星级文明家庭评选表彰", "文明家庭创建动员会", "最美家庭事迹分享会", "好家风好家训进社区"],
        "sentences": [
            "社区开展星级文明家庭评选活动，经过居民推荐、楼栋公示，评出了一批先进家庭。",
            "受表彰的家庭分享了孝老爱亲、邻里互助的感人故事。",
            "家庭是社会的细胞，好家风带动好民风、促进好社风。",
            "社区为获评的文明家庭颁发了证书和牌匾，号召居民向他们学习。",
            "活动现场，居民们一起诵读家规家训，传承中华优秀传统文化。",
        ],
    },
    "environment": {
        "titles": ["环境整治大行动", "清理楼道杂物 共建美丽家园", "垃圾分类宣传进小区", "爱国卫生月环境整治"],
        "sentences": [
            "社区组织党员、志愿者和物业公司开展环境整治，清理卫生死角和楼道杂物。",
            "垃圾分类从我做起，志愿者现场向居民讲解可回收物、厨余垃圾的分类方法。",
            "经过整治，小区环境焕然一新，居民们纷纷点赞。",
            "社区将建立环境卫生长效管理机制，定期开展巡查。",
            "居民自发参与清扫，共同守护干净整洁的家园。",
        ],
    },
    "law": {
        "titles": ["法律知识进万家", "防范电信诈骗宣传", "民法典宣传进社区", "法律援助咨询活动"],
        "sentences": [
            "社区联合区司法局开展法律知识进万家活动，律师现场为居民解答法律问题。",
            "民警结合真实案例，讲解了冒充客服、刷单返利等常见电信诈骗手法。",
            "居民们纷纷表示，学到了实用的法律知识，增强了防范意识。",
            "社区发放宣传资料三百余份，接受群众咨询五十余人次。",
            "遇到纠纷要依法维权，遇到诈骗要及时报警。",
        ],
    },
    "policy": {
        "titles": ["低保政策宣讲会", "医保政策进社区", "养老服务政策解读", "就业创业政策宣传"],
        "sentences": [
            "社区工作人员向居民详细解读了最新的低保政策和申请流程。",
            "对符合条件的困难群众，社区将做到应保尽保，确保政策落实到位。",
            "工作人员耐心解答了居民关于医保缴费、报销比例等问题。",
            "社区设立政策咨询台，方便居民随时了解惠民政策。",
        ],
    },
    "festival": {
        "titles": ["元宵佳节猜灯谜", "中秋月圆 邻里同欢", "端午节包粽子", "迎新春写春联送福字"],
        "sentences": [
            "佳节来临，社区举办了传统节日主题活动，吸引了众多居民参加。",
            "居民们一起猜灯谜、吃汤圆，共度元宵佳节。",
            "中秋之夜，邻里围坐一起品月饼、赏明月，其乐融融。",
            "端午节前夕，社区组织居民包粽子、挂艾草，感受传统文化魅力。",
            "书法爱好者现场挥毫泼墨，为居民送上春联和福字。",
        ],
    },
    "safety": {
        "titles": ["消防安全演练", "燃气安全入户检查", "防汛应急演练", "电动车安全充电宣传"],
        "sentences": [
            "社区联合消防救援站开展消防安全演练，教居民正确使用灭火器。",
            "网格员逐户检查燃气管道和阀门，排查安全隐患。",
            "电动车不进楼道、不私拉电线充电，安全意识要时刻牢记。",
            "演练结束后，消防员为居民讲解了火灾逃生自救知识。",
        ],
    },
    "health": {
        "titles": ["义诊进社区 健康送到家", "健康知识讲座", "家庭医生签约服务", "免费体检惠民生"],
        "sentences": [
            "社区联合人民医院开展义诊活动，医生为居民提供免费问诊服务。",
            "讲座围绕高血压、糖尿病等慢性病的预防和日常管理展开。",
            "家庭医生签约服务让居民在家门口就能享受健康管理。",
        ],
    },
    "party": {
        "titles": ["主题党日活动", "党员志愿服务日", "党史学习教育", "在职党员进社区报到"],
        "sentences": [
            "社区党委组织党员开展主题党日活动，重温入党誓词。",
            "党员们佩戴党徽，亮明身份，深入楼栋开展志愿服务。",
            "通过学习，党员们进一步坚定了理想信念，增强了服务群众的本领。",
        ],
    },
}
GENERAL = [
    "本次活动由社区居委会主办，{partner}协办。",
    "活动在{place}举行，共有{n}名居民参加。",
    "{person}在活动中讲话，感谢大家的积极参与。",
    "活动持续了{h}个小时，现场秩序井然。",
    "下一步，社区将继续围绕居民需求，开展形式多样的服务活动。",
    "许多居民表示，这样的活动很有意义，希望以后多多举办。",
    "社区志愿者提前布置了场地，准备了茶水和宣传资料。",
    "本次活动共计服务居民{n}人次，发放资料{m}份。",
    "活动得到了{partner}的大力支持。",
]
HONOR_TITLES = ["星级文明家庭", "最美家庭", "好婆婆", "好媳妇", "优秀志愿者", "文明楼栋", "五好家庭"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国秀英桂兰志强丽华福生淑珍玉梅红霞德明海燕金凤国平文华小军春花立新"


# Real reports name people, streets, groups and details that templates never repeat; without
# them the index would be unrealistically small. Words from jieba's dictionary (if installed)
# stand in for that long tail, so shard counts grow with the corpus as they would for real.
DETAILS = [
    "{name}说：“{w}、{w}，{w}都是大家关心的{w}。”",
    "现场还讨论了{w}和{w}的问题，{name}记录了居民提出的{w}建议。",
    "{name}一家带来了{w}，邻居们围在一起说起{w}、{w}。",
]


def _vocabulary() -> list[str]:
    try:
        import jieba  # noqa: PLC0415
    except ImportError:
        return sorted({w for t in THEMES.values() for s in t["sentences"] for w in (s[:2], s[2:4])})
    words = []
    with open(Path(jieba.__file__).parent / "dict.txt", encoding="utf-8") as f:
        for line in f:
            word, freq = line.split()[:2]
            if int(freq) >= 200 and 2 <= len(word) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in word):
                words.append(word)
    return sorted(words)


def _fill(rng: random.Random, s: str, vocab: list[str] = ()) -> str:
    name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2))
    out = s.format(partner=rng.choice(PARTNERS), place=rng.choice(PLACES), person=rng.choice(PEOPLE),
                   n=rng.randint(12, 300), m=rng.randint(50, 800), h=rng.randint(1, 5), name=name,
                   w="{w}")
    while "{w}" in out and vocab:
        out = out.replace("{w}", rng.choice(vocab), 1)
    return out


def synthetic_activities(count: int, seed: int = 2026) -> list[SearchDoc]:
    rng = random.Random(seed)
    themes = sorted(THEMES)
    vocab = _vocabulary()
    docs = []
    for i in range(count):
        theme = THEMES[themes[rng.randrange(len(themes))]]
        # Spread over ~8 years, several per week at 2,000.
        day = 800 + (i * 2900) // max(count, 1)
        year, doy = 2018 + day // 365 - 2, day % 365
        month, dom = 1 + doy // 31 % 12, 1 + doy % 28
        date = f"{year:04d}-{month:02d}-{dom:02d}"
        title = rng.choice(theme["titles"])
        if rng.random() < 0.3:
            title = f"{rng.choice(PLACES)}{title}"
        parts: list[str] = []
        target = rng.randint(300, 800)
        while sum(map(len, parts)) < target:
            r = rng.random()
            pool = theme["sentences"] if r < 0.45 else GENERAL if r < 0.75 else DETAILS
            parts.append(_fill(rng, rng.choice(pool), vocab))
        text = "".join(parts)
        docs.append(SearchDoc(url=f"activities/{date}-a{i:04d}/", title=title, kind="活动",
                              date=date, text=text))
    return docs


def demo_corpus(seed: int = 7) -> list[SearchDoc]:
    """About the demo's size: 40 activities, 30 honours, 12 notices, 8 slogans, about page."""
    rng = random.Random(seed)
    docs = synthetic_activities(40, seed)
    for i in range(30):
        year = 2024 + i % 3
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN, 2)) + "家庭"
        title = rng.choice(HONOR_TITLES)
        docs.append(SearchDoc(url=f"honors/{year}/#h{i}", title=f"{title}：{name}", kind="光荣榜",
                              date=f"{year}-05-{10 + i % 18:02d}",
                              text=f"{name}家庭和睦，孝老爱亲，热心邻里事务，被评为{title}。"))
    notice_titles = ["居务公开：第一季度收支情况", "关于开展垃圾分类督导的通知", "低保政策调整公告",
                     "重阳节敬老活动报名通知", "党务公开：发展党员公示", "停水通知"]
    for i in range(12):
        t = notice_titles[i % len(notice_titles)]
        date = f"{2025 + i % 2}-{1 + i:02d}-15"
        docs.append(SearchDoc(url=f"notices/{date}-n{i}/", title=t, kind="公告", date=date,
                              text="".join(_fill(rng, rng.choice(GENERAL)) for _ in range(6))))
    slogans = ["邻里守望，大家相帮，各献其爱，共享幸福", "垃圾分类，从我做起", "学雷锋，树新风",
               "尊老爱幼是中华民族的传统美德", "家和万事兴", "法律知识进万家，平安和谐靠大家",
               "重阳敬老，孝亲爱老", "文明家庭，和谐社区"]
    for i, s in enumerate(slogans):
        docs.append(SearchDoc(url=f"slogans/#s{i}", title=s, kind="标语", date="", text=s))
    docs.append(SearchDoc(url="about/", title="社区简介", kind="关于", date="",
                          text="白沙井社区位于长沙市天心区城南路街道，辖区面积0.8平方公里，居民6742人。"
                               "社区设有图书阅览室、老年活动室、党群服务站。"))
    return docs


def content_corpus(folder: Path) -> list[SearchDoc]:
    """The real records, read roughly (Markdown left as is): an estimate for the benchmark
    only. The site's own SearchDocs come from the content model in the hooks."""
    import yaml  # noqa: PLC0415
    docs = []

    def front(path: Path) -> tuple[dict, str]:
        _, head, body = path.read_text(encoding="utf-8").split("---", 2)
        return yaml.safe_load(head), body

    for path in sorted(folder.glob("activities/*/*.md")):
        fm, body = front(path)
        docs.append(SearchDoc(f"activities/{path.stem}/", fm["title"], "活动", str(fm["date"]), body))
    for path in sorted(folder.glob("notices/*.md")):
        fm, body = front(path)
        docs.append(SearchDoc(f"notices/{path.stem}/", fm["title"], "公告", str(fm["date"]), body))
    for path in sorted(folder.glob("honors/*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for i, h in enumerate(data.get("honors") or []):
            docs.append(SearchDoc(f"honors/{data['year']}/#h{i}", f"{h['title']}：{h['name']}", "光荣榜",
                                  str(h.get("date") or f"{data['year']}-01-01"), str(h.get("story") or "")))
    slogans = yaml.safe_load((folder / "slogans.yml").read_text(encoding="utf-8")) or {}
    for i, item in enumerate((slogans.get("slogans") or []) + (slogans.get("maxims") or [])):
        docs.append(SearchDoc(f"slogans/#s{i}", item["text"], "标语", "", item["text"]))
    about = yaml.safe_load((folder / "community.yml").read_text(encoding="utf-8"))
    docs.append(SearchDoc("about/", "社区简介", "关于", "", json.dumps(about, ensure_ascii=False)))
    return docs


# --- measuring -----------------------------------------------------------------------------

def gz(b: bytes) -> int:
    return len(gzip.compress(b, 6, mtime=0))


def brute_force(docs: list[SearchDoc], q: str) -> set[str]:
    """Reference: every part of the query (split at what is not a letter) is a substring."""
    parts = "".join(ch if unicodedata.category(ch)[0] in "LN" else " " for ch in normalize(q)).split()
    if not parts:
        return set()
    return {d.url for d in docs if all(p in normalize(d.title + "\n" + d.text) for p in parts)}


def measure(name: str, docs: list[SearchDoc]) -> dict:
    files = build_index(docs)
    total = sum(len(b) for b in files.values())
    total_gz = sum(gz(b) for b in files.values())
    meta = json.loads(files["search/meta.json"])
    shard_sizes = [len(b) for p, b in files.items() if p.startswith("search/t/")]
    chunks = sum(p.startswith("search/d/") for p in files)
    print(f"\n== {name}: {len(docs)} documents ==")
    print(f"index: {len(files)} files, {total / 1024:.0f} KB raw, {total_gz / 1024:.0f} KB gzip; "
          f"{meta['shards']} shards (max {max(shard_sizes) / 1024:.1f} KB), {chunks} doc chunks")
    print(f"{'query':<16}{'hits':>6}{'files':>6}{'raw KB':>9}{'gzip KB':>9}{'later':>7}{'recall':>8}{'prec.':>7}")
    worst = worst_gz = worst_later = worst_second = 0
    cached: set[str] = set()
    rows = {}
    for q in QUERIES:
        got = query(files, q)
        want = brute_force(docs, q)
        hit = len(set(got) & want)
        recall = hit / len(want) if want else 1.0
        precision = hit / len(got) if got else 1.0
        fetched = first_query_files(files, q, PER_PAGE)
        raw = sum(len(files[p]) for p in fetched)
        zipped = sum(gz(files[p]) for p in fetched)
        later = sum(gz(files[p]) for p in fetched if p == "search/meta.json" or p not in cached)
        cached.update(fetched)
        worst, worst_gz = max(worst, raw), max(worst_gz, zipped)
        worst_later = max(worst_later, later) if len(rows) else worst_later
        # A phone that searched once before, for other words: only fold.json is in its cache.
        worst_second = max(worst_second, sum(gz(files[p]) for p in fetched if p != "search/fold.json"))
        rows[q] = {"files": fetched, "urls": got}
        print(f"{q:<{16 - sum(unicodedata.east_asian_width(c) in 'WF' for c in q)}}{len(got):>6}"
              f"{len(fetched):>6}{raw / 1024:>9.1f}{zipped / 1024:>9.1f}{later / 1024:>7.1f}"
              f"{recall:>8.0%}{precision:>7.0%}")
    print(f"worst first query: {worst / 1024:.1f} KB raw, {worst_gz / 1024:.1f} KB gzip; "
          f"worst later query: {worst_later / 1024:.1f} KB gzip after the queries above, "
          f"{worst_second / 1024:.1f} KB gzip with only fold.json cached")
    return {"files": files, "rows": rows}


def query_set_figures(content: Path, as_of: str = "2026-11-25") -> None:
    """The demo's query set on the records in `content`: record(s) in the first three."""
    import datetime  # noqa: PLC0415
    import yaml  # noqa: PLC0415
    from community_board.content import load_content  # noqa: PLC0415
    files = build_index(documents(load_content(content, datetime.date.fromisoformat(as_of))))
    print(f"\n== query set ({QUERY_SET.relative_to(ROOT)}) on {content} as of {as_of} ==")
    for part, entries in yaml.safe_load(QUERY_SET.read_text(encoding="utf-8")).items():
        ok = empty = 0
        for e in entries:
            urls = query(files, str(e["q"]))
            top = urls[:3]
            ok += all(u in top for u in e.get("want", ())) and (not e.get("any") or any(u in top for u in e["any"]))
            empty += not urls
        print(f"{part}: {ok}/{len(entries)} = {ok / len(entries):.0%} with the record(s) in the first three; "
              f"{empty} found nothing")


# --- in Chromium: our search.js, and Pagefind for comparison --------------------------------

SEARCH_JS = ROOT / "overrides" / "assets" / "board" / "search.js"


class _Server:
    """A static server for one folder on 127.0.0.1 (a free port), for the length of a with."""

    def __init__(self, folder: Path):
        import functools  # noqa: PLC0415
        import http.server  # noqa: PLC0415
        import threading  # noqa: PLC0415

        class Quiet(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *a):  # noqa: D401 - silence the access log
                pass

        class Server(http.server.ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # a page closed mid-transfer is not the benchmark's business

        self.httpd = Server(
            ("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def _browser():
    from playwright.sync_api import sync_playwright  # noqa: PLC0415  (only for --browser)
    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path="/usr/bin/chromium", args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"])


def _fetched(page, action) -> list[str]:
    """Paths (no query string) of every response the page got while `action` ran."""
    got: list[str] = []
    page.on("response", lambda r: got.append(r.url))
    action()
    from urllib.parse import urlsplit  # noqa: PLC0415
    return [urlsplit(u).path.lstrip("/") for u in got]


def _sizes(folder: Path, paths: list[str]) -> tuple[int, int]:
    blobs = [(folder / p).read_bytes() for p in dict.fromkeys(paths) if (folder / p).is_file()]
    return sum(map(len, blobs)), sum(min(len(b), gz(b)) for b in blobs)


def write_search_site(site: Path, files: dict[str, bytes], csp: str = "") -> None:
    """The index files, the real search.js and a bare results page in `site`: what the browser
    needs to run a query as on the site (the page's CSP, if given, in a <meta>)."""
    for path, data in files.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_bytes(data)
    (site / "assets/board").mkdir(parents=True, exist_ok=True)
    (site / "assets/board/search.js").write_bytes(SEARCH_JS.read_bytes())
    meta = f'<meta http-equiv="Content-Security-Policy" content="{csp}">' if csp else ""
    (site / "search/index.html").write_text(
        f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">{meta}'
        '<script src="../assets/board/search.js" defer></script></head><body>'
        '<div id="search-results" data-base="../"></div></body></html>', encoding="utf-8")


def browser_ours(label: str, files: dict[str, bytes]) -> None:
    """Run the real search.js in Chromium; its links must equal query()'s first page."""
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        write_search_site(site, files)
        pw, browser = _browser()
        print(f"\n-- {label}: search.js in Chromium (first page of {PER_PAGE}) --")
        print(f"{'query':<16}{'requests':>9}{'raw KB':>9}{'gzip KB':>9}  same as query()")
        try:
            with _Server(site) as srv:
                for q in QUERIES:
                    page = browser.new_page()
                    fetched = _fetched(page, lambda: (
                        page.goto(srv.url + "search/?q=" + q),
                        page.wait_for_function(
                            "document.querySelector('.cb-search__status') && "
                            "!/正在/.test(document.querySelector('.cb-search__status').textContent)"),
                        page.wait_for_load_state("networkidle")))
                    data = [p for p in fetched if p.startswith("search/") and p.endswith(".json")]
                    raw, zipped = _sizes(site, data)
                    shown = page.eval_on_selector_all(".cb-search__link", "as => as.map(a => a.getAttribute('href'))")
                    want = ["../" + u for u in query(files, q)[:PER_PAGE]]
                    ok = "yes" if shown == want else f"NO: {shown[:3]} vs {want[:3]}"
                    width = 16 - sum(unicodedata.east_asian_width(c) in "WF" for c in q)
                    print(f"{q:<{width}}{len(data):>9}{raw / 1024:>9.1f}{zipped / 1024:>9.1f}  {ok}")
                    page.close()
        finally:
            browser.close()
            pw.stop()
        js = SEARCH_JS.read_bytes()
        print(f"plus search.js once (cached on every page): {len(js) / 1024:.1f} KB raw, {gz(js) / 1024:.1f} KB gzip")


_PF_PAGE = """<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"><title>{title}</title></head>
<body><main data-pagefind-body><h1>{title}</h1><p>{text}</p></main></body></html>"""

_PF_SEARCH = """<!doctype html><html lang="zh-cn"><head><meta charset="utf-8"></head><body><script type="module">
const q = new URLSearchParams(location.search).get('q');
const pagefind = await import('/pagefind/pagefind.js');
const r = await pagefind.search(q);
const first = await Promise.all(r.results.slice(0, %d).map(x => x.data()));
window.firstDone = {count: r.results.length, urls: first.map(d => d.url)};
</script></body></html>"""


def browser_pagefind(label: str, docs: list[SearchDoc], binary: str) -> None:
    """Index the same documents with Pagefind's extended build; measure its first query."""
    import html  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        page_of = {}
        for d in docs:
            path = d.url.replace("#", "") .rstrip("/") + "/index.html"
            page_of["/" + path[: -len("index.html")]] = d.url
            (site / path).parent.mkdir(parents=True, exist_ok=True)
            (site / path).write_text(_PF_PAGE.format(title=html.escape(d.title), text=html.escape(d.text)),
                                     encoding="utf-8")
        (site / "pfsearch.html").write_text(_PF_SEARCH % PER_PAGE, encoding="utf-8")
        subprocess.run([binary, "--site", str(site), "--quiet"], check=True)
        bundle = [p for p in (site / "pagefind").rglob("*") if p.is_file()]
        total = sum(p.stat().st_size for p in bundle)
        print(f"\n-- {label}: Pagefind extended, {len(bundle)} files, {total / 1024:.0f} KB --")
        print(f"{'query':<16}{'hits':>6}{'requests':>9}{'KB sent':>9}{'recall':>8}{'prec.':>7}")
        pw, browser = _browser()
        try:
            with _Server(site) as srv:
                for q in QUERIES:
                    page = browser.new_page()
                    from urllib.parse import quote  # noqa: PLC0415
                    fetched = _fetched(page, lambda: (
                        page.goto(srv.url + "pfsearch.html?q=" + quote(q)),
                        page.wait_for_function("window.firstDone"),
                        page.wait_for_load_state("networkidle")))
                    got = [p for p in fetched if p.startswith("pagefind/")]
                    _, sent = _sizes(site, got)
                    urls = page.evaluate(
                        "async () => { const p = await import('/pagefind/pagefind.js');"
                        " const r = await p.search(new URLSearchParams(location.search).get('q'));"
                        " return Promise.all(r.results.map(async x => (await x.data()).url)); }")
                    found = {page_of.get(u, u) for u in urls}
                    want = brute_force(docs, q)
                    hit = len(found & want)
                    recall = hit / len(want) if want else 1.0
                    precision = hit / len(found) if found else 1.0
                    width = 16 - sum(unicodedata.east_asian_width(c) in "WF" for c in q)
                    print(f"{q:<{width}}{len(found):>6}{len(got):>9}{sent / 1024:>9.1f}{recall:>8.0%}{precision:>7.0%}")
                    page.close()
        finally:
            browser.close()
            pw.stop()
        print("(KB sent: each file gzip'd unless smaller as is; Pagefind's index files are gzip already)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--activities", type=int, default=2000)
    ap.add_argument("--browser", action="store_true", help="run search.js in Chromium too")
    ap.add_argument("--pagefind", metavar="BINARY", help="path to pagefind_extended")
    ap.add_argument("--content", metavar="DIR", type=Path, help="also measure the records in DIR")
    args = ap.parse_args(argv)
    demo = demo_corpus()
    big = synthetic_activities(args.activities)
    results = [("demo", demo, measure("demo size (synthetic)", demo))]
    if args.content:
        real = content_corpus(args.content)
        results.append(("content", real, measure(f"records in {args.content}", real)))
    results.append((f"{args.activities}", big, measure(f"{args.activities} synthetic activities", big)))
    query_set_figures(args.content or ROOT / "content")
    for label, docs, res in results:
        if args.browser:
            browser_ours(label, res["files"])
        if args.pagefind:
            browser_pagefind(label, docs, args.pagefind)
    return 0


if __name__ == "__main__":
    sys.exit(main())
