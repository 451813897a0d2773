"""OCR: when a page needs it, and how Tesseract is asked for its text.

A PDF page goes to OCR (in the default ``OcrMode.AUTO``) when its text layer is not
*usable* - fewer than ``min_text_chars`` letters and digits (default 20) - and the page
carries an image. That catches pure scans and scans whose only text is a stamped page
number or Bates label, while blank pages and genuinely short pages ("ANNEX 4") keep their
text layer and never require Tesseract. When OCR does run on a page with a thin text
layer, its result is kept only if it reads more. Image files are always OCR'd. The engine
is a constructor argument, so deployments and tests choose it (or a fake) explicitly.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Protocol

from PIL import Image

from contractsync.documents._normalize import meaningful_chars
from contractsync.errors import DocumentError

_INSTALL_HINT = (
    "Install Tesseract (apt-get install tesseract-ocr tesseract-ocr-eng, or brew install "
    "tesseract), or read with ocr_mode=OcrMode.NEVER to skip scanned pages."
)


class OcrMode(StrEnum):
    """When pages are sent to OCR."""

    AUTO = "auto"  # only pages without a usable text layer
    ALWAYS = "always"  # every page, even with a text layer (for PDFs with garbage layers)
    NEVER = "never"  # never; scanned pages come back empty


class OcrEngine(Protocol):
    """Something that turns a page image into text."""

    def recognize(
        self, image: Image.Image, *, dpi: int, document: str, page_number: int, timeout_s: float
    ) -> str:
        """Return the text of ``image``, or raise ``DocumentError`` naming the page."""
        ...


@dataclass(frozen=True, slots=True)
class TesseractOcr:
    """OCR with the ``tesseract`` command-line program, one process per page.

    A subprocess rather than a binding: a stuck or crashing recogniser is killed at the
    timeout without taking the worker down, and nothing needs compiling.

    Attributes:
        binary: program name or path of the Tesseract executable.
        languages: Tesseract language codes joined with "+", e.g. "eng+deu"; each needs
            its traineddata package (tesseract-ocr-deu ...).
        page_segmentation: Tesseract's ``--psm``; 3 (automatic layout) suits contracts.
    """

    binary: str = "tesseract"
    languages: str = "eng"
    page_segmentation: int = 3

    def available(self) -> bool:
        return shutil.which(self.binary) is not None

    def recognize(
        self, image: Image.Image, *, dpi: int, document: str, page_number: int, timeout_s: float
    ) -> str:
        executable = shutil.which(self.binary)
        where = f"Page {page_number} of {document!r}"
        if executable is None:
            raise DocumentError(
                f"{where} has no usable text layer and needs OCR, but the Tesseract program "
                f"{self.binary!r} was not found. {_INSTALL_HINT}",
                document=document,
                page=page_number,
            )
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        command = [
            executable, "stdin", "stdout",
            "-l", self.languages,
            "--psm", str(self.page_segmentation),
            "--dpi", str(dpi),
        ]  # fmt: skip
        # One OpenMP thread per page: Tesseract's own threading spins more than it works;
        # on a 2-core machine a letter page took 8.8 s with it and 1.6 s without. Scale
        # out with parallel workers instead.
        environment = {**os.environ, "OMP_THREAD_LIMIT": "1"}
        try:
            completed = subprocess.run(  # noqa: S603 - fixed argv, no shell
                command,
                input=buffer.getvalue(),
                capture_output=True,
                timeout=timeout_s,
                check=False,
                env=environment,
            )
        except subprocess.TimeoutExpired as exc:
            raise DocumentError(
                f"{where}: OCR did not finish within {timeout_s:g} s and was stopped. "
                "Raise ReadLimits.ocr_timeout_s, or rescan the page at 300 dpi.",
                document=document,
                page=page_number,
            ) from exc
        except OSError as exc:
            raise DocumentError(
                f"{where}: the Tesseract program {executable!r} could not be run "
                f"({exc.strerror}). {_INSTALL_HINT}",
                document=document,
                page=page_number,
            ) from exc
        if completed.returncode != 0:
            detail = completed.stderr.decode("utf-8", errors="replace").strip()[-300:]
            fix = (
                f"Install the language data (apt-get install tesseract-ocr-{self.languages})."
                if "language" in detail.lower()
                else "Check that the page image is not damaged."
            )
            raise DocumentError(
                f"{where}: Tesseract failed (exit {completed.returncode}: {detail}). {fix}",
                document=document,
                page=page_number,
            )
        return completed.stdout.decode("utf-8", errors="replace")


@dataclass(frozen=True, slots=True)
class RawPage:
    """A page's text before normalisation, and whether OCR produced it."""

    text: str
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class PageRecognizer:
    """Decides per page between the text layer and OCR, and runs the engine if needed."""

    engine: OcrEngine
    mode: OcrMode
    min_text_chars: int
    timeout_s: float

    def page(
        self,
        text_layer: str,
        render: Callable[[], tuple[Image.Image, int]],
        *,
        has_images: bool,
        document: str,
        page_number: int,
    ) -> RawPage:
        """Return the page's text, calling ``render`` for an image only when OCR runs.

        In ``AUTO`` mode a page without images is never sent to OCR: it is blank, or its
        little text is all there is, and a digital PDF with a blank page must not need
        Tesseract installed.
        """
        layer_chars = meaningful_chars(text_layer)
        if self.mode is OcrMode.NEVER:
            return RawPage(text_layer)
        if self.mode is OcrMode.AUTO and (layer_chars >= self.min_text_chars or not has_images):
            return RawPage(text_layer)
        image, dpi = render()
        try:
            recognized = self.engine.recognize(
                image,
                dpi=dpi,
                document=document,
                page_number=page_number,
                timeout_s=self.timeout_s,
            )
        finally:
            image.close()
        if self.mode is OcrMode.AUTO and meaningful_chars(recognized) <= layer_chars:
            return RawPage(text_layer)
        return RawPage(recognized, ocr=True)
