#!/usr/bin/env python3
"""网页编辑器和网站预览，一个地址：.venv/bin/python scripts/edit_server.py（一般用 bash scripts/edit.sh）

One address (BOARD_ADDR, default 127.0.0.1:8000) serves:
  /                 the preview: `mkdocs serve` on an internal loopback port, proxied (its live
                    reload and its Chinese problem page included);
  /admin/           the editor's page (editor_config.admin_html) and the pinned CMS bundle from
                    editor/vendor/ (fetch_cms.py), with a Content-Security-Policy of our own host;
  /admin/config.yml the CMS's configuration, generated from the record kinds on every request;
  /admin/api/v1     the CMS's local backend (_edit_backend.py): every save a git commit.
The editor and its backend answer loopback clients only (403 otherwise, also when BOARD_ADDR is
0.0.0.0): the preview may be shown to another PC, saving happens on this one.
"""
from __future__ import annotations

import http.client
import ipaddress
import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import traceback
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

import _paths  # noqa: F401  (puts hooks/ on sys.path)
from _paths import ROOT
from _cli import ArgumentParser
from community_board import editor_config
from _edit_backend import Backend, Refused, author_from, handle, is_work_tree
from fetch_cms import pinned, ready, vendor_dir

DEFAULT_ADDR = "127.0.0.1:8000"
API = editor_config.LOCAL_API  # where the generated configuration sends the CMS's requests
MAX_BODY = 200 * 1024 * 1024  # a save with a few phone photos, base64: well under this
# The editor's page: our host only, and what Decap needs besides ('unsafe-eval' for its config
# schema, inline styles, blob: photos): the one policy of both /admin/s (editor_config), which
# this page adds no frame of another site to.
ADMIN_CSP = editor_config.admin_csp() + "; frame-ancestors 'self'"
_CMS_FILE = re.compile(r"(?:decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm)")
_TYPES = {".js": "text/javascript; charset=utf-8", ".wasm": "application/wasm"}
_HOP = frozenset({"connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-connection"})


def parse_addr(text: str) -> tuple[str, int]:
    host, sep, port = text.strip().rpartition(":")
    if not sep or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"BOARD_ADDR 要写成 地址:端口，例如 127.0.0.1:8000，写成了 {text!r}")
    return host.strip("[]") or "127.0.0.1", int(port)


def is_loopback(ip: str) -> bool:
    try:
        address = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return (mapped or address).is_loopback


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def today_in_china() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def page(title: str, text: str, refresh: int = 0) -> bytes:
    """A small Chinese page of our own (no script, no style: any CSP lets it show)."""
    meta = f'<meta http-equiv="refresh" content="{refresh}">' if refresh else ""
    return (f'<!doctype html><html lang="zh"><head><meta charset="utf-8">{meta}<title>{title}</title>'
            f"</head><body><h1>{title}</h1><p>{text}</p></body></html>").encode("utf-8")


class Editor:
    """What the handler needs: the project, the backend, the CMS files and the preview's port."""

    def __init__(self, root: Path, addr: tuple[str, int], upstream: int, cms_dir: Path, backend: Backend):
        self.root, self.addr, self.upstream, self.cms_dir, self.backend = root, addr, upstream, cms_dir, backend

    def site_url(self) -> str:
        host = "127.0.0.1" if self.addr[0] in ("0.0.0.0", "::", "") else self.addr[0]
        return f"http://{host}:{self.addr[1]}/"

    def admin_page(self) -> bytes:
        return editor_config.admin_html("/admin/decap-cms.js").encode("utf-8")

    def config_yaml(self) -> bytes:
        # generated on every request: a column added to community.yml is in the next form
        return editor_config.config_yaml("local", site_url=self.site_url(),
                                         content_dir=self.root / "content").encode("utf-8")


class Handler(BaseHTTPRequestHandler):
    server_version = "CommunityBoardEditor"
    editor: Editor  # set on the subclass made in make_server

    # --- routing ------------------------------------------------------------------------------

    def do_GET(self):
        self._route(head=False)

    def do_HEAD(self):
        self._route(head=True)

    def _route(self, head: bool) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/admin":
            return self._send(301, b"", "text/plain", {"Location": "/admin/"})
        if path.startswith("/admin/"):
            if not self._local():
                return
            if path == "/admin/" or path == "/admin/index.html":
                return self._send(200, self.editor.admin_page(), "text/html; charset=utf-8", self._admin_headers(), head)
            if path == "/admin/config.yml":
                return self._send(200, self.editor.config_yaml(), "text/yaml; charset=utf-8", {"Cache-Control": "no-store"}, head)
            name = path.removeprefix("/admin/")
            if _CMS_FILE.fullmatch(name) and (self.editor.cms_dir / name).is_file():
                data = (self.editor.cms_dir / name).read_bytes()
                return self._send(200, data, _TYPES[Path(name).suffix], {"Cache-Control": "max-age=3600"}, head)
            return self._send(404, page("找不到这个文件", path), "text/html; charset=utf-8", head=head)
        self._proxy(head)

    def do_POST(self):
        if self.path.split("?", 1)[0] != API:
            return self._send(405, page("不支持", "这个地址只能查看。"), "text/html; charset=utf-8")
        if not self._local() or not self._same_site():
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length <= 0:
            return self._json(400, {"error": "请求是空的。"})
        if length > MAX_BODY:
            return self._json(413, {"error": "一次要保存的内容太大：请分几次上传照片（每次合计小于 100 MB）。"})
        try:
            body = json.loads(self.rfile.read(length))
            answer = handle(self.editor.backend, body)
        except Refused as exc:
            print(f"编辑器拒绝了一个请求：{exc.message}", file=sys.stderr, flush=True)
            return self._json(exc.status, {"error": exc.message})
        except (ValueError, KeyError) as exc:  # not JSON, or an action without its parameters
            return self._json(400, {"error": f"请求的格式不对（{exc}）。"})
        except Exception:
            traceback.print_exc()
            return self._json(500, {"error": "保存时出错了，请把终端里的信息发给技术人员。"})
        self._json(200, answer)

    # --- guards -------------------------------------------------------------------------------

    def _local(self) -> bool:
        """The editor and its backend are for this PC only (whatever address serves them)."""
        if is_loopback(self.client_address[0]):
            return True
        self._send(403, page("编辑器只能在本机打开", f"请在运行编辑器的那台电脑上打开 {self.editor.site_url()}admin/ 。"
                             "其他电脑可以看网站预览，不能修改内容。"), "text/html; charset=utf-8")
        return False

    def _same_site(self) -> bool:
        """A save comes from our own /admin/ page: JSON (a form or a page of another site cannot
        send that without asking first, and we never say yes), to a loopback host name (no DNS
        rebinding), with no foreign Origin."""
        host = (self.headers.get("Host") or "").rsplit(":", 1)[0].strip("[]")
        origin = self.headers.get("Origin")
        kind = (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()
        ok = (kind == "application/json" and (host in ("localhost", self.editor.addr[0]) or is_loopback(host))
              and (origin is None or origin == f"http://{self.headers.get('Host')}"))
        if not ok:
            self._json(403, {"error": "只接受本机编辑器页面发来的保存请求。"})
        return ok

    # --- answers ------------------------------------------------------------------------------

    def _admin_headers(self) -> dict:
        return {"Content-Security-Policy": ADMIN_CSP, "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff",
                "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex"}

    def _send(self, status: int, data: bytes, kind: str, headers: dict | None = None, head: bool = False) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if not head:
            self.wfile.write(data)

    def _json(self, status: int, value) -> None:
        self._send(status, json.dumps(value, ensure_ascii=False).encode("utf-8"), "application/json; charset=utf-8")

    def _proxy(self, head: bool) -> None:
        """The preview, as `mkdocs serve` answers it (its live-reload requests wait up to a minute
        there: each has a thread here)."""
        upstream = http.client.HTTPConnection("127.0.0.1", self.editor.upstream, timeout=120)
        headers = {k: v for k, v in self.headers.items() if k.lower() not in _HOP and k.lower() != "host"}
        try:
            upstream.request(self.command, self.path, headers=headers)
            answer = upstream.getresponse()
        except OSError:
            upstream.close()
            return self._send(503, page("网站预览正在生成", "第一次生成网站要一会儿，这个页面会自己刷新。", refresh=2),
                              "text/html; charset=utf-8", {"Cache-Control": "no-store"}, head)
        try:
            self.send_response(answer.status, answer.reason)
            for key, value in answer.getheaders():
                if key.lower() not in _HOP:
                    self.send_header(key, value)
            self.end_headers()
            if not head:
                while chunk := answer.read(64 * 1024):
                    self.wfile.write(chunk)
        except OSError:
            pass  # the browser went away (a page left while its reload request waited)
        finally:
            upstream.close()

    def log_message(self, format, *args):  # noqa: A002 (BaseHTTPRequestHandler's name)
        pass  # staff read the terminal: only saves, refusals and the check's problems go there


def make_server(editor: Editor) -> ThreadingHTTPServer:
    handler = type("BoundHandler", (Handler,), {"editor": editor})
    family = socket.AF_INET6 if ":" in editor.addr[0] else socket.AF_INET
    server_class = type("EditServer", (ThreadingHTTPServer,), {"address_family": family, "daemon_threads": True})
    return server_class(editor.addr, handler)


def staff_line(line: str) -> str | None:
    """What staff see of a terminal line of `mkdocs serve`: our own lines (the check's Chinese
    problem list) and MkDocs' errors and warnings as they are, a Chinese line when the preview
    was rebuilt, nothing for MkDocs' English bookkeeping or a browser's request of a missing
    file (favicon.ico)."""
    log = re.match(r"(INFO|WARNING|DEBUG)\s+-\s+(?:\[[\d:]+\]\s+)?(.*)", line)
    if log is None:
        return line
    level, text = log.groups()
    built = re.match(r"Documentation built in ([\d.]+) seconds", text)
    if built:
        return f"网站预览已更新（用时 {built.group(1)} 秒）\n"
    if level == "WARNING" and not text.startswith('"GET '):
        return line
    return None


def start_preview(root: Path, port: int) -> subprocess.Popen:
    """`mkdocs serve` on the internal port; its terminal lines pass through, except those that
    name the internal address (staff open the one we print)."""
    # the preview shows the content/ the editor saves into
    env = {**{k: v for k, v in os.environ.items() if k != "BOARD_CONTENT"}, "NO_MKDOCS_2_WARNING": "1"}
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                             "-f", str(root / "mkdocs.yml")], cwd=root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, bufsize=1)
    hidden = f"127.0.0.1:{port}"

    def relay():
        for line in proc.stderr:
            shown = staff_line(line)
            if shown and hidden not in shown:
                sys.stderr.write(shown)
                sys.stderr.flush()

    threading.Thread(target=relay, daemon=True).start()
    return proc


def main(argv=None) -> int:
    parser = ArgumentParser(description="在一个地址上同时提供网站预览（/）和网页编辑器（/admin/）。编辑器里每次保存都记入 git。")
    parser.add_argument("--addr", metavar="地址:端口", default=os.environ.get("BOARD_ADDR", DEFAULT_ADDR),
                        help=f"在哪个地址提供服务（默认用环境变量 BOARD_ADDR，没有就是 {DEFAULT_ADDR}）")
    parser.add_argument("--project", metavar="文件夹", type=Path, default=ROOT, help="项目文件夹（里面有 content/ 和 mkdocs.yml；默认是本项目）")
    args = parser.parse_args(argv)
    try:
        addr = parse_addr(args.addr)
    except ValueError as exc:
        parser.error(str(exc))
    root = args.project.resolve()
    if not is_work_tree(root):
        print(f"{root} 不是 git 仓库：编辑器要把每次保存记入 git，才能随时查看和撤销。请先在项目文件夹里运行：\n"
              "    git init && git add -A && git commit -m 初始内容", file=sys.stderr)
        return 1
    pin = pinned(ROOT / "editor" / "package-lock.json")
    # BOARD_EDITOR_JS: another folder holding the bundle (as for the public site's /admin/)
    cms_dir = Path(os.environ.get("BOARD_EDITOR_JS") or vendor_dir(ROOT, pin))
    if not (ready(cms_dir, pin) or os.environ.get("BOARD_EDITOR_JS") and (cms_dir / "decap-cms.js").is_file()):
        print("网页编辑器还没有下载：请先运行  .venv/bin/python scripts/fetch_cms.py  （bash scripts/edit.sh 会自动运行它）", file=sys.stderr)
        return 1
    backend = Backend(root, author_from(os.environ, root), today_in_china)
    upstream = free_port()
    editor = Editor(root, addr, upstream, cms_dir, backend)
    try:
        server = make_server(editor)
    except OSError as exc:
        print(f"没能在 {args.addr} 上启动（{exc.strerror or exc}）：可能已经有一个预览或编辑器在运行。"
              f"请关掉它，或换个端口，例如  BOARD_ADDR=127.0.0.1:8001 bash scripts/edit.sh", file=sys.stderr)
        return 1
    preview = start_preview(root, upstream)

    stopping = threading.Event()

    def watch_preview():  # without its preview the editor would answer 503 for ever
        if preview.wait() != 0 and not stopping.is_set():
            print("网站预览停止了（原因见上面的信息），编辑器也一起结束。", file=sys.stderr, flush=True)
        server.shutdown()

    threading.Thread(target=watch_preview, daemon=True).start()
    url = editor.site_url()
    print(f"网站预览：{url}\n网页编辑器：{url}admin/  （在这台电脑的浏览器里打开；每次保存都记入 git）\n"
          f"（改动后预览自动刷新；按 Ctrl+C 结束）", flush=True)
    if addr[0] in ("0.0.0.0", "::"):
        print("同一网络的其他电脑可以打开本机地址看预览，但编辑器只在这台电脑上可用。", flush=True)
    def stop(signum, frame):  # a closed terminal or `kill`: stop the preview too, as Ctrl+C does
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        failed = preview.poll() not in (None, 0)
        stopping.set()
        server.server_close()
        preview.terminate()
        try:
            preview.wait(timeout=20)
        except subprocess.TimeoutExpired:
            preview.kill()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
