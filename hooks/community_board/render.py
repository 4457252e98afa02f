"""Staff-written Markdown to HTML on the other cores, from the first moment of a build.

MkDocs converts each page on one core with a fresh `Markdown` instance, and for a large
community that conversion is the biggest single cost of a build. So, as a build starts, worker
processes read every activity and notice file themselves and convert its body, with one
`Markdown` instance per worker, while the main process reads and checks the records and lays
out the pages. The hooks then hand MkDocs the HTML in place of its own conversion.

Only Markdown with no link, image or raw HTML is converted ahead: for it, MkDocs' own
tree-processors (links, anchors, title) change nothing, so the same extensions give the same
HTML anywhere. Results are keyed by the Markdown text itself, so a record the model reads
differently (or not at all: invalid, draft, not yet published) is simply never asked for;
pages with links still go through MkDocs, which checks them. The HTML is sanitized here, where
it is made (htmlsafety.sanitize), as MkDocs' own conversion is in on_page_content.
"""
from __future__ import annotations

import functools
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence


CHUNK = 250  # files per task: big enough to hide the hand-over, small enough to spread


def renders_anywhere(markdown: str) -> bool:
    """True when the page's HTML cannot depend on where the page is or what else exists:
    no link or image ("[" of [text](url), ![alt](src), [ref] and footnotes) and no raw HTML
    or autolink ("<")."""
    return "[" not in markdown and "<" not in markdown


@dataclass(frozen=True)
class MarkdownSettings:
    """The site's Markdown extensions, as MkDocs' config holds them (names and their configs)."""

    extensions: tuple[str, ...]
    configs: Mapping[str, Mapping] = field(default_factory=dict)

    def __hash__(self) -> int:  # the configs are dicts: hashed as their text
        return hash((self.extensions, repr(sorted(self.configs.items()))))


@functools.lru_cache(maxsize=4)
def _converter(settings: MarkdownSettings):
    """One `Markdown` instance per settings in each worker process, reset before each use:
    making one costs as much as converting a body. What it converts depends on the settings
    only, so this caches a pure function: nothing of one build is kept for the next."""
    import markdown

    return markdown.Markdown(extensions=list(settings.extensions), extension_configs=dict(settings.configs))


def _convert_files(settings: MarkdownSettings, paths: Sequence[str]) -> list[tuple[str, str]]:
    """(page Markdown, HTML) of each readable Markdown record whose Markdown renders anywhere;
    other files (an honours file has no front matter) are skipped."""
    from .errors import Problems
    from .htmlsafety import sanitize
    from .limits import nesting_problem
    from .pages import record_markdown
    from .yamlio import body_of, decode

    md = _converter(settings)
    out = []
    for path in paths:
        try:
            text = decode(Path(path).read_bytes(), path, Problems())
        except OSError:
            continue  # the checker reports it
        body = body_of(text) if text is not None else None
        if body is None or nesting_problem(body) is not None:  # the checker refuses it
            continue
        page = record_markdown(body)
        if renders_anywhere(page):
            out.append((page, sanitize(md.reset().convert(page))))  # as on_page_content does
    return out


class Prerendered:
    """HTML of record pages converted ahead of MkDocs in the build's worker `pool`, looked up
    by the page's Markdown. The build decides when this is worth it (workers.SHARED_POOL_FROM
    records, more than one process) and owns the pool; `close` cancels what has not run yet."""

    def __init__(self, pool, sources: Sequence[Path], settings: MarkdownSettings):
        paths = [str(p) for p in sources]
        self._futures = [pool.submit(_convert_files, settings, paths[i:i + CHUNK])
                         for i in range(0, len(paths), CHUNK)]
        self._html: dict[str, str] | None = None

    def html(self, markdown: str) -> str | None:
        """The HTML of this Markdown, or None: then MkDocs converts it."""
        if self._html is None:
            self._html = {}
            for future in as_completed(self._futures):
                self._html.update(future.result())
        return self._html.get(markdown)

    def close(self) -> None:
        for future in self._futures:
            future.cancel()
        self._html = None
