"""How much work one document may cost, and the errors for documents that ask for more.

Contracts come from outside: a 2 GB "PDF", a 60,000-page scan, a 100,000 x 100,000 pixel
PNG of a few kilobytes or a DOCX that unzips to terabytes must be refused up front with
a clear message, not discovered by running out of memory.
"""

from __future__ import annotations

from dataclasses import dataclass

from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError

_MIB = 1 << 20


@dataclass(frozen=True, slots=True)
class ReadLimits:
    """Upper bounds applied to every document read.

    Attributes:
        max_bytes: size of the file itself.
        max_pages: pages of a PDF or TIFF, or form-feed-separated pages of a text file.
        max_image_pixels: pixels of one image, or of one PDF page rendered for OCR (a
            larger page is rendered at a lower resolution instead of refused).
        ocr_timeout_s: seconds OCR may spend on one page before it is abandoned.
        max_unzipped_bytes: total uncompressed size of a DOCX's parts, or of a PDF's
            compressed streams other than images.
        max_zip_ratio: uncompressed-to-compressed ratio any one DOCX part may have;
            real XML compresses 5-20x, a zip bomb thousands of times.
        ocr_dpi: resolution PDF pages are rendered at for OCR.
        max_stream_bytes: uncompressed size of any one compressed PDF stream other than an
            image (page content, fonts, forms). A real page's content is kilobytes; PDFium
            holds about 20 bytes per byte of drawing operators while it reads a page.
    """

    max_bytes: int = 200 * _MIB
    max_pages: int = 2_000
    max_image_pixels: int = 60_000_000
    ocr_timeout_s: float = 120.0
    max_unzipped_bytes: int = 500 * _MIB
    max_zip_ratio: float = 200.0
    ocr_dpi: int = 300
    max_stream_bytes: int = 32 * _MIB

    def check_size(self, source: DocumentSource) -> None:
        self.check_file_size(source.name, source.size())

    def check_file_size(self, name: str, size: int) -> None:
        """Refuse a document of ``size`` bytes over ``max_bytes``; call it before reading."""
        if size > self.max_bytes:
            raise DocumentError(
                f"Document {name!r} is {size:,} bytes, over the limit of "
                f"{self.max_bytes:,}. Split the document, or raise the limit if files this "
                "large are expected (--max-size-mb, or ReadLimits.max_bytes).",
                document=name,
                size=size,
            )

    def check_pages(self, source: DocumentSource, pages: int) -> None:
        if pages > self.max_pages:
            raise DocumentError(
                f"Document {source.name!r} has {pages:,} pages, over the limit of "
                f"{self.max_pages:,}. Split the document, or raise the limit if documents "
                "this long are expected (--max-pages, or ReadLimits.max_pages).",
                document=source.name,
                pages=pages,
            )

    def check_image(self, source: DocumentSource, width: int, height: int, page: int) -> None:
        if width * height > self.max_image_pixels:
            raise DocumentError(
                f"Image on page {page} of {source.name!r} is {width:,} x {height:,} pixels, "
                f"over the limit of {self.max_image_pixels:,} pixels (a possible "
                "decompression bomb). Rescan at 300 dpi, or raise "
                "ReadLimits.max_image_pixels if the image is genuine.",
                document=source.name,
                page=page,
            )
