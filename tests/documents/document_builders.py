"""Builders for the documents tests: paths to CUAD files, and documents made on the fly.

Generated documents (DOCX, scans, hand-written PDFs, hostile archives) are built in a
test's ``tmp_path``, so no binary blobs live in the repository.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import struct
import zipfile
import zlib
from collections.abc import Sequence
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from PIL import Image, ImageDraw, ImageFont

# The shared data sits next to the repository: <workspace>/shared/data.
DATA = Path(__file__).parents[2].parent / "shared" / "data" / "cuad-dev"
CUAD_PDFS = DATA / "full_contract_pdf"
CUAD_TEXTS = DATA / "full_contract_txt"

FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/dejavu/DejaVuSans.ttf"),
    Path("/Library/Fonts/DejaVuSans.ttf"),
)

SCAN_LINES = (
    "SUPPLY AGREEMENT",
    "This Supply Agreement is made on March 3, 2021",
    "between Northwind Traders and Contoso Limited.",
    "The term is three years and renews yearly.",
)


def cuad_pdf(fragment: str) -> Path:
    """The CUAD PDF whose name contains ``fragment``."""
    if not CUAD_PDFS.is_dir():
        pytest.skip(f"CUAD data not found at {CUAD_PDFS}")
    matches = sorted(path for path in CUAD_PDFS.rglob("*") if fragment in path.name)
    assert matches, f"no CUAD PDF matches {fragment!r}"
    return matches[0]


def cuad_text(fragment: str) -> Path:
    if not CUAD_TEXTS.is_dir():
        pytest.skip(f"CUAD data not found at {CUAD_TEXTS}")
    matches = sorted(path for path in CUAD_TEXTS.iterdir() if fragment in path.name)
    assert matches, f"no CUAD text matches {fragment!r}"
    return matches[0]


class FakeOcr:
    """An OCR engine that returns a fixed text and records which pages it was asked for."""

    def __init__(self, text: str = "Recognised contract text on a scanned page.") -> None:
        self.text = text
        self.pages: list[int] = []
        self.sizes: list[tuple[int, int]] = []

    def recognize(
        self, image: Image.Image, *, dpi: int, document: str, page_number: int, timeout_s: float
    ) -> str:
        assert image.size[0] > 0
        assert dpi > 0
        self.pages.append(page_number)
        self.sizes.append(image.size)
        return self.text


# --- scans -----------------------------------------------------------------------------


def draw_scan(font_path: Path, lines: Sequence[str] = SCAN_LINES, size: int = 34) -> Image.Image:
    """A clean greyscale "scan" of a few lines of text, at roughly 200 dpi."""
    font = ImageFont.truetype(str(font_path), size)
    image = Image.new("L", (1300, 120 + 70 * len(lines)), color=255)
    draw = ImageDraw.Draw(image)
    for index, line in enumerate(lines):
        draw.text((60, 60 + 70 * index), line, fill=0, font=font)
    return image


def save_scan(
    path: Path, font_path: Path, pages: int = 1, lines: Sequence[str] = SCAN_LINES
) -> Path:
    """Save drawn pages as PNG, JPEG, (multi-page) TIFF or an image-only PDF."""
    images = [draw_scan(font_path, lines) for _ in range(pages)]
    fmt = {".png": "PNG", ".jpg": "JPEG", ".tiff": "TIFF", ".pdf": "PDF"}[path.suffix.lower()]
    options: dict[str, object] = {"resolution": 200} if fmt == "PDF" else {"dpi": (200, 200)}
    images[0].save(path, fmt, save_all=pages > 1, append_images=images[1:], **options)
    return path


def png_with_size(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width`` x ``height`` pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
        + chunk(b"IEND", b"")
    )


# --- PDFs written by hand ----------------------------------------------------------------

_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    state = list(range(256))
    j = 0
    for i in range(256):
        j = (j + state[i] + key[i % len(key)]) % 256
        state[i], state[j] = state[j], state[i]
    out = bytearray()
    i = j = 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + state[i]) % 256
        state[i], state[j] = state[j], state[i]
        out.append(byte ^ state[(state[i] + state[j]) % 256])
    return bytes(out)


def text_pdf(pages: Sequence[str], user_password: str | None = None) -> bytes:
    """A minimal PDF with one line of Helvetica text per page.

    With ``user_password`` it is encrypted with the standard security handler (RC4,
    revision 2), which every PDF reader must support.
    """
    file_id = hashlib.md5(repr(pages).encode(), usedforsecurity=False).digest()
    count = len(pages)
    font_number = 3 + 2 * count
    objects: dict[int, bytes] = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: (
            b"<< /Type /Pages /Count %d /Kids [%s] >>"
            % (count, b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count)))
        ),
        font_number: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    key = b""
    encrypt = b""
    if user_password is not None:
        padded_user = (user_password.encode("latin-1") + _PAD)[:32]
        owner = _rc4(hashlib.md5(padded_user, usedforsecurity=False).digest()[:5], padded_user)
        permissions = -4
        key = hashlib.md5(
            padded_user + owner + struct.pack("<i", permissions) + file_id,
            usedforsecurity=False,
        ).digest()[:5]
        encrypt_number = font_number + 1
        objects[encrypt_number] = b"<< /Filter /Standard /V 1 /R 2 /O <%s> /U <%s> /P %d >>" % (
            owner.hex().encode(),
            _rc4(key, _PAD).hex().encode(),
            permissions,
        )
        encrypt = b" /Encrypt %d 0 R" % encrypt_number
    for index, line in enumerate(pages):
        page_number, content_number = 3 + 2 * index, 4 + 2 * index
        objects[page_number] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content_number, font_number)
        )
        escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % escaped.encode("latin-1")
        if key:
            object_key = hashlib.md5(
                key + struct.pack("<I", content_number)[:3] + b"\x00\x00", usedforsecurity=False
            ).digest()[:10]
            stream = _rc4(object_key, stream)
        objects[content_number] = b"<< /Length %d >>\nstream\n%s\nendstream" % (
            len(stream),
            stream,
        )
    identity = b" /ID [<%s> <%s>]" % (file_id.hex().encode(), file_id.hex().encode())
    return _pdf_file(objects, trailer=identity + encrypt)


def _pdf_file(objects: dict[int, bytes], trailer: bytes = b"") -> bytes:
    """A PDF of numbered objects (1 is the catalog), with its cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = out.tell()
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, objects[number]))
    xref = out.tell()
    size = max(objects) + 1
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % size)
    for number in range(1, size):
        out.write(b"%010d 00000 n \n" % offsets[number])
    out.write(
        b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (size, trailer, xref)
    )
    return out.getvalue()


def _stream(dictionary: bytes, data: bytes) -> bytes:
    return b"<< %s /Length %d >>\nstream\n%s\nendstream" % (dictionary, len(data), data)


def _one_page_pdf(content: bytes, resources: bytes = b"<< >>", *extra: bytes) -> bytes:
    """A letter-size page drawing ``content`` (a stream object) with ``resources``; the
    ``extra`` objects are numbered from 5."""
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>",
        3: b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources %s >>" % resources,
        4: content,
    }
    objects.update(enumerate(extra, start=5))
    return _pdf_file(objects)


def flate_bomb_pdf(inflated_bytes: int, layers: int = 1, *, armour: str | None = None) -> bytes:
    """A page whose content stream, line-drawing operators Flate-compressed ``layers``
    times over, is a few kilobytes that inflate to ``inflated_bytes``; ``armour``
    ("ascii85" or "hex") wraps the Flate data in that text encoding too."""
    operators = b"0 0 m 100 100 l S\n" * 4096
    data = b"".join(operators for _ in range(inflated_bytes // len(operators) + 1))
    for _ in range(layers):
        data = zlib.compress(data, 9)
    filters = [b"/FlateDecode"] * layers
    if armour == "ascii85":
        data, filters = base64.a85encode(data) + b"~>", [b"/ASCII85Decode", *filters]
    elif armour == "hex":
        data, filters = binascii.hexlify(data) + b">", [b"/ASCIIHexDecode", *filters]
    return _one_page_pdf(_stream(b"/Filter [%s]" % b" ".join(filters), data))


def image_pdf(width: int, height: int, *, in_form: bool = False) -> bytes:
    """A page covered by one grey image of ``width`` x ``height`` pixels, stored as Flate
    (black, so a large image is a small file); ``in_form`` puts it inside a Form XObject."""
    compressor = zlib.compressobj(9)
    row = bytes(width)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    image = _stream(
        b"/Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
        b"/BitsPerComponent 8 /Filter /FlateDecode" % (width, height),
        pixels,
    )
    draw = b"q 612 0 0 792 0 0 cm /Im1 Do Q"
    if not in_form:
        return _one_page_pdf(_stream(b"", draw), b"<< /XObject << /Im1 5 0 R >> >>", image)
    form = _stream(
        b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] "
        b"/Resources << /XObject << /Im1 5 0 R >> >>",
        draw,
    )
    return _one_page_pdf(_stream(b"", b"/Fm1 Do"), b"<< /XObject << /Fm1 6 0 R >> >>", image, form)


def mixed_pdf(path: Path, font_path: Path, text: str) -> Path:
    """Page 1 with ``text`` in a text layer, page 2 a scan of ``SCAN_LINES`` (image only)."""
    scan = save_scan(path.with_name(f"{path.stem}-scan.pdf"), font_path)
    document = pdfium.PdfDocument(text_pdf([text]))
    scanned = pdfium.PdfDocument(scan)
    try:
        document.import_pages(scanned)
        document.save(path)
    finally:
        scanned.close()
        document.close()
    return path


# --- DOCX ------------------------------------------------------------------------------


def build_docx(path: Path, blocks: Sequence[str | list[list[str]] | None]) -> Path:
    """A DOCX from blocks: a string is a paragraph, a list of rows a table, ``None`` a
    hard page break."""
    document = docx.Document()
    for block in blocks:
        if block is None:
            document.add_page_break()
        elif isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for row, values in zip(table.rows, block, strict=True):
                for cell, value in zip(row.cells, values, strict=True):
                    cell.text = value
    document.save(str(path))
    return path


def zip_bomb_docx(path: Path, inflated_bytes: int) -> Path:
    """A DOCX-shaped zip with one part of zeros that compresses a thousandfold."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/padding.bin", "w") as part:
            block = bytes(1 << 20)
            for _ in range(inflated_bytes >> 20):
                part.write(block)
    return path
