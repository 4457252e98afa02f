"""Publishing to S3-compatible object storage, against moto's S3 server on 127.0.0.1.

What a visitor of the bucket's CDN would notice: the right Content-Type and Cache-Control on
each kind of file, no page whose stylesheet, script or photos are missing at any moment (also
when the upload dies half-way), a second run that re-uploads only what changed, a rollback
that brings the previous pages back."""
from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

import s3publish  # noqa: E402
from conftest import DEMO_AS_OF, ROOT  # noqa: E402

FAKE_KEYS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_DEFAULT_REGION": "us-east-1"}
_BUCKETS = itertools.count()


@pytest.fixture(scope="module")
def endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def s3(endpoint, monkeypatch):
    for name, value in FAKE_KEYS.items():
        monkeypatch.setenv(name, value)
    client = s3publish.client_from_env({"BOARD_S3_ENDPOINT": endpoint, "BOARD_S3_ADDRESSING": "path"})
    bucket = f"board-{next(_BUCKETS)}"
    client.create_bucket(Bucket=bucket)
    return client, bucket


def put_site(client, bucket, site, release, grace=3600.0, prefix="board/", clock=None):
    lines = []
    counts = s3publish.upload(site, bucket, prefix, client, release=release, grace_seconds=grace,
                              say=lines.append, **({"now": clock} if clock else {}))
    return counts, lines


def remote_body(client, bucket, key) -> bytes:
    return client.get_object(Bucket=bucket, Key=key)["Body"].read()


_REF = re.compile(r'(?:href|src)="([^"#?]+)(?:\?[^"]*)?"|srcset="([^"]+)"')


def local_assets(page_rel: str, html: str) -> set[str]:
    """Site paths of the stylesheets, scripts and images a page loads."""
    base = page_rel.rsplit("/", 1)[0] + "/" if "/" in page_rel else ""
    found = set()
    for m in _REF.finditer(html):
        urls = [m.group(1)] if m.group(1) else [part.split()[0] for part in m.group(2).split(",") if part.strip()]
        for url in urls:
            if re.match(r"[a-z]+:|/", url) or not re.search(r"\.(css|js|webp|jpe?g|png)$", url):
                continue
            parts = []
            for piece in (base + url).split("/"):
                if piece == "..":
                    parts.pop()
                elif piece not in (".", ""):
                    parts.append(piece)
            found.add("/".join(parts))
    return found


def missing_assets(client, bucket, prefix="board/") -> list[str]:
    """Every page in the bucket whose stylesheet, script or photo is not there."""
    keys = set(s3publish.list_remote(client, bucket, prefix))
    problems = []
    for key in sorted(k for k in keys if k.endswith(".html") and "/.releases/" not in k):
        rel = key[len(prefix):]
        html = remote_body(client, bucket, key).decode("utf-8")
        problems += [f"{rel} -> {a}" for a in local_assets(rel, html) if prefix + a not in keys]
    return problems


def variant(site: Path, dest: Path, tag: str) -> Path:
    """Another release of the same site: one photo re-encoded (new hashed names), a new page,
    a changed home page; like the next day's build after staff replaced a photo."""
    shutil.copytree(site, dest)
    photo = sorted((dest / "assets" / "photos").glob("*-480.webp"))[0].name.split("-")[0]
    new = (tag * 16)[:16]
    for path in list((dest / "assets" / "photos").glob(photo + "-*")):
        path.rename(path.with_name(path.name.replace(photo, new)))
    for page in dest.rglob("*.html"):
        text = page.read_text("utf-8")
        if photo in text:
            page.write_text(text.replace(photo, new), "utf-8")
    index = dest / "index.html"
    index.write_text(index.read_text("utf-8").replace("</body>", f"<!-- {tag} --></body>"), "utf-8")
    (dest / f"only-{tag}").mkdir()
    (dest / f"only-{tag}" / "index.html").write_text(f"<p>{tag}</p>", "utf-8")
    return dest


# --------------------------------------------------------------------------- headers

@pytest.mark.build
def test_headers_per_kind_of_file(s3, demo_site):
    client, bucket = s3
    counts, lines = put_site(client, bucket, demo_site, "r1")
    assert counts["uploaded"] == len(s3publish.plan(demo_site)) and counts["kept"] == 0
    assert "上传完成" in lines[-1] and "r1" in lines[-1]

    def head(rel):
        return client.head_object(Bucket=bucket, Key="board/" + rel)

    photo = sorted(p.relative_to(demo_site).as_posix() for p in (demo_site / "assets" / "photos").glob("*.webp"))[0]
    css = next(p.relative_to(demo_site).as_posix() for p in (demo_site / "assets" / "stylesheets").glob("main.*.css"))
    expected = {
        "index.html": ("text/html; charset=utf-8", "no-cache"),
        "404.html": ("text/html; charset=utf-8", "no-cache"),
        "feed.xml": ("application/atom+xml; charset=utf-8", "no-cache"),
        "sitemap.xml": ("application/xml; charset=utf-8", "no-cache"),
        "search/meta.json": ("application/json; charset=utf-8", "no-cache"),
        "assets/board/board.css": ("text/css; charset=utf-8", "no-cache"),  # versioned by ?h=, not by name
        "assets/board/board.js": ("text/javascript; charset=utf-8", "no-cache"),
        css: ("text/css; charset=utf-8", s3publish.IMMUTABLE),
        photo: ("image/webp", s3publish.IMMUTABLE),
        photo.replace(".webp", ".jpg"): ("image/jpeg", s3publish.IMMUTABLE),
    }
    for txt in (demo_site / "attachments").rglob("*.txt"):  # a UTF-8 notice attachment
        expected[txt.relative_to(demo_site).as_posix()] = ("text/plain; charset=utf-8", "no-cache")
    for rel, (ctype, cache) in expected.items():
        got = head(rel)
        assert (got["ContentType"], got["CacheControl"]) == (ctype, cache), rel
    assert remote_body(client, bucket, "board/index.html") == (demo_site / "index.html").read_bytes()
    assert missing_assets(client, bucket) == []


# --------------------------------------------------------------------------- changes only

@pytest.mark.build
def test_second_run_uploads_only_what_changed_and_rollback_restores(s3, demo_site, tmp_path):
    client, bucket = s3
    put_site(client, bucket, demo_site, "r1")
    again, lines = put_site(client, bucket, demo_site, "r2")
    assert again["uploaded"] == 0 and again["kept"] == len(s3publish.plan(demo_site))
    assert "上传 0 个文件" in lines[-1]

    two = variant(demo_site, tmp_path / "two", "b")
    counts, _ = put_site(client, bucket, two, "r3")
    photos = len(list((two / "assets" / "photos").glob("bbbb*")))
    changed_pages = sum(1 for p in two.rglob("*.html") if not (demo_site / p.relative_to(two)).is_file()
                        or (demo_site / p.relative_to(two)).read_bytes() != p.read_bytes())
    assert counts["uploaded"] == photos + changed_pages
    assert counts["deleted"] == 0  # the old photo is still used by the previous release
    assert b"<!-- b -->" in remote_body(client, bucket, "board/index.html")
    assert missing_assets(client, bucket) == []

    lines = []
    assert s3publish.rollback(client, bucket, "board/", say=lines.append) == "r2"
    assert remote_body(client, bucket, "board/index.html") == (demo_site / "index.html").read_bytes()
    keys = set(s3publish.list_remote(client, bucket, "board/"))
    assert "board/only-b/index.html" not in keys  # a page only the withdrawn release had
    assert missing_assets(client, bucket) == []
    assert "已退回" in lines[-1]
    head = client.head_object(Bucket=bucket, Key="board/index.html")
    assert (head["ContentType"], head["CacheControl"]) == ("text/html; charset=utf-8", "no-cache")


@pytest.mark.build
def test_old_objects_go_only_after_the_grace_period_and_never_the_previous_releases(s3, demo_site, tmp_path):
    client, bucket = s3
    start = datetime(2026, 11, 25, 0, 10, tzinfo=timezone.utc)

    def clock_for(day):
        return lambda: start + timedelta(days=day)

    one, two, three = demo_site, variant(demo_site, tmp_path / "b", "b"), variant(demo_site, tmp_path / "c", "c")
    put_site(client, bucket, one, "r1", grace=3600, clock=clock_for(0))
    put_site(client, bucket, two, "r2", grace=3600, clock=clock_for(1))
    # moto stamps LastModified with the real time: a grace of one hour has not passed for any object.
    counts, _ = put_site(client, bucket, three, "r3", grace=3600, clock=lambda: datetime.now(timezone.utc))
    assert counts["deleted"] == 0
    keys = set(s3publish.list_remote(client, bucket, "board/"))
    old_photo = sorted((one / "assets" / "photos").glob("*-480.webp"))[0].name
    assert "board/assets/photos/" + old_photo in keys

    # A day later: what only r1 used goes (its photo, its manifest); r2's photo (previous) stays.
    later = lambda: datetime.now(timezone.utc) + timedelta(days=1)  # noqa: E731
    deleted = s3publish.collect_garbage(client, bucket, "board/", s3publish.read_state(client, bucket, "board/"),
                                        3600, later)
    keys = set(s3publish.list_remote(client, bucket, "board/"))
    assert deleted > 0
    assert "board/assets/photos/" + old_photo not in keys
    assert "board/.releases/r1.json" not in keys
    assert any(k.startswith("board/assets/photos/bbbb") for k in keys)
    assert any(k.startswith("board/assets/photos/cccc") for k in keys)
    assert missing_assets(client, bucket) == []
    assert s3publish.rollback(client, bucket, "board/", say=lambda s: None) == "r2"
    assert missing_assets(client, bucket) == []


# --------------------------------------------------------------------------- interrupted

class FailingClient:
    """The real client, except that the Nth write raises, like a network cut half-way."""

    def __init__(self, client, fail_after: int):
        self._client, self._left = client, fail_after

    def __getattr__(self, name):
        attr = getattr(self._client, name)
        if name not in ("put_object", "copy_object"):
            return attr

        def write(**kwargs):
            if self._left <= 0:
                raise ConnectionError("网络中断（测试注入）")
            self._left -= 1
            return attr(**kwargs)
        return write


@pytest.mark.build
def test_an_upload_cut_half_way_leaves_a_whole_site_and_the_next_run_finishes(s3, demo_site, tmp_path):
    client, bucket = s3
    put_site(client, bucket, demo_site, "r1")
    two = variant(demo_site, tmp_path / "two", "b")
    plan = s3publish.plan(two)
    with pytest.raises(ConnectionError):
        s3publish.upload(two, bucket, "board/", FailingClient(client, fail_after=8), release="r2",
                         say=lambda s: None)
    assert missing_assets(client, bucket) == []  # new photos went up before any page
    assert s3publish.read_state(client, bucket, "board/")["live"] == "r1"  # the pointer did not move
    assert "网络中断" in s3publish.describe_error(ConnectionError("网络中断"), "s3://x/board")

    counts, _ = put_site(client, bucket, two, "r2")
    assert 0 < counts["uploaded"] < len(plan)  # what the cut run had already uploaded is kept
    assert s3publish.read_state(client, bucket, "board/")["live"] == "r2"
    for entry in plan:
        assert remote_body(client, bucket, "board/" + entry.rel) == (two / entry.rel).read_bytes(), entry.rel
    assert missing_assets(client, bucket) == []


@pytest.mark.parametrize("target, expected", [
    ("s3://board-site/xiajiaqiao", ("board-site", "xiajiaqiao/")),
    ("s3://board-site", ("board-site", "")),
    ("s3://board-site/a/b/", ("board-site", "a/b/")),
])
def test_parse_target(target, expected):
    assert s3publish.parse_target(target) == expected


def test_a_bad_bucket_name_is_a_chinese_message():
    with pytest.raises(s3publish.S3PublishError, match="存储桶名"):
        s3publish.parse_target("s3://Bad_Bucket/x")


# --------------------------------------------------------------------------- publish.py end to end

@pytest.mark.build
def test_publish_py_to_s3_builds_checks_and_uploads(endpoint, tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("BOARD_CONTENT", "BOARD_AS_OF", "SOURCE_DATE_EPOCH")}
    env.update(FAKE_KEYS, BOARD_S3_ENDPOINT=endpoint, BOARD_S3_ADDRESSING="path",
               BOARD_PUBLISH_STATUS=str(tmp_path / "status.json"), BOARD_CACHE=str(tmp_path / "cache"))
    client = s3publish.client_from_env(env)
    client.create_bucket(Bucket="board-e2e")
    command = [sys.executable, str(ROOT / "scripts" / "publish.py"), "--to", "s3://board-e2e/site",
               "--as-of", DEMO_AS_OF, "--scheduled"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert "上传完成" in done.stdout
    assert client.head_object(Bucket="board-e2e", Key="site/index.html")["ContentType"] == "text/html; charset=utf-8"
    assert s3publish.read_state(client, "board-e2e", "site/")["live"]
    assert '"ok": true' in (tmp_path / "status.json").read_text("utf-8")

    # Credentials missing: a Chinese message, no traceback, and check.py would say so.
    no_keys = {k: v for k, v in env.items() if not k.startswith("AWS_")}
    no_keys.update(AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
    failed = subprocess.run([*command, "--rollback"], env=no_keys, capture_output=True, text=True, timeout=120)
    assert failed.returncode == 1
    assert "访问密钥" in failed.stderr and "Traceback" not in failed.stderr


@pytest.mark.build
def test_a_changed_header_rule_is_uploaded_again(s3, demo_site, monkeypatch):
    client, bucket = s3
    put_site(client, bucket, demo_site, "r1")
    monkeypatch.setitem(s3publish._TYPES, ".txt", "text/plain; charset=gb18030")  # say, a new rule
    counts, _ = put_site(client, bucket, demo_site, "r2")
    txts = list(demo_site.rglob("*.txt"))
    assert counts["uploaded"] == len(txts) > 0
    head = client.head_object(Bucket=bucket, Key="board/" + txts[0].relative_to(demo_site).as_posix())
    assert head["ContentType"] == "text/plain; charset=gb18030"
