#!/usr/bin/env python3
"""发布网站：构建到新文件夹、检查、再一次性切换上线。

    python scripts/publish.py --to /srv/community-board            构建、检查并上线
    python scripts/publish.py --to /srv/community-board --rollback 退回上一个版本
    python scripts/publish.py --to /srv/community-board --list     列出保留的版本

Layout under --to:

    releases/<YYYYmmdd-HHMMSS>-asof-<YYYY-MM-DD>/   one finished, checked build each
    releases/.staging-*/                            a build in progress (never served)
    current -> releases/<name>                      what the web server serves

A bad record, a failed build or a failed post-build check (broken internal links, privacy
scan) leaves `current` exactly as it was: the build goes into a staging folder, and only a
finished, checked release is swapped in, by `os.replace` of a fresh symlink over `current`,
which is atomic on POSIX (a visitor gets the old site or the new one, never a mix). The last
five releases are kept for `--rollback`. Exit 0 on success, 1 on any failure.
"""
from __future__ import annotations

import argparse
import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator, Mapping
from urllib.parse import urlsplit

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _paths import ROOT
from community_board.asof import SHANGHAI, resolve_as_of
from community_board.errors import ContentError
from community_board.linkcheck import broken_links

KEEP = 5
CURRENT = "current"
RELEASES = "releases"
STAGING_PREFIX = ".staging-"
LOCK = ".publish.lock"
REQUIRED_FILES = ("index.html", "404.html", "feed.xml", "sitemap.xml")
MAX_LISTED = 30  # problems printed; the count says how many more
_ANSI = re.compile(r"\x1b\[[0-9;]*m")
# MkDocs' own chatter that tells staff nothing about their records.
_NOISE = ("Aborted with a BuildError", "MkDocs 2.0", "zensical", "NO_MKDOCS_2_WARNING", "│")


class PublishError(Exception):
    """A reason, in Chinese, why nothing was switched."""


# --------------------------------------------------------------------------- releases

def releases(root: Path) -> list[str]:
    """Finished releases, oldest first (names start with the publish time)."""
    folder = root / RELEASES
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))


def current_release(root: Path) -> str | None:
    link = root / CURRENT
    if not link.is_symlink():
        return None
    return Path(os.readlink(link)).name


def switch(root: Path, name: str) -> None:
    """Point `current` at releases/<name> atomically: a new symlink renamed over the old one."""
    link = root / CURRENT
    if link.exists() and not link.is_symlink():
        raise PublishError(f"{link} 是一个普通文件夹而不是链接，无法安全切换。"
                           f"请先把它改名（例如 {link.name}.old），再重新发布。")
    temp = root / f".{CURRENT}.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        temp.unlink()
    # Relative target: the whole folder can be moved or mounted elsewhere.
    temp.symlink_to(Path(RELEASES) / name, target_is_directory=True)
    os.replace(temp, link)


def prune(root: Path, keep: int = KEEP) -> list[str]:
    """Remove the oldest releases beyond `keep`; never the live one. Returns what was removed."""
    names = releases(root)
    live = current_release(root)
    removed = []
    for name in names[: max(0, len(names) - keep)]:
        if name == live:
            continue
        shutil.rmtree(root / RELEASES / name, ignore_errors=True)
        removed.append(name)
    return removed


def release_name(now: datetime, as_of: date, taken: list[str]) -> str:
    base = f"{now:%Y%m%d-%H%M%S}-asof-{as_of.isoformat()}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


@contextlib.contextmanager
def locked(root: Path) -> Iterator[None]:
    """One publish at a time: the nightly timer and a staff member may start one together."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PublishError("另一次发布正在进行，请等它结束后再试。") from None
        yield


# --------------------------------------------------------------------------- build and checks

def _clean_output(text: str) -> str:
    lines = [_ANSI.sub("", line).rstrip() for line in text.splitlines()]
    kept = [line for line in lines if line.strip() and not any(n in line for n in _NOISE)]
    return "\n".join(kept)


def build(project: Path, out_dir: Path, env: Mapping[str, str]) -> None:
    """`mkdocs build --strict` into out_dir, in a child process: the hooks load fresh each time."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "-f", str(project / "mkdocs.yml"), "-d", str(out_dir)]
    done = subprocess.run(command, cwd=project, env=dict(env), capture_output=True, text=True)
    if done.returncode != 0:
        details = _clean_output(done.stderr + "\n" + done.stdout) or f"mkdocs 退出码 {done.returncode}"
        if "Traceback (most recent call last)" in details:
            # Not a record's fault: say so first; the tail is for whoever maintains the site.
            tail = "\n".join(details.splitlines()[-12:])
            raise PublishError("构建程序出错（不是内容记录的问题），请把以下信息发给网站维护人员：\n" + tail)
        raise PublishError("构建失败：\n" + details)


def site_base_path(project: Path, env: Mapping[str, str]) -> str:
    """The path part of site_url ("/board/"): absolute links in 404.html start with it."""
    import yaml

    class _Loader(yaml.SafeLoader):
        pass

    def _env_tag(loader, node):  # mkdocs.yml may say  site_url: !ENV [NAME, default]
        values = loader.construct_sequence(node) if isinstance(node, yaml.SequenceNode) else [loader.construct_scalar(node)]
        for name in values[:-1] if len(values) > 1 else values:
            if env.get(str(name)):
                return env[str(name)]
        return values[-1] if len(values) > 1 else None

    _Loader.add_constructor("!ENV", _env_tag)
    _Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # python/name tags etc.
    try:
        config = yaml.load((project / "mkdocs.yml").read_text("utf-8"), Loader=_Loader) or {}
    except (OSError, yaml.YAMLError):
        return "/"
    return urlsplit(str(config.get("site_url") or "/")).path or "/"


def check_site(site_dir: Path, base_path: str) -> list[str]:
    """Post-build checks the build itself does not make; every problem as one Chinese line.

    The privacy and outside-resource scan of every output file is not repeated here: the
    build runs it (hooks/board_hooks.py, on_post_build) and fails on any hit, which already
    keeps the live site as it was. Scanning again cost a second load of every record."""
    problems = [f"缺少 {name}：构建结果不完整。" for name in REQUIRED_FILES if not (site_dir / name).is_file()]
    problems += broken_links(site_dir, base_path)
    return problems


# --------------------------------------------------------------------------- commands

def publish(root: Path, project: Path, env: Mapping[str, str], keep: int = KEEP,
            now: Callable[[], datetime] = lambda: datetime.now(SHANGHAI),
            say: Callable[[str], None] = print) -> str:
    """Build, check and switch; returns the new release's name or raises PublishError."""
    started = time.perf_counter()
    as_of = resolve_as_of(env)
    # Fix the date once: a build that straddles midnight must not mix two days.
    env = {**env, "BOARD_AS_OF": as_of.isoformat(), "NO_MKDOCS_2_WARNING": "1"}
    with locked(root):
        folder = root / RELEASES
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(STAGING_PREFIX + "*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        name = release_name(now(), as_of, releases(root))
        staging = folder / (STAGING_PREFIX + name)
        try:
            say(f"正在构建（截至 {as_of}）……")
            build(project, staging, env)
            problems = check_site(staging, site_base_path(project, env))
            if problems:
                listed = problems[:MAX_LISTED]
                more = f"\n……另有 {len(problems) - MAX_LISTED} 处" if len(problems) > MAX_LISTED else ""
                raise PublishError(f"构建结果检查未通过（{len(problems)} 处）：\n" + "\n".join(listed) + more)
            staging.rename(folder / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        switch(root, name)
        removed = prune(root, keep)
    seconds = time.perf_counter() - started
    say(f"发布成功：现在上线的是 {name}（用时 {seconds:.1f} 秒，保留最近 {keep} 个版本"
        + (f"，已清理 {len(removed)} 个旧版本" if removed else "") + "）。")
    return name


def rollback(root: Path, say: Callable[[str], None] = print) -> str:
    """Point `current` at the release before the live one; returns its name."""
    with locked(root):
        names = releases(root)
        live = current_release(root)
        if live not in names:
            raise PublishError("还没有发布过，或当前版本已被删除，无法退回。")
        index = names.index(live)
        if index == 0:
            raise PublishError(f"当前版本 {live} 已是保留的最早版本，没有更早的可以退回。")
        previous = names[index - 1]
        switch(root, previous)
    say(f"已退回：现在上线的是 {previous}（原来是 {live}）。")
    return previous


def list_releases(root: Path, say: Callable[[str], None] = print) -> None:
    live = current_release(root)
    names = releases(root)
    if not names:
        say("还没有发布过。")
    for name in names:
        say(("* " if name == live else "  ") + name + ("  ← 当前上线" if name == live else ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="构建、检查并上线社区宣传窗网站（失败时网站保持原样）")
    parser.add_argument("--to", required=True, type=Path, help="发布目录，例如 /srv/community-board")
    parser.add_argument("--project", type=Path, default=ROOT, help="项目目录（含 mkdocs.yml），默认本项目")
    parser.add_argument("--as-of", help="按哪一天发布，格式 YYYY-MM-DD（默认：BOARD_AS_OF 或北京时间今天）")
    parser.add_argument("--keep", type=int, default=KEEP, help=f"保留多少个版本（默认 {KEEP}）")
    action = parser.add_mutually_exclusive_group()
    action.add_argument("--rollback", action="store_true", help="退回上一个版本")
    action.add_argument("--list", action="store_true", help="列出保留的版本")
    args = parser.parse_args(argv)
    root = args.to.resolve()
    try:
        if args.rollback:
            rollback(root)
        elif args.list:
            list_releases(root)
        else:
            env = dict(os.environ)
            if args.as_of:
                env["BOARD_AS_OF"] = args.as_of
            publish(root, args.project.resolve(), env, keep=max(1, args.keep))
    except ContentError as exc:  # a malformed --as-of / BOARD_AS_OF
        print(exc.report(), file=sys.stderr)
        return 1
    except PublishError as exc:
        live = current_release(root)
        what = "没有退回" if args.rollback else "发布未完成"
        print(f"{exc}\n\n{what}，网站保持原样" + (f"（当前上线：{live}）" if live else "") + "。", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
