"""The photo step: upright, metadata-free, sRGB, cached, and clear errors for bad photos."""
from __future__ import annotations

import importlib.util
import io
import struct
import zlib
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PIL import Image

from community_board import photos as ph
from community_board.errors import Problems
from community_board.photos import PhotoRequest, PhotoSettings

RECORD = "content/activities/2026/2026-03-05-leifeng-visit.md"
# Small widths so 64x48 test photos get several copies: 16, 32 and their own 64 (never 100).
SMALL = PhotoSettings(widths=(16, 32, 100))

# The four corners of an upright test photo, as a resident should see them.
TL, TR, BL, BR = (220, 30, 30), (30, 200, 30), (30, 30, 220), (250, 250, 250)


def upright(w: int = 64, h: int = 48) -> Image.Image:
    im = Image.new("RGB", (w, h))
    for box, colour in (((0, 0, w // 2, h // 2), TL), ((w // 2, 0, w, h // 2), TR),
                        ((0, h // 2, w // 2, h), BL), ((w // 2, h // 2, w, h), BR)):
        im.paste(colour, box)
    return im


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (28.0, 11.0, 42.5), 3: "E", 4: (112.0, 58.0, 31.2)}
    return exif


def save(content: Path, name: str, data) -> str:
    path = content / "photos" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, Image.Image):
        data.save(path)
    else:
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
    return f"photos/{name}"


def run(tmp_path: Path, sources, settings=SMALL, jobs=1, **kw):
    problems = Problems()
    requests = [PhotoRequest(s, RECORD, f"photos[{i}].file") for i, s in enumerate(sources)]
    result = ph.process_photos(requests, tmp_path / "content", tmp_path / "cache", settings,
                               problems, jobs=jobs, **kw)
    return result, problems


def published(tmp_path: Path, photoset, site="site") -> dict[str, bytes]:
    urls = ph.publish_photos([photoset], tmp_path / "cache", tmp_path / site)
    return {u: (tmp_path / site / u).read_bytes() for u in urls}


def close(a, b, tol=40) -> bool:
    return all(abs(x - y) <= tol for x, y in zip(a, b))


# --------------------------------------------------------------------------- orientation

# How a camera stores an upright scene for each EXIF orientation (EXIF 2.3, tag 0x0112):
# e.g. 6 = "the camera was turned right": the stored pixels are the scene turned left.
STORED = {1: None, 2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_90, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_270}


@pytest.mark.parametrize("orientation", range(1, 9))
def test_every_orientation_comes_out_upright(tmp_path, orientation):
    stored = upright() if STORED[orientation] is None else upright().transpose(STORED[orientation])
    path = tmp_path / "content" / "photos" / f"o{orientation}.jpg"
    path.parent.mkdir(parents=True)
    stored.save(path, quality=95, exif=gps_exif(orientation))

    result, problems = run(tmp_path, [f"photos/o{orientation}.jpg"])
    assert not problems
    photo = result[f"photos/o{orientation}.jpg"]
    assert (photo.width, photo.height) == (64, 48)
    files = published(tmp_path, photo)
    for url, data in files.items():
        im = Image.open(io.BytesIO(data)).convert("RGB")
        w, h = im.size
        assert w > h, url
        corners = [im.getpixel((w // 4, h // 4)), im.getpixel((3 * w // 4, h // 4)),
                   im.getpixel((w // 4, 3 * h // 4)), im.getpixel((3 * w // 4, 3 * h // 4))]
        for got, want in zip(corners, (TL, TR, BL, BR)):
            assert close(got, want), (url, corners)


# --------------------------------------------------------------------------- metadata


def assert_no_metadata(url: str, data: bytes) -> None:
    im = Image.open(io.BytesIO(data))
    assert not im.getexif() and not im.getexif().get_ifd(0x8825), url
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "icc_profile", "comment", "dpi"):
        assert key not in im.info, (url, key)
    for marker in (b"Exif\0", b"PhoneMaker", b"ICC_PROFILE", b"ns.adobe.com/xap",
                   b"secret", b"ICCP", b"EXIF", b"XMP "):
        assert marker not in data, (url, marker)


def test_no_output_carries_exif_gps_xmp_icc_or_comment(tmp_path):
    content = tmp_path / "content"
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://ns.adobe.com/xap/1.0/">secret home</rdf:RDF></x:xmpmeta>'
    from PIL import ImageCms
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    jpg = tmp_path / "x.jpg"
    upright().save(jpg, quality=90, exif=gps_exif(6), icc_profile=srgb, comment=b"secret comment",
                   xmp=xmp)
    with Image.open(jpg) as original:  # the input does carry it all
        assert original.getexif().get_ifd(0x8825) and "icc_profile" in original.info
    assert b"secret comment" in jpg.read_bytes() and b"secret home" in jpg.read_bytes()
    a = save(content, "a.jpg", jpg.read_bytes())
    bare = io.BytesIO()  # no ICC profile: the pixels go through no colour transform
    upright().save(bare, "JPEG", quality=90, exif=gps_exif(8), comment=b"secret comment", xmp=xmp)
    d = save(content, "d.jpg", bare.getvalue())
    png = io.BytesIO()
    from PIL import PngImagePlugin
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "secret")
    upright().save(png, "PNG", exif=gps_exif(1), pnginfo=text, icc_profile=srgb)
    b = save(content, "b.png", png.getvalue())
    webp = io.BytesIO()
    upright().save(webp, "WEBP", exif=gps_exif(3).tobytes(), xmp=xmp, icc_profile=srgb)
    c = save(content, "c.webp", webp.getvalue())

    result, problems = run(tmp_path, [a, b, c, d])
    assert not problems and len(result) == 4
    for photo in result.values():
        files = published(tmp_path, photo)
        assert len(files) == 6  # 16, 32, 64 in WebP and JPEG
        for url, data in files.items():
            assert_no_metadata(url, data)


def test_originals_never_reach_the_site(tmp_path):
    content = tmp_path / "content"
    src = save(content, "2026/0305-1.jpg", upright())
    result, _ = run(tmp_path, [src])
    published(tmp_path, result[src])
    original = (content / src).read_bytes()
    files = [p for p in (tmp_path / "site").rglob("*") if p.is_file()]
    assert files and all(p.read_bytes() != original for p in files)
    assert all("0305" not in p.name and p.parent.name == "photos" for p in files)


def icc_linear_rgb() -> bytes:
    """A minimal ICC v2 RGB profile: sRGB's primaries with a linear (gamma 1.0) curve."""
    def s15(x):
        return struct.pack(">i", round(x * 65536))

    def xyz(x, y, z):
        return b"XYZ \0\0\0\0" + s15(x) + s15(y) + s15(z)

    curve = b"curv\0\0\0\0" + struct.pack(">IH", 1, 0x0100) + b"\0\0"
    desc = b"desc\0\0\0\0" + struct.pack(">I", 7) + b"linear\0" + b"\0" * 8 + b"\0\0\0" + b"\0" * 67
    tags = [(b"desc", desc), (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
            (b"rXYZ", xyz(0.4361, 0.2225, 0.0139)), (b"gXYZ", xyz(0.3851, 0.7169, 0.0971)),
            (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
            (b"rTRC", curve), (b"gTRC", curve), (b"bTRC", curve)]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for sig, data in tags:
        data += b"\0" * (-len(data) % 4)
        table += sig + struct.pack(">II", offset + len(body), len(data))
        body += data
    size = offset + len(body)
    header = (struct.pack(">I", size) + b"lcms" + bytes([2, 0x10, 0, 0]) + b"mntrRGB XYZ "
              + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0)
              + s15(0.9642) + s15(1.0) + s15(0.8249) + b"\0" * 48)
    assert len(header) == 128
    return header + struct.pack(">I", len(tags)) + table + body


def test_colours_are_converted_to_srgb_by_the_embedded_profile(tmp_path):
    content = tmp_path / "content"
    grey = Image.new("RGB", (64, 48), (64, 64, 64))
    tagged = io.BytesIO()
    grey.save(tagged, "PNG", icc_profile=icc_linear_rgb())
    a = save(content, "linear.png", tagged.getvalue())
    b = save(content, "plain.png", grey)

    result, problems = run(tmp_path, [a, b])
    assert not problems
    def centre(src):
        data = published(tmp_path, result[src])
        webp = next(d for u, d in data.items() if u.endswith("-64.webp"))
        return Image.open(io.BytesIO(webp)).convert("RGB").getpixel((32, 24))
    # Linear 64/255 is sRGB ~137; untagged pixels are taken as sRGB already.
    assert close(centre(a), (137, 137, 137), tol=6)
    assert close(centre(b), (64, 64, 64), tol=6)


def test_transparency_is_flattened_on_white(tmp_path):
    content = tmp_path / "content"
    im = Image.new("RGBA", (64, 48), (0, 0, 0, 0))
    im.paste((200, 0, 0, 255), (0, 0, 32, 48))
    src = save(content, "logo.png", im)
    result, problems = run(tmp_path, [src])
    assert not problems
    data = next(d for u, d in published(tmp_path, result[src]).items() if u.endswith("-64.jpg"))
    out = Image.open(io.BytesIO(data))
    assert out.mode == "RGB"
    assert close(out.getpixel((48, 24)), (255, 255, 255), tol=8)
    assert close(out.getpixel((16, 24)), (200, 0, 0), tol=30)


def test_multi_picture_jpeg_from_a_phone_is_accepted(tmp_path):
    # Some phones save MPO: a JPEG followed by a second picture (a preview or a depth map).
    buf = io.BytesIO()
    upright().transpose(STORED[3]).save(buf, "MPO", save_all=True, append_images=[Image.new("RGB", (64, 48), "black")],
                   exif=gps_exif(3))
    src = save(tmp_path / "content", "mpo.jpg", buf.getvalue())
    assert Image.open(tmp_path / "content" / src).format == "MPO"
    result, problems = run(tmp_path, [src])
    assert not problems
    for url, data in published(tmp_path, result[src]).items():
        assert_no_metadata(url, data)
        im = Image.open(io.BytesIO(data)).convert("RGB")
        assert close(im.getpixel((im.width // 4, im.height // 4)), TL), url


# --------------------------------------------------------------------------- sizes and html


class Tags(HTMLParser):
    def __init__(self, text):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def first(self, name):
        return next(a for t, a in self.tags if t == name)


def test_copies_never_upscaled_and_default_widths(tmp_path):
    content = tmp_path / "content"
    small = save(content, "small.jpg", upright(1200, 900))
    tall = save(content, "tall.jpg", upright(600, 800))
    result, problems = run(tmp_path, [small, tall], settings=PhotoSettings())
    assert not problems
    assert sorted({v.width for v in result[small].variants}) == [480, 960, 1200]
    assert (result[small].width, result[small].height) == (1200, 900)
    assert sorted({(v.width, v.height) for v in result[tall].variants}) == [(480, 640), (600, 800)]


def test_srcset_sizes_and_dimensions_match_the_published_files(tmp_path):
    content = tmp_path / "content"
    src = save(content, "2026/0305-1.jpg", upright())
    result, _ = run(tmp_path, [src])
    photo = result[src]
    files = published(tmp_path, photo)
    sizes = "(min-width: 45em) 40em, 100vw"
    html = ph.picture_html(photo, '社区主任带队走访 "张" & <李>', lazy=True, sizes=sizes, base="../../")
    tags = Tags(html)
    assert [t for t, _ in tags.tags] == ["a", "picture", "source", "img"]

    source, img, link = tags.first("source"), tags.first("img"), tags.first("a")
    assert source["type"] == "image/webp" and source["sizes"] == sizes and img["sizes"] == sizes
    for attrs, fmt, ext in ((source, "webp", "webp"), (img, "jpeg", "jpg")):
        entries = [e.strip().split(" ") for e in attrs["srcset"].split(",")]
        assert [d for _, d in entries] == ["16w", "32w", "64w"]
        for url, descriptor in entries:
            assert url.startswith("../../assets/photos/") and url.endswith("." + ext)
            site_url = url.removeprefix("../../")
            im = Image.open(io.BytesIO(files[site_url]))
            assert im.format == fmt.upper() and f"{im.width}w" == descriptor
    # The fallback is the middle JPEG, and its size is set so the page does not jump.
    assert img["src"] == "../../" + photo.fallback().url and img["src"].endswith("-32.jpg")
    fallback = Image.open(io.BytesIO(files[photo.fallback().url]))
    assert (img["width"], img["height"]) == (str(fallback.width), str(fallback.height)) == ("32", "24")
    assert img["alt"] == '社区主任带队走访 "张" & <李>'
    assert img["loading"] == "lazy" and img["decoding"] == "async"
    assert link["href"] == "../../" + photo.largest("jpeg").url and link["href"].endswith("-64.jpg")

    eager = Tags(ph.picture_html(photo, "", lazy=False, sizes=sizes, base="")).first("img")
    assert eager["loading"] == "eager" and eager["src"] == photo.fallback().url


# --------------------------------------------------------------------------- the cache


def test_second_build_hits_the_cache_and_decodes_nothing(tmp_path, monkeypatch):
    content = tmp_path / "content"
    sources = [save(content, f"{i}.jpg", upright(64 + i, 48)) for i in range(3)]
    first, _ = run(tmp_path, sources)

    def no_decoding(*a, **kw):
        raise AssertionError("a warm build opened an image")
    monkeypatch.setattr(ph.Image, "open", no_decoding)
    monkeypatch.setattr(ph, "_run_jobs", no_decoding)
    hashed = []
    monkeypatch.setattr(ph, "_hash_file", lambda p: hashed.append(p))
    second, problems = run(tmp_path, sources)
    assert not problems and second == first and hashed == []

    # A fresh checkout changes mtimes, not content: hashed again, still not decoded.
    monkeypatch.undo()
    monkeypatch.setattr(ph.Image, "open", no_decoding)
    for s in sources:
        (content / s).touch()
    third, _ = run(tmp_path, sources)
    assert third == first


def test_changed_photo_is_processed_again_under_a_new_name(tmp_path):
    content = tmp_path / "content"
    src = save(content, "a.jpg", upright())
    first, _ = run(tmp_path, [src])
    save(content, "a.jpg", upright().transpose(Image.Transpose.ROTATE_180))
    second, _ = run(tmp_path, [src])
    assert first[src].id != second[src].id
    assert first[src].largest("webp").url != second[src].largest("webp").url


def test_same_photo_referenced_twice_is_processed_once(tmp_path, monkeypatch):
    content = tmp_path / "content"
    a = save(content, "a.jpg", upright())
    b = save(content, "copy-of-a.jpg", (content / a).read_bytes())
    calls = []
    real = ph._render
    monkeypatch.setattr(ph, "_render", lambda job: calls.append(job) or real(job))
    problems = Problems()
    requests = [PhotoRequest(a, RECORD, "cover"), PhotoRequest(a, "content/honors/2026.yml", "honors[0].photo"),
                PhotoRequest(b, RECORD, "photos[1].file")]
    result = ph.process_photos(requests, content, tmp_path / "cache", SMALL, problems, jobs=1)
    assert len(calls) == 1 and set(result) == {a, b}
    assert result[a].variants == result[b].variants


def test_output_is_byte_identical_across_caches(tmp_path):
    content = tmp_path / "content"
    src = save(content, "a.jpg", upright())
    first, _ = run(tmp_path, [src])
    a = published(tmp_path, first[src], "site-a")
    (tmp_path / "cache").rename(tmp_path / "cache-old")
    second, _ = run(tmp_path, [src])
    b = published(tmp_path, second[src], "site-b")
    assert a == b


def test_process_pool_gives_the_same_result(tmp_path):
    content = tmp_path / "content"
    sources = [save(content, f"{i}.jpg", upright(64 + i, 48)) for i in range(3)]
    sources.append(save(content, "bad.jpg", "not a photo"))
    pooled, problems = run(tmp_path, sources, jobs=2)
    assert len(pooled) == 3 and len(problems) == 1
    assert "bad.jpg" in problems.items[0].message
    (tmp_path / "cache").rename(tmp_path / "cache-pooled")
    serial, _ = run(tmp_path, sources, jobs=1)
    assert serial == pooled


def test_half_written_entries_are_ignored_and_prune_removes_unreferenced(tmp_path):
    content = tmp_path / "content"
    keep, drop = save(content, "keep.jpg", upright()), save(content, "drop.jpg", upright(60, 40))
    result, _ = run(tmp_path, [keep, drop])
    cache = tmp_path / "cache"
    # A killed build leaves its work in tmp/, never a half entry in entries/.
    (cache / "tmp" / "deadbeef.killed").mkdir(parents=True)
    (cache / "tmp" / "deadbeef.killed" / "x-16.webp").write_bytes(b"half")
    removed = ph.prune_cache(cache, [result[keep].id])
    assert removed == 1
    assert sorted(p.name for p in (cache / "entries").iterdir()) == [result[keep].id]
    again, problems = run(tmp_path, [keep])
    assert not problems and again[keep] == result[keep]


def test_prune_command_keeps_what_records_reference(tmp_path):
    content = tmp_path / "content"
    used = save(content, "2026/0305-1.jpg", upright())
    gone = save(content, "2026/old.jpg", upright(60, 40))
    run(tmp_path, [used, gone])
    record = content / "activities" / "2026" / "2026-03-05-leifeng-visit.md"
    record.parent.mkdir(parents=True)
    record.write_text("---\ntitle: 学雷锋\nphotos:\n  - {file: photos/2026/0305-1.jpg, caption: 走访, consent: true}\n---\n正文\n",
                      encoding="utf-8")
    spec = importlib.util.spec_from_file_location("photos_cli", Path(__file__).parents[1] / "scripts" / "photos.py")
    cli = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(cli)
    assert [r.source for r in cli.referenced(content)] == [used]
    assert cli.main(["prune", "--content", str(content), "--cache", str(tmp_path / "cache")]) == 0
    assert len(list((tmp_path / "cache" / "entries").iterdir())) == 1
    result, _ = run(tmp_path, [used])
    assert (tmp_path / "cache" / "entries" / result[used].id).is_dir()


def test_progress_line_only_when_asked_or_on_a_terminal(tmp_path, capsys):
    content = tmp_path / "content"
    sources = [save(content, f"{i}.png", upright(20 + i, 16)) for i in range(ph.PROGRESS_MIN_PHOTOS)]
    run(tmp_path, sources, progress=None)  # pytest's stderr is not a terminal
    assert "处理照片" not in capsys.readouterr().err
    (tmp_path / "cache").rename(tmp_path / "cache-1")
    run(tmp_path, sources, progress=True)
    assert f"处理照片 {len(sources)}/{len(sources)}" in capsys.readouterr().err


# --------------------------------------------------------------------------- bad photos


def png_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims this size: enough to test limits without the pixels."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64))
            + chunk(b"IEND", b""))


def png_16_bit() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\0" + b"\x12\x34" * 3 * 8 for _ in range(6))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 8, 6, 16, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def truncated_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.effect_noise((64, 48), 50).convert("RGB").save(buf, "JPEG", quality=95)
    return buf.getvalue()[: len(buf.getvalue()) // 2]


def cmyk_jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("CMYK", (64, 48), (0, 100, 100, 0)).save(buf, "JPEG")
    return buf.getvalue()


def animated_gif() -> bytes:
    buf = io.BytesIO()
    frames = [Image.new("RGB", (32, 24), c) for c in ((255, 0, 0), (0, 255, 0), (0, 0, 255))]
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return buf.getvalue()


BAD = [
    ("truncated.jpg", truncated_jpeg, ["不完整或已损坏"]),
    ("notes.jpg", lambda: "会议记录：周三下午开会".encode(), ["不是图片", "文字"]),
    ("empty.jpg", lambda: b"", ["不是图片"]),
    ("poster.jpg", cmyk_jpeg, ["CMYK", "RGB"]),
    ("scan.png", png_16_bit, ["16 位"]),
    ("huge.png", lambda: png_claiming(10_000, 10_000), ["太大", "100 百万像素", "上限 60"]),
    ("dance.gif", animated_gif, ["动图", "3 帧"]),
]


@pytest.mark.parametrize("name, make, words", BAD, ids=[b[0] for b in BAD])
def test_each_bad_photo_gives_its_message_naming_record_field_and_file(tmp_path, name, make, words):
    content = tmp_path / "content"
    bad = save(content, name, make())
    good = save(content, "good.jpg", upright())
    result, problems = run(tmp_path, [good, bad])
    assert set(result) == {good}  # one bad photo does not stop the others
    [p] = problems.items
    assert p.file == RECORD and p.field == "photos[1].file"
    assert f"content/photos/{name}" in p.message
    for word in words:
        assert word in p.message + p.hint, p.format()
    assert p.hint
    # Refusals are cached too: a warm build does not decode the bad photo again.
    again, problems2 = run(tmp_path, [good, bad])
    assert problems2.items == problems.items


def test_pillow_decompression_bomb_warning_becomes_a_problem(tmp_path, monkeypatch):
    content = tmp_path / "content"
    src = save(content, "a.jpg", upright())
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)  # 64x48 = 3072 pixels: above it
    result, problems = run(tmp_path, [src], settings=PhotoSettings(widths=(16,), max_pixels=10**9))
    assert result == {}
    [p] = problems.items
    assert "太大" in p.message and "content/photos/a.jpg" in p.message


@pytest.mark.parametrize("source, words", [
    ("photos/2026/0305-l.jpg", ["找不到照片文件 content/photos/2026/0305-l.jpg", "photos/2026/0305-1.jpg"]),
    ("../secret.jpg", ["不在 content/"]),
    ("/etc/passwd", ["不在 content/"]),
])
def test_missing_or_outside_photo(tmp_path, source, words):
    save(tmp_path / "content", "2026/0305-1.jpg", upright())
    result, problems = run(tmp_path, [source])
    assert result == {}
    [p] = problems.items
    for word in words:
        assert word in p.message + p.hint


def heic_bytes(orientation: int) -> bytes:
    pillow_heif = pytest.importorskip("pillow_heif")
    if not pillow_heif.libheif_info().get("encoders", {}).get("x265"):
        pytest.skip("libheif has no HEVC encoder here")
    stored = upright() if STORED[orientation] is None else upright().transpose(STORED[orientation])
    buf = io.BytesIO()
    pillow_heif.from_pillow(stored).save(buf, quality=90, exif=gps_exif(orientation).tobytes())
    return buf.getvalue()


def test_iphone_heic_is_accepted_upright_and_without_metadata(tmp_path):
    content = tmp_path / "content"
    src = save(content, "IMG_0001.HEIC", heic_bytes(6))
    result, problems = run(tmp_path, [src])
    assert not problems
    photo = result[src]
    assert (photo.width, photo.height) == (64, 48)
    for url, data in published(tmp_path, photo).items():
        assert_no_metadata(url, data)
        im = Image.open(io.BytesIO(data)).convert("RGB")
        w, h = im.size
        assert close(im.getpixel((w // 4, h // 4)), TL, tol=50)
        assert close(im.getpixel((3 * w // 4, 3 * h // 4)), BR, tol=50)


def test_heic_without_a_decoder_says_how_to_convert(tmp_path, monkeypatch):
    content = tmp_path / "content"
    src = save(content, "IMG_0002.heic", heic_bytes(1))
    monkeypatch.setattr(ph, "_heif_registered", lambda: False)
    result, problems = run(tmp_path, [src])
    assert result == {}
    [p] = problems.items
    assert "HEIC" in p.message and "content/photos/IMG_0002.heic" in p.message
    assert "兼容性最佳" in p.hint
