"""MkDocs hooks: move the content model into MkDocs. Only event handlers live here.

MkDocs puts hooks/ on sys.path only while it imports this file, so everything is imported at
the top. `mkdocs serve` rebuilds in this same process, so each build keeps its state on its own
config object; the only module-level state is the three dicts below, each saying why.
"""
from __future__ import annotations

import logging
import os
import sys
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from mkdocs.exceptions import Abort, PluginError
from mkdocs.utils import CountHandler
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc

from community_board.assets import partial_once_per, template_filters, wrap_tables
from community_board.build import BuildState, content_dir_of, photo_requests, prepare
from community_board.content import record_files
from community_board.errors import ContentError
from community_board.guard import allowed_numbers
from community_board.htmlsafety import sanitize
from community_board.memo import Memo, digest
from community_board.workers import SHARED_POOL_FROM, Background, process_pool, worker_count
from community_board.privacy import names_ahead
from community_board.sitescan import PARALLEL_FROM as SCAN_PARALLEL_FROM, PageScan, scan_site
from community_board.sitescan import name_records, origins, scan_documents, scan_feed
from community_board.feed import atom_feed, feed_entries, feed_header
from community_board.photos import publish_photos
from community_board.printboard import placeholder_site_url
from community_board.render import MarkdownSettings, Prerendered
from community_board.search import build_index, documents
from community_board.tables import label_tables
from community_board import staging

_STATE = "community_board_state"

# Pure results kept between `mkdocs serve` rebuilds in this process: rendered Markdown, search
# index, privacy scans. Every key hashes all inputs of its work, so no entry can be stale and
# no decision of one build reaches the next (see community_board/memo.py). Only `serve`
# rebuilds: a one-shot build would pay its memory (1.5 GB at 10,000 activities) for nothing.
_SERVE = {"memo": None}

# The worker processes of the build now running in this process (MkDocs runs one build at a
# time), so that on_build_error, which is given no config, can stop them. Each build starts by
# closing whatever an earlier one left, and closes its own at the end.
_RUNNING = {"names": None, "prerendered": None, "search": None, "scan": None, "pool": None}

# The build now running writes into a staging folder (community_board/staging.py) that
# replaces site/ only when every check has passed; on_build_error, given no config, removes
# it. `dirty`: MkDocs' --dirty writes only changed pages, so the staging starts as a copy.
_STAGED = {"staging": None, "site": None, "dirty": False}


def on_startup(command, dirty):
    _SERVE["memo"] = Memo() if command == "serve" else None
    _STAGED["dirty"] = bool(dirty)


def _state(config) -> BuildState:
    return config[_STATE]


def on_config(config):
    # Register our key so MkDocs' config accepts it; filled in by on_pre_build.
    config[_STATE] = None
    # MkDocs writes into a fresh staging folder; on_post_build swaps it into site_dir (the
    # folder a symlinked site/ points at: the web server serves that one).
    _STAGED["site"] = os.path.realpath(config.site_dir)
    config.site_dir = _STAGED["staging"] = str(staging.fresh(Path(config.site_dir), _STAGED["dirty"]))
    return config


def on_pre_build(config):
    """Load, validate and process photos before MkDocs cleans or writes site/."""
    _close_running()
    try:
        jobs = worker_count()
    except ContentError as exc:
        raise PluginError("内容检查未通过，网站没有更新：\n" + exc.report()) from None
    project_dir, memo = Path(config.config_file_path).parent, _SERVE["memo"]
    known_names = None
    if memo is None and jobs > 1:
        # While this process reads and checks the records, other processes convert the staff's
        # Markdown and tag names (jieba) in the sentences the privacy checks will look at.
        # One pool serves all of a large build's background work: its processes start and
        # import once.
        sources = record_files(content_dir_of(project_dir, os.environ))
        if len(sources) >= SHARED_POOL_FROM:
            pool = _RUNNING["pool"] = process_pool(jobs)
            _RUNNING["names"] = Background(names_ahead, [str(p) for p in sources], pool=pool)
            known_names = _RUNNING["names"].result
            _RUNNING["prerendered"] = Prerendered(
                pool, sources, MarkdownSettings(tuple(config.markdown_extensions), config.mdx_configs or {}))
    try:
        state = prepare(project_dir, site_url=config.site_url, memo=memo, jobs=jobs, known_names=known_names)
    except ContentError as exc:
        _close_running()
        raise PluginError("内容检查未通过，网站没有更新：\n" + exc.report()) from None
    if memo is not None:
        state = replace(state, shell_digest=_shell_digest(config, state))
    config[_STATE] = state
    config.site_name = f"{state.content.community.name}宣传窗"
    placeholder = placeholder_site_url(config.site_url)
    if placeholder:
        # On stderr, not through MkDocs' log: a warning there would fail a --strict build, and
        # a build for a local preview with the placeholder is legitimate.
        print(placeholder, file=sys.stderr)
    if jobs > 1:
        # The index overlaps MkDocs' page loop, which runs on one core (under serve too: a
        # changed record changes the index, and building it beside the loop is quicker).
        _RUNNING["search"] = Background(build_index, documents(state.content), pool=_RUNNING["pool"])
        # Pages are scanned as they are written, in the shared pool when the build has one
        # (already started: nothing more to pay), else in a pool of its own for a site large
        # enough to be worth one. Under serve the memo scans.
        if memo is None and (_RUNNING["pool"] is not None or len(state.pages) >= SCAN_PARALLEL_FROM):
            _RUNNING["scan"] = PageScan(allowed_numbers(state.content.community), jobs, _RUNNING["pool"])


def _shell_digest(config, state: BuildState) -> str:
    """Everything main.html and its partials read that is the same on every page of a build:
    every file of the theme's custom_dir, the community, the site's settings and the nav."""
    root = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root and root.is_dir() else []
    return digest(*(part for p in files for part in (p.relative_to(root).as_posix(), p.read_bytes())),
                  repr(state.content.community), config.site_name, config.site_url or "",
                  config.site_description or "", str(config.theme.get("favicon")), repr(config.nav))


def _markdown_key(src_uri: str, markdown: str) -> str:
    return digest("markdown", src_uri, markdown)


def _close_running() -> None:
    for name, job in _RUNNING.items():  # the shared pool last: the others cancel their work in it
        if job is not None:
            if name == "pool":
                job.shutdown(wait=True, cancel_futures=True)
            else:
                job.close()
            _RUNNING[name] = None


def on_build_error(error):
    _close_running()
    staging.discard(_STAGED["staging"] and Path(_STAGED["staging"]))
    _STAGED["staging"] = None
    if isinstance(error, OSError):  # a full disk or a folder we may not write: no traceback
        raise Abort(f"写入网站文件时出错（{error.strerror or error}：{error.filename or ''}），网站没有更新，"
                    f"原来的 {_STAGED['site']} 保持不变。\n    怎么改：检查磁盘空间，以及该文件夹和所在磁盘是否可以写入，"
                    f"然后重新构建。") from None


class BoardPage(Page):
    """A page of the content model. When there is no Markdown left to convert (a page of
    generated HTML only, or staff text converted ahead in a worker or kept by the serve memo:
    on_page_markdown then hands MkDocs ""), MkDocs' conversion is skipped: a fresh `Markdown`
    instance for every page was a quarter of MkDocs' time in a large build. The result is
    what MkDocs makes of "": no HTML and no table of contents."""

    def _set_canonical_url(self, base: str | None) -> None:
        # Our URLs are plain relative paths (activities/x/): joining them to the site URL is
        # concatenation, without urljoin's parsing for each of thousands of pages.
        if not base:
            return super()._set_canonical_url(base)
        base = base if base.endswith("/") else base + "/"
        self.canonical_url = base + self.url
        self.abs_url = _url_path(base) + self.url

    def render(self, config, files) -> None:
        if self.markdown.strip():
            return super().render(config, files)
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = None  # as for a page not rendered: no anchor checks
        self.links_to_anchors = {}


@lru_cache(maxsize=8)
def _url_path(url: str) -> str:
    return urlsplit(url).path


def _nav_paths(items) -> set[str]:
    """Source paths named in mkdocs.yml's nav: MkDocs makes those pages, with the nav's titles."""
    found: set[str] = set()
    for item in items or ():
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found |= _nav_paths(value)
    return found


# Files of Material's theme that no page loads: our shell (overrides/main.html) uses its
# stylesheet only, not its JavaScript (bundle, search worker, lunr languages: 2.3 MB), the
# source maps or the palette stylesheet. Publishing them would only slow builds and uploads.
_UNUSED_THEME_FILES = ("assets/javascripts/", "assets/stylesheets/palette.")


def _unused_theme_file(file: File) -> bool:
    return file.src_uri.startswith(_UNUSED_THEME_FILES) or (
        file.src_uri.startswith("assets/") and file.src_uri.endswith(".map"))


def on_files(files: Files, config) -> Files:
    state = _state(config)
    for file in [f for f in files if _unused_theme_file(f)]:
        files.remove(file)
    in_nav = _nav_paths(config.nav)
    for page in state.pages:
        if files.get_file_from_path(page.src_uri) is not None:
            raise PluginError(f"docs/{page.src_uri} 与自动生成的页面同名，请改名或删除。")
        file = File.generated(config, page.src_uri, content=page.markdown)
        files.append(file)
        if page.src_uri not in in_nav:
            BoardPage(None, file, config)  # sets file.page
    # The checked bytes of the published notices' attachments (attachments.plan), never the
    # file in content/ as it is now; image attachments are published as processed photos.
    for uri, data in state.attachment_files.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} 与公告附件同名，请改名或删除。")
        files.append(File.generated(config, uri, content=data))
    for uri, path in state.share.files.items():
        files.append(File.generated(config, uri, abs_src_path=str(path)))
    return files


def on_env(env, config, files):
    # Every value a template prints is escaped unless our code marked it safe (page.content,
    # the cached partials): a record's title or community.yml's name can never become markup.
    # MkDocs leaves autoescape off; its sitemap.xml already escapes with |e (no double escape:
    # |e gives Markup), and Material's 404.html extends our main.html.
    env.autoescape = True
    env.filters.update(template_filters(config.theme.dirs, config.site_url))
    env.globals["board_header"] = partial_once_per(env, "partials/header.html")
    env.globals["board_footer"] = partial_once_per(env, "partials/copyright.html")
    return env


def on_page_markdown(markdown, page, config, files):
    spec = _state(config).by_src.get(page.file.src_uri)
    day = (spec.updated if spec and spec.updated else _state(config).content.as_of)
    page.update_date = day.isoformat()  # sitemap lastmod: from the records, never the clock
    if spec is not None:
        page.meta.setdefault("title", spec.title)
        if spec.description:
            page.meta.setdefault("description", spec.description)
        page.meta["board_kind"] = spec.kind
    # Markdown with no link to another page renders the same wherever it is: take its HTML
    # from an earlier serve build or from the workers, and give MkDocs nothing to convert
    # (on_page_content puts the HTML in place).
    memo, key, ready = _SERVE["memo"], None, None
    if memo is not None and ".md" not in markdown:
        key = _markdown_key(page.file.src_uri, markdown)
        ready = memo.get(key)
    if ready is None and _RUNNING["prerendered"] is not None and markdown.strip():
        ready = _RUNNING["prerendered"].html(markdown)
    if key is not None or ready is not None:
        _state(config).render_keys[page.file.src_uri] = (key, ready)
    return "" if ready is not None else markdown


def on_page_content(html, page, config, files):
    key, ready = _state(config).render_keys.get(page.file.src_uri, (None, None))
    # Whatever Markdown made of a page (staff text, and record values in about/slogans) passes
    # the allow-list sanitizer where it is made: here for MkDocs' conversion; HTML from the
    # workers (render.py) is sanitized there, and the serve memo keeps sanitized HTML.
    html = ready if ready is not None else sanitize(html)
    if key is not None:
        _SERVE["memo"].put(key, html)
    # Generated HTML goes around what Markdown made of the staff's text, unparsed.
    html = wrap_tables(label_tables(html))  # labelled cells: tables stack on a phone
    spec = _state(config).by_src.get(page.file.src_uri)
    if spec is not None and (spec.before or spec.after):
        html = f"{spec.before}\n{html}\n{spec.after}"
    if _SERVE["memo"] is not None:
        _reuse_page(page, config, html)
    return html


# Under `mkdocs serve`, a page whose template inputs are all unchanged is not rendered again:
# its HTML from an earlier build goes out through this one-line template. The key holds what
# main.html and its partials read of the page (below) and the build's shell digest, so an
# edited template or asset changes every key.
CACHED_TEMPLATE = "board-cached.html"


def _page_key(page, config, html: str) -> str:
    state = _state(config)
    return digest("page", state.shell_digest, page.file.src_uri, html, repr(sorted(page.meta.items())),
                  page.url, page.canonical_url or "", str(page.is_homepage), page.title or "",
                  state.share.image_for(page.file.src_uri) or "")


def _reuse_page(page, config, html: str) -> None:
    key = _page_key(page, config, html)
    cached = _SERVE["memo"].get(key)
    _state(config).served_pages[page.file.src_uri] = (key, cached)
    if cached is not None:
        page.meta["template"] = CACHED_TEMPLATE


def on_page_context(context, page, config, nav):
    context["board"] = _state(config).content
    context["share_image"] = _state(config).share.image_for(page.file.src_uri)
    _, cached = _state(config).served_pages.get(page.file.src_uri, (None, None))
    if cached is not None:
        context["board_page_html"] = cached
    return context


def on_template_context(context, template_name, config):
    # Static templates (404.html, the sitemap) get no page context: the 404 page names the
    # community and its phone in its body and footer.
    context["board"] = _state(config).content
    return context


def on_post_page(output, page, config):
    if _RUNNING["scan"] is not None:
        _RUNNING["scan"].add(page.file.dest_uri, output)
    key, cached = _state(config).served_pages.get(page.file.src_uri, (None, None))
    if key is not None and cached is None:
        _SERVE["memo"].put(key, output)
    return output


def _search_index(state: BuildState) -> dict:
    if _RUNNING["search"] is not None:
        return _RUNNING["search"].result()
    docs, memo = documents(state.content), _SERVE["memo"]
    if memo is None:
        return build_index(docs)
    return memo.cached(digest("search", repr(docs)), lambda: build_index(docs, memo))


def on_post_build(config):
    state = _state(config)
    site_dir = Path(config.site_dir)
    publish_photos(state.photos.values(), state.cache_dir, site_dir)
    index = _search_index(state)
    for path, data in index.items():
        target = site_dir / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (site_dir / "feed.xml").write_bytes(atom_feed(state.content, config.site_url or "/", config.site_name))
    # Defence in depth: whatever slipped past the record checks (a template, a photo's
    # metadata, a resource from another host) fails the build here. The search index and the
    # feed are scanned as the text they are made of, never as their encodings (sitescan.py).
    allowed = allowed_numbers(state.content.community)
    made_from_text = {*index, "feed.xml"}
    scan, _RUNNING["scan"] = _RUNNING["scan"], None
    hits = (scan.finish(site_dir, made_from_text) if scan is not None
            else scan_site(site_dir, allowed, clean=_SERVE["memo"], skip=made_from_text))
    hits += scan_documents(documents(state.content), allowed)
    hits += scan_feed(feed_entries(state.content), feed_header(state.content, config.site_name), allowed)
    _close_running()
    if hits:
        found = name_records(hits, origins(state.content, _photo_records(state)))
        message = "发布前检查未通过（生成的网站中发现不应公开的内容）：\n" + ContentError(found).report()
        if _SERVE["memo"] is not None:  # serve goes on serving the last good pages (MkDocs
            # would hold every request until a build passes); the terminal says why, outside
            # MkDocs' logger, whose --strict counter would fail the build after all
            print(message + "\n预览仍显示上一次通过检查的页面。", file=sys.stderr, flush=True)
            staging.discard(Path(config.site_dir))
            config.site_dir, _STAGED["staging"] = _STAGED["site"], None
            return
        raise PluginError(message)
    _publish_staging(config)


def _publish_staging(config) -> None:
    """Every check has passed: the staging folder becomes site_dir. Not under --strict with
    warnings, which MkDocs turns into a failure only after this event (on_build_error then
    removes the staging folder)."""
    if config.strict and any(isinstance(h, CountHandler) and h.get_counts()
                             for h in logging.getLogger("mkdocs").handlers):
        return
    staging.swap(Path(config.site_dir), Path(_STAGED["site"]))
    config.site_dir, _STAGED["staging"] = _STAGED["site"], None


def _photo_records(state: BuildState):
    """(site paths of a photo's copies, record file, field) for every photo a record uses."""
    for request in photo_requests(state.content):
        photoset = state.photos.get(request.source)
        if photoset is not None:
            yield [v.url for v in photoset.variants], request.record, request.field
