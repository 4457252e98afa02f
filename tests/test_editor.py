"""The web editor's server (issue 17.1, 17.4): Decap CMS's local-backend protocol over a temp git
repository, every save a commit, writes confined to content/, photos to content/photos/YYYY/,
the editor for loopback clients only, the CMS bundle checked against the lock. Fast: no MkDocs
(the preview is a stand-in upstream), no browser; tests/test_editor_browser.py drives the real
CMS in Chromium."""
from __future__ import annotations

import base64
import hashlib
import http.client
import http.server
import io
import json
import os
import socket
import subprocess
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, ContentTree
from servers import free_port, stop

import fetch_cms
from _edit_backend import Backend, Refused, author_from, handle, photo_target, record_year
from edit_server import ADMIN_CSP, Editor, is_loopback, make_server, parse_addr

AUTHOR = ("王晓梅", "wangxm@example.org")
RECORD = "content/activities/2026/2026-03-05-leifeng-visit.md"
NEW = "content/activities/2026/2026-11-20-winter-visit.md"
JPEG = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 64 + b"\xff\xd9"  # the bytes must arrive unchanged
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x01" * 4000


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True).stdout


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    ContentTree(tmp_path)
    (tmp_path / "mkdocs.yml").write_text("site_name: x\n", encoding="utf-8")
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "add", "-A")
    git(tmp_path, "-c", "user.name=setup", "-c", "user.email=setup@example.org", "commit", "-q", "-m", "初始内容")
    return tmp_path


@pytest.fixture
def backend(repo: Path) -> Backend:
    return Backend(repo, AUTHOR, lambda: date(2026, 12, 1))


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def activity(title: str, photo: str = "") -> str:
    photos = f"photos:\n  - file: {photo}\n    caption: 志愿者走访\n    consent: true\n" if photo else ""
    return f"---\ntitle: {title}\ndate: 2026-11-20\ncolumn: leifeng\n{photos}---\n冬季走访。\n"


def persist(backend: Backend, path: str, raw: str, assets=()):
    return handle(backend, {"action": "persistEntry", "params": {
        "dataFiles": [{"slug": Path(path).stem, "path": path, "raw": raw}],
        "assets": [{"path": p, "content": b64(data), "encoding": "base64"} for p, data in assets],
        "options": {"commitMessage": "Create Activities", "useWorkflow": False, "status": ""}}})


def last_commit(repo: Path) -> tuple[str, str, list[str]]:
    """(author "name <email>", message, files) of HEAD."""
    author = git(repo, "log", "-1", "--format=%an <%ae>").strip()
    message = git(repo, "log", "-1", "--format=%B").strip()
    files = git(repo, "show", "--name-only", "--format=", "HEAD").split()
    return author, message, files


# --- the protocol ---------------------------------------------------------------------------------

def test_lists_and_reads_entries_as_decap_server_does(backend, repo):
    assert handle(backend, {"action": "info"})["publish_modes"] == ["simple"]
    entries = handle(backend, {"action": "entriesByFolder",
                               "params": {"folder": "content/activities", "extension": "md", "depth": 2}})
    assert [e["file"]["path"] for e in entries] == [RECORD]
    data = (repo / RECORD).read_bytes()
    assert entries[0]["data"] == data.decode() and entries[0]["file"]["id"] == hashlib.sha256(data).hexdigest()
    assert handle(backend, {"action": "getEntry", "params": {"path": RECORD}})["data"].startswith("---\ntitle: 学雷锋")
    # depth counts folders as decap-server does: the year folder is one level down
    assert handle(backend, {"action": "entriesByFolder",
                            "params": {"folder": "content/activities", "extension": "md", "depth": 1}}) == []
    missing = handle(backend, {"action": "getEntry", "params": {"path": "content/activities/2026/none.md"}})
    assert missing["data"] is None


def test_a_save_is_one_commit_of_exactly_its_file_with_the_editors_author(backend, repo):
    (repo / "content" / "slogans.yml").write_text("slogans: []\n", encoding="utf-8")  # staff's own unsaved change
    before = git(repo, "rev-list", "--count", "HEAD")
    persist(backend, NEW, activity("冬日走访送温暖"))
    assert (repo / NEW).read_text(encoding="utf-8") == activity("冬日走访送温暖")
    assert int(git(repo, "rev-list", "--count", "HEAD")) == int(before) + 1
    assert last_commit(repo) == ("王晓梅 <wangxm@example.org>", f"编辑：{NEW}", [NEW])
    assert "slogans.yml" in git(repo, "status", "--porcelain")  # not swept into the editor's commit

    persist(backend, NEW, activity("冬日走访送温暖（改）"))
    assert last_commit(repo)[1:] == (f"编辑：{NEW}", [NEW])
    assert "（改）" in git(repo, "show", "HEAD:" + NEW)


def test_a_renamed_entry_moves_its_file_in_one_commit(backend, repo):
    renamed = "content/activities/2026/2026-03-05-leifeng-home-visit.md"
    handle(backend, {"action": "persistEntry", "params": {"assets": [], "dataFiles": [
        {"path": RECORD, "newPath": renamed, "raw": activity("学雷锋走访"), "slug": "x"}]}})
    assert not (repo / RECORD).exists() and (repo / renamed).read_text(encoding="utf-8") == activity("学雷锋走访")
    author, message, files = last_commit(repo)
    assert message.startswith(f"编辑：{renamed}") and f"（原 {RECORD}）" in message
    assert sorted(files) == sorted([RECORD, renamed])


def test_a_new_record_is_stored_under_the_pinyin_of_its_title(backend, repo):
    """Decap names a new record with its kind's placeholder; the file gets the contract's id."""
    placeholder = "content/activities/2026/2026-11-20-huodong.md"
    stored = "content/activities/2026/2026-11-20-dongri-zoufang-songwennuan.md"
    persist(backend, placeholder, activity("冬日走访送温暖"))
    assert (repo / stored).is_file() and not (repo / placeholder).exists()
    assert last_commit(repo)[1:] == (f"编辑：{stored}", [stored])
    # the open form still knows it by the placeholder: read, save and delete reach the file
    entry = handle(backend, {"action": "getEntry", "params": {"path": placeholder}})
    assert "冬日走访送温暖" in entry["data"] and entry["file"]["path"] == stored
    persist(backend, placeholder, activity("冬日走访送温暖（补记）"))
    assert "（补记）" in (repo / stored).read_text(encoding="utf-8") and not (repo / placeholder).exists()
    handle(backend, {"action": "deleteFile", "params": {"path": placeholder}})
    assert not (repo / stored).exists() and last_commit(repo)[1] == f"删除：{stored}"
    # the placeholder is free again: the next new record gets its own title's id
    persist(backend, placeholder, activity("入户登记"))
    assert (repo / "content/activities/2026/2026-11-20-ruhu-dengji.md").is_file()
    # a title already taken on that day gets -2, as scripts/new.py does
    persist(backend, "content/activities/2026/2026-11-20-huodong-1.md", activity("入户登记"))
    assert (repo / "content/activities/2026/2026-11-20-ruhu-dengji-2.md").is_file()


def test_delete_is_a_commit_too(backend, repo):
    handle(backend, {"action": "deleteFile", "params": {"path": RECORD, "options": {"commitMessage": "x"}}})
    assert not (repo / RECORD).exists()
    assert last_commit(repo) == ("王晓梅 <wangxm@example.org>", f"删除：{RECORD}", [RECORD])
    assert RECORD not in git(repo, "ls-files")
    assert git(repo, "status", "--porcelain") == ""


def test_phone_photos_go_to_photos_of_the_records_year_unchanged(backend, repo):
    """Decap puts an upload in the media folder it was given; the backend files it under
    content/photos/YYYY/ (the record's year), rewrites the record to that path and keeps the
    original bytes (the photo pipeline makes the web sizes), in the record's commit."""
    raw = activity("冬日走访送温暖", photo="photos/IMG_0001.jpg").replace(
        "---\n冬季", "  - {file: photos/IMG_0002.HEIC, caption: 合影, consent: true}\n---\n冬季")
    persist(backend, "content/activities/2025/2025-12-30-winter-visit.md", raw,
            assets=[("content/photos/IMG_0001.jpg", JPEG), ("content/photos/IMG_0002.HEIC", HEIC)])
    saved = (repo / "content/activities/2025/2025-12-30-winter-visit.md").read_text(encoding="utf-8")
    assert "file: photos/2025/IMG_0001.jpg" in saved and "file: photos/2025/IMG_0002.HEIC" in saved
    assert "photos/IMG_0001.jpg" not in saved
    assert (repo / "content/photos/2025/IMG_0001.jpg").read_bytes() == JPEG
    assert (repo / "content/photos/2025/IMG_0002.HEIC").read_bytes() == HEIC
    assert sorted(last_commit(repo)[2]) == ["content/activities/2025/2025-12-30-winter-visit.md",
                                            "content/photos/2025/IMG_0001.jpg", "content/photos/2025/IMG_0002.HEIC"]


def test_a_photo_of_the_same_name_does_not_replace_another(backend, repo):
    (repo / "content/photos/2026").mkdir(parents=True)
    (repo / "content/photos/2026/IMG_0001.jpg").write_bytes(b"\xff\xd8 an older photo \xff\xd9")
    persist(backend, NEW, activity("冬日走访", photo="photos/2026/IMG_0001.jpg"),
            assets=[("content/photos/2026/IMG_0001.jpg", JPEG)])
    assert (repo / "content/photos/2026/IMG_0001.jpg").read_bytes() == b"\xff\xd8 an older photo \xff\xd9"
    assert (repo / "content/photos/2026/IMG_0001-2.jpg").read_bytes() == JPEG
    assert "file: photos/2026/IMG_0001-2.jpg" in (repo / NEW).read_text(encoding="utf-8")


def test_an_upload_from_the_media_library_is_committed_under_this_year(backend, repo):
    answer = handle(backend, {"action": "persistMedia", "params": {
        "asset": {"path": "content/photos/P1.jpg", "content": b64(JPEG), "encoding": "base64"},
        "options": {"commitMessage": "x"}}})
    assert answer["path"] == "content/photos/2026/P1.jpg" and base64.b64decode(answer["content"]) == JPEG
    assert last_commit(repo)[1:] == ("上传：content/photos/2026/P1.jpg", ["content/photos/2026/P1.jpg"])
    media = handle(backend, {"action": "getMedia", "params": {"mediaFolder": "content/photos"}})
    assert [m["path"] for m in media] == ["content/photos/2026/P1.jpg"]


@pytest.mark.parametrize("rel, year", [
    ("content/activities/2025/2025-12-30-x.md", "2025"), ("content/notices/2024-01-02-water.md", "2024"),
    ("content/honors/2023.yml", "2023"), ("content/slogans.yml", "2026"), ("content/community.yml", "2026")])
def test_the_year_of_a_photo_is_the_records_else_the_uploads(rel, year):
    assert record_year(rel, date(2026, 12, 1)) == year


@pytest.mark.parametrize("rel, target", [
    ("content/photos/a.jpg", "content/photos/2026/a.jpg"),
    ("content/photos/uploads/a.jpg", "content/photos/2026/a.jpg"),
    ("content/photos/2024/a.jpg", "content/photos/2024/a.jpg"),
    ("content/photos/honors/a.jpg", "content/photos/2026/a.jpg"),
    ("content/notices/a.pdf", "content/notices/a.pdf")])
def test_photo_targets(rel, target):
    assert photo_target(rel, "2026") == target


@pytest.mark.parametrize("path", [
    "../outside.md", "/etc/passwd", "content/../mkdocs.yml", "mkdocs.yml", "hooks/board_hooks.py",
    "content", "content\\..\\mkdocs.yml", "content/a\0.md", "", None, "content/link/evil.md", "content/outside.md"])
def test_nothing_outside_content_is_read_written_or_deleted(backend, repo, tmp_path_factory, path):
    outside = tmp_path_factory.mktemp("outside")
    (outside / "evil.md").write_text("secret", encoding="utf-8")
    (repo / "content" / "link").symlink_to(outside, target_is_directory=True)
    (repo / "content" / "outside.md").symlink_to(outside / "evil.md")
    head = git(repo, "rev-parse", "HEAD")
    for body in ({"action": "persistEntry", "params": {"dataFiles": [{"path": path, "raw": "x"}], "assets": []}},
                 {"action": "persistEntry", "params": {"dataFiles": [{"path": NEW, "raw": "x"}],
                                                       "assets": [{"path": path, "content": "eA==", "encoding": "base64"}]}},
                 {"action": "deleteFile", "params": {"path": path}},
                 {"action": "getMediaFile", "params": {"path": path}},
                 {"action": "persistMedia", "params": {"asset": {"path": path, "content": "eA==", "encoding": "base64"}}}):
        with pytest.raises(Refused) as refused:
            handle(backend, body)
        assert refused.value.status in (400, 403) and "content" in refused.value.message or path in ("", None)
    assert (outside / "evil.md").read_text(encoding="utf-8") == "secret"
    assert not (repo / NEW).exists()  # a refused asset stops the whole save
    assert git(repo, "rev-parse", "HEAD") == head
    assert handle(backend, {"action": "getEntry", "params": {"path": "content/outside.md"}})["data"] is None


def test_author_from_the_environment_else_git_else_the_office(repo):
    assert author_from({"BOARD_EDITOR_NAME": "白沙井社区", "BOARD_EDITOR_EMAIL": "bsj@example.org"}, repo) == \
        ("白沙井社区", "bsj@example.org")
    git(repo, "config", "user.name", "李明")
    git(repo, "config", "user.email", "li@example.org")
    assert author_from({}, repo) == ("李明", "li@example.org")


# --- over HTTP ------------------------------------------------------------------------------------

class _Upstream(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = f"预览 {self.path}".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def _serve(server):
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def running(backend, repo, tmp_path_factory):
    """The editor's server on 0.0.0.0 (as BOARD_ADDR=0.0.0.0:PORT would), a stand-in preview."""
    upstream = _serve(http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Upstream))
    cms = tmp_path_factory.mktemp("cms")
    (cms / "decap-cms.js").write_text("/* the CMS */", encoding="utf-8")
    port = free_port("0.0.0.0")
    server = _serve(make_server(Editor(repo, ("0.0.0.0", port), upstream.server_address[1], cms, backend)))
    yield port
    server.shutdown()
    server.server_close()
    upstream.shutdown()
    upstream.server_close()


def request(port: int, method: str, path: str, body: bytes | None = None, headers=None, host: str = "127.0.0.1"):
    conn = http.client.HTTPConnection(host, port, timeout=10)
    conn.request(method, path, body=body, headers=headers or {})
    answer = conn.getresponse()
    data = answer.read()
    conn.close()
    return answer.status, dict(answer.getheaders()), data


def api(port, body: dict, **headers):
    return request(port, "POST", "/admin/api/v1", json.dumps(body).encode(),
                   {"Content-Type": "application/json", **headers})


def test_one_address_serves_preview_editor_config_and_backend(running, repo):
    status, _, body = request(running, "GET", "/activities/")
    assert status == 200 and body.decode() == "预览 /activities/"  # proxied to the preview
    status, headers, body = request(running, "GET", "/admin/")
    assert status == 200 and 'src="/admin/decap-cms.js"' in body.decode() and 'lang="zh' in body.decode()
    assert headers["Content-Security-Policy"] == ADMIN_CSP
    assert "http" not in ADMIN_CSP and "default-src 'self'" in ADMIN_CSP and "connect-src 'self'" in ADMIN_CSP
    status, headers, body = request(running, "GET", "/admin/decap-cms.js")
    assert status == 200 and body == b"/* the CMS */" and headers["Content-Type"].startswith("text/javascript")
    assert request(running, "GET", "/admin/../mkdocs.yml")[0] == 404
    status, _, body = request(running, "GET", "/admin/config.yml")
    config = yaml.safe_load(body)
    assert status == 200 and config["locale"] == "zh_Hans"
    assert config["backend"]["name"] == "proxy" and config["backend"]["proxy_url"] == "/admin/api/v1"
    status, _, body = api(running, {"action": "getEntry", "params": {"path": RECORD}})
    assert status == 200 and json.loads(body)["data"] == (repo / RECORD).read_text(encoding="utf-8")
    status, _, body = api(running, {"action": "deleteFile", "params": {"path": "../mkdocs.yml"}})
    assert status == 403 and "content" in json.loads(body)["error"]
    assert (repo / "mkdocs.yml").exists()


@pytest.mark.parametrize("headers", [
    {"Content-Type": "text/plain"},  # what a form or a no-cors fetch of another site sends
    {"Content-Type": "application/json", "Origin": "http://evil.example"},
    {"Content-Type": "application/json", "Host": "evil.example:8000"},  # DNS rebinding
], ids=["not-json", "foreign-origin", "foreign-host"])
def test_a_save_from_another_site_is_refused(running, repo, headers):
    body = json.dumps({"action": "deleteFile", "params": {"path": RECORD}}).encode()
    status, _, _ = request(running, "POST", "/admin/api/v1", body, headers)
    assert status == 403 and (repo / RECORD).exists()


def _lan_address() -> str | None:
    """One of this machine's non-loopback addresses, if it has one."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("10.255.255.255", 1))  # no packet is sent: only picks the outgoing interface
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if is_loopback(ip) or ip == "0.0.0.0" else ip


def test_a_client_that_is_not_this_pc_gets_the_preview_but_not_the_editor(running, repo):
    ip = _lan_address()
    if ip is None:
        pytest.skip("this machine has no address other than loopback")
    assert request(running, "GET", "/", host=ip)[0] == 200
    status, _, body = request(running, "GET", "/admin/", host=ip)
    assert status == 403 and "本机" in body.decode()
    assert request(running, "GET", "/admin/config.yml", host=ip)[0] == 403
    body = json.dumps({"action": "deleteFile", "params": {"path": RECORD}}).encode()
    status, _, _ = request(running, "POST", "/admin/api/v1", body, {"Content-Type": "application/json", "Host": "127.0.0.1"}, host=ip)
    assert status == 403 and (repo / RECORD).exists()


@pytest.mark.parametrize("ip, local", [("127.0.0.1", True), ("127.3.4.5", True), ("::1", True),
                                       ("::ffff:127.0.0.1", True), ("192.168.1.20", False), ("10.0.0.1", False),
                                       ("::ffff:192.168.1.20", False), ("fe80::1%eth0", False), ("", False)])
def test_loopback(ip, local):
    assert is_loopback(ip) is local


def test_addresses():
    assert parse_addr("127.0.0.1:8000") == ("127.0.0.1", 8000)
    assert parse_addr("0.0.0.0:9000") == ("0.0.0.0", 9000)
    assert parse_addr("[::1]:8000") == ("::1", 8000)
    for bad in ("8000", "localhost:", "a:b", "1.2.3.4:70000"):
        with pytest.raises(ValueError):
            parse_addr(bad)


# --- the CMS bundle ---------------------------------------------------------------------------------

def _tarball(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _project_with_lock(tmp_path: Path, data: bytes) -> Path:
    integrity = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    (tmp_path / "editor").mkdir(parents=True)
    lock = json.loads((ROOT / "editor" / "package-lock.json").read_text(encoding="utf-8"))
    lock["packages"]["node_modules/decap-cms"]["integrity"] = integrity
    (tmp_path / "editor" / "package-lock.json").write_text(json.dumps(lock), encoding="utf-8")
    return tmp_path


def test_the_bundle_is_unpacked_only_when_it_matches_the_lock(tmp_path):
    data = _tarball({"package/dist/decap-cms.js": b"cms", "package/dist/12.decap-cms.js": b"chunk",
                     "package/dist/decap-cms.js.map": b"map", "package/dist/cms.js": b"copy",
                     "package/dist/../../evil.js": b"evil", "package/LICENSE": b"MIT"})
    project = _project_with_lock(tmp_path / "p", data)
    (tmp_path / "good.tgz").write_bytes(data)
    (tmp_path / "bad.tgz").write_bytes(data + b"\0")
    with pytest.raises(SystemExit) as refused:
        fetch_cms.ensure(project, tarball=tmp_path / "bad.tgz")
    assert "校验值不符" in str(refused.value)
    assert not (project / "editor" / "vendor").exists() or not any((project / "editor" / "vendor").iterdir())
    folder = fetch_cms.ensure(project, tarball=tmp_path / "good.tgz")
    assert sorted(p.name for p in folder.iterdir()) == [".integrity", "12.decap-cms.js", "LICENSE", "decap-cms.js"]
    assert not (tmp_path / "evil.js").exists()
    assert fetch_cms.ensure(project, tarball=tmp_path / "bad.tgz") == folder  # in place: not fetched again


def test_the_committed_lock_pins_decap_cms_with_sha512():
    pin = fetch_cms.pinned()
    package = json.loads((ROOT / "editor" / "package.json").read_text(encoding="utf-8"))
    assert package["dependencies"]["decap-cms"] == pin.version
    assert pin.integrity.startswith("sha512-") and pin.url.endswith(f"/decap-cms-{pin.version}.tgz")
    assert not fetch_cms.matches(b"x", "sha1-" + base64.b64encode(hashlib.sha1(b"x").digest()).decode())
    assert fetch_cms.registry_url(pin, "https://registry.npmmirror.com/") == \
        f"https://registry.npmmirror.com/decap-cms/-/decap-cms-{pin.version}.tgz"


# --- serve's live reload, and nothing of it in the built site --------------------------------------

@pytest.mark.build
def test_the_built_site_has_no_live_reload_and_the_strict_csp(demo_site):
    assert not (demo_site / "assets" / "board" / "livereload.js").exists()
    strict = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
              "frame-src 'none'; object-src 'none'; base-uri 'self'; form-action 'self'")
    pages = list(demo_site.rglob("*.html"))
    assert len(pages) > 50
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "livereload" not in text, page
        assert f'content="{strict}"' in text, page


@pytest.mark.build
def test_mkdocs_serve_clean_shows_the_problem_page_instead_of_stalling(tmp_path):
    """`mkdocs serve --clean` runs its plugins as for a build; a refused rebuild used to leave
    the preview stuck ("The server will appear stuck until build errors are resolved")."""
    import shutil
    import sys
    import time
    import urllib.request
    from conftest import copy_project

    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    tree = ContentTree(project)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    env.update(BOARD_AS_OF="2026-11-25", BOARD_CONTENT=str(tree.dir))
    proc = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "--clean", "-a", f"127.0.0.1:{port}",
                             "-f", str(project / "mkdocs.yml")], cwd=project, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def page_until(words: str, seconds: float = 60) -> str:
        deadline, body = time.monotonic() + seconds, ""
        while time.monotonic() < deadline and words not in body:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/activities/", timeout=5) as r:
                    body = r.read().decode("utf-8")
            except OSError:
                time.sleep(0.3)
        return body

    try:
        assert "学雷锋走访居民家庭" in page_until("学雷锋走访居民家庭")
        record = tree.dir / RECORD.removeprefix("content/")
        good = record.read_text(encoding="utf-8")
        record.write_text(good.replace("走访了", "走访了身份证号 110105197210092156 的居民和"), encoding="utf-8")
        assert "网站暂时没有更新" in page_until("网站暂时没有更新", 20)
        record.write_text(good, encoding="utf-8")
        body = page_until("学雷锋走访居民家庭", 20)
        assert "学雷锋走访居民家庭" in body and "网站暂时没有更新" not in body
    finally:
        stop(proc)


@pytest.mark.parametrize("line, shown", [
    ("INFO    -  Building documentation...\n", None),
    ("INFO    -  [23:27:53] Watching paths for changes: 'docs', 'content'\n", None),
    ("INFO    -  Documentation built in 6.12 seconds\n", "网站预览已更新（用时 6.12 秒）\n"),
    ('WARNING -  [23:28:50] "GET /favicon.ico HTTP/1.1" code 404\n', None),
    ("WARNING -  A reference to 'x.md' is not found\n", "WARNING -  A reference to 'x.md' is not found\n"),
    ("ERROR   -  Config value 'theme': bad\n", "ERROR   -  Config value 'theme': bad\n"),
    ("内容检查未通过，网站没有更新：\n", "内容检查未通过，网站没有更新：\n"),
])
def test_the_terminal_shows_staff_chinese_not_mkdocs_bookkeeping(line, shown):
    from edit_server import staff_line
    assert staff_line(line) == shown


@pytest.mark.build
def test_an_iphone_heic_saved_by_the_editor_is_published_through_the_photo_pipeline(tmp_path):
    """The editor stores the phone's original; the build makes the web copies from it."""
    import re
    from PIL import Image
    pillow_heif = pytest.importorskip("pillow_heif")
    pillow_heif.register_heif_opener()
    from conftest import build_site, copy_project

    project = copy_project(tmp_path / "project")
    import shutil
    shutil.rmtree(project / "content")
    ContentTree(project)
    git(project, "init", "-q", "-b", "main")
    git(project, "add", "-A")
    git(project, "-c", "user.name=s", "-c", "user.email=s@example.org", "commit", "-q", "-m", "初始内容")
    heic = io.BytesIO()
    Image.new("RGB", (3024, 2016), (30, 140, 90)).save(heic, format="HEIF", quality=70)
    backend = Backend(project, AUTHOR, lambda: date(2026, 12, 1))
    persist(backend, "content/activities/2026/2026-03-20-heic-visit.md",
            activity("冬日走访送温暖", photo="photos/IMG_4402.heic").replace("2026-11-20", "2026-03-20"),
            assets=[("content/photos/IMG_4402.heic", heic.getvalue())])
    assert (project / "content/photos/2026/IMG_4402.heic").read_bytes() == heic.getvalue()
    out = tmp_path / "site"
    result = build_site(out, as_of="2026-03-25", project=project, extra_env={"BOARD_CACHE": str(tmp_path / "cache")})
    assert result.returncode == 0, result.stderr[-2000:]
    html = (out / "activities" / "2026-03-20-heic-visit" / "index.html").read_text(encoding="utf-8")
    sources = re.findall(r'<img[^>]+src="([^"]+)"', html)
    assert sources and all(not s.lower().endswith(".heic") for s in sources)
    assert not list(out.rglob("*.heic"))  # the original is never published


def test_edit_sh_on_a_bare_debian_says_in_chinese_the_one_command_to_run(tmp_path):
    """No python3-venv and no root: edit.sh says what it is doing, then the apt command."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for name, text in {"python3": '#!/bin/sh\ncase "$*" in *ensurepip*) exit 1;; esac\nexit 0\n',
                       "id": "#!/bin/sh\necho 1000\n"}.items():
        (bin_dir / name).write_text(text)
        (bin_dir / name).chmod(0o755)
    env = {"PATH": f"{bin_dir}:/usr/bin:/bin", "HOME": str(tmp_path), "LANG": "C.UTF-8"}
    out = subprocess.run(["bash", "scripts/edit.sh"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 1
    assert ">>> 检查 Python" in out.stdout
    assert "sudo apt-get install -y python3-venv" in out.stderr and "Traceback" not in out.stderr
