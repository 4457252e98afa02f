"""Staff-written Markdown to HTML on every core, while the build does its other work.

MkDocs converts each page on one core with a fresh `Markdown` instance, and for a large
community that conversion is the biggest single cost of a build. For a page whose Markdown
holds no link, image or raw HTML, MkDocs' own tree-processors (links, anchors, title) change
nothing, so the same extensions give the same HTML anywhere: here, in worker processes, one
`Markdown` instance per worker, reset between pages. The hooks hand the result to MkDocs in
place of its own conversion; pages with links still go through MkDocs, which checks them.
"""
from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Mapping, Sequence

from .workers import cpu_count, process_pool

CHUNK = 250  # pages per task: big enough to hide the hand-over, small enough to start early
PARALLEL_FROM = 2 * CHUNK  # fewer pages are not worth starting processes for


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


_WORKER_MARKDOWN: dict = {}  # in a worker process only: one Markdown instance per settings


def _convert_all(settings: MarkdownSettings, texts: Sequence[str]) -> list[str]:
    import markdown

    key = (settings.extensions, repr(sorted(settings.configs.items())))
    md = _WORKER_MARKDOWN.get(key)
    if md is None:
        md = _WORKER_MARKDOWN[key] = markdown.Markdown(
            extensions=list(settings.extensions), extension_configs=dict(settings.configs))
    return [md.reset().convert(text) for text in texts]


class Prerendered:
    """HTML of pages converted ahead of MkDocs; `html(src)` waits only for that page's chunk.

    Started with `start`, which returns None when there are too few pages or one core: MkDocs
    then converts them itself. `close` must be called (the build's last event does)."""

    def __init__(self, pool, chunks: list[tuple[list[str], Future]]):
        self._pool = pool
        self._future_of = {src: future for srcs, future in chunks for src in srcs}
        self._srcs_of = {id(future): srcs for srcs, future in chunks}
        self._done: dict[str, str] = {}

    @classmethod
    def start(cls, pages: Mapping[str, str], settings: MarkdownSettings,
              jobs: int | None = None) -> "Prerendered | None":
        todo = [(src, text) for src, text in pages.items() if renders_anywhere(text)]
        workers = min(jobs or cpu_count(), -(-len(todo) // CHUNK))
        if workers < 2 or len(todo) < PARALLEL_FROM:
            return None
        pool = process_pool(workers)
        chunks = []
        for i in range(0, len(todo), CHUNK):
            part = todo[i:i + CHUNK]
            chunks.append(([src for src, _ in part], pool.submit(_convert_all, settings, [t for _, t in part])))
        return cls(pool, chunks)

    def __contains__(self, src: str) -> bool:
        return src in self._future_of

    def html(self, src: str) -> str:
        if src not in self._done:
            future = self._future_of[src]
            self._done.update(zip(self._srcs_of[id(future)], future.result()))
        return self._done.pop(src)  # each page asks once; do not hold every page's HTML

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
