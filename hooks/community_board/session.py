"""The build session: what the builds of one process share, and what the running build owns.

MkDocs runs one build at a time; `mkdocs serve` runs many in the same process. Between them
only the build cache survives: pure results keyed by every input of their work (memo.py),
read from `.cache/build/` and written back after a build that passed (buildcache.py), so
nothing one build decided can reach the next. Everything else (the content model, the worker
pools and the work running in them, the staging folder) belongs to one build: `begin` drops
what an earlier build left, and `close_jobs` stops the workers when a build ends either way.

A cold build (no cache yet, or our code or a package changed) runs its background work in
worker processes; a warm one takes nearly everything from the cache and starts none but the
search index's.

Nothing here imports MkDocs: the hook file (hooks/board_hooks.py) hands over plain values, and
the MkDocs-facing helpers live in mkdocs_glue.py.
"""
from __future__ import annotations

import gc
import os
from dataclasses import replace
from pathlib import Path
from urllib.parse import urlsplit

from . import staging
from .assets import wrap_tables
from .build import BuildState, content_dir_of, photo_requests, prepare
from .buildcache import BuildCache, cache_dir_of, packed, version
from .content import record_files
from .editor_config import cms_copies
from .errors import ContentError, Problem
from .feed import atom_feed, feed_entries, feed_header
from .guard import allowed_numbers
from .htmlsafety import sanitize
from .kinds import KINDS
from .memo import Memo, digest
from .photos import publish_photos
from .privacy import names_ahead
from .render import MarkdownSettings, Prerendered
from .search import build_index, documents
from .sitescan import PARALLEL_FROM as SCAN_PARALLEL_FROM, PageScan, name_records, origins
from .sitescan import scan_documents, scan_feed, scan_site
from .tables import label_tables
from .workers import SHARED_POOL_FROM, Background, Forked, process_pool, worker_count

# Under `mkdocs serve`, a page whose template inputs are all unchanged is not rendered again:
# its HTML from an earlier build goes out through this one-line template (overrides/).
CACHED_TEMPLATE = "board-cached.html"
# Under `mkdocs serve`, a refused build's page at every address (overrides/), with its stylesheet.
ERROR_TEMPLATE = "board-error.html"
ERROR_STYLESHEET = "assets/board/board-error.css"
CONTENT_REFUSED = "内容检查未通过，网站没有更新"
SITE_REFUSED = "发布前检查未通过（生成的网站中发现不应公开的内容）"

_JOBS = ("names", "prerendered", "search", "scan")  # background work; the shared pool closes last


class BuildSession:
    def __init__(self, command: str = "build", dirty: bool = False):
        self.serving = command == "serve"
        # read in prepare, once the project is known; under serve, kept from build to build
        self.memo: BuildCache | None = None
        # MkDocs' --dirty writes only changed pages, so the staging folder starts as a copy.
        self.dirty = bool(dirty)
        self.state: BuildState | None = None
        self.site_dir: str | None = None  # the folder the site is published in
        self.staging: Path | None = None  # the folder this build writes into
        self.pool = None  # one shared process pool for a large build's background work
        self.names = self.prerendered = self.search = self.scan = None
        self.search_key = ""
        self.search_docs: list = []  # this build's search documents: made once, indexed and scanned
        # Under serve, what the check refused in this build ((heading, problems)), and the page
        # that shows it: ERROR_TEMPLATE compiled in this build's environment, its stylesheet.
        self.refusal: tuple[str, list[Problem]] | None = None
        self.error_template = None
        self.error_stylesheet = b""

    # --- the build's life ---------------------------------------------------------------------

    def begin(self, site_dir: str) -> str:
        """A new build of site_dir: drop what an earlier build left; the staging folder to write
        into, which replaces the folder a symlinked site/ points at (the web server serves that
        one) only when every check has passed."""
        self.close_jobs()
        self.state = None
        self.search_docs = []
        self.refusal = self.error_template = None
        self.site_dir = os.path.realpath(site_dir)
        self.staging = staging.fresh(Path(site_dir), self.dirty)
        return str(self.staging)

    def prepare(self, project_dir: Path, markdown: MarkdownSettings, site_url: str | None,
                config_file: Path | None = None) -> BuildState:
        """Load and check content/ (ContentError lists every problem) with the build's
        background work beside it; the workers stop if the content is refused."""
        jobs = worker_count()
        memo = self._cache(project_dir, config_file)
        self._keep_out_of_collections()
        cold = not memo.warm and not self.serving  # serve's threads make pools spawn: not worth it
        known_names = None
        if cold and jobs > 1:
            # While this process reads and checks the records, other processes convert the staff's
            # Markdown and tag names (jieba) in the sentences the privacy checks will look at. One
            # pool serves all of a large build's background work: its processes start and import once.
            sources = record_files(content_dir_of(project_dir, os.environ))
            if len(sources) >= SHARED_POOL_FROM:
                self.pool = process_pool(jobs)
                self.names = Background(names_ahead, [str(p) for p in sources], pool=self.pool)
                known_names = self.names.result
                self.prerendered = Prerendered(self.pool, sources, markdown)
        try:
            state = prepare(project_dir, site_url=site_url, memo=memo, jobs=jobs, known_names=known_names,
                            content_ready=lambda content: self._start_search(content, memo, cold, jobs))
        except ContentError:
            self.close_jobs()
            raise
        # A cold build scans pages as they are written, in the shared pool when it has one
        # (already started: nothing more to pay), else in a pool of its own for a site large
        # enough to be worth one. A warm build scans only what the cache has not seen clean.
        if cold and jobs > 1 and (self.pool is not None or len(state.pages) >= SCAN_PARALLEL_FROM):
            self.scan = PageScan(allowed_numbers(state.content.community), jobs, self.pool, clean=memo)
        self.state = state
        self._keep_out_of_collections()
        return state

    def _keep_out_of_collections(self) -> None:
        """A one-shot build holds the build cache it read and the content model to its end:
        frozen (gc.freeze), Python's collector no longer walks those millions of objects
        again at every full collection of the page loop. Not under serve, whose rebuilds drop
        what the last one held: frozen objects are never freed."""
        if not self.serving:
            gc.freeze()

    def _start_search(self, content, memo: BuildCache, cold: bool, jobs: int) -> None:
        """The search documents of the published content, and their index started beside the
        rest of the build when the cache does not hold it (as soon as the records passed: in a
        cold build the index was what the end of the build waited for)."""
        docs = self.search_docs = documents(content)
        self.search_key = digest("search", repr(docs))
        if jobs > 1 and self.search_key not in memo:
            # The index overlaps MkDocs' page loop, which runs on one core. A warm build forks,
            # so that the child reads the terms of unchanged documents from the cache without
            # any copying. Where forking is not safe (serve's threads), a worker builds it whole
            # and sends every document's terms back for the cache, unless the cache holds them
            # already: then the index is made here after the pages (0.4 s of CPU at 2,000
            # activities, against a spawned worker's start, imports and whole index).
            if cold or (self.serving and not memo.warm):
                self.search = Background(_index_and_terms, docs, pool=self.pool)
            elif not self.serving:
                self.search = Forked(_index_from, docs, memo)

    def _cache(self, project_dir: Path, config_file: Path | None) -> BuildCache:
        """The build cache of this project, read from disk unless this process holds it already
        (serve) with the same version; a build of another version starts it empty."""
        folder, current = cache_dir_of(project_dir, os.environ), version(config_file, os.environ)
        if self.memo is None or self.memo.version != current or self.memo.folder != folder:
            self.memo = BuildCache.load(folder, current)
        self.memo.begin_build()
        return self.memo

    def set_shell(self, shell_digest: str) -> None:
        """Under serve: the digest of what every page's shell reads (mkdocs_glue.shell_digest)."""
        self.state = replace(self.state, shell_digest=shell_digest)

    def shutdown(self) -> None:
        """The process ends (serve stops): the cache keeps what the last good build used."""
        self.close_jobs()
        if self.serving and self.memo is not None:
            self.memo.save()

    def close_jobs(self) -> None:
        for name in _JOBS:  # before the shared pool: they cancel their work in it
            job = getattr(self, name)
            if job is not None:
                job.close()
                setattr(self, name, None)
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def abandon(self) -> None:
        """The build failed: stop its workers and remove its staging folder; site/ stays."""
        self.close_jobs()
        staging.discard(self.staging)
        self.staging = None

    def publish(self) -> str:
        """Every check has passed: the staging folder becomes the site folder (returned)."""
        staging.swap(self.staging, Path(self.site_dir), later=self.serving)
        self.staging = None
        return self.site_dir

    def use_error_page(self, template, stylesheet: bytes) -> None:
        self.error_template, self.error_stylesheet = template, stylesheet

    def refuse(self, heading: str, problems: list[Problem]) -> None:
        """Under serve, the check refused this build: it goes on to a site of one page, the
        problems (show_problems), so the preview answers at once instead of holding every
        request until a build passes, as MkDocs does when a build fails."""
        self.close_jobs()
        self.refusal = (heading, list(problems))

    def show_problems(self, site_url: str | None, site_name: str) -> str:
        """Under serve, a refused build: the problem page replaces every page of the preview
        (the addresses of the last good site and of this build, index.html and 404.html, which
        serve answers for any other address), so whatever page staff have open shows it on the
        next load. The preview's folder is returned."""
        heading, problems = self.refusal
        root = urlsplit(site_url or "/").path.rstrip("/") + "/"
        page = self.error_template.render(heading=heading, problems=problems, root=root,
                                          stylesheet=ERROR_STYLESHEET, site_name=site_name).encode("utf-8")
        addresses = {"index.html", "404.html", *_html_files(Path(self.site_dir)), *_html_files(self.staging)}
        staging.discard(self.staging)  # nothing of the refused build is kept
        self.staging.mkdir(parents=True)
        for rel, data in [*((rel, page) for rel in sorted(addresses)), (ERROR_STYLESHEET, self.error_stylesheet)]:
            target = self.staging / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        return self.publish()

    # --- pages ----------------------------------------------------------------------------------

    def page_markdown(self, src_uri: str, markdown: str) -> str:
        """What MkDocs is to convert: "" when the page's HTML is ready. Markdown with no link to
        another page renders the same wherever it is: its HTML comes from an earlier serve build
        or from the workers (page_content puts it in place)."""
        key = ready = None
        if ".md" not in markdown:
            key = digest("markdown", src_uri, markdown)
            ready = self.memo.get(key)
        if ready is None and self.prerendered is not None and markdown.strip():
            ready = self.prerendered.html(markdown)
        if key is not None or ready is not None:
            self.state.render_keys[src_uri] = (key, ready)
        return "" if ready is not None else markdown

    def page_content(self, src_uri: str, html: str) -> str:
        key, ready = self.state.render_keys.get(src_uri, (None, None))
        # Whatever Markdown made of a page (staff text, and record values in about/slogans)
        # passes the allow-list sanitizer where it is made: here for MkDocs' conversion; HTML from
        # the workers (render.py) is sanitized there, and the serve memo keeps sanitized HTML.
        html = ready if ready is not None else sanitize(html)
        if key is not None:
            self.memo.put(key, html)
        # Generated HTML goes around what Markdown made of the staff's text, unparsed.
        html = wrap_tables(label_tables(html))  # labelled cells: tables stack on a phone
        spec = self.state.by_src.get(src_uri)
        if spec is not None and (spec.before or spec.after):
            html = f"{spec.before}\n{html}\n{spec.after}"
        return html

    def reuse_page(self, page, html: str) -> str | None:
        """The template for a page (MkDocs' Page, read only) whose HTML an earlier build made
        from the same inputs: CACHED_TEMPLATE, or None to render it. The key holds what main.html
        and its partials read of the page and the shell digest, so an edited template or asset
        changes every key."""
        src_uri = page.file.src_uri
        key = digest("page", self.state.shell_digest, src_uri, html, repr(sorted(page.meta.items())),
                     page.url, page.canonical_url or "", str(page.is_homepage), page.title or "",
                     self.state.share.image_for(src_uri) or "")
        cached = self.memo.get(key)
        self.state.served_pages[src_uri] = (key, cached)
        return CACHED_TEMPLATE if cached is not None else None

    def page_context(self, src_uri: str) -> dict:
        """What our templates read beside MkDocs' page context."""
        extra = {"board": self.state.content, "share_image": self.state.share.image_for(src_uri)}
        _, cached = self.state.served_pages.get(src_uri, (None, None))
        if cached is not None:
            extra["board_page_html"] = cached
        return extra

    def page_written(self, src_uri: str, dest_uri: str, output: str) -> None:
        if self.scan is not None:
            self.scan.add(dest_uri, output)
        key, cached = self.state.served_pages.get(src_uri, (None, None))
        if key is not None and cached is None:
            self.memo.put(key, output)

    # --- after the pages ------------------------------------------------------------------------

    def finish(self, site_dir: Path, site_url: str | None, site_name: str) -> str | None:
        """Write photos, search index and feed, then scan the whole site: the Chinese report of
        what must not be published, or None when the site may go out. Under serve, a refusal
        is also kept for show_problems."""
        state = self.state
        publish_photos(state.photos.values(), state.cache_dir, site_dir)
        index = self._search_index()
        for path, data in index.items():
            target = site_dir / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        (site_dir / "feed.xml").write_bytes(atom_feed(state.content, site_url or "/", site_name))
        for kind in KINDS:  # a kind's own files (an event's calendar), scanned with the pages
            for path, data in (kind.files(state.content, site_url or "") if kind.files else {}).items():
                (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                (site_dir / path).write_bytes(data)
        # Defence in depth: whatever slipped past the record checks (a template, a photo's
        # metadata, a resource from another host) fails the build here. The search index and
        # the feed are scanned as the text they are made of, never as their encodings.
        allowed = allowed_numbers(state.content.community)
        made_from_text = {*index, "feed.xml"}
        # /admin/'s CMS code, byte for byte the integrity-checked npm bundle: it holds no record
        made_from_text |= cms_copies(site_dir, os.environ, state.project_dir)
        scan, self.scan = self.scan, None
        hits = (scan.finish(site_dir, made_from_text) if scan is not None
                else scan_site(site_dir, allowed, clean=self.memo, skip=made_from_text))
        hits += scan_documents(self.search_docs, allowed)
        hits += scan_feed(feed_entries(state.content), feed_header(state.content, site_name), allowed)
        self.close_jobs()
        if not hits:
            self.memo.commit()
            if not self.serving:  # serve writes its cache once, when it stops (shutdown)
                self.memo.save()
            return None
        found = ContentError(name_records(hits, origins(state.content, photo_records(state))))
        if self.serving:
            self.refusal = (SITE_REFUSED, found.problems)
        return f"{SITE_REFUSED}：\n" + found.report()

    def _search_index(self) -> dict:
        if self.search is not None:
            index, terms, used = self.search.result()
            for key, value in terms:
                self.memo.put(key, value)
            self.memo.touch(used)
            self.memo.put(self.search_key, index)
            return index
        return self.memo.cached(self.search_key, lambda: build_index(self.search_docs, self.memo))


def _index_and_terms(docs) -> tuple[dict, list, list]:
    """In a worker: the search index and, for the build cache, every document's terms."""
    terms = Memo()
    return build_index(docs, terms), [(k, packed(v)) for k, v in terms.items()], []


class _TermsFrom:
    """In a forked child, for build_index: the terms the build cache holds, and a record of
    what was computed (sent back for the cache) and what was read (kept in it)."""

    def __init__(self, memo):
        self.memo, self.new, self.used = memo, [], []

    def cached(self, key, compute):
        if key in self.memo:
            self.used.append(key)
            return self.memo.get(key)
        value = compute()
        self.new.append((key, value))
        return value


def _index_from(docs, memo) -> tuple[dict, list, list]:
    terms = _TermsFrom(memo)
    return build_index(docs, terms), [(k, packed(v)) for k, v in terms.new], terms.used


def _html_files(folder: Path | None) -> list[str]:
    """The pages of a built site: its .html files, relative, with POSIX slashes."""
    if folder is None or not folder.is_dir():
        return []
    return [p.relative_to(folder).as_posix() for p in folder.rglob("*.html") if p.is_file()]


def photo_records(state: BuildState):
    """(site paths of a photo's copies, record file, field) for every photo a record uses."""
    for request in photo_requests(state.content):
        photoset = state.photos.get(request.source)
        if photoset is not None:
            yield [v.url for v in photoset.variants], request.record, request.field
