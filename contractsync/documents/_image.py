"""Scanned contracts delivered as images: PNG, JPEG and (multi-page) TIFF.

Every frame is a page and goes through OCR. Image headers are checked against
``ReadLimits.max_image_pixels`` before any pixel is decoded, so a few-kilobyte file that
claims to be 100,000 pixels square is refused instead of exhausting memory.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from typing import BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError

from contractsync.documents._limits import ReadLimits
from contractsync.documents._ocr import PageRecognizer, RawPage
from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError

_DEFAULT_DPI = 300
# Below this the DPI in a file's header is usually a placeholder (72, 96, or 1).
_MIN_TRUSTED_DPI = 150


def iter_image_pages(
    source: DocumentSource, limits: ReadLimits, recognizer: PageRecognizer
) -> Iterator[RawPage]:
    """Yield the OCR text of each frame of an image document."""
    with source.open() as stream, _open_image(source, stream) as image:
        frames = getattr(image, "n_frames", 1)
        limits.check_pages(source, frames)
        for index in range(frames):
            page_number = index + 1
            try:
                image.seek(index)
                width, height = image.size
                limits.check_image(source, width, height, page_number)
                # Phone photos of contracts are often stored sideways with an EXIF rotation.
                frame = ImageOps.exif_transpose(image).convert("L")
            except (OSError, ValueError, EOFError) as exc:
                raise _damaged(source, page_number, exc) from exc
            dpi = _dpi(image)

            def render(frame: Image.Image = frame, dpi: int = dpi) -> tuple[Image.Image, int]:
                return frame, dpi

            yield recognizer.page(
                "", render, has_images=True, document=source.name, page_number=page_number
            )


def _open_image(source: DocumentSource, stream: BinaryIO) -> Image.Image:
    try:
        # Our own limit (checked per frame) replaces Pillow's process-wide one, whose
        # warning band would otherwise surface as a warning instead of a refusal.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            return Image.open(stream)
    except Image.DecompressionBombError as exc:
        raise DocumentError(
            f"Image {source.name!r} was refused as a possible decompression bomb ({exc}). "
            "Rescan it at 300 dpi, or convert it to PDF.",
            document=source.name,
        ) from exc
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise _damaged(source, 1, exc) from exc


def _damaged(source: DocumentSource, page_number: int, exc: Exception) -> DocumentError:
    return DocumentError(
        f"Image {source.name!r} is damaged or truncated at page {page_number} ({exc}). "
        "Ask for the original scan again.",
        document=source.name,
        page=page_number,
    )


def _dpi(image: Image.Image) -> int:
    declared = image.info.get("dpi")
    if isinstance(declared, tuple) and declared:
        try:
            value = round(float(declared[0]))
        except (TypeError, ValueError):
            return _DEFAULT_DPI
        if value >= _MIN_TRUSTED_DPI:
            return value
    return _DEFAULT_DPI
