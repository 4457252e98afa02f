"""Measure the privacy detectors on the labelled set: caught positives and false alarms.

Usage: python scripts/measure_privacy.py [--bench N]

The labelled set was written alongside the detectors: it guards against regressions, it does
not measure them. Held-out figures come from scripts/privacy_eval.py (docs/privacy-evaluation.md).
Prints caught/total positives and false alarms/total negatives, then any miss or false alarm.
With --bench N it also times the record-level detectors on N synthetic activity bodies
(about 1.2 KB of Chinese prose each, dates, counts, amounts, one hardship sentence in five).
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from community_board.htmlsafety import check_raw_html  # noqa: E402
from community_board.names import scan_hardship  # noqa: E402
from community_board.privacy import scan_filename, scan_numbers  # noqa: E402

LABELLED = ROOT / "tests" / "data" / "privacy_labelled.yml"


def detect(text: str, allowed: frozenset[str]):
    """What the checker would report for one snippet (numbers in text and as a file name, hardship)."""
    found = scan_numbers(text, allowed) + scan_hardship(text)
    if "/" in text and " " not in text:  # a path: file names are scanned as such too
        found += scan_filename(text, allowed)
    return found


def measure(path: Path = LABELLED):
    data = yaml.safe_load(path.read_text("utf-8"))
    allowed = frozenset(data.get("allowed", []))
    missed = [p for p in data["positives"] if not any(f.kind == p["kind"] for f in detect(p["text"], allowed))]
    alarms = [(n, detect(n["text"], allowed)) for n in data["negatives"]]
    alarms = [(n, f) for n, f in alarms if f]
    return data, missed, alarms


def synthetic_bodies(n: int) -> list[str]:
    para = (
        "{d} 上午，社区党委书记带领志愿者 {k} 人走访辖区 {h} 户居民家庭，发放宣传资料 {m} 份，"
        "并在 3 栋 2 单元楼下设点，讲解垃圾分类、消防安全和反诈知识。活动持续到 11:30，共收集意见 {k} 条，"
        "捐款 {m} 元已于 {d} 全部转交街道。办公电话 0731-8888 0000。\n\n"
    )
    hard = "其中低保家庭 {k} 户、残疾人家庭 {h} 户，社区为他们送去米面油。\n\n"
    bodies = []
    for i in range(n):
        d = f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}"
        text = "".join(para.format(d=d, k=i % 40 + 3, h=i % 25 + 5, m=i * 7 % 5000 + 100) for _ in range(4))
        if i % 5 == 0:
            text += hard.format(k=i % 9 + 1, h=i % 4 + 1)
        bodies.append(text)
    return bodies


def bench(n: int) -> None:
    bodies = synthetic_bodies(n)
    allowed = frozenset({"073188880000"})
    size = sum(len(b) for b in bodies)
    scan_hardship("低保户王芳")  # load jieba outside the timing, as a build does once
    for name, fn in (("scan_numbers", lambda b: scan_numbers(b, allowed)), ("scan_hardship", scan_hardship),
                     ("check_raw_html", check_raw_html)):
        t0 = time.perf_counter()
        hits = sum(len(fn(b)) for b in bodies)
        dt = time.perf_counter() - t0
        print(f"{name:15s} {n} bodies, {size / 1e6:.1f} M chars: {dt:.2f} s ({dt / n * 1e3:.3f} ms each), {hits} hits")


def main() -> int:
    t0 = time.perf_counter()
    data, missed, alarms = measure()
    elapsed = time.perf_counter() - t0
    pos, neg = len(data["positives"]), len(data["negatives"])
    print(f"positives caught: {pos - len(missed)}/{pos}")
    print(f"false alarms:     {len(alarms)}/{neg}")
    print(f"time: {elapsed:.2f} s (includes loading jieba once)")
    for p in missed:
        print(f"  MISSED  [{p['kind']}] {p['text']}")
    for n, found in alarms:
        print(f"  ALARM   {n['text']}  ->  {', '.join(f'{f.kind}:{f.masked}' for f in found)}")
    if "--bench" in sys.argv:
        bench(int(sys.argv[sys.argv.index("--bench") + 1]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
