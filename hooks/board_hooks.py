"""MkDocs hooks: move the content model into MkDocs. Only event handlers live here.

The build's work is in community_board (session.py runs it, mkdocs_glue.py holds what must
know MkDocs' objects). MkDocs registers every callable named on_* of this module as an event
handler, imported names included, and puts hooks/ on sys.path only while it imports this file:
so everything is imported at the top, and no imported name starts with on_.
"""
from __future__ import annotations

import sys
from pathlib import Path

from mkdocs.exceptions import Abort, PluginError
from mkdocs.structure.files import Files

from community_board.assets import partial_once_per, template_filters
from community_board.errors import ContentError
from community_board.mkdocs_glue import add_board_files, build_no_pages, markdown_settings, serve_templates
from community_board.mkdocs_glue import shell_digest, strict_warnings
from community_board.printboard import placeholder_site_url
from community_board.session import CONTENT_REFUSED, BuildSession

# The only module-level object: what this process's builds share (the serve memo) and what the
# running build owns (pools, background work, staging folder). Made in on_startup; `mkdocs
# serve` rebuilds in this process, and each build's on_config drops what the last one left.
_session: BuildSession | None = None


def on_startup(command, dirty):
    global _session
    _session = BuildSession(command, dirty)


def on_serve(server, config, builder):
    _session.serving = True  # `serve --clean` started us as for build: its rebuilds show the problem page too


def on_shutdown():
    if _session is not None:
        _session.shutdown()


def on_config(config):
    global _session
    if _session is None:  # MkDocs' build() called directly, without on_startup: a one-shot build
        _session = BuildSession()
    # MkDocs writes into a fresh staging folder; on_post_build swaps it into site_dir.
    config.site_dir = _session.begin(config.site_dir)
    return config


def on_pre_build(config):
    """Load, validate and process photos before MkDocs cleans or writes site/."""
    try:
        state = _session.prepare(Path(config.config_file_path).parent, markdown_settings(config), config.site_url,
                                 Path(config.config_file_path))
    except ContentError as exc:
        if not _session.serving:
            raise PluginError(f"{CONTENT_REFUSED}：\n{exc.report()}") from None
        # serve builds a site of the problem page instead (on_post_build)
        _session.refuse(CONTENT_REFUSED, exc.problems)
        build_no_pages(config)
        print(f"{CONTENT_REFUSED}：\n{exc.report()}\n预览网页上显示这份清单，改好保存后自动恢复。", file=sys.stderr, flush=True)
        return
    config.site_name = f"{state.content.community.name}宣传窗"
    _session.set_shell(shell_digest(config, state))
    placeholder = placeholder_site_url(config.site_url)
    if placeholder:
        # On stderr, not through MkDocs' log: a warning there would fail a --strict build, and
        # a build for a local preview with the placeholder is legitimate.
        print(placeholder, file=sys.stderr)


def on_build_error(error):
    if _session is None:
        return
    _session.abandon()
    if isinstance(error, OSError):  # a full disk or a folder we may not write: no traceback
        raise Abort(f"写入网站文件时出错（{error.strerror or error}：{error.filename or ''}），网站没有更新，"
                    f"原来的 {_session.site_dir} 保持不变。\n    怎么改：检查磁盘空间，以及该文件夹和所在磁盘是否可以写入，"
                    f"然后重新构建。") from None


def on_files(files, config):
    return Files([]) if _session.refusal else add_board_files(files, config, _session.state, _session.serving)


def on_env(env, config, files):
    # Every value a template prints is escaped unless our code marked it safe (page.content, the cached
    # partials): a record's title or community.yml's name can never become markup. MkDocs leaves autoescape
    # off; its sitemap.xml already escapes with |e (no double escape: |e gives Markup), and Material's 404.html extends our main.html.
    env.autoescape = True
    env.filters.update(template_filters(config.theme.dirs, config.site_url))
    env.globals["board_header"] = partial_once_per(env, "partials/header.html")
    env.globals["board_footer"] = partial_once_per(env, "partials/copyright.html")
    serve_templates(env, config, _session)
    return env


def on_page_markdown(markdown, page, config, files):
    state = _session.state
    spec = state.by_src.get(page.file.src_uri)
    day = spec.updated if spec and spec.updated else state.content.as_of
    page.update_date = day.isoformat()  # sitemap lastmod: from the records, never the clock
    if spec is not None:
        page.meta.setdefault("title", spec.title)
        if spec.description:
            page.meta.setdefault("description", spec.description)
        page.meta["board_kind"] = spec.kind
    return _session.page_markdown(page.file.src_uri, markdown)


def on_page_content(html, page, config, files):
    html = _session.page_content(page.file.src_uri, html)
    template = _session.reuse_page(page, html)
    if template is not None:
        page.meta["template"] = template
    return html


def on_page_context(context, page, config, nav):
    context.update(_session.page_context(page.file.src_uri))
    return context


def on_template_context(context, template_name, config):
    # Static templates (404.html, the sitemap) get no page context: the 404 page names the
    # community and its phone in its body and footer.
    context["board"] = _session.state.content
    return context


def on_post_page(output, page, config):
    _session.page_written(page.file.src_uri, page.file.dest_uri, output)
    return output


def on_post_build(config):
    refused = None if _session.refusal else _session.finish(Path(config.site_dir), config.site_url, config.site_name)
    if _session.refusal:
        # serve shows the problems at every address of the preview (MkDocs would hold every
        # request until a build passes); the terminal says them too, outside MkDocs' logger,
        # whose --strict counter would fail the build after all
        if refused:
            print(refused + "\n预览网页上显示这份清单，改好保存后自动恢复。", file=sys.stderr, flush=True)
        config.site_dir = _session.show_problems(config.site_url, config.site_name)
    elif refused:
        raise PluginError(refused)
    elif not strict_warnings(config):
        config.site_dir = _session.publish()
