"""What each piece of the build's performance machinery buys: the build with it and without it.

    python scripts/bench_machinery.py                       # 500 2000 10000 activities
    python scripts/bench_machinery.py --sizes 2000 --repeat 3 --variants all no-prerendered

Each variant is a cold `mkdocs build` (an empty build cache) of the same synthetic community
(scripts/synthetic.py), in its own process, with one piece turned off by this script, so the
product code carries no switch for it:

  all             everything as a user's build runs it;
  no-pools        BOARD_JOBS=1: no worker process at all (names, Markdown, search index, scan);
  no-names        no names worker: the main process tags the names the privacy checks need;
  no-prerendered  no Markdown converted ahead in the workers: MkDocs converts every page;
  no-scan-pool    the post-build scan in the main process, after the page loop;
  warm-day        not cold: as of the next day, on the build cache the `all` run left (the
                  daily rebuild; its gain over `all` is the build cache's);
  no-page-cache   warm-day without the cached page HTML: every page's template rendered again.

and, with --serve, a `mkdocs serve` rebuild after one edit (scripts/bench_serve.py's way:
config loaded again, whole build, in one long-lived process), with and without the page cache.
Prints wall time (best of --repeat, the machine being shared) and the CPU time of that run
(the build's process and every worker it waited for); asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "scripts"))

VARIANTS = ("all", "no-pools", "no-names", "no-prerendered", "no-scan-pool", "warm-day", "no-page-cache")
AS_OF, NEXT_DAY = "2026-11-25", "2026-11-26"


# --- in the build's process: turn one piece off, then run MkDocs -------------------------------

def _no_names(paths):
    return {}


class _NoPrerendered:
    def __init__(self, *args, **kwargs):
        pass

    def html(self, markdown):
        return None

    def close(self):
        pass


def _patched_run(variant: str, argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT / "hooks"))  # the modules MkDocs' hook file then imports
    from community_board import session, sitescan

    if variant == "no-names":
        session.names_ahead = _no_names
    elif variant == "no-prerendered":
        session.Prerendered = _NoPrerendered
    elif variant == "no-scan-pool":
        session.PageScan = lambda *args, **kwargs: None
        sitescan.PARALLEL_FROM = 10 ** 9
    elif variant == "no-page-cache":
        session.BuildSession.reuse_page = lambda self, page, html: None
    from mkdocs.__main__ import cli

    try:
        cli.main(args=argv, prog_name="mkdocs", standalone_mode=False)
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


_SERVE = """
import sys, time, pathlib, threading
sys.path.insert(0, sys.argv[5])
# mkdocs serve runs its HTTP server in a thread: pools then spawn, as in the real serve
threading.Thread(target=threading.Event().wait, daemon=True).start()
from community_board import session
if sys.argv[6] == "no-page-cache":
    session.BuildSession.reuse_page = lambda self, page, html: None
from mkdocs.config import load_config
from mkdocs.commands.build import build
cfg = lambda: load_config(sys.argv[1], site_dir=sys.argv[2])
first = cfg()
first.plugins.on_startup(command='serve', dirty=False)
build(first)
page = sorted(pathlib.Path(sys.argv[3]).rglob('*.md'))[-1]
for i in range(int(sys.argv[4])):
    page.write_text(page.read_text(encoding='utf-8') + f'\\n\\n修改 {i}。\\n', encoding='utf-8')
    t, c = time.perf_counter(), time.process_time(); build(cfg())
    print(f'{time.perf_counter() - t:.3f} {time.process_time() - c:.3f}')
first.plugins.on_shutdown()
"""


# --- the parent: build, time, print ------------------------------------------------------------

def measure(cmd: list[str], env: dict, log: Path) -> tuple[int, float, float]:
    """(exit status, wall s, CPU s of the child and all it waited for)."""
    with open(log, "wb") as out:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, wall, usage.ru_utime + usage.ru_stime


def build_env(content: Path, cache: Path, as_of: str, jobs: str | None) -> dict:
    env = os.environ | {"BOARD_CONTENT": str(content), "BOARD_AS_OF": as_of, "NO_MKDOCS_2_WARNING": "1",
                        "BOARD_BUILD_CACHE": str(cache)}
    env.pop("SOURCE_DATE_EPOCH", None)
    env.pop("BOARD_JOBS", None)
    if jobs:
        env["BOARD_JOBS"] = jobs
    return env


def run_variant(variant: str, content: Path, work: Path, run: int) -> tuple[float, float] | None:
    out = work / f"{variant}-{run}"
    warm = variant in ("warm-day", "no-page-cache")
    cache = work / f"cache-{variant}-{run}"
    if warm:  # the cache the cold `all` build of this run left, copied
        source = work / f"cache-all-{run}"
        if not source.is_dir():
            measure(_cmd("all", work / f"warmup-{run}"), build_env(content, source, AS_OF, None), work / "log")
        shutil.copytree(source, cache)
    env = build_env(content, cache, NEXT_DAY if warm else AS_OF, "1" if variant == "no-pools" else None)
    status, wall, cpu = measure(_cmd(variant, out), env, work / f"{variant}.log")
    if status != 0:
        print(f"{variant}: failed\n" + (work / f"{variant}.log").read_text(errors="replace")[-2000:])
        return None
    return wall, cpu


def _cmd(variant: str, out: Path) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--run", variant, "--",
            "build", "-q", "-f", str(ROOT / "mkdocs.yml"), "-d", str(out)]


def serve_rebuilds(content: Path, work: Path, variant: str, rebuilds: int) -> list[tuple[float, float]]:
    """(wall, CPU) of each rebuild, best first; CPU of the serve process (a rebuild starts no
    worker)."""
    env = build_env(content, work / f"cache-serve-{variant}", AS_OF, None)
    with tempfile.TemporaryDirectory(prefix="bench-served-", dir=work) as served:
        done = subprocess.run([sys.executable, "-c", _SERVE, str(ROOT / "mkdocs.yml"), served,
                               str(content / "activities"), str(rebuilds), str(ROOT / "hooks"), variant],
                              env=env, capture_output=True, text=True)
    if done.returncode != 0:
        print(done.stderr[-2000:])
        return []
    values = [float(t) for t in done.stdout.split()]
    return sorted(zip(values[0::2], values[1::2]))


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--run"]:
        return _patched_run(argv[1], argv[3:])
    import synthetic

    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[500, 2000, 10_000])
    p.add_argument("--variants", nargs="+", choices=VARIANTS, default=list(VARIANTS))
    p.add_argument("--repeat", type=int, default=3, help="runs of each variant (best reported)")
    p.add_argument("--serve", action="store_true", help="also a serve rebuild after one edit")
    p.add_argument("--serve-only", action="store_true", help="only the serve rebuilds")
    p.add_argument("--rebuilds", type=int, default=3)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, default=None, help="keep the work folders here")
    args = p.parse_args(argv)
    base = Path(tempfile.mkdtemp(prefix="bench-machinery-")) if args.keep is None else args.keep
    rows = []
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    try:
        for size in args.sizes:
            work = base / str(size)
            shutil.rmtree(work, ignore_errors=True)
            work.mkdir(parents=True)
            synthetic.generate(work, size, args.seed)
            content = work / "content"
            results: dict[str, list[tuple[float, float]]] = {v: [] for v in args.variants}
            if args.serve_only:
                args.variants, args.serve = [], True
            for run in range(1, args.repeat + 1):  # variants interleaved: a slow spell hits them all
                for variant in args.variants:
                    r = run_variant(variant, content, work, run)
                    if r is not None:
                        results[variant].append(r)
                        print(f"{size:>6} {variant:<15} run {run}: {r[0]:.2f} s wall, {r[1]:.2f} s CPU", flush=True)
                    os.sync()
            best_all = min(results["all"])[0] if results.get("all") else None
            if args.serve and best_all is None:  # the serve rows need a cold build to compare with
                r = run_variant("all", content, work, 1)
                best_all = r[0] if r else None
            for variant in args.variants:
                if results[variant]:
                    wall, cpu = min(results[variant])
                    ratio = f"{wall / best_all:.2f}" if best_all else "-"
                    rows.append((f"{size:,}", variant, f"{wall:.2f}", f"{cpu:.2f}", ratio,
                                 " ".join(f"{w:.2f}" for w, _ in results[variant])))
            if args.serve:
                for variant in ("all", "no-page-cache"):
                    times = serve_rebuilds(content, work, variant, args.rebuilds)
                    if times:
                        (wall, cpu), *_ = times
                        rows.append((f"{size:,}", f"serve rebuild, {variant}", f"{wall:.2f}", f"{cpu:.2f}",
                                     f"{wall / best_all:.2f}" if best_all else "-",
                                     " ".join(f"{w:.2f}" for w, _ in times)))
    finally:
        if args.keep is None:
            shutil.rmtree(base, ignore_errors=True)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}\n")
    header = ("activities", "variant", "wall s (best)", "CPU s", "x all", "runs (s)")
    print("| " + " | ".join(header) + " |\n|" + "---|" * len(header))
    for row in rows:
        print("| " + " | ".join(row) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
