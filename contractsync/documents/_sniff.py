"""Recognise a document's format from its bytes.

File names lie: contracts arrive as ``.pdf`` files that are really Word documents,
``.doc`` files that are HTML, and exhibits without any extension. The format is therefore
decided by content (magic numbers, the parts inside a zip), never by the name.
"""

from __future__ import annotations

import codecs
import zipfile

from contractsync.documents._model import MediaType
from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError

SUPPORTED = "PDF, DOCX, plain text, HTML, PNG, JPEG and TIFF"

_HEAD_SIZE = 8192

# The PDF specification tolerates junk before the header; readers look for it within the
# first kilobyte, and so do we.
_PDF_HEADER_WINDOW = 1024

_BOMS = (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

_HTML_MARKERS = ("<!doctype html", "<html", "<head", "<body")

# Formats we recognise but do not read, with what the sender can do about them.
_UNSUPPORTED_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Word (.doc) or password-protected Office file",
        "Save it as .docx or PDF without a password.",
    ),
    (b"{\\rtf", "application/rtf", "Save it as .docx or PDF."),
    (b"GIF87a", "image/gif", "Convert it to PNG or TIFF."),
    (b"GIF89a", "image/gif", "Convert it to PNG or TIFF."),
    (b"BM", "image/bmp", "Convert it to PNG or TIFF."),
    (b"\x1f\x8b", "application/gzip", "Unpack it first."),
    (b"7z\xbc\xaf\x27\x1c", "application/x-7z-compressed", "Unpack it first."),
    (b"Rar!\x1a\x07", "application/vnd.rar", "Unpack it first."),
)


def sniff_media_type(source: DocumentSource) -> MediaType:
    """Detect the format of ``source`` or raise ``DocumentError`` naming what it is."""
    head = source.head(_HEAD_SIZE)
    if not head:
        raise DocumentError(
            f"Document {source.name!r} is empty (0 bytes). Check that the upload or copy "
            "completed, then read it again.",
            document=source.name,
        )
    if b"%PDF-" in head[:_PDF_HEADER_WINDOW]:
        return MediaType.PDF
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(source)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return MediaType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return MediaType.JPEG
    if head.startswith((b"II*\x00", b"MM\x00*")):
        return MediaType.TIFF
    if head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise unsupported(source, "image/webp", "Convert it to PNG or TIFF.")
    for magic, detected, fix in _UNSUPPORTED_MAGIC:
        # "BM" is too short to trust alone: a text file may start with those letters.
        if head.startswith(magic) and (magic != b"BM" or not _looks_like_text(head)):
            raise unsupported(source, detected, fix)
    if _looks_like_text(head):
        return MediaType.HTML if _looks_like_html(head) else MediaType.TEXT
    raise unsupported(source, "application/octet-stream", "")


def unsupported(source: DocumentSource, detected: str, fix: str) -> DocumentError:
    advice = f" {fix}" if fix else ""
    return DocumentError(
        f"Document {source.name!r} is {detected}, which contractsync cannot read; "
        f"supported formats are {SUPPORTED}.{advice}",
        document=source.name,
        media_type=detected,
    )


def _sniff_zip(source: DocumentSource) -> MediaType:
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, EOFError, ValueError) as exc:
        raise DocumentError(
            f"Document {source.name!r} looks like a zip archive (DOCX) but is corrupt or "
            f"truncated ({exc}). Ask for the original file again.",
            document=source.name,
        ) from exc
    if "word/document.xml" in names:
        return MediaType.DOCX
    if "xl/workbook.xml" in names:
        raise unsupported(source, "a spreadsheet (XLSX)", "Export the contract as PDF.")
    if "ppt/presentation.xml" in names:
        raise unsupported(source, "a presentation (PPTX)", "Export the contract as PDF.")
    if "content.xml" in names:
        raise unsupported(source, "an OpenDocument file", "Save it as .docx or PDF.")
    raise unsupported(source, "a zip archive", "Unpack it and read the files inside.")


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(_BOMS):
        return True
    if b"\x00" in head:
        return False
    # Cut at a line end so a multi-byte UTF-8 character split by the window is not binary.
    sample = head[: head.rfind(b"\n") + 1] or head
    controls = sum(1 for byte in sample if byte < 0x20 and byte not in b"\t\n\r\f")
    return controls <= len(sample) // 100


def _looks_like_html(head: bytes) -> bool:
    for bom, encoding in (
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if head.startswith(bom):
            lowered = head[len(bom) :].decode(encoding, errors="ignore").lower()
            break
    else:
        lowered = head.decode("latin-1").lower()
    stripped = lowered.lstrip("\ufeffï»¿ \t\r\n")
    if stripped.startswith("<?xml"):
        return "<html" in lowered
    return any(marker in lowered[:2048] for marker in _HTML_MARKERS)
