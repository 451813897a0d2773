"""The front of the package: from a path or bytes to pages, documents and batch results.

A ``DocumentReader`` holds the configuration (limits, OCR engine and mode) and is passed
to whoever reads documents; the module-level functions use a default one. Work happens
page by page: ``iter_pages`` never holds more than one page's images or PDF objects, and
``read_documents`` reads one file at a time, so a corpus is never loaded at once.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from contractsync.documents._boilerplate import find_boilerplate
from contractsync.documents._docx import iter_docx_pages
from contractsync.documents._html import iter_html_pages
from contractsync.documents._image import iter_image_pages
from contractsync.documents._limits import ReadLimits
from contractsync.documents._model import PAGE_SEPARATOR, DocumentText, MediaType, PageText
from contractsync.documents._normalize import meaningful_chars, normalize_page_text
from contractsync.documents._ocr import (
    OcrEngine,
    OcrMode,
    PageRecognizer,
    RawPage,
    TesseractOcr,
)
from contractsync.documents._pdf import iter_pdf_pages
from contractsync.documents._sniff import sniff_media_type
from contractsync.documents._source import DocumentSource
from contractsync.documents._text import iter_text_pages
from contractsync.errors import DocumentError

logger = logging.getLogger(__name__)

DocumentInput = str | os.PathLike[str] | bytes

_IMAGE_TYPES = frozenset({MediaType.PNG, MediaType.JPEG, MediaType.TIFF})


@dataclass(frozen=True, slots=True)
class ReadResult:
    """The outcome of reading one file in a batch: a document or the error that stopped it."""

    path: Path
    document: DocumentText | None = None
    error: DocumentError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@dataclass(frozen=True, slots=True)
class DocumentReader:
    """Reads contract files into ``DocumentText``, with OCR for pages that need it.

    Attributes:
        limits: bounds on size, pages, image pixels, inflated size and OCR time per
            document.
        ocr: the OCR engine; Tesseract by default. It is only called for pages without
            a usable text layer, so digital documents never need it installed.
        ocr_mode: when pages go to OCR (see ``OcrMode``).
        min_text_chars: letters and digits a page's text layer needs to count as usable.
    """

    limits: ReadLimits = field(default_factory=ReadLimits)
    ocr: OcrEngine = field(default_factory=TesseractOcr)
    ocr_mode: OcrMode = OcrMode.AUTO
    min_text_chars: int = 20

    def read(
        self, source: DocumentInput, *, name: str | None = None, password: str | None = None
    ) -> DocumentText:
        """Read a whole document, with its boilerplate marked.

        Args:
            source: a path, or the document's bytes (then ``name`` is required).
            name: the name errors and ``DocumentText.name`` use; defaults to the path.
            password: opens an encrypted PDF.
        """
        document = _as_source(source, name)
        media_type, pages_iter = self._pages(document, password)
        pages = tuple(pages_iter)
        return DocumentText(
            name=document.name,
            sha256=document.sha256(),
            media_type=media_type,
            pages=pages,
            boilerplate=find_boilerplate(pages),
        )

    def iter_pages(
        self, source: DocumentInput, *, name: str | None = None, password: str | None = None
    ) -> Iterator[PageText]:
        """Yield a document's pages one at a time, with the offsets ``read`` would give.

        Boilerplate needs every page to be recognised, so only ``read`` marks it. An
        empty document raises ``DocumentError`` after its last page.
        """
        _, pages = self._pages(_as_source(source, name), password)
        return pages

    def read_many(
        self, paths: Iterable[str | os.PathLike[str]], *, password: str | None = None
    ) -> Iterator[ReadResult]:
        """Read each file, walking folders, and yield one result per file, in order.

        A file that cannot be read yields a result with its error and the batch goes on.
        Hidden files and folders (names starting with ".") are skipped. ``password`` is
        tried on every encrypted PDF; files that are not encrypted ignore it.
        """
        for path in document_paths(paths):
            try:
                yield ReadResult(path, document=self.read(path, password=password))
            except DocumentError as exc:
                logger.warning("document_unreadable document=%s error=%s", path, exc.code)
                yield ReadResult(path, error=exc)
            except Exception as exc:
                # A bug in a parser on one file must not stop the batch; the log has it.
                logger.exception("document_read_crashed document=%s", path)
                error = DocumentError(
                    f"Reading {os.fspath(path)!r} failed unexpectedly ({type(exc).__name__}: "
                    f"{exc}). This is a bug in contractsync; please report it with the file.",
                    document=os.fspath(path),
                )
                yield ReadResult(path, error=error)

    def _pages(
        self, document: DocumentSource, password: str | None
    ) -> tuple[MediaType, Iterator[PageText]]:
        self.limits.check_size(document)
        media_type = sniff_media_type(document)
        return media_type, self._numbered(document, self._raw_pages(document, media_type, password))

    def _raw_pages(
        self, document: DocumentSource, media_type: MediaType, password: str | None
    ) -> Iterator[RawPage]:
        recognizer = PageRecognizer(
            engine=self.ocr,
            mode=self.ocr_mode,
            min_text_chars=self.min_text_chars,
            timeout_s=self.limits.ocr_timeout_s,
        )
        if media_type is MediaType.PDF:
            return iter_pdf_pages(document, self.limits, recognizer, password=password)
        if media_type in _IMAGE_TYPES:
            return iter_image_pages(document, self.limits, recognizer)
        if media_type is MediaType.DOCX:
            return (RawPage(text) for text in iter_docx_pages(document, self.limits))
        if media_type is MediaType.HTML:
            return (RawPage(text) for text in iter_html_pages(document, self.limits))
        return (RawPage(text) for text in iter_text_pages(document, self.limits))

    def _numbered(
        self, document: DocumentSource, raw_pages: Iterator[RawPage]
    ) -> Iterator[PageText]:
        offset = 0
        has_text = False
        number = 0
        for number, raw in enumerate(raw_pages, start=1):
            text = normalize_page_text(raw.text)
            has_text = has_text or meaningful_chars(text) > 0
            yield PageText(number, text, offset, offset + len(text), raw.ocr)
            offset += len(text) + len(PAGE_SEPARATOR)
        if not has_text:
            raise self._empty(document, number)

    def _empty(self, document: DocumentSource, pages: int) -> DocumentError:
        if self.ocr_mode is OcrMode.NEVER:
            fix = "If it is a scan, read it with OCR on (ocr_mode=OcrMode.AUTO)."
        else:
            fix = (
                "If it is a scan, OCR found nothing legible: rescan at 300 dpi or better. "
                "Otherwise ask for a copy with the contract text."
            )
        plural = "page" if pages == 1 else "pages"
        return DocumentError(
            f"Document {document.name!r} has no text on any of its {pages} {plural}. {fix}",
            document=document.name,
            pages=pages,
        )


def _as_source(source: DocumentInput, name: str | None) -> DocumentSource:
    if isinstance(source, bytes):
        if name is None:
            raise TypeError("Reading bytes needs a name= for messages and provenance.")
        return DocumentSource.from_bytes(source, name)
    document = DocumentSource.from_path(source)
    if name is not None:
        return DocumentSource(name=name, path=document.path)
    return document


def document_paths(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path]:
    """The files ``read_documents`` reads for ``paths``, in its order: files (existing or
    not) as given, folders walked in sorted order, hidden files and folders skipped."""
    for entry in paths:
        path = Path(entry)
        if not path.is_dir():
            yield path
            continue
        # os.walk, unlike Path.rglob before 3.13, does not follow links into other trees.
        for folder, subfolders, files in os.walk(path):
            subfolders[:] = sorted(name for name in subfolders if not name.startswith("."))
            for file_name in sorted(files):
                if not file_name.startswith("."):
                    yield Path(folder, file_name)


def read_document(
    source: DocumentInput,
    *,
    name: str | None = None,
    password: str | None = None,
    reader: DocumentReader | None = None,
) -> DocumentText:
    """Read one document (a path, or bytes with ``name``) with ``reader`` or the defaults."""
    return (reader or DocumentReader()).read(source, name=name, password=password)


def iter_pages(
    source: DocumentInput,
    *,
    name: str | None = None,
    password: str | None = None,
    reader: DocumentReader | None = None,
) -> Iterator[PageText]:
    """Yield one document's pages one at a time; see ``DocumentReader.iter_pages``."""
    return (reader or DocumentReader()).iter_pages(source, name=name, password=password)


def read_documents(
    paths: Iterable[str | os.PathLike[str]],
    *,
    password: str | None = None,
    reader: DocumentReader | None = None,
) -> Iterator[ReadResult]:
    """Read files and folders one file at a time; one bad file never stops the others."""
    return (reader or DocumentReader()).read_many(paths, password=password)
