"""deploy/nginx/community-board.conf, run by Debian's real nginx on 127.0.0.1.

What a visitor's browser gets: the pages' CSP and the other security headers as HTTP
headers, UTF-8 on every text type (a .txt attachment must not show as mojibake), a year of
caching only for hashed names, gzip from the .gz files publish.py writes, the Chinese 404
page, no directory listing; and no failed request or page with missing assets while
publish.py switches releases under load."""
from __future__ import annotations

import gzip
import http.client
import re
import shutil
from datetime import datetime
from pathlib import Path

import pytest

import bench_nginx
import publish
from community_board.htmlsafety import CSP

pytestmark = pytest.mark.build

if not Path(bench_nginx.NGINX).exists():
    pytest.skip("没有安装 nginx：scripts/test.sh 以 root 运行时会用 apt 安装 Debian 的 nginx",
                allow_module_level=True)


@pytest.fixture(scope="module")
def served(demo_site, tmp_path_factory):
    """The demo, published by publish.py's own code into a release folder, behind nginx."""
    work = tmp_path_factory.mktemp("nginx")
    live = work / "srv"
    publish.publish(live, bench_nginx.ROOT, {"BOARD_AS_OF": "2026-11-25"}, say=lambda s: None,
                    builder=bench_nginx.copy_build(demo_site), now=lambda: datetime(2026, 11, 25, 0, 10))
    with bench_nginx.Nginx(live / "current", work / "nginx") as server:
        yield server, demo_site


def get(server, path, **headers):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    conn.request("GET", path, headers=headers)
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def first(site: Path, pattern: str) -> str:
    return "/" + sorted(p.relative_to(site).as_posix() for p in site.glob(pattern))[0]


def bench_nginx_immutable() -> str:
    return "public, max-age=31536000, immutable"


SECURITY = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
}


def test_the_conf_says_the_same_csp_as_the_pages():
    conf = bench_nginx.CONF.read_text("utf-8")
    policies = re.findall(r'add_header Content-Security-Policy "([^"]+)"', conf)
    assert CSP in policies


def test_every_page_asks_for_exactly_the_policy_the_server_sends(demo_site):
    """The browser enforces both the header and the <meta>: a page whose <meta> allowed more
    (an inline script's hash) would have that script blocked by the header."""
    meta = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)"')
    differ = [p.relative_to(demo_site).as_posix() for p in demo_site.rglob("*.html")
              if meta.findall(p.read_text("utf-8")) != [CSP]]
    assert differ == []


@pytest.mark.parametrize("kind", ["page", "home", "css", "board-css", "js", "webp", "jpg", "share", "txt",
                                  "feed", "sitemap", "json", "favicon"])
def test_headers_per_kind_of_file(served, kind):
    server, site = served
    path, ctype, cache = {
        "page": ("/about/", "text/html; charset=utf-8", "no-cache"),
        "home": ("/", "text/html; charset=utf-8", "no-cache"),
        "css": (first(site, "assets/stylesheets/main.*.min.css"), "text/css; charset=utf-8", bench_nginx_immutable()),
        "board-css": ("/assets/board/board.css?h=1", "text/css; charset=utf-8", "no-cache"),
        "js": ("/assets/board/board.js", "application/javascript; charset=utf-8", "no-cache"),
        "webp": (first(site, "assets/photos/*-480.webp"), "image/webp", bench_nginx_immutable()),
        "jpg": (first(site, "assets/photos/*-480.jpg"), "image/jpeg", bench_nginx_immutable()),
        "share": (first(site, "assets/share/*.jpg"), "image/jpeg", bench_nginx_immutable()),
        "txt": (first(site, "attachments/**/*.txt"), "text/plain; charset=utf-8", "no-cache"),
        "feed": ("/feed.xml", "application/atom+xml; charset=utf-8", "no-cache"),
        "sitemap": ("/sitemap.xml", "text/xml; charset=utf-8", "no-cache"),
        "json": ("/search/meta.json", "application/json; charset=utf-8", "no-cache"),
        "favicon": ("/assets/images/favicon.png", "image/png", "no-cache"),
    }[kind]
    response, body = get(server, path)
    assert response.status == 200, path
    assert response.getheader("Content-Type") == ctype, path
    assert response.getheader("Cache-Control") == cache, path
    assert CSP in response.msg.get_all("Content-Security-Policy"), path
    for name, value in SECURITY.items():
        assert response.getheader(name) == value, (path, name)
    assert "camera=()" in response.getheader("Permissions-Policy")
    rel = path.split("?")[0].lstrip("/")
    assert body == (site / rel / "index.html" if path.endswith("/") else site / rel).read_bytes(), path


def test_a_utf8_attachment_is_readable_text(served):
    server, site = served
    path = first(site, "attachments/**/*.txt")
    response, body = get(server, path)
    charset = response.getheader("Content-Type").split("charset=")[1]
    assert body.decode(charset) == (site / path.lstrip("/")).read_text("utf-8")


def test_pages_come_gzipped_from_the_file_publish_wrote(served):
    server, site = served
    response, body = get(server, "/", **{"Accept-Encoding": "gzip"})
    assert response.getheader("Content-Encoding") == "gzip"
    assert "Accept-Encoding" in (response.getheader("Vary") or "")
    assert gzip.decompress(body) == (site / "index.html").read_bytes()
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"  # headers hold for the .gz too
    plain, _ = get(server, "/")
    assert plain.getheader("Content-Encoding") is None


def test_the_404_page_is_the_sites_own_in_chinese(served):
    server, site = served
    response, body = get(server, "/activities/no-such-thing/")
    assert response.status == 404
    assert body == (site / "404.html").read_bytes()
    assert response.getheader("Content-Type") == "text/html; charset=utf-8"
    assert response.getheader("Cache-Control") == "no-cache"
    assert CSP in response.msg.get_all("Content-Security-Policy")


@pytest.mark.parametrize("path", ["/assets/", "/assets/photos/", "/attachments/", "/.manifest", "/releases/"])
def test_no_directory_listing_nor_hidden_files(served, path):
    server, site = served
    response, body = get(server, path)
    assert response.status == 404, path
    assert body == (site / "404.html").read_bytes()  # the Chinese page, not nginx's own
    assert response.getheader("Content-Security-Policy")  # error pages carry the headers too


def test_a_folder_without_its_slash_is_redirected_relative(served):
    server, site = served
    response, _ = get(server, "/about")
    assert response.status == 301
    assert response.getheader("Location") == "/about/"  # relative: right behind a CDN or proxy too
    response, _ = get(server, "/404.html")
    assert response.status == 404  # the 404 page is never a 200 of its own
    response, body = get(server, "/sitemap.xml.gz")
    assert response.status == 200 and response.getheader("Content-Type") == "application/gzip"
    assert gzip.decompress(body) == (site / "sitemap.xml").read_bytes()


def test_no_failed_request_and_no_page_missing_its_assets_while_releases_switch(served, tmp_path):
    """20 clients for a fixed number of page visits (each: the page, then every stylesheet,
    script and image it loads), going on until publish.py has switched releases 10 times."""
    server, site = served
    load, switched = bench_nginx.bench(site, tmp_path, clients=20, visits=400, switches=10, pause=0.1,
                                       say=print, think=0.05)
    assert switched == 10
    assert load.failures == [] and load.broken_pages == []
    assert load.requests > 1000
