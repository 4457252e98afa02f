"""Small files of each attachment kind, made in memory for the tests (no fixtures on disk)."""
from __future__ import annotations

import io
import zlib


def pdf(pages: list[str | None], extra_catalog: str = "", raw_objects: tuple[str, ...] = (),
        author: str = "", note: str = "") -> bytes:
    """A PDF with one page per item: its text (any Unicode, drawn in a CID font whose
    ToUnicode map is the identity over UTF-16, so text extraction gives it back), or None for
    a page with only a drawn box (what a scan looks like to the checker). `author` (ASCII)
    goes into the document's properties, `note` (ASCII) into a comment on the first page."""
    objects: list[bytes] = []

    def add(body: bytes) -> int:
        objects.append(body)
        return len(objects)

    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /U def "
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange "
            b"1 beginbfrange <0000> <FFFF> <0000> endbfrange endcmap "
            b"CMapName currentdict /CMap defineresource pop end end")
    tounicode = add(b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream")
    descendant = add(b"<< /Type /Font /Subtype /CIDFontType2 /BaseFont /Song /CIDSystemInfo "
                     b"<< /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >>")
    font = add(b"<< /Type /Font /Subtype /Type0 /BaseFont /Song /Encoding /Identity-H "
               b"/DescendantFonts [%d 0 R] /ToUnicode %d 0 R >>" % (descendant, tounicode))
    page_ids = []
    pages_id = len(objects) + 2 * len(pages) + 1 + len(raw_objects)
    for text in pages:
        if text is None:
            stream = b"0 0 0 rg 50 50 200 200 re f"
        else:
            lines = text.split("\n")
            stream = b"BT /F1 12 Tf 50 750 Td 14 TL " + b" ".join(
                b"<" + line.encode("utf-16-be").hex().encode() + b"> Tj T*" for line in lines) + b" ET"
        stream = zlib.compress(stream)
        content = add(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
        annots = (b"/Annots [<< /Type /Annot /Subtype /Text /Rect [0 0 20 20] /Contents (%s) >>]" % note.encode()
                  if note and not page_ids else b"")
        page_ids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
                            b"/Resources << /Font << /F1 %d 0 R >> >> %s >>" % (pages_id, content, font, annots)))
    for raw in raw_objects:
        add(raw.encode())
    assert add(b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % i for i in page_ids), len(page_ids))) == pages_id
    catalog = add(b"<< /Type /Catalog /Pages %d 0 R %s >>" % (pages_id, extra_catalog.encode()))
    info = add(b"<< /Author (%s) >>" % author.encode()) if author else 0
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    info_ref = b" /Info %d 0 R" % info if info else b""
    out.write(b"trailer\n<< /Size %d /Root %d 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, info_ref, xref))
    return out.getvalue()


def docx(paragraphs: list[str], author: str = "") -> bytes:
    import docx as python_docx
    document = python_docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    if author:
        document.core_properties.author = author
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def docx_with_picture(paragraphs: list[str]) -> bytes:
    import docx as python_docx
    document = python_docx.Document()
    for p in paragraphs:
        document.add_paragraph(p)
    document.add_picture(io.BytesIO(png()))
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def xlsx(rows: list[list], hidden_rows: list[list] | None = None, title: str = "名单") -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if hidden_rows:
        other = book.create_sheet("隐藏")
        other.sheet_state = "hidden"
        for row in hidden_rows:
            other.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def jpeg(size=(64, 48), gps_marker: str = "", color=(200, 60, 40)) -> bytes:
    """A JPEG; with gps_marker, an EXIF block with GPS coordinates and the marker as the camera
    make and description (which must not survive into the site)."""
    from PIL import Image
    im = Image.new("RGB", size, color)
    buf = io.BytesIO()
    if gps_marker:
        exif = Image.Exif()
        exif[0x010F] = gps_marker  # Make
        exif[0x010E] = gps_marker  # ImageDescription
        gps = exif.get_ifd(0x8825)
        gps[1], gps[2], gps[3], gps[4] = "N", (30.0, 52.0, 10.0), "E", (120.0, 25.0, 5.0)
        im.save(buf, "JPEG", exif=exif.tobytes())
    else:
        im.save(buf, "JPEG")
    return buf.getvalue()


def png(size=(64, 48)) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buf, "PNG")
    return buf.getvalue()


def huge_png(width: int = 30000, height: int = 30000) -> bytes:
    """A valid PNG header claiming width x height pixels, with one tiny compressed row: the
    pixel-count check must refuse it before anything is decoded."""
    import struct

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")
