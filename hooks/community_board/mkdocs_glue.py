"""The few helpers that must know MkDocs' objects: its Page, File and Files, its config and its
logger. The hook file (hooks/board_hooks.py) holds only event handlers; the build's work is in
session.py and the content model, which import nothing from MkDocs.
"""
from __future__ import annotations

import logging
import os
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page
from mkdocs.structure.toc import get_toc
from mkdocs.utils import CountHandler

from . import editor_config
from .build import BuildState
from .memo import digest
from .render import MarkdownSettings
from .session import ERROR_STYLESHEET, ERROR_TEMPLATE


class BoardPage(Page):
    """A page of the content model. When there is no Markdown left to convert (a page of
    generated HTML only, or staff text converted ahead in a worker or kept by the serve memo:
    on_page_markdown then hands MkDocs ""), MkDocs' conversion is skipped: a fresh `Markdown`
    instance for every page was a quarter of MkDocs' time in a large build. The result is
    what MkDocs makes of "": no HTML and no table of contents."""

    def render(self, config, files) -> None:
        if self.markdown.strip():
            return super().render(config, files)
        self.content = ""
        self.toc = get_toc([])
        self.present_anchor_ids = None  # as for a page not rendered: no anchor checks
        self.links_to_anchors = {}


def nav_paths(items) -> set[str]:
    """Source paths named in mkdocs.yml's nav: MkDocs makes those pages, with the nav's titles."""
    found: set[str] = set()
    for item in items or ():
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, str):
            found.add(value)
        elif isinstance(value, list):
            found |= nav_paths(value)
    return found


# Files of Material's theme that no page loads: our shell (overrides/main.html) uses its
# stylesheet only, not its JavaScript (bundle, search worker, lunr languages: 2.3 MB), the
# source maps or the palette stylesheet. Publishing them would only slow builds and uploads.
_UNUSED_THEME_FILES = ("assets/javascripts/", "assets/stylesheets/palette.")


# mkdocs serve's live reload from a file (main.html links it under serve only): never published.
LIVERELOAD_SCRIPT = "assets/board/livereload.js"


def unused_theme_file(file: File, serving: bool = False) -> bool:
    # The preview's problem page takes its stylesheet from the theme folder (error_page).
    return file.src_uri.startswith(_UNUSED_THEME_FILES) or file.src_uri == ERROR_STYLESHEET or (
        file.src_uri.startswith("assets/") and file.src_uri.endswith(".map")) or (
        file.src_uri == LIVERELOAD_SCRIPT and not serving)


def build_no_pages(config) -> None:
    """Under serve, the content check refused the build: MkDocs is to make no page and no
    theme template (the nav, 404.html and the sitemap read the content that was refused);
    the session writes the problem page instead (session.show_problems). This build's config
    only: serve loads the config afresh for every rebuild."""
    config.nav = None
    config.theme.static_templates.clear()


def error_page(env, config) -> tuple:
    """Under serve: the problem page's template, compiled in this build's environment (whose
    autoescape on_env has turned on), and its stylesheet's bytes, from the theme's folders."""
    stylesheet = next((Path(d) / ERROR_STYLESHEET for d in config.theme.dirs
                       if (Path(d) / ERROR_STYLESHEET).is_file()), None)
    return env.get_template(ERROR_TEMPLATE), stylesheet.read_bytes() if stylesheet else b""


def serve_templates(env, config, session) -> None:
    """Under serve: main.html links livereload.js (the `board_serving` global), and the problem
    page is compiled in this build's environment (error_page)."""
    env.globals["board_serving"] = session.serving
    if session.serving:
        session.use_error_page(*error_page(env, config))


def add_board_files(files: Files, config, state: BuildState, serving: bool = False) -> Files:
    """Drop the theme files no page loads; add the model's pages, the notices' attachments and
    the share images. A file in docs/ with the path of one of ours is an error, not a choice."""
    for file in [f for f in files if unused_theme_file(f, serving)]:
        files.remove(file)
    in_nav = nav_paths(config.nav)
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
    return add_editor_files(files, config, state)


def add_editor_files(files: Files, config, state: BuildState) -> Files:
    """/admin/ (the web editor against the office's Forgejo) when BOARD_EDITOR=gitea; else
    nothing, and the site is byte for byte what it was."""
    community = state.content.community
    try:
        extra = editor_config.site_files(os.environ, Path(config.config_file_path).parent, config.site_url or "",
                                         tuple((c.slug, c.title) for c in community.columns))
    except ValueError as exc:
        raise PluginError(f"网页编辑器没有发布：{exc}") from None
    for uri, data in extra.items():
        if files.get_file_from_path(uri) is not None:
            raise PluginError(f"docs/{uri} 与网页编辑器的文件同名，请改名或删除。")
        files.append(File.generated(config, uri, content=data))
    return files


def markdown_settings(config) -> MarkdownSettings:
    return MarkdownSettings(tuple(config.markdown_extensions), config.mdx_configs or {})


def shell_digest(config, state: BuildState) -> str:
    """Everything main.html and its partials read that is the same on every page of a build:
    every file of the theme's custom_dir, the community, the site's settings and the nav."""
    root = Path(config.theme.custom_dir) if config.theme.custom_dir else None
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root and root.is_dir() else []
    return digest(*(part for p in files for part in (p.relative_to(root).as_posix(), p.read_bytes())),
                  repr(state.content.community), config.site_name, config.site_url or "",
                  config.site_description or "", str(config.theme.get("favicon")), repr(config.nav))


def strict_warnings(config) -> bool:
    """--strict and MkDocs has counted warnings: it fails the build only after on_post_build
    (on_build_error then removes the staging folder), so the site must not be swapped first."""
    return bool(config.strict) and any(isinstance(h, CountHandler) and h.get_counts()
                                       for h in logging.getLogger("mkdocs").handlers)
