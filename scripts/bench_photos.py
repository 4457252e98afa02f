"""Benchmark the photo step against a plain single-process Pillow pipeline, in one run.

    python scripts/bench_photos.py [--count 60] [--megapixels 12] [--jobs N]

Makes COUNT distinct synthetic phone photos (4:3, JPEG quality 92, about 4-5 MB each at 12 MP,
like a phone's; every third one is tagged "rotate 90" and all carry GPS EXIF) in a temporary
folder, deleted afterwards. Then times, on the same files:

  ours, cold    process_photos + publish_photos with an empty cache
  ours, warm    the same again with the filled cache, into a fresh site folder (what every
                later build and `mkdocs serve` rebuild does); it also counts images opened
  plain         per photo: open, exif_transpose, LANCZOS resize to each width, save WebP and
                JPEG with the same quality settings and Pillow's defaults otherwise; one process
  ours, method 4  cold again with a fresh cache and WebP effort 4, the plain pipeline's (Pillow's
                default), to show how much of the gain is the encoder effort we chose

and prints the figures against the goals (cold >= 3x faster than plain, warm <= 2% of cold,
median 960-px WebP <= 120 KB). Prints figures only; it asserts nothing.
"""
from __future__ import annotations

import argparse
import dataclasses
import os
import shutil
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from PIL import Image, ImageChops, ImageDraw, ImageOps  # noqa: E402

from community_board import photos as ph  # noqa: E402
from community_board.errors import Problems  # noqa: E402
from community_board.workers import cpu_count  # noqa: E402


def synthetic_photo(seed: int, width: int, height: int) -> Image.Image:
    """Photo-like pixels: smooth colour fields at many scales, fine texture, sensor noise and
    sharp edges, tuned so a 12 MP JPEG at quality 92 weighs what a phone's does (4-5 MB)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    lw, lh = width // 4, height // 4
    acc = np.zeros((lh, lw, 3), np.float32)
    for cells, amp in [(4, 90), (12, 55), (40, 35), (120, 22), (400, 14)]:
        grid = rng.integers(0, 256, (max(2, cells * 3 // 4), cells, 3), dtype=np.uint8)
        layer = Image.fromarray(grid).resize((lw, lh), Image.Resampling.BICUBIC)
        acc += (np.asarray(layer, np.float32) - 128) * (amp / 128)
    im = Image.fromarray(np.clip(acc + 128, 0, 255).astype(np.uint8))
    im = im.resize((width, height), Image.Resampling.BICUBIC)
    fine = rng.integers(0, 256, (height // 3, width // 3, 3), dtype=np.uint8)
    im = Image.blend(im, Image.fromarray(fine).resize((width, height), Image.Resampling.BICUBIC), 0.10)
    im = ImageChops.add(im, Image.effect_noise((width, height), 6).convert("RGB"), 1, -128)
    draw = ImageDraw.Draw(im)
    for _ in range(60):
        x, y = int(rng.integers(0, width)), int(rng.integers(0, height))
        draw.rectangle([x, y, x + int(rng.integers(20, 600)), y + int(rng.integers(20, 400))],
                       outline=tuple(int(c) for c in rng.integers(0, 256, 3)),
                       width=int(rng.integers(2, 12)))
    return im


def write_photo(args: tuple[int, str, int, int]) -> int:
    seed, path, width, height = args
    exif = Image.Exif()
    exif[0x0112] = 6 if seed % 3 == 0 else 1
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 42.5), 3: "E", 4: (112.0, 58.0, 31.2)}
    synthetic_photo(seed, width, height).save(path, "JPEG", quality=92, exif=exif)
    return os.path.getsize(path)


def plain_pipeline(paths: list[Path], out: Path, s: ph.PhotoSettings) -> None:
    """What one would write first: decode at full size, resize from it for each width, save
    with Pillow's defaults but the same quality."""
    for n, path in enumerate(paths):
        with Image.open(path) as im:
            im = ImageOps.exif_transpose(im)
            for w in s.widths:
                if w > im.width:
                    continue
                h = round(w * im.height / im.width)
                small = im.resize((w, h), Image.Resampling.LANCZOS)
                small.save(out / f"{n}-{w}.webp", "WEBP", quality=s.webp_quality)
                small.save(out / f"{n}-{w}.jpg", "JPEG", quality=s.jpeg_quality)


class Counter:
    """Counts Image.open calls and batches of cold work (the process pool) during a run."""

    def __init__(self):
        self.opened = self.batches = 0
        self._open, self._run = Image.open, ph._run_jobs

    def __enter__(self):
        def counting_open(*a, **kw):
            self.opened += 1
            return self._open(*a, **kw)

        def counting_run(*a, **kw):
            self.batches += 1
            return self._run(*a, **kw)
        Image.open, ph._run_jobs = counting_open, counting_run
        return self

    def __exit__(self, *exc):
        Image.open, ph._run_jobs = self._open, self._run


def timed(fn, *args):
    """(wall seconds, CPU seconds of this process and its finished children), result."""
    t0, c0 = time.perf_counter(), os.times()
    result = fn(*args)
    t1, c1 = time.perf_counter(), os.times()
    cpu = sum(c1[i] - c0[i] for i in range(4))  # user, system, children's user and system
    return (t1 - t0, cpu), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--count", type=int, default=60)
    ap.add_argument("--megapixels", type=float, default=12)
    ap.add_argument("--jobs", type=int, default=None)
    args = ap.parse_args()

    height = int((args.megapixels * 1e6 * 3 / 4) ** 0.5)
    width = height * 4 // 3
    settings = ph.PhotoSettings()
    tmp = Path(tempfile.mkdtemp(prefix="bench-photos-"))
    try:
        content = tmp / "content"
        (content / "photos").mkdir(parents=True)
        paths = [content / "photos" / f"{i:03d}.jpg" for i in range(args.count)]
        t = time.perf_counter()
        with ProcessPoolExecutor() as pool:
            sizes = list(pool.map(write_photo, [(i, str(p), width, height) for i, p in enumerate(paths)]))
        print(f"made {args.count} photos of {width}x{height} ({width * height / 1e6:.1f} MP), "
              f"median {statistics.median(sizes) / 1e6:.1f} MB, in {time.perf_counter() - t:.1f} s")

        requests = [ph.PhotoRequest(f"photos/{p.name}", "content/activities/bench.md", f"photos[{i}].file")
                    for i, p in enumerate(paths)]

        def ours(cache: Path, site: Path, s: ph.PhotoSettings = settings) -> dict:
            problems = Problems()
            sets = ph.process_photos(requests, content, cache, s, problems, jobs=args.jobs)
            ph.publish_photos(sets.values(), cache, site)
            if problems:
                print("\n".join(p.format() for p in problems.items))
            return sets

        load_before = os.getloadavg()[0]
        (cold, cold_cpu), sets = timed(ours, tmp / "cache", tmp / "site1")
        ph._settings_key.cache_clear()  # a later build computes the key again
        with Counter() as counted:
            (warm, _), _ = timed(ours, tmp / "cache", tmp / "site2")
        (tmp / "plain").mkdir()
        (plain, plain_cpu), _ = timed(plain_pipeline, paths, tmp / "plain", settings)
        slow = dataclasses.replace(settings, webp_method=4)
        (cold4, cold4_cpu), _ = timed(ours, tmp / "cache4", tmp / "site4", slow)
        load_after = os.getloadavg()[0]

        def median_kb(folder: Path, pattern: str) -> float:
            return statistics.median(f.stat().st_size for f in folder.glob(pattern)) / 1024

        webp960 = median_kb(tmp / "site1" / settings.url_dir, "*-960.webp")
        jpeg960 = median_kb(tmp / "site1" / settings.url_dir, "*-960.jpg")
        plain960 = median_kb(tmp / "plain", "*-960.webp")
        m4960 = median_kb(tmp / "site4" / settings.url_dir, "*-960.webp")
        jobs = args.jobs or cpu_count()
        print(f"settings: widths {settings.widths}, WebP q{settings.webp_quality} "
              f"method {settings.webp_method}, JPEG q{settings.jpeg_quality}; {jobs} worker(s)")
        print(f"load average (1 min) before/after: {load_before:.1f}/{load_after:.1f} on {os.cpu_count()} cores"
              " (other work on the machine slows the wall-clock figures and the parallel gain)")
        print(f"plain single-process pipeline: {plain:8.2f} s  ({plain / args.count * 1000:.0f} ms/photo)"
              f"  CPU {plain_cpu:.1f} s")
        print(f"ours, cold:                    {cold:8.2f} s  ({cold / args.count * 1000:.0f} ms/photo)"
              f"  -> {plain / cold:.2f}x faster than plain   (goal >= 3x: {'met' if plain / cold >= 3 else 'MISSED'})")
        print(f"                               CPU {cold_cpu:.1f} s, all processes: {plain_cpu / cold_cpu:.2f}x less work than plain")
        print(f"ours, warm:                    {warm:8.3f} s  = {warm / cold * 100:.2f}% of cold"
              f"   (goal <= 2%: {'met' if warm <= 0.02 * cold else 'MISSED'}); images opened: {counted.opened}, "
              f"batches of cold work: {counted.batches}")
        print(f"ours, cold, WebP method 4:     {cold4:8.2f} s  ({cold4 / args.count * 1000:.0f} ms/photo)"
              f"  -> {plain / cold4:.2f}x faster than plain; CPU {cold4_cpu:.1f} s")
        print(f"median 960-px WebP: {webp960:.1f} KB (goal <= 120 KB: {'met' if webp960 <= 120 else 'MISSED'});"
              f" JPEG {jpeg960:.1f} KB; with WebP method 4 {m4960:.1f} KB; plain pipeline's WebP {plain960:.1f} KB")
        largest = statistics.median(f.stat().st_size for f in (tmp / "site1" / settings.url_dir).glob("*-1600.webp"))
        print(f"median 1600-px WebP: {largest / 1024:.1f} KB; {len(sets)} photo sets published")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
