#!/usr/bin/env python3
"""nginx with deploy/nginx/community-board.conf under load while publish.py switches releases.

    python scripts/bench_nginx.py                    the demo, 20 clients, 10 switches
    python scripts/bench_nginx.py --site DIR --clients 20 --visits 600 --switches 10

Starts Debian's nginx (not as a daemon, its own pid and logs, 127.0.0.1 only) on a release
folder laid out as publish.py lays it out, then runs `clients` keep-alive clients for a fixed
number of page visits (a page, then every stylesheet, script and image it loads) while
publish.py (its real publish(), with the build replaced by a copy of one of two prepared
releases that differ in their photos and stylesheet names) switches `current` `switches`
times. Prints requests per second, p50/p99 latency, failed requests and pages whose assets
were missing. tests/test_nginx.py uses the same functions.
"""
from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Callable

import _paths  # noqa: F401
from _paths import ROOT

CONF = ROOT / "deploy" / "nginx" / "community-board.conf"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


# --------------------------------------------------------------------------- nginx

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def render_conf(root: Path, port: int, work: Path, conf: Path = CONF) -> str:
    """A whole nginx.conf around the project's server block: this root, 127.0.0.1:port, and
    every path nginx writes under `work`."""
    text = conf.read_text("utf-8")
    text = re.sub(r"^\s*listen \[::\]:80;\n", "", text, flags=re.M)
    text = re.sub(r"^(\s*)listen 80;", rf"\1listen 127.0.0.1:{port};", text, flags=re.M)
    text = re.sub(r"^(\s*)root [^;]+;", rf"\1root {root};", text, flags=re.M)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"    {kind}_temp_path {work}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return (f"{user}worker_processes 2;\npid {work}/nginx.pid;\nerror_log {work}/error.log warn;\n"
            f"events {{ worker_connections 512; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
            f"    access_log off;\n    sendfile on;\n    keepalive_requests 10000;\n{temps}{text}\n}}\n")


class Nginx:
    """`nginx -p work -c nginx.conf -g 'daemon off;'` for as long as the `with` lasts."""

    def __init__(self, root: Path, work: Path):
        self.root, self.work, self.port = root, work, free_port()
        work.mkdir(parents=True, exist_ok=True)
        (work / "nginx.conf").write_text(render_conf(root, self.port, work), "utf-8")

    def __enter__(self) -> "Nginx":
        command = [NGINX, "-p", str(self.work), "-c", str(self.work / "nginx.conf"), "-e",
                   str(self.work / "error.log"), "-g", "daemon off;"]
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx 没有启动：" + self.process.stderr.read().decode(errors="replace")
                                   + self.error_log())
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError("nginx 10 秒内没有开始监听：" + self.error_log())

    def error_log(self) -> str:
        path = self.work / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __exit__(self, *exc) -> None:
        self.process.send_signal(signal.SIGQUIT)  # graceful: finish the requests in flight
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


# --------------------------------------------------------------------------- releases

def make_variant(site: Path, dest: Path, tag: str) -> Path:
    """Another release of `site`: one photo and the theme stylesheet under new hashed names
    (as after a photo was replaced and the theme upgraded), and a changed home page."""
    shutil.copytree(site, dest)
    renames = {}
    photo = sorted((dest / "assets" / "photos").glob("*-480.webp"))[0].name.split("-")[0]
    renames[photo] = (tag * 16)[:16]
    for css in (dest / "assets" / "stylesheets").glob("main.*.min.css"):
        old = css.name.split(".")[1]
        renames[old] = (tag * 8)[:len(old)]
    for path in list((dest / "assets").rglob("*")):
        for old, new in renames.items():
            if old in path.name and path.is_file():
                path.rename(path.with_name(path.name.replace(old, new)))
    for page in dest.rglob("*.html"):
        text = page.read_text("utf-8")
        changed = text
        for old, new in renames.items():
            changed = changed.replace(old, new)
        if page.name == "index.html" and page.parent == dest:
            changed = changed.replace("</body>", f"<!-- release {tag} --></body>")
        if changed != text:
            page.write_text(changed, "utf-8")
    return dest


def copy_build(source: Path) -> Callable:
    """publish.build's stand-in: the release is a prepared copy, the rest of publish is real."""
    def build(project, out_dir, env):
        shutil.copytree(source, out_dir)
    return build


def switch_releases(live: Path, variants: list[Path], times: int, pause: float) -> None:
    """Publish `times` releases with publish.publish, alternating variants (one line each)."""
    import publish

    for i in range(times):
        time.sleep(pause)
        stamp = datetime(2026, 11, 25, 0, 10) + timedelta(minutes=i)
        name = publish.publish(live, ROOT, {"BOARD_AS_OF": "2026-11-25"}, keep=3, now=lambda: stamp,
                               say=lambda s: None, builder=copy_build(variants[i % len(variants)]))
        print(name, flush=True)


def start_switcher(live: Path, variants: list[Path], times: int, pause: float) -> subprocess.Popen:
    """The switching in a process of its own: it must not share the clients' interpreter lock
    (that would add its pauses to the measured latencies)."""
    command = [sys.executable, str(Path(__file__).resolve()), "--switch-only", str(live),
               *[str(v) for v in variants], "--switches", str(times), "--pause", str(pause)]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


# --------------------------------------------------------------------------- load

_REF = re.compile(r'<(?:link|script|img|source)\b[^>]*?\b(?:href|src|srcset)="([^"]+)"')


def page_assets(page: str, html: str) -> list[str]:
    """URL paths of the stylesheets, scripts and images a page loads."""
    found = []
    for m in _REF.finditer(html):
        for candidate in m.group(1).split(","):
            url = candidate.strip().split(" ")[0]
            if not url or re.match(r"[a-z]+:|//|#", url):
                continue
            path = url.split("?")[0]
            if not re.search(r"\.(css|js|webp|jpe?g|png)$", path):
                continue
            base = page if page.endswith("/") else page.rsplit("/", 1)[0] + "/"
            parts: list[str] = []
            for piece in (base + url).split("?")[0].split("/"):
                if piece == "..":
                    if parts:
                        parts.pop()
                elif piece not in ("", "."):
                    parts.append(piece)
            found.append("/" + "/".join(parts) + ("?" + url.split("?", 1)[1] if "?" in url else ""))
    return sorted(set(found))


@dataclass
class Load:
    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    broken_pages: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.failures)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p))] if ordered else 0.0

    def summary(self) -> str:
        rps = self.requests / self.seconds if self.seconds else 0.0
        return (f"请求 {self.requests} 次，用时 {self.seconds:.1f} 秒：每秒 {rps:.0f} 次，"
                f"延迟 p50 {self.percentile(0.5) * 1000:.1f} ms、p99 {self.percentile(0.99) * 1000:.1f} ms；"
                f"失败 {len(self.failures)} 次，缺少样式表/脚本/照片的页面 {len(self.broken_pages)} 个。")


def run_load(port: int, pages: list[str], clients: int, visits: int, seed: int = 1,
             busy: Callable[[], bool] = lambda: False, limit: float = 120.0, think: float = 0.0) -> Load:
    """`clients` threads, each with one keep-alive connection: `visits` page visits in all, and
    more while `busy()` (the switching is still going on), never past `limit` seconds."""
    load, lock = Load(), threading.Lock()
    left = [visits]
    deadline = time.monotonic() + limit

    def get(conn, path):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
        response = conn.getresponse()
        body = response.read()
        return response.status, body, response.getheader("Content-Encoding"), time.perf_counter() - started

    def client(n: int):
        rng = random.Random(seed * 1000 + n)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while True:
            with lock:
                if (left[0] <= 0 and not busy()) or time.monotonic() > deadline:
                    break
                left[0] -= 1
            if think:
                time.sleep(think)  # a reader between two pages; leaves the CPU to the publish
            page = rng.choice(pages)
            try:
                status, body, encoding, took = get(conn, page)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    load.failures.append(f"{page}: {exc}")
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                continue
            if status != 200:
                with lock:
                    load.failures.append(f"{page}: HTTP {status}")
                continue
            with lock:
                load.latencies.append(took)
            if encoding == "gzip":
                import gzip
                body = gzip.decompress(body)
            for asset in page_assets(page, body.decode("utf-8", errors="replace")):
                try:
                    status, _, _, took = get(conn, asset)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        load.failures.append(f"{asset}: {exc}")
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                    continue
                with lock:
                    if status == 200:
                        load.latencies.append(took)
                    else:
                        load.failures.append(f"{asset}: HTTP {status}")
                        load.broken_pages.append(f"{page} -> {asset}")
        conn.close()

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    load.seconds = time.perf_counter() - started
    return load


def site_pages(site: Path) -> list[str]:
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        pages.append("/" if rel == "." else f"/{rel}/")
    return pages


def bench(site: Path, work: Path, clients: int, visits: int, switches: int, pause: float,
          say: Callable[[str], None] = print, think: float = 0.0) -> tuple[Load, int]:
    """The whole run; returns the load figures and how many switches happened during it."""
    import publish

    variants = [make_variant(site, work / "release-a", "a"), make_variant(site, work / "release-b", "b")]
    live = work / "srv"
    publish.publish(live, ROOT, {"BOARD_AS_OF": "2026-11-25"}, say=lambda s: None, builder=copy_build(variants[1]),
                    now=lambda: datetime(2026, 11, 24, 0, 10))
    with Nginx(live / "current", work / "nginx") as server:
        switcher = start_switcher(live, variants, switches, pause)
        load = run_load(server.port, site_pages(site), clients, visits, busy=lambda: switcher.poll() is None,
                        think=think)
        out, err = switcher.communicate(timeout=600)
    switched = len(out.split())
    if switcher.returncode != 0:
        raise RuntimeError("切换版本的进程出错：" + err[-2000:])
    say(load.summary() + f" 期间切换版本 {switched} 次。")
    return load, switched


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="nginx 压力测试：并发访问的同时切换版本")
    parser.add_argument("--site", type=Path, help="已构建的网站文件夹（默认：现在构建演示网站）")
    parser.add_argument("--clients", type=int, default=20, help="并发客户端数（默认 20）")
    parser.add_argument("--visits", type=int, default=1500, help="页面访问总次数（每次含页面的全部资源，默认 1500）")
    parser.add_argument("--switches", type=int, default=10, help="切换版本次数（默认 10）")
    parser.add_argument("--pause", type=float, default=1.0, help="两次切换之间的秒数（默认 1）")
    parser.add_argument("--switch-only", nargs=3, metavar=("LIVE", "A", "B"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.switch_only:
        live, *variants = (Path(p) for p in args.switch_only)
        switch_releases(live, variants, args.switches, args.pause)
        return 0
    with tempfile.TemporaryDirectory(prefix="board-bench-nginx-") as tmp:
        work = Path(tmp)
        site = args.site
        if site is None:
            site = work / "site"
            env = dict(os.environ, BOARD_AS_OF="2026-11-25", NO_MKDOCS_2_WARNING="1")
            subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-d", str(site),
                            "-f", str(ROOT / "mkdocs.yml")], env=env, check=True)
        load, switched = bench(site, work, args.clients, args.visits, args.switches, args.pause)
    return 0 if not load.failures and switched == args.switches else 1


if __name__ == "__main__":
    sys.exit(main())
