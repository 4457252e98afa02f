"""Hostile or careless HTML: raw HTML in record bodies, and resources loaded from other hosts.

`check_raw_html` reads a record's Markdown before rendering, so each error can name a line;
code spans and code blocks are masked first because there `<script>` is text, not HTML.
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
import re
from dataclasses import dataclass
from typing import Sequence
from urllib.parse import urljoin, urlsplit

__all__ = [
    "CSP",
    "HtmlFinding",
    "check_raw_html",
    "external_resources",
    "external_css_resources",
    "inline_script_hashes",
    "csp_for",
]

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'"
)


@dataclass(frozen=True)
class HtmlFinding:
    line: int  # 1-based line in the Markdown given
    message: str
    hint: str
    kind: str = "html"  # "element" | "event" | "javascript" | "external"


# --- raw HTML in Markdown -------------------------------------------------------------------

_SUSPECT = re.compile(r"<|script\s*:|&#|!\[|\{[^}\n]*\bon[a-z]+\s*=", re.I)
_FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_LIST_ITEM = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])[ \t]+")
_CODE_SPAN = re.compile(r"(?<!\\)(`+)((?:(?!\n[ \t]*\n).)+?)(?<!`)\1(?!`)", re.S)

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
}
_ELEMENT_RE = re.compile(r"<\s*(" + "|".join(_FORBIDDEN) + r")(?=[\s/>]|$)", re.I | re.M)
_TAG_RE = re.compile(r"<([a-zA-Z][\w:-]*)([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>")
_ATTR_RE = re.compile(r"""([^\s"'=<>/]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
_EVENT_ATTR = re.compile(r"^on[a-z]+$", re.I)
_ATTR_LIST_EVENT = re.compile(r"\{[^}\n]*?(?<![\w-])(on[a-z]+)\s*=", re.I)
_BAD_SCHEME = re.compile(r"(?:java|vb)script:|data:text/html", re.I)
_MD_IMAGE = re.compile(r"!\[[^\]\n]*\]\(\s*<?([^)\s>]+)")
_URL_ATTRS = ("src", "srcset", "poster", "data", "background", "href", "xlink:href")

_HINT_REMOVE = "请删去这段 HTML，正文只用普通文字和 Markdown 写；需要放视频或外部内容时，改成一个普通链接。"
_HINT_EXTERNAL = "请把图片或文件放进 content/photos/ 并用相对路径引用，不要直接引用别的网站上的图片或样式。"


def _mask_code(text: str) -> str:
    """The text with Markdown code blocks and code spans blanked out (same length and lines)."""
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


def _offsite(url: str, page: str = "") -> bool:
    """Does this URL, as written on `page`, point at another host?"""
    url = _clean_url(url)
    if ":" not in url and not url.startswith("//"):
        return False  # no scheme and no authority: a path on this site (most URLs: fast path)
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


def check_raw_html(markdown_text: str) -> list[HtmlFinding]:
    """Forbidden HTML in a record body: each with its line, what is wrong and how to fix it."""
    if not _SUSPECT.search(markdown_text):
        return []  # the common case: plain Chinese prose
    text = _mask_code(markdown_text)
    found: list[HtmlFinding] = []

    for m in _ELEMENT_RE.finditer(text):
        name = m.group(1).lower()
        found.append(HtmlFinding(_line_at(text, m.start()), f"正文里不能使用 HTML 标签 <{name}>：{_FORBIDDEN[name]}",
                                 _HINT_REMOVE, "element"))

    for m in _TAG_RE.finditer(text):
        tag = m.group(1).lower()
        line = _line_at(text, m.start())
        for name, value in _attrs(m.group(2)):
            if _EVENT_ATTR.match(name):
                found.append(HtmlFinding(line, f"标签 <{tag}> 带有事件属性 {name}，它会在浏览器里运行代码",
                                         "请删去 " + name + "=… 这一段属性。", "event"))
            elif name == "style" and ("url(" in value.lower() or "@import" in value.lower()):
                for url in external_css_resources(value):
                    found.append(HtmlFinding(line, f"标签 <{tag}> 的样式引用了别的网站上的资源：{url}",
                                             _HINT_EXTERNAL, "external"))
            elif name in _url_attrs_for(tag):
                urls = _srcset_urls(value) if name == "srcset" else [value]
                for url in urls:
                    if _offsite(url):
                        found.append(HtmlFinding(line, f"标签 <{tag}> 从别的网站加载资源：{url}",
                                                 _HINT_EXTERNAL, "external"))

    for m in _ATTR_LIST_EVENT.finditer(text):
        found.append(HtmlFinding(_line_at(text, m.start()),
                                 f"属性列表 {{…}} 里带有事件属性 {m.group(1)}，它会在浏览器里运行代码",
                                 "请删去 {…} 里的 " + m.group(1) + "=… 这一段。", "event"))

    for number, line in enumerate(text.split("\n"), 1):
        if "script" in line.lower() or "&#" in line or "data:" in line.lower():
            bad = _BAD_SCHEME.search(_clean_url(line))
            if bad:
                found.append(HtmlFinding(number, f"正文里出现了 {bad.group().lower()} 链接，点开会在浏览器里运行代码",
                                         "请删去这个链接；要链接到网页，请写 https:// 开头的网址。", "javascript"))

    for m in _MD_IMAGE.finditer(text):
        if _offsite(m.group(1)):
            found.append(HtmlFinding(_line_at(text, m.start()), f"图片引用了别的网站上的地址：{m.group(1)}",
                                     _HINT_EXTERNAL, "external"))
    return sorted(found, key=lambda f: f.line)


# --- the built page -------------------------------------------------------------------------

_RESOURCE_TAG_RE = re.compile(
    r"<(img|script|link|iframe|frame|embed|object|video|audio|source|track|input|image|use|feimage|"
    r"body|table|td|th)\b([^>\"']*(?:(?:\"[^\"]*\"|'[^']*')[^>\"']*)*)>",
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


@functools.lru_cache(maxsize=1 << 16)  # pure; most lines of a page are its shell's, on every page
def _line_loaded(line: str) -> tuple[tuple[str, str, str], ...]:
    return tuple(x for m in _RESOURCE_TAG_RE.finditer(line) for x in _loaded_urls(m.group(1), m.group(2)))


def external_resources(html: str, page: str = "", lines: Sequence[str] | None = None) -> list[str]:
    """Every resource `html` (the page at site-relative path `page`) loads from another host,
    as '<tag attr>: url'. Links (<a href>) and <link rel=canonical|alternate> are fine.

    `lines`: `html` split at its line breaks, given when no tag runs past one (the privacy
    scan knows, see privacy._page_text): its tags are then read line by line, and lines seen
    before are not read again. Whether a URL is off-site is still decided for this page."""
    found: list[str] = []
    if lines is None:
        loaded = (x for m in _RESOURCE_TAG_RE.finditer(html) for x in _loaded_urls(m.group(1), m.group(2)))
    else:
        loaded = (x for line in lines for x in _line_loaded(line))
    for tag, name, url in loaded:
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
