"""Contract files into text with pages and offsets: PDF, DOCX, text, HTML and scans.

Every reader produces a ``DocumentText`` whose pages are joined with a form feed, so any
span an extractor finds maps back to its page (``DocumentText.to_page_spans``), and whose
recurring headers, footers and page numbers are marked as ``boilerplate``.

    from contractsync.documents import read_document

    document = read_document("contracts/supply.pdf")
    start = document.clean_text().find("Governing Law")
    [evidence] = document.to_page_spans(start, start + 13)

Bad input raises ``contractsync.errors.DocumentError`` naming the file and the fix.
"""

from contractsync.documents._limits import ReadLimits
from contractsync.documents._model import (
    PAGE_SEPARATOR,
    Boilerplate,
    BoilerplateKind,
    DocumentText,
    MediaType,
    PageSpan,
    PageText,
)
from contractsync.documents._normalize import normalize_page_text
from contractsync.documents._ocr import OcrEngine, OcrMode, TesseractOcr
from contractsync.documents._reader import (
    DocumentReader,
    ReadResult,
    document_paths,
    iter_pages,
    read_document,
    read_documents,
)

__all__ = [
    "PAGE_SEPARATOR",
    "Boilerplate",
    "BoilerplateKind",
    "DocumentReader",
    "DocumentText",
    "MediaType",
    "OcrEngine",
    "OcrMode",
    "PageSpan",
    "PageText",
    "ReadLimits",
    "ReadResult",
    "TesseractOcr",
    "document_paths",
    "iter_pages",
    "normalize_page_text",
    "read_document",
    "read_documents",
]
