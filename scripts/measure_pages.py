#!/usr/bin/env python3
"""Measure what a resident's slow phone downloads and how fast pages show: prints figures.

    python scripts/measure_pages.py                 # builds the demo into a temp dir
    python scripts/measure_pages.py --site /tmp/s   # an already built site
    python scripts/measure_pages.py --install       # npm-install Lighthouse into .cache/tools first

Two measurements of the home page and an activity page with photos, served from 127.0.0.1
with gzip as a real host (GitHub Pages, nginx) would:

1. Chromium's own metrics through Playwright + CDP on a simulated slow phone: 375x667,
   "slow 3G" (400 kbit/s, 400 ms round trip) and a CPU slowed 4x. Bytes transferred (all,
   and without photos), and the largest contentful paint.
2. Lighthouse (npm), when found (LIGHTHOUSE, .cache/tools/lighthouse, or PATH), with its
   default mobile emulation (Moto G Power, slow 4G, 4x CPU): performance and
   accessibility scores, total bytes, bytes without images, LCP.

The goal (issue 6): the home page at most 200 KB without photos. No timing is asserted
anywhere: this script prints figures only.
"""
from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
TOOLS = ROOT / ".cache" / "tools" / "lighthouse"
LIGHTHOUSE_VERSION = "12"
COMPRESSIBLE = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt")
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400 * 1024 / 8,
           "uploadThroughput": 400 * 1024 / 8}


class GzipHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, gzip-compressed for text types when the browser accepts it."""

    def log_message(self, *args):
        pass

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            if not self.path.split("?", 1)[0].endswith("/"):
                return super().send_head()  # the base class redirects /dir to /dir/
            path = path / "index.html"
        accepts = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (accepts and path.suffix in COMPRESSIBLE and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def serve(site: Path, gzip_on: bool = True):
    handler = GzipHandler if gzip_on else http.server.SimpleHTTPRequestHandler
    if not gzip_on:
        handler = type("Quiet", (handler,), {"log_message": lambda *a: None})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def build_demo(out: Path) -> None:
    env = dict(os.environ, BOARD_AS_OF=os.environ.get("BOARD_AS_OF", "2026-11-25"), NO_MKDOCS_2_WARNING="1")
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(out), "-f", str(ROOT / "mkdocs.yml")],
                   env=env, check=True, cwd=ROOT)


def activity_with_photos(site: Path) -> str:
    for page in sorted((site / "activities").glob("20*/index.html"), reverse=True):
        if "<picture" in page.read_text(encoding="utf-8"):
            return page.parent.relative_to(site).as_posix() + "/"
    raise SystemExit("演示站点里没有带照片的活动页面")


# --------------------------------------------------------------------------- Chromium metrics


def chromium_metrics(base: str, paths: dict[str, str]) -> dict[str, dict]:
    from playwright.sync_api import sync_playwright

    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        for name, path in paths.items():
            ctx = browser.new_context(viewport={"width": 375, "height": 667}, is_mobile=True, has_touch=True,
                                      device_scale_factor=2)
            page = ctx.new_page()
            cdp = ctx.new_cdp_session(page)
            cdp.send("Network.enable")
            cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
            cdp.send("Network.emulateNetworkConditions", SLOW_3G)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            types: dict[str, str] = {}
            sizes: dict[str, float] = {}
            cdp.on("Network.responseReceived", lambda e: types.__setitem__(e["requestId"], e["type"]))
            cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
            page.add_init_script("""window.__lcp = 0; new PerformanceObserver(l => { for (const e of l.getEntries())
                window.__lcp = e.startTime; }).observe({type: 'largest-contentful-paint', buffered: true});""")
            page.goto(base + path, wait_until="networkidle", timeout=180_000)
            page.wait_for_timeout(500)
            lcp = page.evaluate("window.__lcp")
            fcp = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0]?.startTime || 0")
            total = sum(sizes.values())
            images = sum(v for k, v in sizes.items() if types.get(k) == "Image")
            by_type: dict[str, float] = {}
            for k, v in sizes.items():
                by_type[types.get(k, "Other")] = by_type.get(types.get(k, "Other"), 0) + v
            results[name] = {"requests": len(sizes), "bytes": total, "bytes_without_photos": total - images,
                             "fcp_ms": fcp, "lcp_ms": lcp, "by_type": by_type}
            ctx.close()
        browser.close()
    return results


# --------------------------------------------------------------------------- Lighthouse


def find_lighthouse() -> str | None:
    for candidate in (os.environ.get("LIGHTHOUSE"), str(TOOLS / "node_modules" / ".bin" / "lighthouse"),
                      shutil.which("lighthouse")):
        if candidate and Path(candidate).exists():
            return candidate
    return None


def install_lighthouse() -> None:
    TOOLS.mkdir(parents=True, exist_ok=True)
    subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(TOOLS),
                    f"lighthouse@{LIGHTHOUSE_VERSION}"], check=True)


def lighthouse(tool: str, url: str) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        env = dict(os.environ, CHROME_PATH=CHROMIUM)
        subprocess.run([tool, url, "--quiet", "--output=json", f"--output-path={out}",
                        "--only-categories=performance,accessibility", "--form-factor=mobile",
                        "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                       env=env, check=True, timeout=300)
        report = json.loads(out.read_text(encoding="utf-8"))
    audits = report["audits"]
    items = audits["resource-summary"]["details"]["items"]
    by_type = {i["resourceType"]: i["transferSize"] for i in items}
    return {
        "performance": report["categories"]["performance"]["score"],
        "accessibility": report["categories"]["accessibility"]["score"],
        "bytes": audits["total-byte-weight"]["numericValue"],
        "bytes_without_photos": by_type.get("total", 0) - by_type.get("image", 0),
        "fcp_ms": audits["first-contentful-paint"]["numericValue"],
        "lcp_ms": audits["largest-contentful-paint"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "by_type": by_type,
    }


# --------------------------------------------------------------------------- main


def kb(n: float) -> str:
    return f"{n / 1024:.1f} KB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--site", type=Path, help="an already built site (default: build the demo)")
    ap.add_argument("--install", action="store_true", help="npm-install Lighthouse into .cache/tools first")
    ap.add_argument("--no-lighthouse", action="store_true")
    args = ap.parse_args(argv)

    tmp = None
    site = args.site
    if site is None:
        tmp = tempfile.TemporaryDirectory()
        site = Path(tmp.name) / "site"
        build_demo(site)
    paths = {"home": "", "activity": activity_with_photos(site)}

    raw_server, raw_base = serve(site, gzip_on=False)
    gz_server, gz_base = serve(site, gzip_on=True)
    print(f"站点 {site}；活动页 /{paths['activity']}")
    for label, base in (("gzip (as hosted)", gz_base), ("no compression", raw_base)):
        print(f"\nChromium, slow 3G + 4x CPU, 375x667, {label}:")
        for name, r in chromium_metrics(base, paths).items():
            print(f"  {name:8} {r['requests']:3} requests  {kb(r['bytes']):>9} total  "
                  f"{kb(r['bytes_without_photos']):>9} without photos  FCP {r['fcp_ms']:.0f} ms  LCP {r['lcp_ms']:.0f} ms")
            print("           by type: " + ", ".join(f"{t} {kb(v)}" for t, v in sorted(r["by_type"].items())))

    if args.install and not find_lighthouse():
        install_lighthouse()
    tool = None if args.no_lighthouse else find_lighthouse()
    if tool:
        print("\nLighthouse (mobile: Moto G Power, slow 4G, 4x CPU), gzip:")
        for name, path in paths.items():
            r = lighthouse(tool, gz_base + path)
            print(f"  {name:8} performance {r['performance'] * 100:.0f}  accessibility {r['accessibility'] * 100:.0f}  "
                  f"{kb(r['bytes']):>9} total  {kb(r['bytes_without_photos']):>9} without photos  "
                  f"FCP {r['fcp_ms']:.0f} ms  LCP {r['lcp_ms']:.0f} ms  CLS {r['cls']:.3f}")
    else:
        print("\nLighthouse not found: run with --install (npm) or set LIGHTHOUSE=path.")
    raw_server.shutdown()
    gz_server.shutdown()
    if tmp:
        tmp.cleanup()
    return 0


if __name__ == "__main__":
    sys.exit(main())
