"""When each step of one `mkdocs build` starts and ends in the build's own process.

    BOARD_CONTENT=/tmp/c500/content BOARD_AS_OF=2026-11-25 python scripts/timeline.py /dev/shm/out

Prints, for the main steps of our hooks and of MkDocs, the first start and last end in
seconds since this script started (its imports included), the time spent inside, and the
number of calls. A step that waits for a worker process (`Background.result`,
`PageScan.finish`) shows how long the build stood still for it. Worker processes are not
timed: their share shows as those waits. Wrapping each step costs a few microseconds a call;
use scripts/bench.py for the figures themselves.
"""
from __future__ import annotations

import argparse
import functools
import importlib
import os
import sys
import time

T0 = time.perf_counter()
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "hooks"))  # the same modules MkDocs' hook file then imports

STEPS = [  # the session last: it imports names from the modules above, once they are wrapped
    ("community_board.build", "prepare"),
    ("community_board.content", "load_catalog"),
    ("community_board.guard", "check_records"),
    ("community_board.workers", "Background.result"),
    ("community_board.build", "process_photos"),
    ("community_board.build", "Site.build"),
    ("community_board.build", "report_pages"),
    ("community_board.build", "print_page"),
    ("community_board.build", "plan_share_images"),
    ("mkdocs.commands.build", "get_files"),
    ("mkdocs.structure.files", "Files.add_files_from_theme"),
    ("mkdocs.commands.build", "get_navigation"),
    ("mkdocs.commands.build", "_populate_page"),
    ("mkdocs.commands.build", "_build_theme_template"),
    ("mkdocs.commands.build", "_build_page"),
    ("community_board.sitescan", "PageScan.finish"),
    ("community_board.session", "BuildSession.prepare"),
    ("community_board.session", "BuildSession.finish"),
]
_LOG: list[tuple[float, float, str]] = []
_MAIN = os.getpid()


def _wrap(module_name: str, attr: str) -> None:
    owner = importlib.import_module(module_name)
    *path, name = attr.split(".")
    for part in path:
        owner = getattr(owner, part)
    fn = getattr(owner, name)

    @functools.wraps(fn)
    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            if os.getpid() == _MAIN:  # a forked worker inherits the wrapper: not its steps
                _LOG.append((start - T0, time.perf_counter() - T0, attr))

    setattr(owner, name, timed)


def _report() -> None:
    steps: dict[str, list] = {}
    for start, end, name in _LOG:
        row = steps.setdefault(name, [start, end, 0.0, 0])
        row[1] = end
        row[2] += end - start
        row[3] += 1
    print(f"{'step':32s} {'start':>7s} {'end':>7s} {'inside':>7s} calls")
    for name, (start, end, inside, calls) in sorted(steps.items(), key=lambda kv: kv[1][0]):
        print(f"{name:32s} {start:7.3f} {end:7.3f} {inside:7.3f} {calls:5d}")
    print(f"{'whole build':32s} {0:7.3f} {time.perf_counter() - T0:7.3f}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", help="the folder to build into (e.g. /dev/shm/out)")
    out = parser.parse_args(argv).out
    for module_name, attr in STEPS:
        _wrap(module_name, attr)
    from mkdocs.__main__ import cli

    os.chdir(ROOT)
    try:
        cli(["build", "-q", "-d", out], standalone_mode=False)
    finally:
        _report()
    return 0


if __name__ == "__main__":  # the build's worker pools may start processes that import this file
    sys.exit(main(sys.argv[1:]))
