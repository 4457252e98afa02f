"""Hostile markup (issue 14, points 1, 2 and the markup class of 8), with tests/hostile.py's oracle.

- Template injection: a hostile value with its own marker in every text field of every record
  kind and of community.yml, all in one tree and one build. Every output file is grepped for
  the markup the value carries, raw (`<b id=…>`, `<script>…`) or decoded from the entities the
  staff wrote (`&lt;i id=…`); every marker is shown as text on some page; and each page's
  <head> has exactly the elements (tag names, attribute names) it has when the same fields
  hold benign text. Staff Markdown that only *shows* code (code spans, fenced and indented
  code, entities) builds in the same tree.
- Raw HTML in staff Markdown (bodies, honour stories) that the sanitizer would remove: every
  case in its own record file of one shared tree, refused by check.py and by the build, each
  naming the case's file, field and line, both reporting the same (file, field) problems.

The search index (search/**/*.json) holds record text as data: search.js puts it into pages
with textContent only (see its header), so the grep for markup skips it.
"""
from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import ROOT
from hostile import Case, ContentTree, output_files, problem_keys, run_build, run_check, write_case

pytestmark = pytest.mark.build

PHOTO = ROOT / "content" / "photos" / "2025" / "0212-1.jpg"


def hostile(m: str) -> str:
    """Quotes that would end an attribute, a tag, an entity-written tag and a closing </title>."""
    return f'{m}"\'<b id={m}t>&lt;i id={m}e&gt;</title><script>{m}s()</script>'


def benign(m: str) -> str:
    return f"{m}好"


def markup_of(m: str) -> list[bytes]:
    """What must never be in an output file: the value's tags, raw or decoded from entities."""
    return [f"<b id={m}t>".encode(), f"&lt;i id={m}e".encode(), f"<i id={m}e".encode(),
            f"<script>{m}s()".encode()]


# (case id, where the value goes). Ids become markers: letters only (digits could look like
# phone numbers to the privacy checks), none containing another.
FIELDS = [
    ("community-name", "community.name"), ("community-fullname", "community.full_name"),
    ("community-motto", "community.motto"), ("community-district", "community.district"),
    ("community-street", "community.street"), ("community-address", "community.address"),
    ("community-phone", "community.phone"), ("community-hours", "community.office_hours"),
    ("footer-icp", "community.footer.icp"), ("footer-police", "community.footer.police"),
    ("column-title", "community.columns[0].title"), ("column-desc", "community.columns[0].description"),
    ("facility-name", "community.facilities[0].name"), ("facility-hours", "community.facilities[0].hours"),
    ("facility-note", "community.facilities[0].note"), ("comhonour-title", "community.honors[0].title"),
    ("comhonour-by", "community.honors[0].by"), ("boundary-east", "community.boundaries.东"),
    ("act-title", "activity.title"), ("act-summary", "activity.summary"), ("act-location", "activity.location"),
    ("act-organizer", "activity.organizers[0]"), ("act-partner", "activity.partners[0]"),
    ("act-caption", "activity.photos[0].caption"),
    ("notice-title", "notice.title"), ("notice-summary", "notice.summary"),
    ("honour-title", "honour.title"), ("honour-name", "honour.name"), ("honour-place", "honour.place"),
    ("honour-by", "honour.by"),
    ("slogan-text", "slogan.text"), ("slogan-theme", "slogan.theme"),
    ("maxim-text", "maxim.text"), ("maxim-by", "maxim.by"),
    ("board-theme", "board.theme"),
]
# Fields shown nowhere on the site (none today: footer.police is in the footer since issue 18).
NOT_SHOWN: set[str] = set()
FIELD_CASES = [Case(i, {}, note=where) for i, where in FIELDS]


def as_markdown(m: str) -> str:
    """A value that would be Markdown if a page took it as such: a blank line (ends a raw HTML
    block), a link, emphasis and an attribute list."""
    return f'{m}\n\n[点{m}](javascript:{m}()) *{m}强* {{: onclick="{m}()" }}\n\n{m}尾'


# Record values that reach pages made as Markdown (about, slogans): shown as written.
MARKDOWN_FIELDS = [
    ("md-facility-name", "community.facilities[1].name"), ("md-facility-note", "community.facilities[1].note"),
    ("md-fullname", "community.full_name"), ("md-boundary", "community.boundaries.南"),
    ("md-comhonour", "community.honors[1].title"), ("md-motto", "community.motto"),
    ("md-slogan", "slogan[1].text"), ("md-maxim-by", "maxim[1].by"), ("md-column-desc", "community.columns[1].description"),
]
MARKDOWN_CASES = [Case(i, {}, note=where) for i, where in MARKDOWN_FIELDS]


def _y(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar


def _tree_files(value) -> dict[str, str]:
    """Every hostile field written into the files of one tree; `value(marker)` is its text."""
    texts = {c.note: value(c.marker) for c in FIELD_CASES}
    md = {}
    for c in MARKDOWN_CASES:  # a field of both tables carries both values, one after the other
        text = value(c.marker) if value is benign else as_markdown(c.marker)
        if c.note in texts:
            texts[c.note] += " " + text
        else:
            md[c.note] = _y(text)
    v = {k: _y(t) for k, t in texts.items()}
    community = (
        f"name: {v['community.name']}\nfull_name: {v['community.full_name']}\nmotto: {v['community.motto']}\n"
        f"district: {v['community.district']}\nstreet: {v['community.street']}\naddress: {v['community.address']}\n"
        f"phone: {v['community.phone']}\noffice_hours: {v['community.office_hours']}\n"
        "figures: {households: 3000, residents: 11000}\n"
        f"boundaries: {{东: {v['community.boundaries.东']}, 南: {md['community.boundaries.南']}}}\n"
        "columns:\n"
        f"  - {{slug: leifeng, title: {v['community.columns[0].title']}, description: {v['community.columns[0].description']}}}\n"
        f"  - {{slug: environment, title: 环境整治, description: {md['community.columns[1].description']}}}\n"
        "facilities:\n"
        f"  - {{name: {v['community.facilities[0].name']}, area_m2: 120, hours: {v['community.facilities[0].hours']}, "
        f"note: {v['community.facilities[0].note']}}}\n"
        f"  - {{name: {md['community.facilities[1].name']}, note: {md['community.facilities[1].note']}}}\n"
        "honors:\n"
        f"  - {{year: 2024, title: {v['community.honors[0].title']}, by: {v['community.honors[0].by']}}}\n"
        f"  - {{year: 2023, title: {md['community.honors[1].title']}}}\n"
        f"footer: {{icp: {v['community.footer.icp']}, police: {v['community.footer.police']}}}\n")
    activity = (
        f"---\ntitle: {v['activity.title']}\ndate: 2026-11-02\ncolumn: leifeng\nsummary: {v['activity.summary']}\n"
        f"location: {v['activity.location']}\norganizers: [{v['activity.organizers[0]']}]\n"
        f"partners: [{v['activity.partners[0]']}]\n"
        f"photos:\n  - {{file: photos/hx.jpg, consent: true, caption: {v['activity.photos[0].caption']}}}\n---\n社区开展了活动。\n")
    notice = (f"---\ntitle: {v['notice.title']}\ndate: 2026-11-01\nkind: 通知公告\nsummary: {v['notice.summary']}\n"
              "---\n通知正文。\n")
    honours = ("year: 2026\nhonors:\n"
               f"  - {{title: {v['honour.title']}, kind: family, name: {v['honour.name']}, place: {v['honour.place']}, "
               f"by: {v['honour.by']}, stars: 5, consent: true}}\n")
    slogans = (f"slogans:\n  - {{text: {v['slogan.text']}, theme: {v['slogan.theme']}}}\n"
               f"  - {{text: {md['slogan[1].text']}}}\n"
               f"maxims:\n  - {{text: {v['maxim.text']}, by: {v['maxim.by']}}}\n  - {{text: 家和万事兴, by: {md['maxim[1].by']}}}\n")
    board = f"theme: {v['board.theme']}\nfeatured: [2026-11-02-hx-fields]\n"
    return {"community.yml": community, "activities/2026/2026-11-02-hx-fields.md": activity,
            "notices/2026-11-01-hx-fields.md": notice, "honors/2026.yml": honours, "slogans.yml": slogans,
            "boards/2026-q4.yml": board}


def _copy_photo(path: Path) -> None:
    shutil.copyfile(PHOTO, path)


# Staff Markdown that shows markup as text: it builds, and the markup never becomes a tag.
SHOWN_AS_TEXT = [
    Case("code-span", {"activities/2026/2026-10-03-hx-code-span.md": "{act}正文 `<script>{m}()</script>` 结束。\n"},
         (b"<script>{m}",)),
    Case("double-code-span", {"activities/2026/2026-10-04-hx-double.md": "{act}写法：`` <b id={m}> `` 是加粗。\n"},
         (b"<b id={m}>",)),
    Case("fenced-code", {"activities/2026/2026-10-05-hx-fenced.md": "{act}示例：\n\n```html\n<iframe src=\"https://x.example/{m}\"></iframe>\n```\n"},
         (b"<iframe src=\"https://x.example/{m}",)),
    Case("tilde-fence", {"activities/2026/2026-10-06-hx-tilde.md": "{act}~~~\n<img src=x onerror={m}()>\n~~~\n"},
         (b"<img src=x onerror={m}",)),
    Case("indented-code", {"activities/2026/2026-10-07-hx-indented.md": "{act}说明：\n\n    <script>{m}()</script>\n"},
         (b"<script>{m}",)),
    Case("entities", {"activities/2026/2026-10-08-hx-entities.md": "{act}&lt;script&gt;{m}()&lt;/script&gt; 照原样显示。\n"},
         (b"<script>{m}",)),
    Case("comparison", {"activities/2026/2026-10-09-hx-compare.md": "{act}面积 < 100 平方米，{m} 人数 > 20 人。\n"},
         (b"< 100 \xe5",)),  # "< 100 平" raw in HTML text would be a stray "<"
    Case("notice-code-span", {"notices/2026-10-10-hx-notice-code.md":
                              "---\ntitle: 停电通知\ndate: 2026-10-10\n---\n注意 `<script>{m}()</script>` 字样。\n"},
         (b"<script>{m}",)),
    Case("story-code-span", {"honors/2025.yml": "year: 2025\nhonors:\n  - {title: 文明楼栋, kind: building, name: 南苑小区一幢, "
                                                "story: \"楼道公约里写着 `<script>{m}()</script>` 不许贴。\"}\n"},
         (b"<script>{m}",)),
]
_ATTACHED = f'files/{Case("attachment-name", {}).marker}" onmouseover="x.txt'  # paths are not templated
SHOWN_AS_TEXT.append(Case("attachment-name", {
    "notices/2026-10-11-hx-attach.md": f"---\ntitle: 附件通知\ndate: 2026-10-11\nattachments: [{_y(_ATTACHED)}]\n---\n见附件。\n",
    _ATTACHED: "附件里的文字。\n"}, (b'{m}" onmouseover=',)))
_ACTIVITY_HEAD = "---\ntitle: 社区活动\ndate: {day}\ncolumn: leifeng\n---\n"


def _with_heads(case: Case) -> Case:
    files = {}
    for rel, text in case.files.items():
        day = Path(rel).name[:10]
        files[rel] = text.replace("{act}", _ACTIVITY_HEAD.format(day=day)) if isinstance(text, str) else text
    return Case(case.id, files, case.forbidden, case.names, case.note)


SHOWN_CASES = [_with_heads(c) for c in SHOWN_AS_TEXT]


@dataclass(frozen=True)
class Refused:
    id: str
    kind: str  # "activity" | "notice" | "honour"
    markdown: str  # "{m}" is the marker
    line: int  # line of the problem within the Markdown (1 = its first line)


# Raw HTML the sanitizer would remove: refused in bodies and stories, each at its line.
REFUSED = [
    Refused("script", "activity", "<script>{m}()</script>", 1),
    Refused("script-in-div", "activity", '正文。\n\n<div markdown="1">\n<script src="https://x.example/{m}.js"></script>\n</div>', 4),
    Refused("script-in-plain-div", "activity", '<div>\n\n<script src="{m}.js"></script>\n\n</div>', 3),
    Refused("code-span-in-raw-p", "activity", "<p>`<script>{m}()</script>`</p>", 1),
    Refused("attr-list-brace", "activity", '## 标题 {: title="}" onclick="{m}()" }', 1),
    Refused("attr-list-link", "activity", '[报名](https://example.org/){ onclick="{m}()" }', 1),
    Refused("md-javascript", "activity", "第一段。\n\n[点此报名](javascript:{m}())", 3),
    Refused("newline-javascript", "activity", '<a href="java\nscript:{m}()">报名</a>', 1),
    Refused("newline-entity", "activity", '<a href="javas&NewLine;cript:{m}()">报名</a>', 1),
    Refused("hex-entity-js", "activity", '<a href="jav&#x61;script:{m}()">报名</a>', 1),
    Refused("tab-entity-js", "activity", '<a href="java&#9;script:{m}()">报名</a>', 1),
    Refused("vbscript", "activity", "[点](vbscript:{m})", 1),
    Refused("data-html-link", "activity", '<a href="data:text/html,<script>{m}()</script>">看</a>', 1),
    Refused("data-image", "activity", '<img src="data:image/png;base64,{m}AAAA" alt="图">', 1),
    Refused("comment", "activity", "公开的正文。\n\n<!-- 内部备注 {m} -->", 3),
    Refused("comment-inline", "activity", "公开<!-- 备注{m} -->正文。", 1),
    Refused("onerror", "activity", '正文\n<img src="a.jpg" onerror="{m}()">', 2),
    Refused("onclick-upper", "activity", '<p ONCLICK="{m}()">点我</p>', 1),
    Refused("iframe", "activity", '<iframe src="https://v.qq.com/{m}"></iframe>', 1),
    Refused("object", "activity", '<object data="{m}.swf"></object>', 1),
    Refused("embed", "activity", '<embed src="{m}.swf">', 1),
    Refused("style-block", "activity", "<style>body{background:url(https://x.example/{m}.png)}</style>", 1),
    Refused("style-attr", "activity", '<p style="background:url(https://x.example/{m}.png)">字</p>', 1),
    Refused("meta-refresh", "activity", '<meta http-equiv="refresh" content="0;url=https://x.example/{m}">', 1),
    Refused("base", "activity", '<base href="https://x.example/{m}/">', 1),
    Refused("form", "activity", '<form action="https://x.example/{m}"><input name="a"></form>', 1),
    Refused("svg-script", "activity", "<svg><script>{m}()</script></svg>", 1),
    Refused("noscript-mxss", "activity", '<noscript><p title="</noscript><img src=x onerror={m}()>"></p></noscript>', 1),
    Refused("offsite-img", "activity", '<img src="https://x.example/{m}.png" alt="图">', 1),
    Refused("offsite-md-image", "activity", "前言\n\n![合影](https://x.example/{m}.jpg)", 3),
    Refused("srcset", "activity", '<img src="a.jpg" srcset="https://x.example/{m}.jpg 2x">', 1),
    Refused("list-script", "activity", "- 列表\n\n    <script>{m}()</script>", 3),
    Refused("notice-script", "notice", "<script>{m}()</script>", 1),
    Refused("notice-code-in-p", "notice", "通知如下。\n\n<p>`<script>{m}()</script>`</p>", 3),
    Refused("notice-comment", "notice", "<!-- {m} 未公开的名单 -->", 1),
    Refused("notice-attr-list", "notice", '## 附注 {: title="}" onclick="{m}()" }', 1),
    Refused("story-script", "honour", "<script>{m}()</script>", 1),
    Refused("story-code-in-p", "honour", "<p>`<script>{m}()</script>`</p>", 1),
    Refused("story-comment", "honour", "事迹。<!-- {m} -->", 1),
    Refused("story-javascript", "honour", "[详情](javascript:{m}())", 1),
    Refused("story-div-script", "honour", '<div markdown="1">\n<script src="{m}.js"></script>\n</div>', 1),
]


def _marker(case_id: str) -> str:
    return Case(case_id, {}).marker


def _refused_file(i: int, r: Refused) -> tuple[str, str, str, int]:
    """(path under content/, its text, the field a problem names, the file's line of the
    Markdown's first line) for one refused case, each in a file of its own."""
    text = r.markdown.replace("{m}", _marker(r.id))
    day = (date(2025, 1, 1) + timedelta(days=i)).isoformat()
    if r.kind == "activity":
        return (f"activities/2025/{day}-hx-{r.id}.md",
                f"---\ntitle: 社区活动\ndate: {day}\ncolumn: leifeng\n---\n{text}\n", "正文", 6)
    if r.kind == "notice":
        return f"notices/{day}-hx-{r.id}.md", f"---\ntitle: 社区通知\ndate: {day}\n---\n{text}\n", "正文", 5
    year = 1980 + i
    return (f"honors/{year}.yml", f"year: {year}\nhonors:\n  - {{title: 文明楼栋, kind: building, name: 南苑小区一幢, "
                                  f"story: {_y(text)}}}\n", "honors[0].story", 3)


# Field values a choice or a slug cannot take: refused with the file and field named.
REFUSED_FIELDS = [
    Case("notice-kind", {"notices/2025-03-01-hx-kind.md": "---\ntitle: 通知\ndate: 2025-03-01\nkind: " + _y(hostile("{m}"))
                         + "\n---\n正文。\n"}, names="notices/2025-03-01-hx-kind.md", note="kind"),
    Case("column-slug", {"activities/2025/2025-03-02-hx-column.md": "---\ntitle: 活动\ndate: 2025-03-02\ncolumn: "
                         + _y(hostile("{m}")) + "\n---\n正文。\n"}, names="activities/2025/2025-03-02-hx-column.md",
         note="column"),
]


def test_the_table_has_sixty_cases_with_unique_markers():
    markers = ([c.marker for c in FIELD_CASES + MARKDOWN_CASES] + [c.marker for c in SHOWN_CASES] + [_marker(r.id) for r in REFUSED]
               + [c.marker for c in REFUSED_FIELDS])
    assert len(markers) >= 60 and len(set(markers)) == len(markers)
    assert not [(a, b) for a in markers for b in markers if a != b and a in b]


# --- template injection: one hostile build, one benign build --------------------------------


def _write_fields(tree: ContentTree, value) -> None:
    for rel, text in _tree_files(value).items():
        tree.write(rel, text)
    write_case(tree, Case("photo", {"photos/hx.jpg": _copy_photo}))


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-markup")
    tree = ContentTree(root)
    _write_fields(tree, hostile)
    for case in SHOWN_CASES:
        write_case(tree, case)
    out = root / "site"
    return run_check(tree), run_build(tree, out), out


@pytest.fixture(scope="module")
def benign_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("benign-markup")
    tree = ContentTree(root)
    _write_fields(tree, benign)
    for case in SHOWN_CASES:
        write_case(tree, case)
    out = root / "site"
    build = run_build(tree, out)
    assert build.returncode == 0 and not build.crashed, build.output[-3000:]
    return out


def test_hostile_values_in_every_field_pass_both_tools(hostile_run):
    check, build, _ = hostile_run
    assert check.returncode == 0 and not check.crashed, check.output[-3000:]
    assert build.returncode == 0 and not build.crashed, build.output[-3000:]


def _grepped(site: Path) -> dict[str, bytes]:
    return {rel: data for rel, data in output_files(site) if not (rel.startswith("search/") and rel.endswith(".json"))}


@pytest.mark.parametrize("case", FIELD_CASES + SHOWN_CASES, ids=lambda c: c.id)
def test_no_markup_of_a_value_reaches_any_output(hostile_run, case):
    _, build, site = hostile_run
    assert build.returncode == 0, build.output[-3000:]
    needles = markup_of(case.marker) if case in FIELD_CASES else case.forbidden_bytes()
    leaked = [rel for rel, data in _grepped(site).items() if any(n in data for n in needles)]
    assert not leaked, (case.note or case.id, leaked)


@pytest.mark.parametrize("case", FIELD_CASES + SHOWN_CASES, ids=lambda c: c.id)
def test_every_value_is_shown_as_text(hostile_run, case):
    """The marker is on some page, and the tag next to it is there as text: escaped once."""
    if case.id in NOT_SHOWN:
        pytest.skip("not shown on any page")
    _, _, site = hostile_run
    pages = {rel: data for rel, data in _grepped(site).items() if rel.endswith(".html")}
    m = case.marker.encode()
    shown = [rel for rel, data in pages.items() if m in data]
    assert shown, case.id
    if case in FIELD_CASES:
        # the entities as the staff wrote them (in <meta> and <title> the tags are stripped)
        as_text = f"&amp;lt;i id={case.marker}e&amp;gt;".encode()
        assert any(as_text in pages[rel] for rel in shown), (case.id, shown)


@pytest.mark.parametrize("case", MARKDOWN_CASES, ids=lambda c: c.id)
def test_record_values_on_markdown_pages_stay_text(hostile_run, case):
    """A value is text even on a page made as Markdown: no link, emphasis or attribute of it,
    and its blank lines do not end the page's raw HTML."""
    _, build, site = hostile_run
    assert build.returncode == 0, build.output[-3000:]
    m = case.marker
    pages = {rel: data.decode("utf-8") for rel, data in _grepped(site).items() if rel.endswith(".html")}
    shown = [rel for rel, text in pages.items() if f"[点{m}](javascript:{m}())" in text]
    assert shown, case.id
    made = re.compile(rf"<a\b[^<>]*>点{m}|<em>{m}强|<[a-z][^<>]*\sonclick=[\"']?{m}")
    made = [rel for rel, text in pages.items() if made.search(text)]
    assert not made, (case.id, made)


class _Head(HTMLParser):
    """The elements of a page's <head>, as (tag, sorted attribute names)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, tuple[str, ...]]] = []
        self.in_head = False

    def handle_starttag(self, tag, attrs):
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        elif self.in_head:
            self.elements.append((tag, tuple(sorted(name for name, _ in attrs))))

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False


def _head(data: bytes) -> list[tuple[str, tuple[str, ...]]]:
    parser = _Head()
    parser.feed(data.decode("utf-8", "replace"))
    return parser.elements


def test_every_page_head_has_the_elements_it_has_for_benign_text(hostile_run, benign_site):
    _, build, site = hostile_run
    assert build.returncode == 0, build.output[-3000:]
    hostile_pages = {r: d for r, d in output_files(site) if r.endswith(".html")}
    benign_pages = {r: d for r, d in output_files(benign_site) if r.endswith(".html")}
    assert hostile_pages.keys() == benign_pages.keys()
    differ = [rel for rel in hostile_pages if _head(hostile_pages[rel]) != _head(benign_pages[rel])]
    assert not differ, differ
    assert "404.html" in hostile_pages and b"&lt;b id=" in hostile_pages["404.html"]  # the header of the 404 page


def test_feed_and_sitemap_stay_well_formed(hostile_run):
    import xml.etree.ElementTree as ET

    _, _, site = hostile_run
    feed = ET.fromstring((site / "feed.xml").read_bytes())
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert hostile(_marker("act-title")) in titles  # the text itself, as staff wrote it
    ET.fromstring((site / "sitemap.xml").read_bytes())


# --- raw HTML in staff Markdown: refused by both tools --------------------------------------


@pytest.fixture(scope="module")
def refused_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("refused-markup")
    tree = ContentTree(root)
    for i, r in enumerate(REFUSED):
        rel, text, _, _ = _refused_file(i, r)
        tree.write(rel, text)
    for case in REFUSED_FIELDS:
        write_case(tree, case)
    out = root / "site"
    return run_check(tree), run_build(tree, out), out


def test_both_tools_refuse_and_agree(refused_run):
    check, build, out = refused_run
    assert not check.crashed and not build.crashed, (check.output[-2000:], build.output[-2000:])
    assert check.returncode == 1 and build.returncode != 0
    assert problem_keys(check.output) == problem_keys(build.output)
    needles = [_marker(r.id).encode() for r in REFUSED] + [c.marker.encode() for c in REFUSED_FIELDS]
    assert not [rel for rel, data in output_files(out) if any(n in data for n in needles)]


@pytest.mark.parametrize("i,case", list(enumerate(REFUSED)), ids=[r.id for r in REFUSED])
def test_each_refusal_names_file_field_and_line(refused_run, i, case):
    check, build, _ = refused_run
    rel, _, field, first = _refused_file(i, case)
    rel = "content/" + rel  # as both tools name files
    for run in (check, build):
        assert (rel, field) in problem_keys(run.output), (case.id, run.output[-3000:])
    line = first if case.kind == "honour" else first + case.line - 1  # a story: its honour's line
    assert f"{rel}:{line}：字段「{field}」" in check.output, (case.id, check.output[-3000:])


@pytest.mark.parametrize("case", REFUSED_FIELDS, ids=lambda c: c.id)
def test_hostile_choice_and_slug_values_are_refused(refused_run, case):
    check, build, _ = refused_run
    for run in (check, build):
        assert ("content/" + case.names, case.note) in problem_keys(run.output), run.output[-3000:]
