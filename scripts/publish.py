#!/usr/bin/env python3
"""发布网站：构建到新文件夹、检查、再一次性切换上线。

    python scripts/publish.py --to /srv/community-board            构建、检查并上线
    python scripts/publish.py --to /srv/community-board --rollback 退回上一个版本
    python scripts/publish.py --to /srv/community-board --list     列出保留的版本

Layout under --to:

    releases/<YYYYmmdd-HHMMSS>-asof-<YYYY-MM-DD>/   one finished, checked build each
    releases/.staging-*/                            a build in progress (never served)
    current -> releases/<name>                      what the web server serves

    python scripts/publish.py --to s3://BUCKET/PREFIX                     发布到对象存储（见 s3publish.py）

A bad record, a failed build or a failed post-build check (broken internal links, privacy
scan) leaves `current` exactly as it was: the build goes into a staging folder, and only a
finished, checked release is swapped in, by `os.replace` of a fresh symlink over `current`,
which is atomic on POSIX (a visitor gets the old site or the new one, never a mix). The last
five releases are kept for `--rollback`. Exit 0 on success, 1 on any failure.

So that a page fetched just before a switch still finds its photos and stylesheet after it,
a new release also gets (hard links to) the content-hashed files of the live release it
lacks; each release's own file list is releases/.manifest-<name>.json. Text files get a
gzipped copy beside them (nginx's gzip_static). The build runs in its own process group and
dies with publish.py (SIGTERM/SIGINT kill the group; prctl PR_SET_PDEATHSIG covers kill -9).
Every run leaves its outcome in a status file that check.py reports (pubstatus.py).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import gzip
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Iterator, Mapping
from urllib.parse import urlsplit

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _paths import ROOT
from _cli import ArgumentParser
from community_board.asof import SHANGHAI, resolve_as_of
from community_board.errors import ContentError
from community_board.linkcheck import broken_links
from community_board.pubstatus import status_path, write_status
from s3publish import is_hashed  # one rule for nginx's layout and the bucket (no boto3 at import)

KEEP = 5
CURRENT = "current"
RELEASES = "releases"
STAGING_PREFIX = ".staging-"
LOCK = ".publish.lock"
REQUIRED_FILES = ("index.html", "404.html", "feed.xml", "sitemap.xml")
MANIFEST = ".manifest-{}.json"  # in releases/: a release's own files (not the carried ones)
GZIP_SUFFIXES = (".html", ".css", ".js", ".json", ".xml", ".txt", ".csv", ".svg")
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
        with contextlib.suppress(FileNotFoundError):
            (root / RELEASES / MANIFEST.format(name)).unlink()
        removed.append(name)
    return removed


def site_files(site: Path) -> dict[str, str]:
    """Every file of a built site, relative path -> sha256 (the .gz copies excluded)."""
    files = {}
    for path in sorted(site.rglob("*")):
        rel = path.relative_to(site).as_posix()
        if path.is_file() and not path.is_symlink() and not (rel.endswith(".gz") and (site / rel[:-3]).is_file()):
            files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def carry_over(root: Path, live: str | None, staging: Path) -> int:
    """Hard-link the live release's own content-hashed files that the new release lacks, so a
    page fetched from the old release just before the switch still finds its assets after it.
    Only its own files (its manifest), so carried files do not pile up from release to release."""
    if not live:
        return 0
    try:
        own = json.loads((root / RELEASES / MANIFEST.format(live)).read_text("utf-8"))
    except (OSError, ValueError):
        return 0  # a release from before manifests: nothing known to carry
    carried = 0
    for rel in own:
        source, target = root / RELEASES / live / rel, staging / rel
        if not is_hashed(rel) or target.exists() or not source.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            os.link(source, target)
        except OSError:
            shutil.copy2(source, target)
        carried += 1
    return carried


def gzip_beside(site: Path) -> int:
    """X.gz beside every text file, for nginx's gzip_static (compressed once, not per request).
    mtime 0 and the source's own mtime: the same build gives the same bytes and headers."""
    written = 0
    for path in site.rglob("*"):
        if path.suffix in GZIP_SUFFIXES and path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            if len(data) < 256:
                continue  # not worth it: the headers outweigh the saving
            target = path.with_name(path.name + ".gz")
            target.write_bytes(gzip.compress(data, 9, mtime=0))
            stat = path.stat()
            os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            written += 1
    return written


def release_name(now: datetime, as_of: date, taken: list[str]) -> str:
    base = f"{now:%Y%m%d-%H%M%S}-asof-{as_of.isoformat()}"
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def locked(root: Path, say: Callable[[str], None] = lambda s: None) -> Iterator[None]:
    """One publish at a time: the nightly timer and a staff member may start one together.

    flock is released by the kernel when its holder dies, however it dies; the pid written
    into the lock file says whether the last holder ended cleanly (it removes its pid)."""
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip()
            raise PublishError("另一次发布正在进行" + (f"（进程 {holder}）" if holder.isdigit() else "")
                               + "，请等它结束后再试。") from None
        handle.seek(0)
        holder = handle.read().strip()
        if holder.isdigit() and int(holder) != os.getpid() and not _alive(int(holder)):
            say(f"上次发布（进程 {holder}）没有正常结束，已清除它留下的锁和临时文件夹。")
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()


# --------------------------------------------------------------------------- the target folder

def os_error_message(exc: OSError, folder: Path) -> str:
    """A Chinese sentence for an OSError while writing under `folder`: which folder, what to do."""
    where = Path(exc.filename) if exc.filename else folder
    code = exc.errno
    if code == errno.EROFS:
        return (f"发布目录 {folder} 所在的磁盘是只读的，无法写入（{where}）。"
                "请换一个可写的发布目录，或请服务器管理员把这块磁盘重新挂载为可读写。")
    if code in (errno.ENOSPC, errno.EDQUOT):
        return (f"磁盘已满：发布目录 {folder} 所在的磁盘没有剩余空间（写 {where} 时）。"
                f"请删除不需要的文件（例如用 df -h 查看，清理日志或 {folder}/releases 里很旧的版本）后再发布。")
    if code in (errno.EACCES, errno.EPERM):
        return (f"没有权限写入 {where}。请用有权限的用户运行（例如 sudo -u board …），"
                f"或请管理员执行 chown -R board:board {folder}。")
    if code == errno.ENOTDIR:
        return f"{where} 不是文件夹（可能是一个同名文件）。请检查 --to 的路径。"
    if code == errno.ENOENT:
        return f"找不到 {where}。请检查 --to 的路径是否写错，或先创建它的上级文件夹。"
    return f"无法写入 {where}：{exc.strerror or exc}。请检查这个文件夹和它所在的磁盘。"


def check_target(root: Path) -> None:
    """Refuse, in Chinese, a --to that can never work, before anything is built."""
    if root.exists() and not root.is_dir():
        raise PublishError(f"--to 指向的 {root} 是一个文件，不是文件夹。"
                           "请改成一个文件夹的路径（例如 /srv/community-board），或先把这个文件移走。")
    if not root.exists():
        parent = root.parent
        if not parent.exists():
            raise PublishError(f"发布目录 {root} 的上级文件夹 {parent} 不存在。"
                               f"请检查路径是否写错；确实要用这个位置时，先创建它：mkdir -p {parent}")
        if not parent.is_dir():
            raise PublishError(f"发布目录 {root} 的上级 {parent} 是一个文件，不是文件夹。请检查 --to 的路径。")


# --------------------------------------------------------------------------- build and checks

def _clean_output(text: str) -> str:
    lines = [_ANSI.sub("", line).rstrip() for line in text.splitlines()]
    kept = [line for line in lines if line.strip() and not any(n in line for n in _NOISE)]
    return "\n".join(kept)


class Interrupted(BaseException):
    """SIGTERM or SIGINT: stop the build, clean up, leave the live site as it was."""


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with_parent(parent: int) -> Callable[[], None]:
    """preexec_fn of the build: the kernel kills it when publish.py dies, even by kill -9."""
    def setup() -> None:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # publish.py died before prctl took effect
            os._exit(1)
    return setup


def _end_group(child: subprocess.Popen) -> None:
    """End the build's whole process group (mkdocs and its photo workers)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, sig)
        try:
            child.wait(timeout=5)
            return
        except subprocess.TimeoutExpired:
            continue


def _interrupted(signum, frame):
    raise Interrupted(signum)


@contextlib.contextmanager
def stop_on_signals() -> Iterator[None]:
    """SIGTERM (systemctl stop, a timeout) and SIGINT (Ctrl-C) end the run through the normal
    clean-up path. Only the main thread may set handlers; a run in a thread keeps the caller's."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    old = {sig: signal.signal(sig, _interrupted) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, handler in old.items():
            signal.signal(sig, handler)


_DISK_ERRORS = {"No space left on device": errno.ENOSPC, "Read-only file system": errno.EROFS,
                "Permission denied": errno.EACCES, "Disk quota exceeded": errno.EDQUOT}


def build(project: Path, out_dir: Path, env: Mapping[str, str]) -> None:
    """`mkdocs build --strict` into out_dir, in a child process: the hooks load fresh each time.
    Its own process group, killed with publish.py (see stop_on_signals, _die_with_parent)."""
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "-f", str(project / "mkdocs.yml"), "-d", str(out_dir)]
    child = subprocess.Popen(command, cwd=project, env=dict(env), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, start_new_session=True,
                             preexec_fn=_die_with_parent(os.getpid()))
    try:
        stdout, stderr = child.communicate()
    finally:
        _end_group(child)  # also any worker left behind by a build that ended
    if child.returncode != 0:
        details = _clean_output(stderr + "\n" + stdout) or f"mkdocs 退出码 {child.returncode}"
        for text, code in _DISK_ERRORS.items():
            if text in details:  # the disk's fault, not a record's: say which folder
                raise OSError(code, text, str(out_dir))
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

def build_checked(project: Path, out: Path, env: Mapping[str, str], say: Callable[[str], None],
                  builder: Callable | None = None) -> None:
    """Build into `out` and run the post-build checks; PublishError if anything is wrong."""
    say(f"正在构建（截至 {env['BOARD_AS_OF']}）……")
    (builder or build)(project, out, env)
    problems = check_site(out, site_base_path(project, env))
    if problems:
        listed = problems[:MAX_LISTED]
        more = f"\n……另有 {len(problems) - MAX_LISTED} 处" if len(problems) > MAX_LISTED else ""
        raise PublishError(f"构建结果检查未通过（{len(problems)} 处）：\n" + "\n".join(listed) + more)


def fixed_day(env: Mapping[str, str]) -> dict[str, str]:
    # Fix the date once: a build that straddles midnight must not mix two days.
    return {**env, "BOARD_AS_OF": resolve_as_of(env).isoformat(), "NO_MKDOCS_2_WARNING": "1"}


def publish(root: Path, project: Path, env: Mapping[str, str], keep: int = KEEP,
            now: Callable[[], datetime] = lambda: datetime.now(SHANGHAI),
            say: Callable[[str], None] = print, builder: Callable | None = None) -> str:
    """Build, check and switch; returns the new release's name or raises PublishError.
    `builder` replaces the mkdocs build (the nginx load test publishes prepared releases)."""
    started = time.perf_counter()
    env = fixed_day(env)
    check_target(root)
    with locked(root, say), stop_on_signals():
        folder = root / RELEASES
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.glob(STAGING_PREFIX + "*"):  # left by a run that was killed
            shutil.rmtree(stale, ignore_errors=True)
        name = release_name(now(), date.fromisoformat(env["BOARD_AS_OF"]), releases(root))
        staging, manifest = folder / (STAGING_PREFIX + name), folder / MANIFEST.format(name)
        try:
            build_checked(project, staging, env, say, builder)
            manifest.write_text(json.dumps(site_files(staging), indent=0), encoding="utf-8")
            carry_over(root, current_release(root), staging)
            gzip_beside(staging)
            staging.rename(folder / name)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            with contextlib.suppress(OSError):
                manifest.unlink()
            raise
        switch(root, name)
        removed = prune(root, keep)
    seconds = time.perf_counter() - started
    say(f"发布成功：现在上线的是 {name}（用时 {seconds:.1f} 秒，保留最近 {keep} 个版本"
        + (f"，已清理 {len(removed)} 个旧版本" if removed else "") + "）。")
    return name


def publish_s3(target: str, project: Path, env: Mapping[str, str], grace_hours: float,
               say: Callable[[str], None] = print, client=None,
               now: Callable[[], datetime] = lambda: datetime.now(SHANGHAI)) -> str:
    """Build and check into a local folder, then upload it (s3publish.upload); returns the release id."""
    import tempfile

    import s3publish  # boto3 only for this path

    env = fixed_day(env)
    bucket, prefix = s3publish.parse_target(target)
    cache = project / ".cache"
    cache.mkdir(parents=True, exist_ok=True)
    with locked(cache / f"s3-{bucket}", say), stop_on_signals():
        with tempfile.TemporaryDirectory(prefix="board-s3-") as work:
            site = Path(work) / "site"
            build_checked(project, site, env, say)
            release = release_name(now(), date.fromisoformat(env["BOARD_AS_OF"]), [])
            s3publish.upload(site, bucket, prefix, client or s3publish.client_from_env(env),
                             release=release, grace_seconds=grace_hours * 3600, say=say)
    return release


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
        # Pages of the withdrawn release open in a browser right now still find their photos.
        carry_over(root, live, root / RELEASES / previous)
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


def parser() -> ArgumentParser:
    p = ArgumentParser(prog="publish.py", description="构建、检查并上线社区宣传窗网站（失败时网站保持原样）")
    p.add_argument("--to", required=True, metavar="目标", help="发布目录（例如 /srv/community-board），或对象存储 s3://存储桶/前缀")
    p.add_argument("--project", type=Path, default=ROOT, metavar="目录", help="项目目录（含 mkdocs.yml），默认本项目")
    p.add_argument("--as-of", metavar="日期", help="按哪一天发布，格式 YYYY-MM-DD（默认：BOARD_AS_OF 或北京时间今天）")
    p.add_argument("--keep", type=int, default=KEEP, metavar="个数", help=f"发布目录里保留多少个版本（默认 {KEEP}）")
    p.add_argument("--grace-hours", type=float, default=24.0, metavar="小时",
                   help="对象存储：旧版本的文件在不再使用多少小时后才删除（默认 24）")
    p.add_argument("--scheduled", action="store_true",
                   help="由定时任务启动（失败记录写成「上次自动发布失败」，check.py 会提示）")
    action = p.add_mutually_exclusive_group()
    action.add_argument("--rollback", action="store_true", help="退回上一个版本")
    action.add_argument("--list", action="store_true", help="列出保留的版本")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    project = args.project.resolve()
    s3 = args.to.startswith("s3://")
    root = Path(args.to).resolve() if not s3 else None
    where = args.to if s3 else str(root)
    failure = None
    try:
        if s3:
            import s3publish
            if args.rollback:
                s3publish.rollback(s3publish.client_from_env(os.environ), *s3publish.parse_target(args.to))
            elif args.list:
                s3publish.list_releases(s3publish.client_from_env(os.environ), *s3publish.parse_target(args.to))
            else:
                env = dict(os.environ, **({"BOARD_AS_OF": args.as_of} if args.as_of else {}))
                publish_s3(args.to, project, env, grace_hours=max(0.0, args.grace_hours))
        elif args.rollback:
            rollback(root)
        elif args.list:
            list_releases(root)
        else:
            env = dict(os.environ, **({"BOARD_AS_OF": args.as_of} if args.as_of else {}))
            publish(root, project, env, keep=max(1, args.keep))
    except ContentError as exc:  # a malformed --as-of / BOARD_AS_OF
        failure = exc.report()
    except PublishError as exc:
        failure = str(exc)
    except OSError as exc:
        failure = os_error_message(exc, Path(where))
    except Interrupted as exc:
        failure = f"发布被中止（收到信号 {signal.Signals(exc.args[0]).name}），已停止构建并清理临时文件夹。"
    except Exception as exc:  # the S3 SDK's own errors, say: in Chinese, never a traceback
        failure = s3_error_message(exc, where) if s3 else f"发布程序出错：{type(exc).__name__}：{exc}"
    if failure is not None:
        live = current_release(root) if root and root.is_dir() else None
        what = "没有退回" if args.rollback else "发布未完成"
        print(f"{failure}\n\n{what}，网站保持原样" + (f"（当前上线：{live}）" if live else "") + "。", file=sys.stderr)
    if not (args.rollback or args.list):
        record_status(project, where, failure, args.scheduled)
    return 1 if failure is not None else 0


def s3_error_message(exc: Exception, where: str) -> str:
    import s3publish
    return s3publish.describe_error(exc, where)


def record_status(project: Path, where: str, failure: str | None, scheduled: bool) -> None:
    """The outcome for check.py; a status that cannot be written must not turn a run into a failure."""
    log = os.environ.get("BOARD_PUBLISH_LOG") or "publish.py 的输出"
    record = {"ok": failure is None, "time": datetime.now(SHANGHAI).strftime("%Y-%m-%d %H:%M"),
              "target": where, "scheduled": scheduled, "log": log,
              "reason": (failure or "").strip().splitlines()[0] if failure else ""}
    try:
        write_status(status_path(project, os.environ), record)
    except OSError as exc:
        print(f"（未能写入发布状态文件：{exc}）", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
