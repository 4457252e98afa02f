#!/usr/bin/env python3
"""A `mkdocs serve` rebuild after editing one activity, against a cold build (issue 9).

    python scripts/bench_serve.py [--activities 2000] [--seed 1]

Cold: `mkdocs build` in a fresh process with empty caches, written to disk. Rebuild: what
`mkdocs serve` does after a save, in one long-lived process: load the config again and run the
whole build, here after one activity's body was edited. MkDocs deletes and rewrites every page
of its preview folder on each rebuild, so the rebuilds run twice: with the preview on disk, and
in memory (/dev/shm), where scripts/serve.sh puts it. Prints the times and ratios; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import synthetic  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=2000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--rebuilds", type=int, default=3)
    args = p.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-serve-") as tmp:
        work = Path(tmp)
        synthetic.generate(work, args.activities, seed=args.seed)
        env = dict(os.environ, BOARD_CONTENT=str(work / "content"), BOARD_AS_OF="2026-11-25",
                   BOARD_BUILD_CACHE=str(work / "cache" / "build"),
                   BOARD_CACHE=str(work / "cache" / "photos"), BOARD_SHARE_CACHE=str(work / "cache" / "share"),
                   NO_MKDOCS_2_WARNING="1")
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(ROOT / "mkdocs.yml"),
                        "-d", str(work / "cold")], env=env, check=True)
        cold = time.perf_counter() - start
        print(f"cold build, fresh process, {args.activities} activities: {cold:.2f} s")
        code = ("import sys, time, pathlib, threading\n"
                "from mkdocs.config import load_config\n"
                "# mkdocs serve runs its HTTP server in a thread: with one running, worker pools\n"
                "# spawn instead of forking (community_board.workers), as in the real serve\n"
                "threading.Thread(target=threading.Event().wait, daemon=True).start()\n"
                "from mkdocs.commands.build import build\n"
                "cfg = lambda: load_config(sys.argv[1], site_dir=sys.argv[2])\n"
                "first = cfg()\n"
                "first.plugins.on_startup(command='serve', dirty=False)  # as `mkdocs serve` does\n"
                "build(first)  # its first build\n"
                "page = sorted(pathlib.Path(sys.argv[3]).rglob('*.md'))[-1]\n"
                "for i in range(int(sys.argv[4])):\n"
                "    page.write_text(page.read_text(encoding='utf-8') + f'\\n\\n修改 {i}。\\n', encoding='utf-8')\n"
                "    t = time.perf_counter(); build(cfg()); print(f'{time.perf_counter() - t:.3f}')\n")
        places = [("on disk", work)]
        if Path("/dev/shm").is_dir() and os.access("/dev/shm", os.W_OK):
            places.append(("in memory (/dev/shm, as scripts/serve.sh runs it)", Path("/dev/shm")))
        for label, parent in places:
            with tempfile.TemporaryDirectory(prefix="bench-served-", dir=parent) as served:
                out = subprocess.run([sys.executable, "-c", code, str(ROOT / "mkdocs.yml"), served,
                                      str(work / "content" / "activities"), str(args.rebuilds)],
                                     env=env, check=True, capture_output=True, text=True).stdout.split()
            times = sorted(float(t) for t in out)
            best = times[0]
            print(f"serve rebuild after editing one activity, preview {label}: "
                  f"best {best:.2f} s, all {', '.join(f'{t:.2f}' for t in times)}")
            print(f"  rebuild / cold: {best / cold:.0%} (goal: at most 50%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
