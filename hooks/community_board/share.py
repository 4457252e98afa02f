"""Share images: the 1200x630 picture a chat app shows when a resident shares a page.

Made with Pillow from the page's title, the community's name and the cover photo, in a CJK
font found on the system (Debian: fonts-noto-cjk) or named by a setting. Without a font that
has every character of the text, there is a warning and no image, never boxes instead of
characters. Images are cached under `.cache/share/`, keyed by everything that changes their
bytes, so a rebuild only draws new or changed pages; their site file names are that key,
so their URLs change whenever their bytes do (WeChat caches regardless of headers).

Which pages get their own image: pages with a cover photo (boards and activities with
photos), plus one generic image for every other page. A text-only image per page would
repeat what the share card already prints (og:title) and cost ~40 KB x every page.
"""
from __future__ import annotations

import hashlib
import io
import json
import logging
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Callable, Iterable, Mapping

from .workers import process_pool, worker_count

log = logging.getLogger("community_board.share")

WIDTH, HEIGHT = 1200, 630
VERSION = "share-1"           # bump when the drawing below changes
URL_DIR = "assets/share"
JPEG_QUALITY = 82
PARALLEL_FROM = 8             # fewer images than this are drawn in-process

RED = (143, 29, 29)
CREAM = (255, 248, 231)
WHITE = (255, 255, 255)
INK = (26, 26, 26)

FONT_GLOBS = ("NotoSansCJK*-Bold.tt[cf]", "NotoSansCJK*.tt[cf]", "NotoSansSC*.[ot]tf",
              "NotoSerifCJK*.tt[cf]", "*CJK*.tt[cf]", "wqy-*.tt[cf]", "*SC*.[ot]tf")
FONT_ROOTS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".local/share/fonts")

# Characters that may not start a line (Chinese line-breaking rule, 避头尾).
_NO_LINE_START = set("，。、；：？！）》」』”’…—·,.;:?!)")


# --------------------------------------------------------------------------- fonts


def find_cjk_font(setting: str | None = None) -> Path | None:
    """The font file to draw Chinese with: `setting` if given, else one found on the system.

    A setting that names no file gives a warning and None (the setting is wrong: say so
    rather than silently use another font). Search order: fontconfig's Simplified Chinese
    sans-serif faces (bold first), then known file names under the usual font folders.
    """
    if setting:
        path = Path(setting).expanduser()
        if path.is_file():
            return path
        log.warning("分享图片：设置的字体文件 %s 不存在，本次不生成分享图片。", setting)
        return None
    found = _fc_list_cjk()
    if found:
        return found
    for pattern in FONT_GLOBS:
        for root in FONT_ROOTS:
            if root.is_dir():
                hits = sorted(root.rglob(pattern))
                if hits:
                    return hits[0]
    return None


def _fc_list_cjk() -> Path | None:
    try:
        out = subprocess.run(["fc-list", ":lang=zh-cn", "file", "family", "style"],
                             capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    scored = []
    for line in out.splitlines():
        file_part, _, rest = line.partition(":")
        names = rest.lower()
        score = 0
        if "sans cjk sc" in names or "sans sc" in names:
            score = 4
        elif "sans" in names and ("cjk" in names or " sc" in names):
            score = 3
        elif "cjk" in names or "hei" in names:
            score = 1
        if score and "bold" in names and "semibold" not in names:
            score += 2  # titles read better in bold
        if score:
            scored.append((-score, file_part.strip()))
    return Path(min(scored)[1]) if scored else None


@lru_cache(maxsize=16)
def _face_index(font_path: str) -> int:
    """In a font collection (.ttc), the Simplified Chinese face; else the first."""
    from PIL import ImageFont

    for index in range(12):
        try:
            family = ImageFont.truetype(font_path, 20, index=index).getname()[0] or ""
        except OSError:
            break
        if family.endswith(" SC") or " SC " in family:
            return index
    return 0


@lru_cache(maxsize=64)  # pure: an installed font at one size, only read from
def _font(font_path: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(font_path, size, index=_face_index(font_path))


def missing_glyphs(text: str, font_path: str | Path) -> list[str]:
    """Characters of `text` the font would draw as its 'missing' box (.notdef)."""
    font = _font(str(font_path), 40)
    notdef = font.getmask("\U0010fffd")  # a private-use code point: no font maps it
    notdef_key = (notdef.size, bytes(notdef))
    missing = []
    for ch in dict.fromkeys(text):
        if ch.isspace():
            continue
        mask = font.getmask(ch)
        if (mask.size, bytes(mask)) == notdef_key:
            missing.append(ch)
    return missing


# --------------------------------------------------------------------------- drawing


def wrap_text(text: str, measure: Callable[[str], float], width: float, max_lines: int) -> list[str]:
    """Greedy line breaking for Chinese (any character may break, except before closing
    punctuation), at most `max_lines`, the last one ending in … when text was cut."""
    lines: list[str] = []
    line = ""
    for ch in text.strip():
        if ch == "\n":
            lines.append(line)
            line = ""
            continue
        if line and measure(line + ch) > width and ch not in _NO_LINE_START:
            lines.append(line)
            line = ch.lstrip()
        else:
            line += ch
    if line:
        lines.append(line)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and measure(last + "…") > width:
            last = last[:-1]
        lines = lines[: max_lines - 1] + [last + "…"]
    return lines


def _cover_fit(path: Path):
    """The photo scaled and centre-cropped to fill 1200x630, decoded cheaply."""
    from PIL import Image, ImageOps

    with Image.open(path) as im:
        im.draft("RGB", (WIDTH, HEIGHT))  # JPEG: decode at 1/2, 1/4 or 1/8 size directly
        im = ImageOps.exif_transpose(im).convert("RGB")
        # BICUBIC: a chat thumbnail shows no difference from LANCZOS, at half the time.
        return ImageOps.fit(im, (WIDTH, HEIGHT), method=Image.Resampling.BICUBIC)


@lru_cache(maxsize=1)
def _shade_mask():
    """Read-only: composited from, never drawn on."""
    from PIL import Image

    return Image.linear_gradient("L").resize((WIDTH, HEIGHT)).point(_shade)


@lru_cache(maxsize=1)  # read-only: composited from, never drawn on
def _black():
    from PIL import Image

    return Image.new("RGB", (WIDTH, HEIGHT), (0, 0, 0))


def _shade(v: int) -> int:
    """Gradient curve: clear top 35%, then darkening to 85% black at the bottom edge."""
    t = max(0.0, (v / 255 - 0.35) / 0.65)
    return int(255 * 0.85 * t ** 0.8)


def make_share_image(title: str, community: str, cover_path: Path | str | None,
                     font_path: Path | str | None) -> bytes | None:
    """A 1200x630 JPEG: the cover photo (or the board's red) with the title and community.

    None, with a warning, when there is no font or the font lacks a character of the text.
    Same inputs, same bytes.
    """
    from PIL import Image, ImageDraw

    if not font_path:
        log.warning("分享图片：系统中没有中文字体（请安装 fonts-noto-cjk 或设置 BOARD_CJK_FONT），"
                    "本次不生成分享图片。")
        return None
    font_path = str(font_path)
    missing = missing_glyphs(title + community, font_path)
    if missing:
        log.warning("分享图片：字体 %s 缺少“%s”等字，不为“%s”生成分享图片。",
                    Path(font_path).name, "".join(missing[:5]), title)
        return None

    if cover_path:
        canvas = _cover_fit(Path(cover_path))
        # A dark band under the text: white text stays readable on any photo.
        canvas = Image.composite(_black(), canvas, _shade_mask())
        text_color, badge_fill, badge_text = WHITE, RED, WHITE
    else:
        canvas = Image.new("RGB", (WIDTH, HEIGHT), RED)
        draw = ImageDraw.Draw(canvas)
        draw.rectangle((40, 40, WIDTH - 40, HEIGHT - 40), outline=CREAM, width=6)
        text_color, badge_fill, badge_text = WHITE, CREAM, RED

    draw = ImageDraw.Draw(canvas)
    margin = 80
    title_font = _font(font_path, 68)
    lines = wrap_text(title, title_font.getlength, WIDTH - 2 * margin, 3)
    line_height = 92
    y = HEIGHT - 90 - line_height * len(lines)
    # The community's name as a badge above the title.
    badge_font = _font(font_path, 38)
    badge_w = badge_font.getlength(community)
    by = y - 84
    draw.rounded_rectangle((margin - 16, by, margin + badge_w + 16, by + 60), radius=10, fill=badge_fill)
    draw.text((margin, by + 8), community, font=badge_font, fill=badge_text)
    for line in lines:
        draw.text((margin, y), line, font=title_font, fill=text_color)
        y += line_height

    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


# --------------------------------------------------------------------------- cache and plan


@dataclass(frozen=True)
class ShareJob:
    key: str
    title: str
    community: str
    cover: str | None
    font: str
    cache_dir: str


@dataclass(frozen=True)
class SharePlan:
    """Which share image each page uses: site path (e.g. assets/share/ab12.jpg) by src_uri."""

    by_page: Mapping[str, str] = field(default_factory=dict)
    generic: str | None = None
    files: Mapping[str, Path] = field(default_factory=dict)  # site path -> cached file

    def image_for(self, src_uri: str) -> str | None:
        return self.by_page.get(src_uri, self.generic)


def share_key(title: str, community: str, cover: Path | None, font: Path) -> str:
    """Hash of everything that changes an image's bytes (files by name and size: the
    processed photos' names are content hashes already)."""
    from PIL import __version__ as pillow

    def ident(p: Path | None):
        if p is None:
            return None
        # by name, not full path: the photo cache may live anywhere (BOARD_CACHE), and the
        # image's URL must not change with it
        try:
            return [p.name, p.stat().st_size]
        except OSError:
            return [p.name, None]

    blob = json.dumps([VERSION, pillow, title, community, ident(cover), ident(font)], ensure_ascii=False)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()[:20]


def _cache_file(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"{key}.jpg"


def _none_marker(cache_dir: Path, key: str) -> Path:
    return Path(cache_dir) / f"{key}.none"


def _draw(job: ShareJob) -> tuple[str, bool]:
    """Worker: draw one image into the cache (atomically). Returns (key, made)."""
    data = make_share_image(job.title, job.community, job.cover, job.font)
    target = _none_marker(Path(job.cache_dir), job.key) if data is None else _cache_file(Path(job.cache_dir), job.key)
    fd, tmp = tempfile.mkstemp(dir=job.cache_dir, suffix=".tmp")
    with os.fdopen(fd, "wb") as f:
        f.write(data or b"")
    os.replace(tmp, target)
    return job.key, data is not None


def _run(jobs: list[ShareJob], workers: int) -> None:
    if workers <= 1 or len(jobs) < PARALLEL_FROM:
        for job in jobs:
            _draw(job)
        return
    with process_pool(workers) as pool:
        list(pool.map(_draw, jobs, chunksize=8))


def cover_from_photos(photos: Mapping[str, object], photo_cache_dir: Path) -> Callable[[str], Path | None]:
    """Map a content/ photo to its processed JPEG in the photo cache (smaller and upright;
    the original may be a 12 MP HEIC). `photos` is BuildState.photos (source -> PhotoSet)."""

    def cover(source: str) -> Path | None:
        ps = photos.get(source)
        if ps is None:
            return None
        jpegs = ps.of("jpeg")
        if not jpegs:
            return None
        # The smallest copy at least as wide as the image, else the largest.
        v = next((v for v in jpegs if v.width >= WIDTH), jpegs[-1])
        path = Path(photo_cache_dir) / "entries" / ps.id / PurePosixPath(v.url).name
        return path if path.is_file() else None

    return cover


def plan_share_images(pages: Iterable, cover_of: Callable[[str], Path | None], site_name: str,
                      community: str, cache_dir: Path, font_setting: str | None = None,
                      jobs: int | None = None) -> SharePlan:
    """Draw (or find in the cache) the share image of every page with a cover photo, and one
    generic image; `pages` are PageSpecs (src_uri, title, description, kind, image).

    Safe to call on every build: only images whose inputs changed are drawn.
    """
    font = find_cjk_font(font_setting)
    if font is None:
        if not font_setting:
            log.warning("分享图片：系统中没有中文字体（请安装 fonts-noto-cjk 或设置 BOARD_CJK_FONT），"
                        "本次不生成分享图片。")
        return SharePlan()
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)

    wanted: dict[str, ShareJob] = {}
    page_key: dict[str, str] = {}
    generic = share_key(site_name, community, None, font)
    wanted[generic] = ShareJob(generic, site_name, community, None, str(font), str(cache_dir))
    for spec in pages:
        cover = cover_of(spec.image) if getattr(spec, "image", None) else None
        if cover is None:
            continue
        title = spec.title
        if spec.kind == "home" and spec.description:
            title = spec.description.split("：", 1)[-1]  # the quarter's theme, not the site name
        key = share_key(title, community, cover, font)
        page_key[spec.src_uri] = key
        wanted.setdefault(key, ShareJob(key, title, community, str(cover), str(font), str(cache_dir)))

    todo = [job for key, job in sorted(wanted.items())
            if not _cache_file(cache_dir, key).is_file() and not _none_marker(cache_dir, key).is_file()]
    if todo:
        _run(todo, min(jobs or worker_count(), len(todo)))
    lacking = sum(1 for key in wanted if _none_marker(cache_dir, key).is_file())
    if lacking:
        log.warning("分享图片：%d 个页面的标题含字体缺少的字，这些页面使用通用分享图片。", lacking)

    files: dict[str, Path] = {}

    def site_path(key: str) -> str | None:
        path = _cache_file(cache_dir, key)
        if not path.is_file():
            return None
        uri = f"{URL_DIR}/{key}.jpg"
        files[uri] = path
        return uri

    generic_uri = site_path(generic)
    by_page = {src: uri for src, key in page_key.items() if (uri := site_path(key))}
    return SharePlan(by_page, generic_uri, files)
