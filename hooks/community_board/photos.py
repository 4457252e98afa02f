"""The photo step: staff's originals in content/ -> small, upright, metadata-free copies for phones.

For every photo a record references we publish resized copies (never upscaled) in WebP with a
JPEG fallback, turned upright by the EXIF orientation, converted to sRGB, with no embedded
metadata at all (no EXIF, GPS, XMP, ICC, comment), under content-hashed names. Originals never
reach site/.

Processed copies live in a cache outside site/, one directory per (photo content, settings):

    <cache>/manifest.json        source path -> [size, mtime_ns, sha256]: skip re-hashing
    <cache>/last-settings.txt    settings key of the last run, so `prune` keeps its entries
    <cache>/entries/<id>/        meta.json + <id>-<width>.webp / .jpg, renamed in whole
    <cache>/tmp/                 half-written entries; a killed build leaves only these

A warm build reads the manifest, stats each original and reads each meta.json: no image is
decoded and no original is hashed. Cold work runs in a process pool (one photo per task).
Bad photos become `Problem`s naming the record, the field and the file; nothing raises for bad
input. No MkDocs import here: the hooks call `process_photos`, `publish_photos`, `picture_html`.
"""
from __future__ import annotations

import functools
import hashlib
import html
import json
import os
import re
import shutil
import sys
import tempfile
import time
import uuid
import warnings
from concurrent.futures import as_completed
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path, PurePosixPath
from typing import Iterable

from PIL import Image, ImageCms, ImageFile, features

from .errors import Problems, nearest
from .workers import process_pool, worker_count

# Bump when the pipeline's output changes for the same input and settings: it is part of the
# cache key, so old entries are simply not found (and later pruned).
PIPELINE_VERSION = "1"

# A layout hint for a photo in the content column of Material's page (max ~ 40em of text).
DEFAULT_SIZES = "(min-width: 45em) 40em, 100vw"

# Draw a progress line only when there is enough cold work for the wait to be noticed.
PROGRESS_MIN_PHOTOS = 8

# Only these decoders are ever tried (JPEG covers MPO): a .jpg never reaches EPS (Ghostscript) or
# another exotic plugin.
_FORMATS = ("JPEG", "PNG", "WEBP", "GIF", "TIFF", "BMP", "AVIF")
# Formats in which more than one frame means an animation (MPO's second frame is a depth
# map or a preview, HEIC's extra images are bursts: we use the primary image of those).
_ANIMATED_FORMATS = {"GIF", "PNG", "WEBP", "AVIF", "TIFF"}
# ISO-BMFF brands of HEIF/HEIC files, to tell "HEIC without a decoder" from "not an image".
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1")
_ORIENTATION_TAG = 0x0112
# What a staff member may drop into content/photos/ (matched case-insensitively).
PHOTO_SUFFIXES = (".jpg", ".jpeg", ".png", ".webp", ".gif", ".heic", ".heif", ".avif", ".tif",
                  ".tiff", ".bmp")


@dataclass(frozen=True)
class PhotoSettings:
    widths: tuple[int, ...] = (480, 960, 1600)
    webp_quality: int = 72
    jpeg_quality: int = 78
    # libwebp's effort, 0..6. Encoding is most of the cold cost (decoding 12 MP with draft is
    # ~50 ms); measured on 12 MP photos, 2 instead of Pillow's default 4 halves the encoding
    # time (1600 px: 58 against 130 ms) for ~10% more bytes at the same quality.
    webp_method: int = 2
    max_pixels: int = 60_000_000  # refuse above (a phone takes 12 MP; 48 MP modes exist)
    url_dir: str = "assets/photos"

    def __post_init__(self) -> None:
        widths = tuple(sorted({int(w) for w in self.widths}))
        if not widths or widths[0] < 16:
            raise ValueError(f"photo widths must be >= 16 pixels: {self.widths!r}")
        for q in (self.webp_quality, self.jpeg_quality):
            if not 1 <= q <= 100:
                raise ValueError(f"photo quality must be within 1..100: {q}")
        if not 0 <= self.webp_method <= 6:
            raise ValueError(f"webp_method must be within 0..6: {self.webp_method}")
        object.__setattr__(self, "widths", widths)
        object.__setattr__(self, "url_dir", self.url_dir.strip("/"))

    def key(self) -> str:
        """Short hash of everything that changes the bytes of a processed copy."""
        return _settings_key(self.widths, self.webp_quality, self.jpeg_quality, self.webp_method,
                             self.max_pixels, Image.MAX_IMAGE_PIXELS)


@dataclass(frozen=True)
class PhotoRequest:
    source: str  # relative to content/, e.g. "photos/2026/0305-1.jpg"
    record: str  # the record's file, for error messages
    field: str   # e.g. "photos[0].file"


@dataclass(frozen=True)
class Variant:
    width: int
    height: int
    fmt: str  # "webp" | "jpeg"
    url: str  # site-relative, e.g. "assets/photos/3fa2c9d1e0b4a7c2-960.webp"


@dataclass(frozen=True)
class PhotoSet:
    source: str
    width: int   # of the largest copy: what width/height attributes and aspect ratio use
    height: int
    variants: tuple[Variant, ...]
    id: str = ""  # cache entry and file-name stem: hash of the original's content + settings

    def of(self, fmt: str) -> list[Variant]:
        return sorted((v for v in self.variants if v.fmt == fmt), key=lambda v: v.width)

    def srcset(self, fmt: str, base: str = "") -> str:
        return ", ".join(f"{base}{v.url} {v.width}w" for v in self.of(fmt))

    def fallback(self) -> Variant:
        """The middle JPEG: what a browser without srcset shows."""
        jpegs = self.of("jpeg")
        return jpegs[len(jpegs) // 2]

    def largest(self, fmt: str) -> Variant:
        return self.of(fmt)[-1]


# --------------------------------------------------------------------------- the build step


def process_photos(
    requests: Iterable[PhotoRequest],
    content_dir: Path,
    cache_dir: Path,
    settings: PhotoSettings,
    problems: Problems,
    jobs: int | None = None,
    progress: bool | None = None,
) -> dict[str, PhotoSet]:
    """Processed copies for every requested photo, keyed by source; bad ones become Problems.

    `progress`: None draws a progress line only when stderr is a terminal.
    """
    content_dir, cache_dir = Path(content_dir), Path(cache_dir)
    skey = settings.key()
    manifest = _Manifest.load(cache_dir)
    by_source, found = _located(requests, content_dir, manifest, skey, problems)
    manifest.save()
    if last_settings_key(cache_dir) != skey:
        _write_text_atomic(cache_dir / "last-settings.txt", skey + "\n")

    metas: dict[str, dict] = {}
    todo: dict[str, _Job] = {}
    for source, (eid, path) in found.items():
        if eid in metas or eid in todo:
            continue  # the same content under two names: processed once
        meta = _read_meta(cache_dir, eid)
        if meta is not None:
            metas[eid] = meta
        else:
            todo[eid] = _Job(str(path), eid, settings, str(cache_dir))

    if todo:
        # Biggest files first, so no large photo is left running alone at the end.
        ordered = sorted(todo.values(), key=lambda j: (-os.path.getsize(j.path), j.path))
        metas.update(_run_jobs(ordered, jobs, progress))

    result: dict[str, PhotoSet] = {}
    for source, (eid, _) in found.items():
        meta = metas[eid]
        if meta["ok"]:
            result[source] = _photoset(source, eid, meta, settings)
        else:
            _report(problems, by_source[source], *_message(meta["error"], source, meta["args"]))
    return result


def verify_photos(requests: Iterable[PhotoRequest], content_dir: Path, cache_dir: Path,
                  settings: PhotoSettings, problems: Problems, jobs: int | None = None) -> None:
    """The checks of `process_photos` (found, a file, an image, not too large, decodable),
    each refusal in the same words, without encoding or writing anything: what check.py
    says of every photo, and the build of photos of records not published yet. A photo the
    cache already knows is not decoded again."""
    content_dir, cache_dir = Path(content_dir), Path(cache_dir)
    manifest = _Manifest.load(cache_dir)  # read only: nothing is saved
    by_source, found = _located(requests, content_dir, manifest, settings.key(), problems)
    refusals: dict[str, tuple[str, dict] | None] = {}
    todo: dict[str, Path] = {}
    for source, (eid, path) in found.items():
        meta = _read_meta(cache_dir, eid)
        if meta is None:
            todo[source] = path
        else:
            refusals[source] = None if meta["ok"] else (meta["error"], meta["args"])
    workers = min(jobs or worker_count(), len(todo))
    # Decoding is the cost: spread it when there is enough to pay for starting the pool.
    if workers > 1 and len(todo) >= 4 * PROGRESS_MIN_PHOTOS:
        with process_pool(workers) as pool:
            refusals.update(zip(todo, pool.map(verify_photo, todo.values(), [settings] * len(todo))))
    else:
        refusals.update((source, verify_photo(path, settings)) for source, path in todo.items())
    for source, refusal in sorted(refusals.items()):
        if refusal is not None:
            _report(problems, by_source[source], *_message(refusal[0], source, refusal[1]))


def _located(requests: Iterable[PhotoRequest], content_dir: Path, manifest: "_Manifest", skey: str,
             problems: Problems) -> tuple[dict[str, list[PhotoRequest]], dict[str, tuple[str, Path]]]:
    """(the requests by source, source -> (cache entry id, path of the original)) for every
    photo found and readable; each one that is not is reported on every record that uses it."""
    by_source: dict[str, list[PhotoRequest]] = {}
    for req in requests:
        by_source.setdefault(req.source, []).append(req)
    found: dict[str, tuple[str, Path]] = {}
    for source in sorted(by_source):
        path, error = _resolve(content_dir, source)
        if error:
            _report(problems, by_source[source], *error)
            continue
        sha = manifest.sha(source, path)
        if sha is None:
            _report(problems, by_source[source], *_message("unreadable", source, {}))
            continue
        found[source] = (_entry_id(sha, skey), path)
    return by_source, found


def verify_photo(path: Path, settings: PhotoSettings) -> tuple[str, dict] | None:
    """(refusal kind, its arguments) for a photo the build would refuse, else None: the
    build's own decoding and checks, minus the encoding."""
    try:
        _decode_and_resize(Path(path), settings)
    except _Refused as r:
        return r.kind, r.args_
    except MemoryError:
        return "internal", {"error": "内存不足"}
    except Exception as exc:  # a bug or a machine error: named, never a traceback
        return "internal", {"error": f"{type(exc).__name__}: {exc}"}
    return None


def publish_photos(photosets: Iterable[PhotoSet], cache_dir: Path, site_dir: Path) -> list[str]:
    """Hard-link (else copy) each processed copy into site_dir; returns their site paths.

    A file already there with the same name and size is left alone: names are content hashes.
    Hard links make a warm build cost no copying; nothing may rewrite these files in place
    (a post-processing plugin would change the cache too): replace them, as os.replace does.
    """
    cache_dir, site_dir = Path(cache_dir), Path(site_dir)
    placed: list[str] = []
    made_dirs: set[Path] = set()
    for ps in photosets:
        for v in ps.variants:
            name = PurePosixPath(v.url).name
            src = variant_path(cache_dir, ps, v)
            dst = site_dir / v.url
            if dst.parent not in made_dirs:
                dst.parent.mkdir(parents=True, exist_ok=True)
                made_dirs.add(dst.parent)
            try:
                size = src.stat().st_size
            except FileNotFoundError:
                raise FileNotFoundError(
                    f"照片缓存文件不见了：{src}（可能被同时运行的清理命令删除），请重新构建。") from None
            try:
                if dst.stat().st_size == size:
                    placed.append(v.url)
                    continue
            except FileNotFoundError:
                pass
            tmp = dst.with_name(f".{name}.{uuid.uuid4().hex}")
            try:
                os.link(src, tmp)
            except OSError:  # another file system, or links not allowed
                shutil.copyfile(src, tmp)
            os.replace(tmp, dst)
            placed.append(v.url)
    return sorted(set(placed))


def picture_html(photo: PhotoSet, alt: str, *, lazy: bool, sizes: str = DEFAULT_SIZES,
                 base: str = "") -> str:
    """<a href=large><picture><source webp><img jpeg></picture></a>, sized to avoid layout shift.

    The link opens the largest JPEG: every browser shows a JPEG opened on its own.
    """
    esc = functools.partial(html.escape, quote=True)
    fb = photo.fallback()
    big = photo.largest("jpeg")
    loading = 'loading="lazy"' if lazy else 'loading="eager" fetchpriority="high"'
    return (
        f'<a class="cb-photo" href="{esc(base + big.url)}">'
        f'<picture>'
        f'<source type="image/webp" srcset="{esc(photo.srcset("webp", base))}" sizes="{esc(sizes)}">'
        f'<img src="{esc(base + fb.url)}" srcset="{esc(photo.srcset("jpeg", base))}" '
        f'sizes="{esc(sizes)}" width="{fb.width}" height="{fb.height}" alt="{esc(alt)}" '
        f'{loading} decoding="async">'
        f'</picture></a>'
    )


def variant_path(cache_dir: Path, photo: PhotoSet, variant: Variant) -> Path:
    """Where a processed copy lies in the cache (e.g. for drawing share images from it)."""
    return Path(cache_dir) / "entries" / photo.id / PurePosixPath(variant.url).name


def prune_cache(cache_dir: Path, keep: Iterable[str]) -> int:
    """Delete cache entries whose id is not in `keep`, and leftovers of killed builds.

    Returns how many entries were removed.
    """
    cache_dir = Path(cache_dir)
    keep = set(keep)
    removed = 0
    entries = cache_dir / "entries"
    if entries.is_dir():
        for entry in entries.iterdir():
            if entry.name not in keep:
                shutil.rmtree(entry, ignore_errors=True)
                removed += 1
    tmp = cache_dir / "tmp"
    if tmp.is_dir():
        stale = time.time() - 3600  # younger ones may belong to a build running right now
        for leftover in tmp.iterdir():
            try:
                if leftover.stat().st_mtime < stale:
                    shutil.rmtree(leftover, ignore_errors=True)
            except FileNotFoundError:
                pass
    return removed


def entry_ids(sources: Iterable[str], content_dir: Path, cache_dir: Path,
              settings_keys: Iterable[str]) -> set[str]:
    """Cache ids of these originals (paths relative to content/) under each settings key.

    For `prune`: uses and updates the manifest, so unchanged files are not hashed again.
    """
    cache_dir = Path(cache_dir)
    manifest = _Manifest.load(cache_dir)
    keys = list(settings_keys)
    ids: set[str] = set()
    for source in sources:
        path, error = _resolve(Path(content_dir), source)
        sha = None if error else manifest.sha(source, path)
        if sha:
            ids.update(_entry_id(sha, k) for k in keys)
    manifest.save()
    return ids


def looks_like_photo(path: str) -> bool:
    return path.lower().endswith(PHOTO_SUFFIXES)


def last_settings_key(cache_dir: Path) -> str | None:
    try:
        return (Path(cache_dir) / "last-settings.txt").read_text("utf-8").strip() or None
    except OSError:
        return None


# --------------------------------------------------------------------------- messages


def _message(kind: str, source: str, args: dict) -> tuple[str, str]:
    """(message, hint) in Chinese for staff; every message names the photo file."""
    f = f"content/{source}"
    mp = lambda n: f"{n / 1_000_000:.0f}"  # noqa: E731
    table = {
        "outside": (f"照片路径「{source}」不在 content/ 文件夹里",
                    "照片路径要相对于 content/ 来写，例如 photos/2026/0305-1.jpg，不能以 / 开头，也不能含“..”。"),
        "missing": (f"找不到照片文件 {f}", args.get("hint", "检查文件名、扩展名和大小写是否与文件夹里的文件完全一致。")),
        "unreadable": (f"照片文件 {f} 无法读取", "检查文件是否存在、是否有读取权限。"),
        "not_image": (f"照片文件 {f} 不是图片" + ("（里面是文字）" if args.get("text") else "（无法识别为 JPG、PNG、WebP、GIF 或 HEIC）"),
                      "可能是把别的文件改了扩展名。请放入手机或相机拍摄的原始照片（JPG 或 HEIC）。"),
        "corrupt": (f"照片文件 {f} 不完整或已损坏，无法读取",
                    "可能是复制或传输中断。请从手机或相机重新导出这张照片，再放入 content/photos/。"),
        "cmyk": (f"照片 {f} 是印刷用的 CMYK 颜色，网页上会颜色失真",
                 "请用修图软件把它转成 RGB 颜色后另存为 JPG（例如 Photoshop：图像 → 模式 → RGB 颜色），或用原始照片代替海报设计稿。"),
        "sixteen_bit": (f"照片 {f} 是 16 位 PNG（扫描仪或专业修图软件导出的格式），网页不支持",
                        "请用修图软件把它另存为普通 JPG（8 位）后再放入。"),
        "mode": (f"照片 {f} 的颜色格式（{args.get('mode', '')}）网页不支持",
                 "请把它另存为普通 RGB 颜色的 JPG 后再放入。"),
        "too_large": (f"照片 {f} 太大：约 {mp(args['pixels'])} 百万像素，超过上限 {mp(args['limit'])} 百万像素" if args.get("pixels")
                      else f"照片 {f} 太大，超过上限 {mp(args.get('limit', 0))} 百万像素",
                      "手机照片一般在 1200 万像素左右。请把它缩小（例如长边 4000 像素）后再放入。"),
        "animated": (f"照片 {f} 是动图（{args.get('frames', '多')} 帧），这里只接受静态照片",
                     "请截取其中一帧另存为 JPG；视频请另行发布。"),
        "heic_unsupported": (f"照片 {f} 是 iPhone 的 HEIC 格式，本机缺少读取它的组件（pillow-heif）",
                             "请运行 bash scripts/serve.sh 装好项目的软件包（其中有 pillow-heif），或把照片转成 JPG：在 iPhone 上打开「设置 → 相机 → 格式」选「兼容性最佳」，或用微信/邮件发送原图时选择 JPG。"),
        "internal": (f"处理照片 {f} 时出错：{args.get('error', '')}",
                     "请把这条信息发给网站维护人员；其他照片不受影响。"),
    }
    return table.get(kind, table["internal"])


def _report(problems: Problems, requests: list[PhotoRequest], message: str, hint: str) -> None:
    for req in requests:
        problems.add(req.record, None, req.field, message, hint)


# --------------------------------------------------------------------------- cache plumbing


@functools.lru_cache(maxsize=None)  # pure: the settings and the installed encoders' versions
def _settings_key(widths, webp_q, jpeg_q, webp_method, max_pixels, pillow_max_pixels) -> str:
    try:
        import pillow_heif
        heif = pillow_heif.__version__
    except ImportError:  # without it HEIC photos are refused: a different outcome
        heif = "none"
    parts = {
        "pipeline": PIPELINE_VERSION, "widths": widths, "webp_quality": webp_q,
        "jpeg_quality": jpeg_q, "webp_method": webp_method, "max_pixels": max_pixels,
        "pillow_max_pixels": pillow_max_pixels,  # decides which photos are refused
        # Encoders decide the bytes: a new libwebp or libjpeg gives new files, new names.
        "pillow": Image.__version__, "webp": features.version("webp"),
        "jpeg": features.version("jpg"), "lcms": features.version("littlecms2"), "heif": heif,
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()[:10]


def _entry_id(sha: str, settings_key: str) -> str:
    return hashlib.sha256(f"{sha}:{settings_key}".encode()).hexdigest()[:16]


def _resolve(content_dir: Path, source: str) -> tuple[Path, tuple[str, str] | None]:
    pure = PurePosixPath(source)
    if not source or "\\" in source or pure.is_absolute() or ".." in pure.parts:
        return Path(), _message("outside", source, {})
    path = content_dir / pure
    from .attachments import unsafe
    why = unsafe(content_dir, path)
    if why is not None:
        return path, (f"照片 content/{source} {why[0]}", why[1])
    if path.is_file():
        return path, None
    hint = {}
    if path.parent.is_dir():
        guess = nearest(path.name, (p.name for p in path.parent.iterdir() if p.is_file()))
        if guess:
            hint = {"hint": f"是不是想写「{(pure.parent / guess).as_posix()}」？检查文件名和大小写。"}
    return path, _message("missing", source, hint)


class _Manifest:
    """source -> (size, mtime_ns, sha256): unchanged originals are never hashed again."""

    def __init__(self, path: Path, rows: dict[str, list]):
        self.path, self.rows, self.changed = path, rows, False

    @classmethod
    def load(cls, cache_dir: Path) -> "_Manifest":
        path = cache_dir / "manifest.json"
        try:
            data = json.loads(path.read_text("utf-8"))
            rows = data["files"] if data.get("version") == 1 else {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            rows = {}  # no or broken manifest: costs one hash per photo, nothing else
        return cls(path, rows)

    def sha(self, key: str, path: Path) -> str | None:
        try:
            st = path.stat()
        except OSError:
            return None
        row = self.rows.get(key)
        if isinstance(row, list) and len(row) == 3 and row[:2] == [st.st_size, st.st_mtime_ns]:
            return row[2]
        try:
            sha = _hash_file(path)
        except OSError:
            return None
        self.rows[key] = [st.st_size, st.st_mtime_ns, sha]
        self.changed = True
        return sha

    def save(self) -> None:
        if self.changed:
            payload = json.dumps({"version": 1, "files": self.rows}, ensure_ascii=False, sort_keys=True)
            _write_text_atomic(self.path, payload)
            self.changed = False


def _hash_file(path: Path) -> str:
    with open(path, "rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_meta(cache_dir: Path, eid: str) -> dict | None:
    try:
        meta = json.loads((cache_dir / "entries" / eid / "meta.json").read_bytes())
    except (OSError, ValueError):
        return None
    return meta if isinstance(meta, dict) and "ok" in meta else None


def _photoset(source: str, eid: str, meta: dict, settings: PhotoSettings) -> PhotoSet:
    variants = tuple(Variant(w, h, fmt, f"{settings.url_dir}/{name}")
                     for w, h, fmt, name in meta["variants"])
    return PhotoSet(source, meta["width"], meta["height"], variants, eid)


# --------------------------------------------------------------------------- cold work


@dataclass(frozen=True)
class _Job:
    path: str
    eid: str
    settings: PhotoSettings
    cache_dir: str


def _run_jobs(jobs_list: list[_Job], jobs: int | None, progress: bool | None) -> dict[str, dict]:
    workers = min(jobs or worker_count(), len(jobs_list))
    show = (sys.stderr.isatty() if progress is None else progress) and len(jobs_list) >= PROGRESS_MIN_PHOTOS
    line = _Progress(len(jobs_list)) if show else None
    out: dict[str, dict] = {}
    if workers <= 1:
        for job in jobs_list:
            out[job.eid] = _render_safely(job)
            line and line.step()
    else:
        with process_pool(workers) as pool:
            futures = {pool.submit(_render_safely, job): job for job in jobs_list}
            for fut in as_completed(futures):
                job = futures[fut]
                try:
                    out[job.eid] = fut.result()
                except Exception as exc:  # a worker died (out of memory, killed): name the photo
                    out[job.eid] = {"ok": False, "error": "internal", "args": {"error": repr(exc)}}
                line and line.step()
    line and line.done()
    return out


class _Progress:
    def __init__(self, total: int):
        self.total, self.n, self.start = total, 0, time.monotonic()
        self._draw()

    def step(self) -> None:
        self.n += 1
        self._draw()

    def _draw(self) -> None:
        sys.stderr.write(f"\r处理照片 {self.n}/{self.total}")
        sys.stderr.flush()

    def done(self) -> None:
        sys.stderr.write(f"，用时 {time.monotonic() - self.start:.1f} 秒\n")
        sys.stderr.flush()


class _Refused(Exception):
    def __init__(self, kind: str, **args):
        super().__init__(kind)
        self.kind, self.args_ = kind, args


def _render_safely(job: _Job) -> dict:
    """Process one original into its cache entry; returns the entry's meta (or its refusal).

    Refusals that depend only on the file's content are cached too, so a warm build does not
    decode a bad photo again; errors of the machine (disk full, out of memory) are not.
    """
    try:
        meta = _render(job)
    except _Refused as r:
        meta = {"ok": False, "error": r.kind, "args": r.args_}
    except MemoryError:
        return {"ok": False, "error": "internal", "args": {"error": "内存不足"}}
    except Exception as exc:  # the cache could not be written, or a bug: never a traceback
        return {"ok": False, "error": "internal", "args": {"error": f"{type(exc).__name__}: {exc}"}}
    try:
        _store_entry(Path(job.cache_dir), job.eid, meta, {})
    except OSError:
        pass  # not cached: the next build looks at the photo again
    return meta


def _render(job: _Job) -> dict:
    s = job.settings
    images = _decode_and_resize(Path(job.path), s)  # [(width, height, image)]
    files: dict[str, bytes] = {}
    variants = []
    for w, h, im in sorted(images, key=lambda t: t[0]):
        for fmt, ext in (("webp", "webp"), ("jpeg", "jpg")):
            name = f"{job.eid}-{w}.{ext}"
            files[name] = _encode(im, fmt, s)
            variants.append([w, h, fmt, name])
    top_w, top_h, _ = max(images, key=lambda t: t[0])
    meta = {"ok": True, "width": top_w, "height": top_h, "variants": variants}
    _store_entry(Path(job.cache_dir), job.eid, meta, files)
    return meta


def _store_entry(cache_dir: Path, eid: str, meta: dict, files: dict[str, bytes]) -> None:
    """Write the entry into tmp/ and rename it into entries/ in one step."""
    final = cache_dir / "entries" / eid
    if final.exists():
        return  # another process won the race with the same bytes
    tmp_root = cache_dir / "tmp"
    tmp_root.mkdir(parents=True, exist_ok=True)
    (cache_dir / "entries").mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=tmp_root, prefix=f"{eid}."))
    try:
        for name, data in files.items():
            (tmp / name).write_bytes(data)
        (tmp / "meta.json").write_text(json.dumps(meta, sort_keys=True), "utf-8")
        try:
            os.rename(tmp, final)
        except OSError:
            if not final.exists():
                raise
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _decode_and_resize(path: Path, s: PhotoSettings):
    """Open, check, decode at reduced size, make RGB sRGB, turn upright; one image per width."""
    formats = _FORMATS + (("HEIF",) if _heif_registered() else ())
    # Our own file handle: the decoded image then needs no copy to outlive the file.
    with open(path, "rb") as fh:
        try:
            with warnings.catch_warnings():
                # Pillow warns above Image.MAX_IMAGE_PIXELS and raises above twice that: both
                # are "too large" for us, as a Problem, never a warning lost in the build log.
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                im = Image.open(fh, formats=formats)
        except (Image.DecompressionBombWarning, Image.DecompressionBombError) as exc:
            m = re.search(r"\((\d+) pixels\)", str(exc))
            raise _Refused("too_large", pixels=int(m.group(1)) if m else 0,
                           limit=min(s.max_pixels, Image.MAX_IMAGE_PIXELS or s.max_pixels)) from None
        except Image.UnidentifiedImageError:
            raise _sniff_refusal(path) from None
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError) as exc:
            # OSError: Pillow's "Truncated File Read" of a header cut short
            raise _Refused("corrupt", detail=str(exc)) from None

        _check(im, s)
        orientation = _orientation(im)
        icc = im.info.get("icc_profile")
        w0, h0 = im.size
        turned = orientation in (5, 6, 7, 8)
        disp_w, disp_h = (h0, w0) if turned else (w0, h0)
        sizes = [(w, max(1, round(w * disp_h / disp_w))) for w in _target_widths(s.widths, disp_w)]
        top_w, top_h = sizes[-1]
        raw_top = (top_h, top_w) if turned else (top_w, top_h)
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                if im.format in ("JPEG", "MPO"):
                    # DCT scaling: decode at 1/2, 1/4 or 1/8 size, never below what we need.
                    im.draft("RGB", raw_top)
                # A truncated photo is refused, never published half grey, whatever the host
                # process set (the flag is global in Pillow: restored right after).
                lenient, ImageFile.LOAD_TRUNCATED_IMAGES = ImageFile.LOAD_TRUNCATED_IMAGES, False
                try:
                    im.load()
                finally:
                    ImageFile.LOAD_TRUNCATED_IMAGES = lenient
                img = _to_rgb(im)
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError,
                ZeroDivisionError, KeyError) as exc:
            raise _Refused("corrupt", detail=str(exc)) from None

    img = _to_srgb(img, icc)
    if img.size != raw_top:
        img = img.resize(raw_top, Image.Resampling.LANCZOS, reducing_gap=3.0)
    if orientation != 1:
        img = img.transpose(_TRANSPOSE[orientation])
    out = [(top_w, top_h, img)]
    for w, h in reversed(sizes[:-1]):  # each from the next larger one: less work, same look
        out.append((w, h, out[-1][2].resize((w, h), Image.Resampling.LANCZOS)))
    return out


def _check(im, s: PhotoSettings) -> None:
    pixels = im.size[0] * im.size[1]
    if pixels > s.max_pixels:
        raise _Refused("too_large", pixels=pixels, limit=s.max_pixels)
    frames = getattr(im, "n_frames", 1)
    if im.format in _ANIMATED_FORMATS and frames > 1:
        raise _Refused("animated", frames=frames)
    if im.format == "PNG" and (im.mode.startswith("I") or any(";16" in str(t[3]) for t in im.tile)):
        raise _Refused("sixteen_bit")
    if im.mode == "CMYK":
        raise _Refused("cmyk")
    if im.mode not in ("RGB", "RGBA", "RGBa", "L", "LA", "La", "P", "PA", "1"):
        raise _Refused("mode", mode=im.mode)


def _sniff_refusal(path: Path) -> _Refused:
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096)
    except OSError:
        return _Refused("corrupt")
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return _Refused("heic_unsupported")
    is_text = bool(head.strip()) and b"\0" not in head and _is_utf8(head)
    if head[:3] == b"\xff\xd8\xff" or head[:8] == b"\x89PNG\r\n\x1a\n":
        return _Refused("corrupt")  # the right magic, but the header is broken
    return _Refused("not_image", text=is_text)


def _is_utf8(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start > len(head) - 4  # only a character cut at the end of the sample
    return True


@functools.lru_cache(maxsize=1)
def _heif_registered() -> bool:
    """iPhones save HEIC by default; we accept it, since the output is WebP/JPEG anyway."""
    try:
        import pillow_heif
    except ImportError:
        return False
    # Thumbnails, depth and auxiliary images are never published: skip decoding them.
    pillow_heif.register_heif_opener(thumbnails=False, depth_images=False, aux_images=False)
    return True


def _orientation(im) -> int:
    try:
        value = int(im.getexif().get(_ORIENTATION_TAG, 1))
    except Exception:  # a broken EXIF block must not stop the photo: assume upright
        return 1
    return value if 1 <= value <= 8 else 1


def _target_widths(widths: tuple[int, ...], natural: int) -> list[int]:
    """The configured widths below the photo's own, plus its own width when it is narrower
    than the largest: a copy is never upscaled."""
    below = [w for w in widths if w < natural]
    if natural <= widths[-1] and natural not in below:
        below.append(natural)
    return sorted(set(below)) or [natural]


def _to_rgb(im):
    """RGB (or L), transparency on white: JPEG has none and photos need none."""
    if im.mode in ("RGB", "L"):  # L stays L: a grey ICC profile still applies to it
        return im
    if im.mode in ("RGBA", "RGBa", "LA", "La", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        bg = Image.new("RGB", rgba.size, (255, 255, 255))
        bg.paste(rgba, mask=rgba.getchannel("A"))
        return bg
    return im.convert("RGB")


@functools.lru_cache(maxsize=16)  # pure: a transform depends on the profile's bytes and mode only
def _srgb_transform(icc: bytes, mode: str):
    src = ImageCms.ImageCmsProfile(BytesIO(icc))
    dst = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
    return ImageCms.buildTransform(src, dst, mode, "RGB",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


def _to_srgb(img, icc: bytes | None):
    """Convert by the embedded profile (Display P3 on iPhones, Adobe RGB on cameras), then
    forget it: outputs carry no profile, and browsers take untagged images as sRGB."""
    if icc:
        try:
            img = _srgb_transform(bytes(icc), img.mode).apply(img)
        except Exception:  # a broken or mismatched profile: treat the pixels as sRGB
            pass
    return img if img.mode == "RGB" else img.convert("RGB")


def _encode(im, fmt: str, s: PhotoSettings) -> bytes:
    im.info = {}  # Pillow's savers fall back to im.info for some metadata (JPEG comment)
    buf = BytesIO()
    if fmt == "webp":
        im.save(buf, "WEBP", quality=s.webp_quality, method=s.webp_method, exif=b"", xmp=b"")
    else:
        im.save(buf, "JPEG", quality=s.jpeg_quality, optimize=True, progressive=True,
                subsampling="4:2:0", exif=b"")
    return buf.getvalue()


# EXIF orientation -> the transposition that makes the photo upright (as ImageOps.exif_transpose).
_T = Image.Transpose
_TRANSPOSE = {2: _T.FLIP_LEFT_RIGHT, 3: _T.ROTATE_180, 4: _T.FLIP_TOP_BOTTOM, 5: _T.TRANSPOSE,
              6: _T.ROTATE_270, 7: _T.TRANSVERSE, 8: _T.ROTATE_90}
