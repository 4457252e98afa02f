"""Time loading the content model over a large synthetic community, against its floor.

    python scripts/bench_load.py [--activities 10000] [--seed 1] [--repeat 3] [--profile]

Generates the community in a temporary folder (scripts/synthetic.py), then times, best of
--repeat runs each:
  read      reading every file's bytes (the I/O floor);
  yaml      reading + `yaml.load(..., Loader=yaml.CSafeLoader)` of every front matter and
            YAML file: the floor for any loader that parses YAML;
  model     `community_board.content.load_content(content_dir, as_of)`: every rule checked,
            privacy guard included, as the build does it.
Prints figures; asserts nothing (benchmarks never fail on time).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Callable

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "hooks"), str(ROOT / "scripts")]

import synthetic  # noqa: E402  (after the path set-up above)

AS_OF = date(2026, 11, 25)


def _files(content: Path) -> list[Path]:
    return sorted(p for p in content.rglob("*") if p.suffix in (".md", ".yml"))


def read_all(content: Path) -> int:
    return sum(len(p.read_bytes()) for p in _files(content))


def yaml_all(content: Path) -> int:
    """Parse every front matter and YAML file with the C loader; returns the records parsed."""
    n = 0
    for p in _files(content):
        text = p.read_bytes().decode("utf-8")
        if p.suffix == ".md":
            _, fm, _body = text.split("---\n", 2)
            text = fm
        yaml.load(text, Loader=yaml.CSafeLoader)
        n += 1
    return n


def _model_loader() -> Callable[[Path], object] | None:
    try:
        from community_board.content import load_content
        from community_board.errors import ContentError
    except ImportError as exc:
        print(f"model: not available yet ({exc}); expected community_board.content.load_content")
        return None

    def load(content: Path) -> object:
        try:
            return load_content(content, AS_OF)
        except ContentError as exc:  # the generator and the model disagree: say where
            print("model: the synthetic content was refused:\n" + exc.report()[:2000])
            raise SystemExit(1)

    return load


def _time(fn: Callable[[], object], repeat: int) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return min(runs), statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=10_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--profile", action="store_true", help="profile one model load with pyinstrument")
    args = p.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="board-bench-load-") as tmp:
        t0 = time.perf_counter()
        counts = synthetic.generate(Path(tmp), args.activities, args.seed)
        gen = time.perf_counter() - t0
        content = Path(tmp) / "content"
        files = len(_files(content))
        print(f"generated {args.activities} activities, {counts['notices']} notices, {counts['honors']} honours, "
              f"{counts['slogans']} slogans: {files} files, {counts['bytes'] / 1e6:.1f} MB in {gen:.2f} s")

        t0 = time.perf_counter()
        load = _model_loader()
        imp = time.perf_counter() - t0
        rows = [("read", *_time(lambda: read_all(content), args.repeat)),
                ("yaml (CSafeLoader)", *_time(lambda: yaml_all(content), args.repeat))]
        if load:
            rows.append(("model (load_content)", *_time(lambda: load(content), args.repeat)))
        print(f"\n{'step':<22}{'best s':>9}{'median s':>10}{'ms/activity':>13}{'ms/file':>9}")
        for name, best, median in rows:
            print(f"{name:<22}{best:>9.3f}{median:>10.3f}{best * 1000 / args.activities:>13.3f}"
                  f"{best * 1000 / files:>9.3f}")
        if load:
            floor = rows[1][1]
            print(f"\nmodel / yaml floor: {rows[2][1] / floor:.1f}x; import of the model package: {imp * 1000:.0f} ms")
            if args.profile:
                from pyinstrument import Profiler

                prof = Profiler()
                prof.start()
                load(content)
                prof.stop()
                print(prof.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
