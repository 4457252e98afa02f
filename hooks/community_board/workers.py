"""Process pools for the build's CPU-bound steps: photos, share images, and in a large build the
names, the Markdown, the search index and the post-build scan, beside MkDocs' page loop."""
from __future__ import annotations

import os
import site
import threading
from concurrent.futures import Future, ProcessPoolExecutor
from multiprocessing import get_all_start_methods, get_context
from pathlib import Path
from typing import Iterable

_PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])

# Record files from which a one-shot build starts its shared pool (names, Markdown, search
# index, page scan): fewer are not worth starting worker processes for.
SHARED_POOL_FROM = 500


def cpu_count() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def worker_count(env=None) -> int:
    """Processes a build may use: BOARD_JOBS if set (1: everything in the build's own
    process), else one per core."""
    env = os.environ if env is None else env
    value = (env.get("BOARD_JOBS") or "").strip()
    if not value:
        return cpu_count()
    if not value.isdigit() or int(value) < 1:
        from .errors import ContentError, Problem
        raise ContentError([Problem("环境变量 BOARD_JOBS", None, None, f"「{value}」不是正整数。",
                                    "写成 BOARD_JOBS=1（只用一个进程）或 BOARD_JOBS=2 等；不设置就按 CPU 核数。")])
    return int(value)


def process_pool(workers: int) -> ProcessPoolExecutor:
    """Forked while this process runs no other thread (`mkdocs build`): the workers start with
    everything already imported, and at once. Spawned otherwise: `mkdocs serve` has threads
    running, and forking those can deadlock. A spawned worker must import this package: its
    folder goes on the worker's sys.path (MkDocs has it on the parent's path only while
    loading the hook file). A fork pool starts all its workers at the first task, before its
    own manager thread."""
    method = "fork" if "fork" in get_all_start_methods() and threading.active_count() == 1 else "spawn"
    return ProcessPoolExecutor(max_workers=workers, mp_context=get_context(method),
                               initializer=site.addsitedir, initargs=(_PACKAGE_PARENT,))


def release(pool: ProcessPoolExecutor, own: bool, futures: Iterable[Future]) -> None:
    """Stop one piece of background work: shut its own pool down, or cancel its tasks in the
    build's shared pool (whose owner shuts that down)."""
    if own:
        pool.shutdown(wait=True, cancel_futures=True)
    else:
        for future in futures:
            future.cancel()


class Background:
    """One function running in another process while the build goes on: `result()` waits.

    In the build's shared `pool` when there is one (its workers have started and imported
    already), else in a process of its own. For work that needs only the loaded records, so
    that it overlaps MkDocs' page loop, which runs on one core."""

    def __init__(self, fn, *args, pool: ProcessPoolExecutor | None = None):
        self._own = pool is None
        self._pool = process_pool(1) if pool is None else pool
        self._future = self._pool.submit(fn, *args)

    def result(self):
        try:
            return self._future.result()
        finally:
            self.close()

    def close(self) -> None:
        release(self._pool, self._own, [self._future])


class Forked:
    """fn(*args) in a forked copy of this process while the build goes on: `result()` waits.

    Unlike Background, nothing is pickled on the way in: the child has the parent's memory as
    it was at the fork (the build cache of a warm build, 40 MB of small objects at 2,000
    activities, which pickling would take longer to send than the work takes). Only the result
    comes back. Where fork is not safe (threads running, as under `mkdocs serve`) or not
    available, fn runs in this process when result() is asked for."""

    def __init__(self, fn, *args):
        self._fn, self._args = fn, args
        self._process = self._conn = None
        if "fork" in get_all_start_methods() and threading.active_count() == 1:
            ctx = get_context("fork")
            self._conn, child = ctx.Pipe(duplex=False)
            self._process = ctx.Process(target=_send_result, args=(child, fn, args), daemon=True)
            self._process.start()
            child.close()

    def result(self):
        if self._process is None:
            return self._fn(*self._args)
        try:
            ok, value = self._conn.recv()
        except EOFError:  # the child died (killed, out of memory): do the work here
            ok, value = True, self._fn(*self._args)
        finally:
            self.close()
        if not ok:
            raise value
        return value

    def close(self) -> None:
        if self._process is not None:
            self._conn.close()
            if self._process.is_alive():
                self._process.terminate()
            self._process.join()
            self._process = None


def _send_result(conn, fn, args) -> None:
    try:
        result = (True, fn(*args))
    except BaseException as exc:  # noqa: BLE001 - raised again in the parent
        result = (False, exc)
    conn.send(result)
    conn.close()
