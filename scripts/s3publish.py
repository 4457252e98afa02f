"""Upload a built, checked site to S3-compatible object storage (Aliyun OSS, Tencent COS,
Huawei OBS, MinIO…), with no moment at which a visitor gets a page whose assets are missing.

boto3 rather than rclone: it is a hash-locked registry package like every other dependency
(no binary to download and trust), and the tests drive it in-process against moto's server.

Layout under s3://BUCKET/PREFIX:

    <site files>                  what the CDN serves (index.html, assets/…, feed.xml…)
    .releases/<id>.json           one manifest per release: every key with its hashes and headers
    .releases/blobs/<sha256>      a copy of each version of a file whose name has no hash
                                  (pages, feed, board.css…), so --rollback can put it back
    .releases/state.json          the pointer: live and previous release, and the history

An upload goes in stages: content-hashed assets, photos and the blobs first; then pages;
then feed and sitemap; then the manifest and the pointer; then, only after a grace period,
the objects neither the live nor the previous release uses. An interrupted run leaves the old
assets in place (nothing was deleted yet) and the pointer unchanged; the next run compares
every object by its MD5 (the ETag of a single-part upload) and uploads only what differs.
Credentials come only from the environment or the SDK's own profile files.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Callable, Mapping

STATE = ".releases/state.json"
MANIFESTS = ".releases/"
BLOBS = ".releases/blobs/"
HISTORY = 10  # release ids kept in the pointer, for repeated rollbacks
WORKERS = 8  # uploads at a time (boto3 clients are thread-safe)

NO_CACHE = "no-cache"
IMMUTABLE = "public, max-age=31536000, immutable"
# Names that carry their content's hash: main.57a0d79d.min.css, photos/1bf7…-480.webp.
_HASHED = re.compile(r"(?:^|[.\-])[0-9a-f]{8,}(?=[.\-])")
_TYPES = {
    ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8", ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8", ".csv": "text/csv; charset=utf-8",
    ".xml": "application/xml; charset=utf-8", ".svg": "image/svg+xml; charset=utf-8",
    ".webp": "image/webp", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png",
    ".ico": "image/x-icon", ".pdf": "application/pdf", ".gz": "application/gzip",
    ".woff2": "font/woff2", ".webmanifest": "application/manifest+json; charset=utf-8",
}
_SPECIAL_TYPES = {"feed.xml": "application/atom+xml; charset=utf-8"}
LAST = ("feed.xml", "sitemap.xml", "sitemap.xml.gz")  # announce new pages only once they exist


class S3PublishError(Exception):
    """A reason, in Chinese, why the upload stopped (the site served stays whole)."""


@dataclass(frozen=True)
class Entry:
    rel: str  # path in the site, e.g. "activities/x/index.html"
    sha256: str
    md5: str
    content_type: str
    cache_control: str
    stage: int  # 0: hashed and other assets, 1: pages, 2: feed and sitemap

    @property
    def hashed(self) -> bool:
        return is_hashed(self.rel)


def is_hashed(rel: str) -> bool:
    """A file whose name carries its content hash: its bytes never change under that name, so
    it may be cached for a year, and publish.py carries it into the next release."""
    return rel.startswith("assets/") and bool(_HASHED.search(rel.rsplit("/", 1)[-1]))


def content_type(rel: str) -> str:
    name = rel.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return _SPECIAL_TYPES.get(rel) or _TYPES.get(suffix) or mimetypes.guess_type(name)[0] or "application/octet-stream"


def cache_control(rel: str) -> str:
    """A year for names that carry their hash; everything else is revalidated on each visit
    (a 304 costs little, and a stale page or feed would hide a new notice)."""
    return IMMUTABLE if is_hashed(rel) else NO_CACHE


def stage(rel: str) -> int:
    if rel in LAST:
        return 2
    return 1 if rel.endswith(".html") else 0


def plan(site: Path) -> list[Entry]:
    """Every file of the built site, in upload order (stage, then path)."""
    entries = []
    for path in sorted(site.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        rel = path.relative_to(site).as_posix()
        data = path.read_bytes()
        entries.append(Entry(rel, hashlib.sha256(data).hexdigest(), hashlib.md5(data).hexdigest(),
                             content_type(rel), cache_control(rel), stage(rel)))
    return sorted(entries, key=lambda e: (e.stage, e.rel))


def parse_target(target: str) -> tuple[str, str]:
    """s3://bucket/some/prefix -> ("bucket", "some/prefix/")."""
    rest = target[len("s3://"):] if target.startswith("s3://") else target
    bucket, _, prefix = rest.partition("/")
    if not re.fullmatch(r"[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9]", bucket):
        raise S3PublishError(f"对象存储地址 {target} 里的存储桶名「{bucket}」不对：应写成 s3://存储桶名/前缀，"
                             "存储桶名只用小写字母、数字和短横线。")
    prefix = prefix.strip("/")
    return bucket, (prefix + "/" if prefix else "")


def client_from_env(env: Mapping[str, str]):
    """An S3 client: endpoint from BOARD_S3_ENDPOINT, else the SDK's configuration; keys from
    the environment (AWS_ACCESS_KEY_ID…) or ~/.aws, never from this repository."""
    import boto3
    from botocore.config import Config

    config = Config(
        # Aliyun OSS and most mainland stores want virtual-hosted names; MinIO/moto want paths.
        s3={"addressing_style": env.get("BOARD_S3_ADDRESSING") or "auto"},
        retries={"max_attempts": 5, "mode": "standard"},
        # The newer default CRC checksums are refused by several S3-compatible stores.
        request_checksum_calculation="when_required", response_checksum_validation="when_required",
    )
    return boto3.client("s3", endpoint_url=env.get("BOARD_S3_ENDPOINT") or None,
                        region_name=env.get("BOARD_S3_REGION") or env.get("AWS_REGION") or None, config=config)


# --------------------------------------------------------------------------- remote state

def _etag(value: str) -> str:
    return value.strip('"').lower()


def list_remote(client, bucket: str, prefix: str) -> dict[str, tuple[str, datetime]]:
    """key -> (MD5 from the ETag, last modified), for every object under the prefix."""
    found = {}
    for page in client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            found[item["Key"]] = (_etag(item["ETag"]), item["LastModified"])
    return found


def _get_json(client, bucket: str, key: str):
    try:
        body = client.get_object(Bucket=bucket, Key=key)["Body"].read()
    except client.exceptions.NoSuchKey:
        return None
    return json.loads(body.decode("utf-8"))


def _put_json(client, bucket: str, key: str, value) -> None:
    client.put_object(Bucket=bucket, Key=key, Body=json.dumps(value, ensure_ascii=False).encode("utf-8"),
                      ContentType="application/json; charset=utf-8", CacheControl=NO_CACHE)


def read_state(client, bucket: str, prefix: str) -> dict:
    return _get_json(client, bucket, prefix + STATE) or {"live": None, "previous": None, "history": []}


def read_manifest(client, bucket: str, prefix: str, release: str | None) -> dict:
    if not release:
        return {}
    return _get_json(client, bucket, f"{prefix}{MANIFESTS}{release}.json") or {}


# --------------------------------------------------------------------------- upload

def _put(client, bucket: str, key: str, entry: Entry, body: bytes) -> None:
    client.put_object(Bucket=bucket, Key=key, Body=body, ContentType=entry.content_type,
                      CacheControl=entry.cache_control, Metadata={"sha256": entry.sha256})


def _copy(client, bucket: str, source: str, key: str, entry: Entry) -> None:
    """Server-side copy (no second upload) with the entry's own headers."""
    client.copy_object(Bucket=bucket, Key=key, CopySource={"Bucket": bucket, "Key": source},
                       MetadataDirective="REPLACE", ContentType=entry.content_type,
                       CacheControl=entry.cache_control, Metadata={"sha256": entry.sha256})


def _manifest_entry(entry: Entry) -> dict:
    return {"sha256": entry.sha256, "md5": entry.md5, "type": entry.content_type,
            "cache": entry.cache_control, "stage": entry.stage}


def upload(site: Path, bucket: str, prefix: str, client, *, release: str, grace_seconds: float = 24 * 3600,
           say: Callable[[str], None] = print, now: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> dict:
    """Upload `site` as release `release`; returns the counts {"uploaded", "kept", "deleted"}."""
    entries = plan(site)
    state = read_state(client, bucket, prefix)
    live_files = _files(read_manifest(client, bucket, prefix, state.get("live")))
    remote = list_remote(client, bucket, prefix)

    def unchanged(entry: Entry) -> bool:
        known = live_files.get(entry.rel) or {}
        same_headers = not known or (known.get("type"), known.get("cache")) == (entry.content_type, entry.cache_control)
        return remote.get(prefix + entry.rel, ("",))[0] == entry.md5 and same_headers

    def send(entry: Entry) -> None:
        key, body = prefix + entry.rel, (site / entry.rel).read_bytes()
        if entry.hashed:
            _put(client, bucket, key, entry, body)
            return
        # Kept for --rollback; then the live key is a server-side copy of it.
        blob = prefix + BLOBS + entry.sha256
        if remote.get(blob, ("",))[0] != entry.md5:
            _put(client, bucket, blob, entry, body)
        _copy(client, bucket, blob, key, entry)

    todo = [entry for entry in entries if not unchanged(entry)]
    kept = len(entries) - len(todo)
    for number in sorted({entry.stage for entry in todo}):
        # Several at a time within a stage, never across: no page goes up before every asset
        # has, and the feed not before every page.
        with ThreadPoolExecutor(max_workers=WORKERS) as pool:
            for future in [pool.submit(send, entry) for entry in todo if entry.stage == number]:
                future.result()
    uploaded = len(todo)
    # The upload is complete: only now does the pointer move.
    _put_json(client, bucket, f"{prefix}{MANIFESTS}{release}.json",
              {"release": release, "time": now().isoformat(), "files": {e.rel: _manifest_entry(e) for e in entries}})
    history = [r for r in state.get("history", []) if r != release] + [release]
    new_state = {"live": release, "previous": state.get("live") if state.get("live") != release else state.get("previous"),
                 "history": history[-HISTORY:]}
    _put_json(client, bucket, prefix + STATE, new_state)
    deleted = collect_garbage(client, bucket, prefix, new_state, grace_seconds, now)
    say(f"上传完成：上传 {uploaded} 个文件，{kept} 个没有变化未重传，删除 {deleted} 个旧文件；"
        f"现在上线的是 {release}。")
    return {"uploaded": uploaded, "kept": kept, "deleted": deleted}


def _files(manifest: Mapping) -> Mapping[str, Mapping]:
    return manifest.get("files", {}) if manifest else {}


def collect_garbage(client, bucket: str, prefix: str, state: Mapping, grace_seconds: float,
                    now: Callable[[], datetime]) -> int:
    """Delete what neither the live nor the previous release uses, once the grace period has
    passed: since the previous release went up (an object it does not use left use no later
    than that) and since the object was written (an interrupted run's leftovers)."""
    live = read_manifest(client, bucket, prefix, state.get("live"))
    previous = read_manifest(client, bucket, prefix, state.get("previous"))
    grace = timedelta(seconds=grace_seconds)
    if previous.get("time") and now() - datetime.fromisoformat(previous["time"]) < grace:
        return 0
    keep = {prefix + STATE}
    for manifest, release in ((live, state.get("live")), (previous, state.get("previous"))):
        if release:
            keep.add(f"{prefix}{MANIFESTS}{release}.json")
        for rel, info in _files(manifest).items():
            keep.add(prefix + rel)
            keep.add(prefix + BLOBS + info["sha256"])
    doomed = [key for key, (_, modified) in list_remote(client, bucket, prefix).items()
              if key not in keep and now() - modified >= grace]
    for start in range(0, len(doomed), 1000):
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in doomed[start:start + 1000]],
                                                     "Quiet": True})
    return len(doomed)


# --------------------------------------------------------------------------- rollback and list

def rollback(client, bucket: str, prefix: str, say: Callable[[str], None] = print) -> str:
    """Put the previous release's files back (assets first, pages, then feed), drop pages only
    the withdrawn release had, and move the pointer. Returns the release now live."""
    state = read_state(client, bucket, prefix)
    live, previous = state.get("live"), state.get("previous")
    if not live:
        raise S3PublishError("这个存储位置还没有发布过，无法退回。")
    if not previous:
        raise S3PublishError(f"当前版本 {live} 之前没有保留的版本，没有更早的可以退回。")
    old = _files(read_manifest(client, bucket, prefix, previous))
    if not old:
        raise S3PublishError(f"找不到上一个版本 {previous} 的清单（{prefix}{MANIFESTS}{previous}.json），无法退回。")
    withdrawn = _files(read_manifest(client, bucket, prefix, live))
    remote = list_remote(client, bucket, prefix)
    todo = []
    for rel, info in sorted(old.items(), key=lambda item: (item[1].get("stage", 1), item[0])):
        key = prefix + rel
        if remote.get(key, ("",))[0] == info["md5"]:
            continue
        source = key if is_hashed(rel) else prefix + BLOBS + info["sha256"]
        if remote.get(source, ("",))[0] != info["md5"]:
            # Checked before anything is copied: a rollback that cannot finish changes nothing.
            raise S3PublishError(f"上一个版本的文件 {rel} 已不在存储桶里（{source}），无法完整退回；网站没有改动。")
        todo.append((source, key, Entry(rel, info["sha256"], info["md5"], info["type"], info["cache"],
                                        info.get("stage", 1))))
    for source, key, entry in todo:
        _copy(client, bucket, source, key, entry)
    restored = len(todo)
    # Pages only the withdrawn release had (a record that was the reason to roll back, maybe).
    gone = [prefix + rel for rel in withdrawn if rel not in old and not is_hashed(rel)]
    for start in range(0, len(gone), 1000):
        client.delete_objects(Bucket=bucket, Delete={"Objects": [{"Key": k} for k in gone[start:start + 1000]],
                                                     "Quiet": True})
    history = [r for r in state.get("history", []) if r != live]
    before = history[history.index(previous) - 1] if previous in history and history.index(previous) > 0 else None
    _put_json(client, bucket, prefix + STATE, {"live": previous, "previous": before, "history": history})
    say(f"已退回：现在上线的是 {previous}（原来是 {live}；恢复 {restored} 个文件，删除 {len(gone)} 个）。")
    return previous


def list_releases(client, bucket: str, prefix: str, say: Callable[[str], None] = print) -> None:
    state = read_state(client, bucket, prefix)
    if not state.get("history"):
        say("这个存储位置还没有发布过。")
    for release in state.get("history", []):
        mark = "  ← 当前上线" if release == state.get("live") else ("  ← 上一个版本（可退回）" if release == state.get("previous") else "")
        say(("* " if release == state.get("live") else "  ") + release + mark)


# --------------------------------------------------------------------------- errors in Chinese

def describe_error(exc: Exception, where: str) -> str:
    """The SDK's exceptions as a sentence staff can act on; the live site is untouched by them."""
    from botocore import exceptions as bex

    after = "已上传的部分不影响正在服务的网站；问题解决后重新运行 publish.py 即可接着完成。"
    if isinstance(exc, S3PublishError):
        return str(exc)
    if isinstance(exc, (bex.NoCredentialsError, bex.PartialCredentialsError)):
        return ("找不到对象存储的访问密钥。请在运行 publish.py 的环境里设置 AWS_ACCESS_KEY_ID 和 "
                "AWS_SECRET_ACCESS_KEY（或写在 ~/.aws/credentials），不要写进本项目的文件。")
    if isinstance(exc, (bex.EndpointConnectionError, bex.ConnectTimeoutError, bex.ReadTimeoutError)):
        endpoint = os.environ.get("BOARD_S3_ENDPOINT") or "SDK 默认地址"
        return f"连接不上对象存储（{endpoint}）。请检查网络和环境变量 BOARD_S3_ENDPOINT。{after}"
    if isinstance(exc, bex.ClientError):
        code = exc.response.get("Error", {}).get("Code", "")
        hints = {
            "NoSuchBucket": f"存储桶不存在：请检查 {where} 里的存储桶名，或先在云控制台创建它。",
            "AccessDenied": f"没有权限写入 {where}：请在云控制台给这个访问密钥授予该存储桶的读写权限。",
            "InvalidAccessKeyId": "访问密钥 AWS_ACCESS_KEY_ID 不对或已停用：请到云控制台核对。",
            "SignatureDoesNotMatch": "访问密钥 AWS_SECRET_ACCESS_KEY 不对：请到云控制台核对。",
            "QuotaExceeded": f"存储空间已满（{where}）：请清理存储桶或扩容。",
        }
        return hints.get(code, f"对象存储拒绝了请求（{code or '未知错误'}）：{exc}。") + after
    if isinstance(exc, bex.BotoCoreError):
        return f"对象存储出错：{exc}。{after}"
    return f"上传到 {where} 时出错：{type(exc).__name__}：{exc}。{after}"
