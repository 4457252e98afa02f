"""Draw the demo community's illustrative photos into content/photos/.

The demo needs real JPEGs so that the build's photo step (turn upright, strip EXIF and GPS,
make thumbnails) has work to do, but we cannot ship residents' photos. So we draw simple,
text-free scenes of a Jiangnan water town (white walls, black tiles, a stone bridge) with
Pillow. Everything is deterministic: fixed seeds, fixed EXIF bytes, no timestamps, so running
the script twice gives byte-identical files and git sees no change.

Usage:  python scripts/make_demo_photos.py [--content content]
"""
from __future__ import annotations

import argparse
import math
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1200, 900
SCALE = 2  # drawn at twice the size, then reduced: smooth edges without noise
JPEG_QUALITY = 78

# Fake coordinates near Nanxun old town, given as (degrees, minutes, seconds).
FAKE_LAT = (30.0, 52.0, 41.5)
FAKE_LON = (120.0, 25.0, 37.25)

SKIN = [(241, 204, 170), (226, 184, 148), (233, 193, 160), (214, 170, 135)]
CLOTHES = [(196, 55, 50), (52, 98, 160), (236, 170, 60), (70, 140, 110), (120, 90, 160),
           (230, 120, 90), (90, 90, 100), (200, 200, 205), (60, 150, 190)]
VEST_RED = (214, 48, 49)
HAIR = [(40, 34, 30), (70, 60, 55), (190, 190, 190), (230, 230, 230)]


@dataclass(frozen=True)
class PhotoSpec:
    path: str            # relative to content/
    scene: str           # name of a drawing function in SCENES
    seed: int
    orientation: int = 1  # EXIF Orientation; pixels are stored so that a viewer's turn fixes them
    gps: bool = False
    portrait: bool = False


PHOTOS: tuple[PhotoSpec, ...] = (
    PhotoSpec("photos/2025/0212-1.jpg", "lanterns", 101),
    PhotoSpec("photos/2025/0212-2.jpg", "tangyuan", 102),
    PhotoSpec("photos/2025/0305-1.jpg", "visit", 103, orientation=6, gps=True),
    PhotoSpec("photos/2025/0308-1.jpg", "donation", 104),
    PhotoSpec("photos/2025/0412-1.jpg", "cleanup", 105),
    PhotoSpec("photos/2025/0520-1.jpg", "classroom", 106),
    PhotoSpec("photos/2025/1029-1.jpg", "elders", 107),
    PhotoSpec("photos/2025/1029-2.jpg", "visit", 108),
    PhotoSpec("photos/2026/0303-1.jpg", "tangyuan", 109),
    PhotoSpec("photos/2026/0305-1.jpg", "visit", 110, orientation=6, gps=True),
    PhotoSpec("photos/2026/0307-1.jpg", "clinic", 111),
    PhotoSpec("photos/2026/0307-2.jpg", "clinic", 112, orientation=3, gps=True),
    PhotoSpec("photos/2026/0418-1.jpg", "cleanup", 113),
    PhotoSpec("photos/2026/0619-1.jpg", "duanwu", 114),
    PhotoSpec("photos/2026/0924-1.jpg", "moon", 115),
    PhotoSpec("photos/2026/1018-1.jpg", "elders", 116, orientation=8, gps=True),
    PhotoSpec("photos/honors/2025-shen-family.jpg", "family", 201, portrait=True),
    PhotoSpec("photos/honors/2026-xu-guiying.jpg", "honoree", 202, portrait=True),
)


# ---------------------------------------------------------------- drawing primitives

def _gradient(w: int, h: int, top: tuple, bottom: tuple) -> Image.Image:
    """A vertical gradient, built from one column so it is fast."""
    column = Image.new("RGB", (1, h))
    for y in range(h):
        t = y / max(h - 1, 1)
        column.putpixel((0, y), tuple(round(a + (b - a) * t) for a, b in zip(top, bottom)))
    return column.resize((w, h))


def _person(d: ImageDraw.ImageDraw, rng: random.Random, x: float, y: float, s: float,
            clothes: tuple | None = None, hair: tuple | None = None) -> None:
    """A friendly round figure standing with feet at (x, y), about 300*s tall."""
    clothes = clothes or rng.choice(CLOTHES)
    hair = hair or rng.choice(HAIR)
    body_w, body_h, head_r = 110 * s, 170 * s, 48 * s
    top = y - body_h
    d.rounded_rectangle((x - body_w / 2, top, x + body_w / 2, y), radius=45 * s, fill=clothes)
    hx, hy = x, top - head_r * 0.85
    d.ellipse((hx - head_r, hy - head_r, hx + head_r, hy + head_r), fill=rng.choice(SKIN))
    d.chord((hx - head_r, hy - head_r, hx + head_r, hy + head_r * 0.6), 180, 360, fill=hair)


def _seated_row(d, rng, y: float, count: int, s: float, x0: float, x1: float) -> None:
    step = (x1 - x0) / max(count - 1, 1)
    for i in range(count):
        _person(d, rng, x0 + i * step + rng.uniform(-10, 10) * s, y, s)


def _tree(d, x: float, y: float, s: float, green: tuple) -> None:
    d.rectangle((x - 14 * s, y - 160 * s, x + 14 * s, y), fill=(110, 80, 55))
    for dx, dy, r in ((0, -230, 95), (-70, -180, 70), (70, -185, 72), (0, -150, 80)):
        cx, cy, rr = x + dx * s, y + dy * s, r * s
        d.ellipse((cx - rr, cy - rr, cx + rr, cy + rr), fill=green)


def _jiangnan_house(d, x: float, base: float, w: float, h: float, dark: bool = False) -> None:
    """White wall, black tiles and a stepped horse-head gable: the look of Nanxun's old streets."""
    wall = (214, 214, 222) if dark else (246, 244, 238)
    tile = (48, 52, 60)
    d.rectangle((x, base - h, x + w, base), fill=wall)
    d.polygon([(x - 12, base - h), (x + w + 12, base - h), (x + w - 20, base - h - 38),
               (x + 20, base - h - 38)], fill=tile)
    step = w / 6
    d.rectangle((x - 8, base - h - 70, x + step, base - h - 50), fill=tile)
    d.rectangle((x + w - step, base - h - 70, x + w + 8, base - h - 50), fill=tile)
    d.rectangle((x - 4, base - h - 60, x + step - 6, base - h), fill=wall)
    d.rectangle((x + w - step + 6, base - h - 60, x + w + 4, base - h), fill=wall)
    win = (70, 60, 55)
    for i in range(2):
        wx = x + w * (0.22 + i * 0.4)
        d.rectangle((wx, base - h * 0.62, wx + w * 0.18, base - h * 0.38), fill=win)
    d.rectangle((x + w * 0.42, base - h * 0.3, x + w * 0.58, base), fill=(90, 70, 55))


def _bridge(d, cx: float, water_y: float, span: float) -> None:
    """The stone arch bridge the community is named after."""
    stone = (176, 170, 160)
    d.polygon([(cx - span, water_y), (cx - span * 0.35, water_y - span * 0.42),
               (cx + span * 0.35, water_y - span * 0.42), (cx + span, water_y)], fill=stone)
    r = span * 0.42
    d.ellipse((cx - r, water_y - r * 0.95, cx + r, water_y + r * 0.95), fill=(120, 160, 180))
    d.line((cx - span * 0.35, water_y - span * 0.42, cx + span * 0.35, water_y - span * 0.42),
           fill=(130, 125, 118), width=10)


def _lantern(d, x: float, y: float, s: float) -> None:
    d.line((x, y - 90 * s, x, y - 40 * s), fill=(60, 40, 30), width=max(2, int(4 * s)))
    d.ellipse((x - 55 * s, y - 45 * s, x + 55 * s, y + 45 * s), fill=(215, 40, 40))
    d.rectangle((x - 30 * s, y - 52 * s, x + 30 * s, y - 40 * s), fill=(240, 190, 60))
    d.rectangle((x - 30 * s, y + 40 * s, x + 30 * s, y + 52 * s), fill=(240, 190, 60))
    for k in (-12, 0, 12):
        d.line((x + k * s, y + 52 * s, x + k * s, y + 95 * s), fill=(240, 190, 60),
               width=max(2, int(4 * s)))


def _bowl(d, x: float, y: float, s: float, balls: int, rng: random.Random) -> None:
    d.chord((x - 90 * s, y - 70 * s, x + 90 * s, y + 70 * s), 0, 180, fill=(235, 240, 245))
    d.line((x - 90 * s, y, x + 90 * s, y), fill=(60, 110, 170), width=int(6 * s))
    for i in range(balls):
        bx = x + (i - (balls - 1) / 2) * 38 * s
        by = y - 12 * s - rng.uniform(0, 10) * s
        d.ellipse((bx - 20 * s, by - 20 * s, bx + 20 * s, by + 20 * s), fill=(252, 252, 250))


# ---------------------------------------------------------------- scenes (upright, landscape)

def scene_lanterns(img, d, rng, w, h):
    img.paste(_gradient(w, h, (28, 36, 84), (150, 70, 90)))
    base = h * 0.78
    for i in range(5):
        _jiangnan_house(d, i * w / 5 + 20, base, w / 5 - 50, h * (0.28 + 0.05 * (i % 2)), dark=True)
    d.rectangle((0, base, w, h), fill=(60, 80, 110))
    for i in range(7):
        _lantern(d, w * (0.08 + i * 0.14), h * (0.2 + 0.05 * (i % 2)), SCALE * 0.9)
    for i in range(6):
        _person(d, rng, w * (0.12 + i * 0.15), h * 0.98, SCALE * 0.75)


def scene_tangyuan(img, d, rng, w, h):
    img.paste(_gradient(w, h, (250, 228, 200), (236, 190, 150)))
    d.rectangle((0, h * 0.62, w, h), fill=(170, 60, 50))  # red table cloth
    for i in range(5):
        _person(d, rng, w * (0.1 + i * 0.2), h * 0.66, SCALE * 0.85)
    d.rectangle((0, h * 0.64, w, h), fill=(190, 55, 50))
    for i in range(4):
        _bowl(d, w * (0.16 + i * 0.23), h * 0.82, SCALE * 0.9, 3 + i % 2, rng)
    _lantern(d, w * 0.9, h * 0.16, SCALE * 0.8)
    _lantern(d, w * 0.1, h * 0.16, SCALE * 0.8)


def scene_visit(img, d, rng, w, h):
    img.paste(_gradient(w, h, (150, 200, 235), (225, 238, 245)))
    water_y = h * 0.8
    for i in range(3):
        _jiangnan_house(d, w * (0.02 + i * 0.2), h * 0.62, w * 0.16, h * 0.26)
    _bridge(d, w * 0.78, water_y, w * 0.2)
    d.rectangle((0, h * 0.62, w * 0.6, water_y), fill=(200, 195, 185))  # stone quay
    d.rectangle((0, water_y, w, h), fill=(110, 160, 185))
    for i in range(5):
        clothes = VEST_RED if i < 2 else None
        _person(d, rng, w * (0.08 + i * 0.11), h * 0.79, SCALE * 0.7, clothes=clothes)
    _tree(d, w * 0.56, h * 0.64, SCALE * 0.8, (80, 150, 90))


def scene_donation(img, d, rng, w, h):
    img.paste(_gradient(w, h, (245, 236, 220), (225, 210, 190)))
    d.rectangle((w * 0.1, h * 0.1, w * 0.9, h * 0.22), fill=(200, 45, 45))  # blank red banner
    d.rectangle((w * 0.3, h * 0.6, w * 0.7, h), fill=(150, 110, 80))
    d.rectangle((w * 0.43, h * 0.42, w * 0.57, h * 0.6), fill=(210, 40, 40))
    cx, cy, r = w * 0.5, h * 0.5, 26 * SCALE
    d.ellipse((cx - 2 * r, cy - r * 1.6, cx, cy + r * 0.4), fill=(250, 215, 90))
    d.ellipse((cx, cy - r * 1.6, cx + 2 * r, cy + r * 0.4), fill=(250, 215, 90))
    d.polygon([(cx - 1.9 * r, cy - 0.3 * r), (cx + 1.9 * r, cy - 0.3 * r), (cx, cy + 1.9 * r)],
              fill=(250, 215, 90))
    for i in range(3):
        _person(d, rng, w * (0.08 + i * 0.09), h * 0.98, SCALE * 0.9)
        _person(d, rng, w * (0.74 + i * 0.09), h * 0.98, SCALE * 0.9)


def scene_cleanup(img, d, rng, w, h):
    img.paste(_gradient(w, h, (170, 215, 240), (235, 245, 235)))
    d.rectangle((0, h * 0.7, w, h), fill=(120, 170, 100))
    d.polygon([(w * 0.35, h), (w * 0.65, h), (w * 0.55, h * 0.7), (w * 0.45, h * 0.7)],
              fill=(205, 200, 190))
    for i in range(4):
        _tree(d, w * (0.08 + i * 0.28), h * 0.72, SCALE * (0.9 + 0.1 * (i % 2)), (70, 140, 80))
    for i, x in enumerate((0.2, 0.33, 0.7, 0.84)):
        _person(d, rng, w * x, h * (0.9 + 0.02 * (i % 2)), SCALE * 0.8, clothes=VEST_RED)
        d.line((w * x + 50, h * 0.75, w * x + 90, h * 0.93), fill=(120, 90, 50), width=10)
    for i, col in enumerate(((60, 130, 200), (70, 150, 80), (200, 60, 60), (120, 120, 120))):
        x = w * (0.45 + i * 0.035)
        d.rounded_rectangle((x, h * 0.62, x + 36, h * 0.7), radius=6, fill=col)


def scene_classroom(img, d, rng, w, h):
    img.paste(_gradient(w, h, (238, 234, 222), (215, 208, 195)))
    d.rectangle((w * 0.2, h * 0.08, w * 0.8, h * 0.42), fill=(50, 90, 70))
    d.rectangle((w * 0.2, h * 0.42, w * 0.8, h * 0.45), fill=(150, 120, 90))
    _person(d, rng, w * 0.88, h * 0.62, SCALE * 0.8, clothes=(40, 60, 110))
    for row, (y, s) in enumerate(((0.72, 0.75), (0.86, 0.85), (1.02, 0.95))):
        _seated_row(d, rng, h * y, 6 - row, SCALE * s, w * 0.1, w * 0.78)


def scene_clinic(img, d, rng, w, h):
    img.paste(_gradient(w, h, (160, 210, 240), (235, 242, 248)))
    d.rectangle((0, h * 0.68, w, h), fill=(200, 196, 188))
    for i in range(2):
        x0 = w * (0.05 + i * 0.5)
        d.polygon([(x0, h * 0.3), (x0 + w * 0.42, h * 0.3), (x0 + w * 0.38, h * 0.18),
                   (x0 + w * 0.04, h * 0.18)], fill=(40, 110, 190))
        d.rectangle((x0, h * 0.3, x0 + w * 0.42, h * 0.34), fill=(245, 245, 250))
        d.line((x0 + 10, h * 0.34, x0 + 10, h * 0.7), fill=(120, 120, 130), width=8)
        d.line((x0 + w * 0.42 - 10, h * 0.34, x0 + w * 0.42 - 10, h * 0.7), fill=(120, 120, 130),
               width=8)
        d.rectangle((x0 + w * 0.05, h * 0.55, x0 + w * 0.37, h * 0.6), fill=(245, 245, 245))
        cx, cy = x0 + w * 0.21, h * 0.24
        d.rectangle((cx - 10, cy - 28, cx + 10, cy + 28), fill=(60, 170, 110))  # green cross
        d.rectangle((cx - 28, cy - 10, cx + 28, cy + 10), fill=(60, 170, 110))
        _person(d, rng, x0 + w * 0.14, h * 0.56, SCALE * 0.6, clothes=(250, 250, 250))
        _person(d, rng, x0 + w * 0.28, h * 0.56, SCALE * 0.6, clothes=(250, 250, 250))
    for i in range(6):
        _person(d, rng, w * (0.08 + i * 0.17), h * 0.97, SCALE * 0.8)


def scene_elders(img, d, rng, w, h):
    img.paste(_gradient(w, h, (252, 236, 210), (240, 200, 160)))
    d.rectangle((w * 0.1, h * 0.06, w * 0.9, h * 0.16), fill=(205, 50, 45))
    for i in range(5):
        _person(d, rng, w * (0.12 + i * 0.19), h * 0.72, SCALE * 0.85,
                hair=(225, 225, 225) if i % 2 == 0 else None)
    d.rectangle((0, h * 0.7, w, h), fill=(175, 60, 50))
    cx, base, k = w * 0.5, h * 0.93, SCALE * 1.6
    d.rectangle((cx - 170 * k, base - 90 * k, cx + 170 * k, base), fill=(252, 248, 240))
    d.rectangle((cx - 120 * k, base - 170 * k, cx + 120 * k, base - 90 * k), fill=(250, 230, 235))
    d.rectangle((cx - 170 * k, base - 100 * k, cx + 170 * k, base - 88 * k), fill=(240, 140, 160))
    for i in range(9):  # nine candles for 九九重阳
        x = cx - 100 * k + i * 25 * k
        d.rectangle((x - 5 * k, base - 215 * k, x + 5 * k, base - 170 * k), fill=(90, 160, 220))
        d.ellipse((x - 7 * k, base - 235 * k, x + 7 * k, base - 213 * k), fill=(255, 200, 60))


def scene_duanwu(img, d, rng, w, h):
    img.paste(_gradient(w, h, (175, 220, 235), (230, 245, 230)))
    d.rectangle((0, h * 0.4, w, h * 0.55), fill=(120, 170, 100))  # far bank
    d.rectangle((0, h * 0.55, w, h * 0.72), fill=(100, 160, 180))
    d.polygon([(w * 0.25, h * 0.6), (w * 0.75, h * 0.6), (w * 0.68, h * 0.67), (w * 0.32, h * 0.67)],
              fill=(170, 60, 45))
    d.rectangle((0, h * 0.72, w, h), fill=(150, 110, 80))
    for i in range(7):
        x, y = w * (0.12 + i * 0.125), h * (0.84 + 0.04 * (i % 2))
        k = SCALE * 1.3
        d.polygon([(x - 45 * k, y + 30 * k), (x + 45 * k, y + 30 * k), (x, y - 50 * k)],
                  fill=(80, 150, 70))
        d.line((x - 30 * k, y, x + 30 * k, y), fill=(230, 220, 170), width=int(6 * k))
    for i in range(4):
        _person(d, rng, w * (0.1 + i * 0.27), h * 0.54, SCALE * 0.55)


def scene_moon(img, d, rng, w, h):
    img.paste(_gradient(w, h, (18, 26, 60), (60, 60, 100)))
    mx, my, r = w * 0.78, h * 0.2, h * 0.11
    d.ellipse((mx - r, my - r, mx + r, my + r), fill=(252, 238, 190))
    for i in range(3):
        _jiangnan_house(d, w * (0.02 + i * 0.2), h * 0.6, w * 0.16, h * 0.22, dark=True)
    d.rectangle((0, h * 0.6, w, h), fill=(70, 60, 70))
    for i in range(5):
        _person(d, rng, w * (0.12 + i * 0.19), h * 0.78, SCALE * 0.8)
    d.rectangle((0, h * 0.76, w, h), fill=(140, 90, 60))
    for i in range(6):
        x = w * (0.12 + i * 0.15)
        r = 40 * SCALE * 1.2
        d.ellipse((x - r, h * 0.86 - r, x + r, h * 0.86 + r), fill=(220, 160, 80))
        d.ellipse((x - r * 0.6, h * 0.86 - r * 0.6, x + r * 0.6, h * 0.86 + r * 0.6),
                  outline=(180, 120, 50), width=int(5 * SCALE))


def scene_family(img, d, rng, w, h):
    img.paste(_gradient(w, h, (190, 220, 240), (240, 240, 235)))
    _jiangnan_house(d, w * 0.12, h * 0.68, w * 0.76, h * 0.34)
    d.rectangle((0, h * 0.68, w, h), fill=(190, 185, 175))
    d.rectangle((w * 0.2, h * 0.3, w * 0.8, h * 0.36), fill=(205, 50, 45))
    for i, s in enumerate((0.95, 1.0, 0.75, 0.6, 0.9)):
        _person(d, rng, w * (0.14 + i * 0.18), h * 0.95, SCALE * s)


def scene_honoree(img, d, rng, w, h):
    img.paste(_gradient(w, h, (250, 236, 215), (230, 200, 170)))
    d.rectangle((w * 0.08, h * 0.06, w * 0.92, h * 0.14), fill=(205, 50, 45))
    _tree(d, w * 0.2, h * 0.8, SCALE * 1.1, (90, 160, 100))
    _person(d, rng, w * 0.55, h * 0.95, SCALE * 1.5, clothes=(52, 98, 160), hair=(200, 200, 200))
    fx, fy, r = w * 0.47, h * 0.8, 36 * SCALE  # red flower pinned on the chest
    for k in range(6):
        a = k * math.pi / 3
        px, py = fx + math.cos(a) * r * 0.7, fy + math.sin(a) * r * 0.7
        d.ellipse((px - r * 0.5, py - r * 0.5, px + r * 0.5, py + r * 0.5), fill=(215, 40, 40))
    d.ellipse((fx - r * 0.4, fy - r * 0.4, fx + r * 0.4, fy + r * 0.4), fill=(245, 200, 60))


SCENES = {name[len("scene_"):]: fn for name, fn in globals().items() if name.startswith("scene_")}


# ---------------------------------------------------------------- output

def render(spec: PhotoSpec) -> Image.Image:
    """The upright picture, as a resident would see it."""
    w, h = (HEIGHT, WIDTH) if spec.portrait else (WIDTH, HEIGHT)
    big = Image.new("RGB", (w * SCALE, h * SCALE))
    rng = random.Random(spec.seed)
    SCENES[spec.scene](big, ImageDraw.Draw(big), rng, w * SCALE, h * SCALE)
    return big.resize((w, h), Image.LANCZOS).filter(ImageFilter.SMOOTH)


# What a camera would store for each orientation: the inverse of the turn a viewer applies.
_STORE_TURN = {1: None, 3: Image.Transpose.ROTATE_180, 6: Image.Transpose.ROTATE_90,
               8: Image.Transpose.ROTATE_270}


def exif_bytes(spec: PhotoSpec) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "DemoCam"          # Make
    exif[0x0110] = "Community Board"  # Model
    exif[0x0112] = spec.orientation   # Orientation
    if spec.gps:
        gps = exif.get_ifd(0x8825)
        gps[1] = "N"
        gps[2] = FAKE_LAT
        gps[3] = "E"
        gps[4] = FAKE_LON
    return exif.tobytes()


def encode(spec: PhotoSpec) -> bytes:
    import io

    upright = render(spec)
    turn = _STORE_TURN[spec.orientation]
    stored = upright.transpose(turn) if turn is not None else upright
    buf = io.BytesIO()
    stored.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, subsampling="4:2:0",
                exif=exif_bytes(spec))
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="生成演示社区的示意照片（无文字、可重复生成）")
    parser.add_argument("--content", type=Path,
                        default=Path(__file__).resolve().parent.parent / "content",
                        help="content 目录（默认：仓库里的 content/）")
    args = parser.parse_args(argv)
    total = 0
    for spec in PHOTOS:
        data = encode(spec)
        target = args.content / spec.path
        target.parent.mkdir(parents=True, exist_ok=True)
        # Write only when the bytes change, so file times stay put on a re-run.
        if not target.exists() or target.read_bytes() != data:
            target.write_bytes(data)
        total += len(data)
        print(f"{spec.path}  {len(data) / 1024:6.1f} KB  方向={spec.orientation}"
              f"{'  含GPS' if spec.gps else ''}")
    print(f"共 {len(PHOTOS)} 张，合计 {total / 1024:.1f} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
