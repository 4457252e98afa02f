"""Hostile or careless HTML: raw HTML in staff text, and resources loaded from other hosts.

`sanitize` is the allow-list every piece of HTML made from staff Markdown passes before it
reaches a page (board_hooks.on_page_content, the render.py workers, pages.py's honour
stories). `check_raw_html` says beforehand, with the Markdown's line, what the sanitizer would
remove, so that staff learn it from check.py and the build instead of seeing text vanish.
`external_resources` reads a built page: nothing may be loaded from another host (a visitor's
visit would leak to it, and the page would break offline); links (<a href>) stay allowed.
`CSP` is the Content-Security-Policy every page carries; `csp_for(page_html)` adds the hashes
of the page's own inline scripts (Material's theme has a few, see the report in the module's
commit) so they keep working without 'unsafe-inline'.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html as html_lib
import itertools
import re
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Sequence
from urllib.parse import urljoin, urlsplit

import nh3

__all__ = [
    "CSP",
    "HtmlFinding",
    "check_raw_html",
    "sanitize",
    "staff_html",
    "external_resources",
    "external_css_resources",
    "inline_script_hashes",
    "csp_for",
]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


# --- staff HTML: the sanitizer, and what it would remove ---------------------------------

# The Markdown extensions of mkdocs.yml, with the three MkDocs always adds (toc, tables,
# fenced_code): the check renders staff text exactly as the build does. test_htmlsafety
# compares them with mkdocs.yml.
MARKDOWN_EXTENSIONS = ("toc", "tables", "fenced_code", "attr_list", "md_in_html", "admonition")
MARKDOWN_CONFIGS = {"tables": {"use_align_attribute": True}, "toc": {"permalink": False}}

# What Python-Markdown and those extensions write, what pages.py writes into page Markdown
# (about, slogans, columns), and what staff reasonably write by hand. Not <noscript> (parsed
# one way by a sanitizer, another by a browser with scripting on: the classic mutation XSS),
# no forms, media, frames, SVG/MathML, <style> or <script>.
ALLOWED_TAGS = frozenset(
    "a abbr b blockquote br caption cite code col colgroup dd del div dl dt em figcaption figure "
    "h1 h2 h3 h4 h5 h6 hr i img ins kbd li mark ol p pre q s small span strong sub sup "
    "table tbody td tfoot th thead time tr u ul".split())
_GLOBAL_ATTRS = frozenset({"class", "id", "title", "lang", "dir"})  # attr_list's .class, #id; toc ids
ALLOWED_ATTRIBUTES = {
    "*": _GLOBAL_ATTRS,
    "a": frozenset({"href"}),
    "img": frozenset({"src", "alt", "width", "height"}),
    "th": frozenset({"align", "colspan", "rowspan", "scope"}),  # tables' use_align_attribute
    "td": frozenset({"align", "colspan", "rowspan"}),
    "ol": frozenset({"start"}),
    "li": frozenset({"value"}),
    "time": frozenset({"datetime"}),
}
# Relative URLs (photos/…, ../notices/…, #anchor) always pass. Not data: (an image written
# into the text would skip the photo pipeline, which removes GPS and camera metadata).
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
_URL_VALUED = {("a", "href"), ("img", "src")}  # the attributes whose scheme is checked

# nh3 (the Python binding of Rust's Ammonia, on html5ever: the HTML5 parsing algorithm that
# browsers use) rather than justhtml: maintained, allow-list only, and fast enough to run on
# every page of a 10,000-record build. link_rel=None: no rel="noopener" added to staff links
# (same-tab links need none), so pages stay as they were.
_CLEANER = nh3.Cleaner(tags=set(ALLOWED_TAGS), attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                       url_schemes=set(URL_SCHEMES), strip_comments=True, link_rel=None)


def sanitize(html: str) -> str:
    """`html` with every tag, attribute, URL scheme and comment not allowed above removed
    (<script> and <style> with their content). For whatever Markdown made of staff text."""
    return _CLEANER.clean(html) if html else html


@functools.lru_cache(maxsize=8)
def _converter(thread: int):
    """One Markdown converter per thread (a converter is not thread-safe), reset before each
    use: making one costs as much as converting a body (1.3 ms), and the check converts every
    body that has markup."""
    import markdown

    return markdown.Markdown(extensions=list(MARKDOWN_EXTENSIONS), extension_configs=MARKDOWN_CONFIGS)


def render_markdown(text: str) -> str:
    """Staff Markdown as the build's extensions render it, before the sanitizer."""
    return _converter(threading.get_ident()).reset().convert(text)


@functools.lru_cache(maxsize=1 << 12)  # pure; a story is on its year's page and on the index
def staff_html(text: str) -> str:
    """Staff Markdown that no MkDocs page converts (honour stories): rendered and sanitized."""
    return sanitize(render_markdown(text)) if text else ""


_FORBIDDEN = {
    "script": "脚本 <script> 会在访客的浏览器里运行代码",
    "iframe": "内嵌框架 <iframe> 会把别的网站嵌进本站页面",
    "frame": "框架 <frame> 会把别的网站嵌进本站页面",
    "frameset": "框架 <frameset> 会把别的网站嵌进本站页面",
    "object": "<object> 会加载外部插件或文件",
    "embed": "<embed> 会加载外部插件或文件",
    "applet": "<applet> 会加载外部插件",
    "base": "<base> 会把页面上所有链接改到别处",
    "meta": "<meta> 可能让页面自动跳转到别的网站",
    "link": "<link> 会加载外部样式或文件",
    "style": "<style> 样式块会被本站的安全策略拦下，也可能加载外部样式",
    "form": "表单 <form> 可能把居民填写的信息发到别处",
    "svg": "<svg> 里可以藏脚本和外部资源",
}
_HINT_REMOVE = "请删去这段 HTML，正文只用普通文字和 Markdown 写；需要放视频或外部内容时，改成一个普通链接。"
_HINT_EXTERNAL = "请把图片或文件放进 content/photos/ 并用相对路径引用，不要直接引用别的网站上的图片或样式。"
_HINT_URL = "请删去这个链接；要链接到网页，请写 https:// 开头的网址。"
_HINT_COMMENT = "请删去 <!-- 到 --> 这一段：只给同事看的备注不要写在记录里。"
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.\-]*):")
_CODE_SCHEMES = ("javascript", "vbscript", "data")


@dataclass(frozen=True)
class HtmlFinding:
    line: int  # 1-based line in the Markdown given
    message: str
    hint: str
    kind: str = "html"  # "element" | "attribute" | "event" | "javascript" | "comment" | "external"


@dataclass(frozen=True)
class _Removal:
    needles: tuple[str, ...]  # what to look for in the Markdown to find the line, best first
    message: str
    hint: str
    kind: str


_URL_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space, which browsers trim


def _scheme(url: str) -> str | None:
    """The scheme a browser reads in `url` (entities already decoded): it drops tabs and line
    breaks anywhere and controls and spaces at the edges, so "java⏎script:" is javascript:."""
    m = _SCHEME.match(re.sub(r"[\t\n\r]", "", url).strip(_URL_EDGES))
    return m.group(1).lower() if m else None


def _short(value: str, limit: int = 60) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1] + "…"


class _Removals(HTMLParser):
    """What the sanitizer's allow-list removes from rendered HTML, read with the standard
    library's parser. Where html5ever (the sanitizer's parser) reads the HTML differently,
    check_raw_html notices by comparing outputs and still refuses."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[_Removal] = []
        self.seen_tags: set[str] = set()
        self.seen_attrs: dict[str, set[str]] = {}
        self.seen_schemes: set[str] = set()

    def handle_starttag(self, tag, attrs):
        raw = self.get_starttag_text() or ""
        self.seen_tags.add(tag)
        if tag not in ALLOWED_TAGS:
            reason = _FORBIDDEN.get(tag, "这个标签不在本站允许的范围内，发布时会被删去")
            self.found.append(_Removal((raw, f"<{tag}"), f"正文里不能使用 HTML 标签 <{tag}>：{reason}",
                                       _HINT_REMOVE, "element"))
            return
        allowed = ALLOWED_ATTRIBUTES["*"] | ALLOWED_ATTRIBUTES.get(tag, frozenset())
        for name, value in attrs:
            value = value or ""
            self.seen_attrs.setdefault(tag, set()).add(name)
            if name not in allowed:
                if name.startswith("on"):
                    self.found.append(_Removal((raw, name), f"标签 <{tag}> 带有事件属性 {name}，它会在浏览器里运行代码",
                                               f"请删去 {name}=… 这一段属性（写在 {{…}} 属性列表里的也一样）。", "event"))
                else:
                    shown = f'{name}="{_short(value)}"' if value else name
                    self.found.append(_Removal((raw, name), f"标签 <{tag}> 的属性 {shown} 不允许使用，发布时会被删去",
                                               f"请删去 {name}=… 这一段属性；版式请用 Markdown 写（如 **加粗**、## 小标题）。",
                                               "attribute"))
            elif (tag, name) in _URL_VALUED:
                scheme = _scheme(value)
                if scheme is not None:
                    self.seen_schemes.add(scheme)
                if scheme is not None and scheme not in URL_SCHEMES:
                    danger = "，点开会在浏览器里运行代码" if scheme in _CODE_SCHEMES else ""
                    self.found.append(_Removal(
                        (raw, value, scheme), f"正文里出现了 {scheme}: 链接（{_short(value)}）{danger}；"
                        "本站只允许 http、https、mailto、tel 和站内的链接，发布时会被删去", _HINT_URL, "javascript"))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_comment(self, data):
        self.found.append(_Removal(("<!--" + data, "<!--"), f"正文里有 HTML 注释「<!--{_short(data, 30)}-->」：页面上看不见，"
                                   "但会原样出现在网页源代码里，谁都能看到", _HINT_COMMENT, "comment"))

    def handle_decl(self, decl):
        self.found.append(_Removal(("<!" + decl, "<!"), f"正文里不能写 <!{_short(decl, 30)}>", _HINT_REMOVE, "element"))

    def unknown_decl(self, data):
        self.handle_decl(data)

    def handle_pi(self, data):
        self.found.append(_Removal(("<?" + data, "<?"), f"正文里不能写 <?{_short(data, 30)}>", _HINT_REMOVE, "element"))


def _removals(html: str) -> list[_Removal]:
    parser = _Removals()
    parser.feed(html)
    parser.close()
    found = parser.found
    if not found:
        # Fail closed where the two parsers disagree: with everything the standard parser saw
        # allowed, and comments and <script>/<style> content kept, a sanitizer that still
        # removes something has read a tag or comment the standard parser did not.
        tags = set(ALLOWED_TAGS) | parser.seen_tags
        attrs = {k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()}
        for tag, names in parser.seen_attrs.items():
            attrs.setdefault(tag, set()).update(names)
        loose = nh3.clean(html, tags=tags, clean_content_tags=set(), attributes=attrs, strip_comments=False,
                          url_schemes=set(URL_SCHEMES) | parser.seen_schemes, link_rel=None)
        if sanitize(html) != loose:
            found = [_Removal((), "正文里有一段 HTML 写法不规范，发布时会被删去一部分", _HINT_REMOVE, "element")]
    return found


def _locate(needles: tuple[str, ...], texts: tuple[str, ...], cursors: dict[str, int]) -> int:
    """The line of the first needle found in the masked Markdown, else in the Markdown as
    written (a code span inside a raw HTML block is masked but is HTML there), else line 1.
    A needle met again is looked for after its previous place: repeats get their own lines."""
    for text in texts:
        low = text.lower()
        for needle in needles:
            if not needle:
                continue
            key = f"{id(text)}\0{needle}"
            pos = low.find(needle.lower(), cursors.get(key, 0))
            if pos < 0 and cursors.get(key):
                pos = low.find(needle.lower())
            if pos >= 0:
                cursors[key] = pos + 1
                return _line_at(text, pos)
    return 1


def check_raw_html(markdown_text: str) -> list[HtmlFinding]:
    """What publishing would remove from, or refuse in, staff Markdown (a body, a story): each
    with its line, what is wrong and how to fix it.

    The text is rendered with the build's extensions and read for what the sanitizer removes
    (tags, attributes, URL schemes, comments), then what stays is read for what the sanitizer
    cannot judge: images loaded from other hosts."""
    if not _SUSPECT.search(markdown_text):
        return []  # plain prose: Markdown makes only allowed tags of it, and no URL
    html = render_markdown(markdown_text)
    texts = (_mask_code(markdown_text), markdown_text)
    cursors: dict[str, int] = {}
    found = [HtmlFinding(_locate(r.needles, texts, cursors), r.message, r.hint, r.kind) for r in _removals(html)]
    for tag, _name, url in (x for m in _RESOURCE_TAG_RE.finditer(sanitize(html))
                            for x in _loaded_urls(m.group(1), m.group(2))):
        if _offsite(url):
            found.append(HtmlFinding(_locate((url, html_lib.escape(url)), texts, cursors),
                                     f"标签 <{tag}> 从别的网站加载资源：{url}", _HINT_EXTERNAL, "external"))
    return sorted(found, key=lambda f: f.line)


# Markup only comes from "<" (tags, comments, autolinks), "[" (links, images), "{" (attribute
# lists) and "&" (entities): prose without them renders to allowed tags and no URL.
_SUSPECT = re.compile(r"[<\[{&]")
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)
_ATTR_RE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_URL_ATTRS = ("src", "srcset", "poster", "data", "background", "href", "xlink:href")


def _mask_code(text: str) -> str:
    """The text with Markdown code blocks and code spans blanked out (same length and lines):
    there `<script>` is text, so a needle found there is not the one that was removed."""
    lines = text.split("\n")
    out: list[str] = []
    fence: str | None = None
    in_list = in_indented = False
    prev_blank = True
    for line in lines:
        stripped = line.strip()
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        if fence:
            out.append(" " * len(line))
            if stripped.startswith(fence) and set(stripped) == {fence[0]}:
                fence = None
            prev_blank = False
            continue
        opened = _FENCE_OPEN.match(line)
        if opened:
            fence = opened.group(1)
            out.append(" " * len(line))
            continue
        if not stripped:
            out.append(line)
            prev_blank = True
            continue
        if in_indented and indent >= 4:
            out.append(" " * len(line))
            continue
        in_indented = False
        if indent >= 4 and prev_blank and not in_list:
            in_indented = True
            out.append(" " * len(line))
            prev_blank = False
            continue
        if _LIST_ITEM.match(line):
            in_list = True
        elif indent < 4 and prev_blank:
            in_list = False
        out.append(line)
        prev_blank = False
    masked = "\n".join(out)
    return _CODE_SPAN.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), masked)


def _line_at(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _clean_url(value: str) -> str:
    """A URL as a browser reads it: entities decoded, tabs/newlines and edges dropped."""
    return re.sub(r"[\x00-\x20]", "", html_lib.unescape(value)).replace("\\", "/")


_SITE = "https://site.invalid/"


def _site_path(url: str) -> bool:
    """No scheme and no authority in `url` (cleaned): a path on this site, on whatever page it
    is written (most URLs: the fast path)."""
    return ":" not in url and not url.startswith("//")


def _offsite(url: str, page: str = "") -> bool:
    """Does this URL, as written on `page`, point at another host?"""
    url = _clean_url(url)
    if _site_path(url):
        return False
    if not url or url.lower().startswith(("data:", "blob:", "javascript:", "vbscript:", "about:")):
        return False  # not a host (javascript: is refused on its own)
    try:
        parts = urlsplit(urljoin(_SITE + page.lstrip("/"), url))
    except ValueError:
        return True  # a URL a parser cannot read is not trusted
    if parts.scheme in ("http", "https", "ftp", "ws", "wss"):
        return parts.netloc.lower() != "site.invalid"
    return bool(parts.netloc)


def _attrs(attr_text: str) -> list[tuple[str, str]]:
    return [(m[0].lower(), m[1] or m[2] or m[3]) for m in _ATTR_RE.findall(attr_text)]


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def _url_attrs_for(tag: str) -> tuple[str, ...]:
    """Attributes through which `tag` loads something; href only loads for SVG images."""
    if tag in ("image", "use", "feimage"):
        return _URL_ATTRS
    if tag in ("a", "area", "link"):
        return ()  # links navigate; <link> is refused as an element
    return tuple(n for n in _URL_ATTRS if n not in ("href",))



# --- the built page -------------------------------------------------------------------------

# The lookahead holds the names' first letters: most tags (</…>, <a>, <div>, <p>) then fail on
# one test instead of on each of the names in turn; same matches, half the time.
_RESOURCE_TAG_RE = re.compile(
    r"<(?=[abefilostuv])(img|script|link|iframe|frame|embed|object|video|audio|source|track|input|image|use|"
    r"feimage|body|table|td|th)\b([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
    re.I,
)
_STYLE_ATTR_RE = re.compile(r"""\sstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
_STYLE_BLOCK_RE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.I | re.S)
_SCRIPT_BLOCK_RE = re.compile(r"<script\b([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>(.*?)</script\s*>", re.I | re.S)
_CSS_URL_RE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
# <link rel> values that make the browser fetch or connect; canonical/alternate/prev/next do not.
_LOADING_RELS = frozenset(
    "stylesheet preload modulepreload prefetch preconnect dns-prefetch prerender icon "
    "apple-touch-icon apple-touch-icon-precomposed mask-icon manifest shortcut".split()
)
_DATA_SCRIPT_TYPES = ("application/json", "application/ld+json", "text/template", "text/x-template")


def external_css_resources(css: str) -> list[str]:
    """URLs in CSS (url(...), @import) that point at another host."""
    urls = []
    for m in _CSS_URL_RE.finditer(css):
        url = next((g for g in m.groups() if g), "")
        if _offsite(url):
            urls.append(url)
    return urls


@functools.lru_cache(maxsize=1 << 14)  # pure; every page repeats its shell's tags
def _loaded_urls(tag: str, attr_text: str) -> tuple[tuple[str, str, str], ...]:
    """(tag, attribute, url) for each URL through which this tag makes the browser load."""
    tag = tag.lower()
    attrs = _attrs(attr_text)
    if tag == "link":
        rels = set(dict(attrs).get("rel", "").lower().split())
        names = ("href",) if rels & _LOADING_RELS else ()
    else:
        names = _url_attrs_for(tag)
    return tuple((tag, name, url) for name, value in attrs if name in names
                 for url in (_srcset_urls(value) if name == "srcset" else [value]))


# What every style attribute and <style> block has on the line where it starts: "style"
# after a white space (or the line's start: the space was the line break) and then "=" after
# white space that may run to the line's end (_STYLE_ATTR_RE), or "<style" and a word's end
# (_STYLE_BLOCK_RE). A page with no such line needs neither regex: both are rare in built
# pages (the sanitizer removes them from staff HTML), while the CSP of every page says
# "style-src". The letters come first so that the regex engine skips ahead to them; [sSſ] and
# (?i:tyle) are what re.I matches for them (ſ, a long s, is an s).
_STYLE_HINT_RE = re.compile(r"[sSſ](?i:tyle)(?:(?<!\S.{5})\s*(?:=|$)|(?<=<.{5})\b)")


@functools.lru_cache(maxsize=1 << 16)  # pure; most lines of a page are its shell's, on every page
def _line_loaded(line: str) -> tuple[tuple[str, str, str], ...] | None:
    """(tag, attribute, url) for what the tags of one line load, less the URLs that are paths
    on this site wherever the page is; None when the line may hold (or begin) a style
    attribute or <style> block, which only the whole page can be read for."""
    if _STYLE_HINT_RE.search(line):
        return None
    return tuple(x for m in _RESOURCE_TAG_RE.finditer(line) for x in _loaded_urls(m.group(1), m.group(2))
                 if not _site_path(_clean_url(x[2])))


def external_resources(html: str, page: str = "", lines: Sequence[str] | None = None) -> list[str]:
    """Every resource `html` (the page at site-relative path `page`) loads from another host,
    as '<tag attr>: url'. Links (<a href>) and <link rel=canonical|alternate> are fine.

    `lines`: `html` split at its line breaks, given when no tag runs past one (the privacy
    scan knows, see sitescan._page_text): its tags are then read line by line, and lines seen
    before are not read again, unless a line may hold style (then the whole page is read).
    Whether a URL is off-site is still decided for this page."""
    per_line = None if lines is None else list(map(_line_loaded, lines))
    if per_line is not None and None not in per_line:  # no style anywhere: the tags are all
        return [f"<{tag} {name}>: {url}" for tag, name, url in itertools.chain.from_iterable(per_line)
                if _offsite(url, page)]
    found: list[str] = []
    for m in _RESOURCE_TAG_RE.finditer(html):
        for tag, name, url in _loaded_urls(m.group(1), m.group(2)):
            if _offsite(url, page):
                found.append(f"<{tag} {name}>: {url}")
    for m in _STYLE_ATTR_RE.finditer(html):
        style = m.group(1) or m.group(2) or ""  # style="" matches with both groups empty
        if "url(" in style.lower() or "@import" in style.lower():
            found += [f"<… style>: {u}" for u in external_css_resources(html_lib.unescape(style))]
    for m in _STYLE_BLOCK_RE.finditer(html):
        found += [f"<style>: {u}" for u in external_css_resources(m.group(1))]
    return found


# --- Content-Security-Policy ----------------------------------------------------------------


def inline_script_hashes(html: str) -> list[str]:
    """CSP source expressions ('sha256-…') for each inline script the browser would run."""
    hashes: list[str] = []
    for m in _SCRIPT_BLOCK_RE.finditer(html):
        attrs = dict(_attrs(m.group(1)))
        if "src" in attrs or attrs.get("type", "").lower() in _DATA_SCRIPT_TYPES:
            continue  # external scripts are 'self'; JSON data blocks never run
        digest = hashlib.sha256(m.group(2).encode("utf-8")).digest()
        token = f"'sha256-{base64.b64encode(digest).decode('ascii')}'"
        if token not in hashes:
            hashes.append(token)
    return hashes


def csp_for(html: str) -> str:
    """CSP for one built page: the site policy plus the hashes of that page's inline scripts."""
    hashes = inline_script_hashes(html)
    if not hashes:
        return CSP
    return CSP.replace("script-src 'self'", "script-src 'self' " + " ".join(hashes), 1)
