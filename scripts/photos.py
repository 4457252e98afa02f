"""Photo cache commands.

    .venv/bin/python scripts/photos.py prune   [--content content] [--cache .cache/photos]
    .venv/bin/python scripts/photos.py process [--content content] [--cache .cache/photos] [--jobs N]

prune:   deletes processed copies that no record references any more (and leftovers of killed
         builds). A photo counts as referenced when any record under content/ (front matter of
         a .md file, or a .yml file) names it, drafts and future-dated records included, so
         their photos are not processed again when they go live. Copies made with the settings
         of the last build and with the default settings are kept.
process: fills the cache for every referenced photo and lists bad photos, without building
         the site (e.g. to check new photos, or to warm the cache before `mkdocs build`).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Iterator

import _paths  # noqa: F401  (checks the packages, puts hooks/ on sys.path)
import yaml
from _cli import ArgumentParser

from community_board import photos as ph
from community_board.errors import Problems

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def referenced(content: Path) -> list[ph.PhotoRequest]:
    """Every string in any record that names a file under content/, as a request."""
    found: list[ph.PhotoRequest] = []
    for path in sorted(content.rglob("*")):
        if path.suffix not in (".md", ".yml", ".yaml") or not path.is_file():
            continue
        data = _record_data(path)
        record = path.relative_to(content.parent).as_posix()
        for where, value in _strings(data, ""):
            candidate = value.strip()
            if candidate and "\n" not in candidate and len(candidate) < 300 \
                    and ph.looks_like_photo(candidate) and (content / candidate).is_file():
                found.append(ph.PhotoRequest(candidate, record, where))
    return found


def _record_data(path: Path):
    try:
        text = path.read_text("utf-8")
        if path.suffix == ".md":
            if not text.startswith("---"):
                return None
            text = text[3:].split("\n---", 1)[0]
        return yaml.load(text, Loader=_Loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None  # the checker reports bad records; here they simply reference nothing


def _strings(node, where: str) -> Iterator[tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}.{key}" if where else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _strings(value, f"{where}[{i}]")


def main(argv: list[str] | None = None) -> int:
    ap = ArgumentParser(description="照片缓存：清理不再引用的照片（prune），或预先处理全部照片（process）。")
    ap.add_argument("command", choices=["prune", "process"], help="prune 清理不再引用的照片；process 预先处理全部照片")
    ap.add_argument("--content", type=Path, default=Path("content"), metavar="文件夹", help="内容文件夹（默认 content）")
    ap.add_argument("--cache", type=Path, default=Path(".cache/photos"), metavar="文件夹", help="照片缓存文件夹（默认 .cache/photos）")
    ap.add_argument("--jobs", type=int, default=None, metavar="个数", help="同时处理几张（默认按 CPU 核数）")
    args = ap.parse_args(argv)
    if not args.content.is_dir():
        print(f"找不到内容文件夹 {args.content}，请在项目根目录运行，或用 --content 指定。", file=sys.stderr)
        return 2
    requests = referenced(args.content)
    sources = sorted({r.source for r in requests})

    if args.command == "prune":
        keys = {ph.PhotoSettings().key()}
        last = ph.last_settings_key(args.cache)
        if last:
            keys.add(last)
        keep = ph.entry_ids(sources, args.content, args.cache, keys)
        removed = ph.prune_cache(args.cache, keep)
        print(f"照片缓存：清理了 {removed} 份不再引用的照片，记录中引用的照片有 {len(sources)} 张。")
        return 0

    problems = Problems()
    done = ph.process_photos(requests, args.content, args.cache, ph.PhotoSettings(), problems,
                             jobs=args.jobs)
    for p in sorted(problems.items):
        print(p.format(), file=sys.stderr)
    print(f"照片：{len(done)} 张可用，{len(sources) - len(done)} 张有问题。")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
