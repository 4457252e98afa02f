#!/usr/bin/env python3
"""下载并核对网页编辑器（Decap CMS）：.venv/bin/python scripts/fetch_cms.py

The editor's JavaScript comes from the npm registry at the version pinned in
editor/package-lock.json and is served from our own host (edit_server.py). This fetches that one
tarball with Python (no Node.js on the office PC), refuses it unless its sha512 equals the lock's
`integrity` (npm's SRI string), and unpacks only the browser bundle of dist/ (no source maps)
into editor/vendor/<name>-<version>/. Once there, nothing is fetched again: edit.sh and the
tests work offline. Exit 0 when the bundle is in place, 1 otherwise (with a Chinese reason).
"""
from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import sys
import tarfile
import tempfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from _cli import ArgumentParser

ROOT = Path(__file__).resolve().parent.parent
LOCK = ROOT / "editor" / "package-lock.json"
PACKAGE = "decap-cms"
NPM_REGISTRY = "https://registry.npmjs.org/"
STAMP = ".integrity"  # the integrity the unpacked files were checked against
# What the browser loads of the tarball: the bundle, the chunks it loads lazily from the same
# folder, its WebAssembly and the licence texts. Source maps (50 MB) and the second copy of the
# bundle (cms.js) stay out.
_WANTED = re.compile(r"package/(?:LICENSE|dist/(?:decap-cms\.js|\d+\.decap-cms\.js|[0-9a-f]+\.wasm|decap-cms\.js\.LICENSE\.txt))")


@dataclass(frozen=True)
class Pin:
    name: str
    version: str
    url: str
    integrity: str


def pinned(lock: Path = LOCK, name: str = PACKAGE) -> Pin:
    entry = json.loads(lock.read_text(encoding="utf-8"))["packages"][f"node_modules/{name}"]
    return Pin(name, entry["version"], entry["resolved"], entry["integrity"])


def vendor_dir(root: Path = ROOT, pin: Pin | None = None) -> Path:
    pin = pin or pinned(root / "editor" / "package-lock.json")
    return root / "editor" / "vendor" / f"{pin.name}-{pin.version}"


def ready(folder: Path, pin: Pin) -> bool:
    stamp = folder / STAMP
    return stamp.is_file() and stamp.read_text(encoding="ascii").strip() == pin.integrity \
        and (folder / "decap-cms.js").is_file()


def matches(data: bytes, integrity: str) -> bool:
    """npm's Subresource Integrity string ("sha512-<base64>") against the bytes."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in ("sha512", "sha384", "sha256"):
        return False  # sha1 (old locks) is not trusted
    return base64.b64encode(hashlib.new(algorithm, data).digest()).decode("ascii") == expected


def registry_url(pin: Pin, registry: str | None) -> str:
    """The lock's URL, on a mirror when one is given (npmmirror.com keeps npm's paths)."""
    if not registry:
        return pin.url
    return registry.rstrip("/") + "/" + pin.url.removeprefix(NPM_REGISTRY)


def unpack(data: bytes, dest: Path, pin: Pin) -> None:
    """The wanted members, as regular files straight in dest (written beside it, then renamed:
    a half-unpacked folder is never taken for a good one)."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".unpack-", dir=dest.parent))
    try:
        with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
            for member in tar.getmembers():
                if member.isfile() and _WANTED.fullmatch(member.name):
                    (work / Path(member.name).name).write_bytes(tar.extractfile(member).read())
        (work / STAMP).write_text(pin.integrity + "\n", encoding="ascii")
        if dest.exists():
            shutil.rmtree(dest)
        work.rename(dest)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def ensure(root: Path = ROOT, registry: str | None = None, tarball: Path | None = None) -> Path:
    """The folder with the checked bundle, fetching it first when it is missing or stale.
    Raises SystemExit with a Chinese reason when it cannot be had."""
    pin = pinned(root / "editor" / "package-lock.json")
    dest = vendor_dir(root, pin)
    if ready(dest, pin):
        return dest
    if tarball is not None:
        data = tarball.read_bytes()
        source = str(tarball)
    else:
        source = registry_url(pin, registry)
        print(f"正在下载网页编辑器 {pin.name} {pin.version}（约 16 MB）：{source}", flush=True)
        try:
            with urllib.request.urlopen(source, timeout=120) as answer:
                data = answer.read()
        except OSError as exc:
            raise SystemExit(f"没能下载网页编辑器（{exc}）。请检查网络；在国内可以用镜像，例如：\n"
                             f"    BOARD_NPM_REGISTRY=https://registry.npmmirror.com/ bash scripts/edit.sh") from None
    if not matches(data, pin.integrity):
        raise SystemExit(f"下载的网页编辑器（{source}）与 editor/package-lock.json 记录的校验值不符，"
                         f"没有使用它。可能是下载不完整或被篡改：请换个网络或镜像后重试。")
    unpack(data, dest, pin)
    return dest


def main(argv=None) -> int:
    parser = ArgumentParser(description="按 editor/package-lock.json 下载网页编辑器（Decap CMS），核对校验值，解压到 editor/vendor/。已经下好就什么也不做。")
    parser.add_argument("--registry", metavar="网址", default=os.environ.get("BOARD_NPM_REGISTRY"),
                        help="npm 镜像地址，例如 https://registry.npmmirror.com/（默认用环境变量 BOARD_NPM_REGISTRY，没有就用 npm 官方源）")
    parser.add_argument("--tarball", metavar="文件", type=Path, help="用已经下载好的 .tgz 文件，不联网")
    args = parser.parse_args(argv)
    try:
        folder = ensure(ROOT, args.registry, args.tarball)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"网页编辑器已就绪：{folder.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
