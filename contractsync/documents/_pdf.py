"""PDF contracts through PDFium: the text layer, and a rendered image when OCR is needed.

Pages are loaded, read and closed one at a time, and a file on disk is opened by path so
PDFium reads it on demand; a long PDF therefore never costs more than one page at once.
Decompression bombs are refused before PDFium spends memory on them: Flate streams are
measured before the file is opened (``_pdf_streams``), and a page's images are checked
against ``ReadLimits.max_image_pixels`` before the page is rendered, since rendering
decodes each image at its full size whatever the output resolution.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
from PIL import Image

from contractsync.documents._limits import ReadLimits
from contractsync.documents._ocr import PageRecognizer, RawPage
from contractsync.documents._pdf_streams import check_pdf_streams
from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError

_POINTS_PER_INCH = 72
# How deep into nested Form XObjects images are looked for before rendering: beyond the
# few tens of levels PDFium itself parses, so no image it would decode is missed.
_FORM_DEPTH = 64


def iter_pdf_pages(
    source: DocumentSource,
    limits: ReadLimits,
    recognizer: PageRecognizer,
    *,
    password: str | None = None,
) -> Iterator[RawPage]:
    """Yield each page's text, from its text layer or, where that is unusable, from OCR."""
    check_pdf_streams(source, limits)
    pdf = _open(source, password)
    try:
        # PDFium refuses to open a PDF without pages, so count is at least 1 here.
        count = len(pdf)
        limits.check_pages(source, count)
        for index in range(count):
            yield _read_page(pdf, index, source, limits, recognizer)
    finally:
        pdf.close()


def _open(source: DocumentSource, password: str | None) -> Any:
    document_input: Any = source.path if source.path is not None else source.data
    try:
        return pdfium.PdfDocument(document_input, password=password)
    except pdfium.PdfiumError as exc:
        raise _open_error(source, exc.err_code, password) from exc


def _open_error(source: DocumentSource, code: int | None, password: str | None) -> DocumentError:
    name = source.name
    if code == pdfium_c.FPDF_ERR_PASSWORD:
        if password is None:
            message = (
                f"PDF {name!r} is encrypted and needs a password to open. Pass it with "
                "read_document(..., password=...), or ask the sender for an unprotected copy."
            )
        else:
            message = (
                f"PDF {name!r} is encrypted and the password given does not open it. "
                "Check the password and read it again."
            )
        return DocumentError(message, document=name, encrypted=True)
    if code == pdfium_c.FPDF_ERR_SECURITY:
        return DocumentError(
            f"PDF {name!r} is encrypted with a security scheme PDFium does not support. "
            "Remove the protection (qpdf --decrypt in.pdf out.pdf) and read it again.",
            document=name,
            encrypted=True,
        )
    if code == pdfium_c.FPDF_ERR_FILE:
        return DocumentError(
            f"PDF {name!r} cannot be opened: the file is missing or unreadable. "
            "Check the path and its permissions.",
            document=name,
        )
    return DocumentError(
        f"PDF {name!r} is corrupt or truncated and cannot be opened. Ask for the original "
        "file again, or try repairing it (qpdf in.pdf repaired.pdf).",
        document=name,
    )


def _read_page(
    pdf: Any, index: int, source: DocumentSource, limits: ReadLimits, recognizer: PageRecognizer
) -> RawPage:
    page_number = index + 1
    try:
        page = pdf[index]
    except pdfium.PdfiumError as exc:
        raise _damaged_page(source, page_number) from exc
    try:
        textpage = page.get_textpage()
        try:
            text_layer = textpage.get_text_bounded()
        finally:
            textpage.close()
        has_images = _has_images(page)

        def render() -> tuple[Image.Image, int]:
            _check_images(page, source, limits, page_number)
            return _render(page, limits)

        return recognizer.page(
            text_layer,
            render,
            has_images=has_images,
            document=source.name,
            page_number=page_number,
        )
    except pdfium.PdfiumError as exc:
        raise _damaged_page(source, page_number) from exc
    finally:
        page.close()


def _has_images(page: Any) -> bool:
    images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=4)
    return next(iter(images), None) is not None


def _check_images(page: Any, source: DocumentSource, limits: ReadLimits, page_number: int) -> None:
    # Rendering decodes each image at its full size, whatever the output resolution; the
    # size it declares is read here without decoding a pixel.
    images = page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE], max_depth=_FORM_DEPTH)
    for image in images:
        width, height = image.get_px_size()
        limits.check_image(source, width, height, page_number)


def _render(page: Any, limits: ReadLimits) -> tuple[Image.Image, int]:
    """Render for OCR at ``limits.ocr_dpi``, lowered where needed to fit the pixel limit."""
    width, height = page.get_size()
    area_in_points = max(width * height, 1.0)
    dpi = float(limits.ocr_dpi)
    pixels = area_in_points * (dpi / _POINTS_PER_INCH) ** 2
    if pixels > limits.max_image_pixels:
        # An oversized page (a plan, a poster) is rendered coarser rather than refused.
        # pypdfium2 rounds the bitmap's sides up, so the scale s solves
        # (width * s + 1) * (height * s + 1) = max_image_pixels.
        sides = width + height
        room = 4 * area_in_points * (limits.max_image_pixels - 1)
        scale = (math.sqrt(sides * sides + room) - sides) / (2 * area_in_points)
        dpi = _POINTS_PER_INCH * scale
    bitmap = page.render(scale=dpi / _POINTS_PER_INCH, grayscale=True)
    # to_pil() shares PDFium's buffer, which dies with the bitmap: keep a copy instead.
    image: Image.Image = bitmap.to_pil().copy()
    return image, max(1, round(dpi))


def _damaged_page(source: DocumentSource, page_number: int) -> DocumentError:
    return DocumentError(
        f"Page {page_number} of PDF {source.name!r} is damaged and cannot be read. Ask for "
        "the original file again, or try repairing it (qpdf in.pdf repaired.pdf).",
        document=source.name,
        page=page_number,
    )
