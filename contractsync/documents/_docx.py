"""Word (DOCX) contracts: body paragraphs and tables, in document order.

python-docx opens and validates the package; the body is then walked as XML, because its
``paragraphs`` and ``tables`` lists lose the order between them, repeat merged cells, and
cannot tell deleted tracked-change text from live text.

A DOCX has no fixed pages. Where Word saved the page breaks it rendered
(``w:lastRenderedPageBreak``) those are used, so page numbers match what the author saw;
otherwise hard page breaks and page-starting section breaks are. Headers, footers and
footnotes are left out: they are boilerplate or notes, not terms.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from typing import Any

import docx
from docx.opc.exceptions import PackageNotFoundError

from contractsync.documents._limits import ReadLimits
from contractsync.documents._source import DocumentSource
from contractsync.documents._text import split_pages
from contractsync.errors import DocumentError

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

_PARAGRAPH = f"{_W}p"
_TABLE = f"{_W}tbl"
_ROW = f"{_W}tr"
_CELL = f"{_W}tc"
_TEXT = f"{_W}t"
_TYPE = f"{_W}type"
_RENDERED_BREAK = f"{_W}lastRenderedPageBreak"
# Containers whose children are body content (content controls, tracked insertions...).
_TRANSPARENT = frozenset({f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"})
# Deleted text, field instructions and the fallback copy of drawings are not visible text.
_SKIPPED = frozenset({f"{_W}del", f"{_W}delText", f"{_W}instrText", f"{_MC}Fallback"})
_PAGE_SECTION_TYPES = frozenset({None, "nextPage", "oddPage", "evenPage"})

# A real contract has tens of parts; many thousands means a crafted archive.
_MAX_ZIP_ENTRIES = 10_000
# Small parts compress absurdly well legitimately (empty styles, repeated XML); only
# parts larger than this are held to the ratio limit.
_RATIO_FLOOR_BYTES = 1 << 20


def iter_docx_pages(source: DocumentSource, limits: ReadLimits) -> Iterator[str]:
    """Yield the text of each page of a DOCX document."""
    _check_archive(source, limits)
    try:
        with source.open() as stream:
            document = docx.Document(stream)
    except (PackageNotFoundError, KeyError, ValueError, SyntaxError, zipfile.BadZipFile) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; catching that avoids importing lxml.
        raise DocumentError(
            f"Document {source.name!r} is a damaged DOCX ({type(exc).__name__}: {exc}). "
            "Open it in Word and save it again, or export it as PDF.",
            document=source.name,
        ) from exc
    body = document.element.body
    walker = _BodyText(use_rendered_breaks=_has_rendered_breaks(body))
    walker.block_children(body)
    yield from split_pages(source, walker.text(), limits)


def _check_archive(source: DocumentSource, limits: ReadLimits) -> None:
    with source.open() as stream, zipfile.ZipFile(stream) as archive:
        entries = archive.infolist()
    if len(entries) > _MAX_ZIP_ENTRIES:
        raise _bomb(source, f"it holds {len(entries):,} parts")
    total = sum(entry.file_size for entry in entries)
    if total > limits.max_unzipped_bytes:
        raise _bomb(
            source,
            f"it unzips to {total:,} bytes, over ReadLimits.max_unzipped_bytes "
            f"({limits.max_unzipped_bytes:,})",
        )
    for entry in entries:
        if entry.file_size <= _RATIO_FLOOR_BYTES:
            continue
        ratio = entry.file_size / max(entry.compress_size, 1)
        if ratio > limits.max_zip_ratio:
            raise _bomb(
                source,
                f"part {entry.filename!r} expands {ratio:,.0f} times, over "
                f"ReadLimits.max_zip_ratio ({limits.max_zip_ratio:,.0f})",
            )


def _bomb(source: DocumentSource, reason: str) -> DocumentError:
    return DocumentError(
        f"Document {source.name!r} was refused as a possible zip bomb: {reason}. "
        "If the file is genuine, export it as PDF or raise the ReadLimits.",
        document=source.name,
    )


def _has_rendered_breaks(body: Any) -> bool:
    return any(True for _ in body.iter(_RENDERED_BREAK))


class _BodyText:
    def __init__(self, *, use_rendered_breaks: bool) -> None:
        self._use_rendered = use_rendered_breaks
        self._parts: list[str] = []

    def text(self) -> str:
        return "".join(self._parts)

    def block_children(self, parent: Any) -> None:
        for child in parent.iterchildren():
            tag = child.tag
            if tag == _PARAGRAPH:
                self._paragraph(child)
                self._parts.append("\n")
            elif tag == _TABLE:
                self._table(child)
            elif tag in _TRANSPARENT:
                self.block_children(child)

    def _table(self, table: Any) -> None:
        for row in table.iterchildren(_ROW):
            cells = []
            for cell in row.iterchildren(_CELL):
                inner = _BodyText(use_rendered_breaks=self._use_rendered)
                inner.block_children(cell)
                # One row per line keeps a table's columns readable for extractors.
                cells.append(" ".join(inner.text().split("\n")).strip(" "))
            self._parts.append("\t".join(cells))
            self._parts.append("\n")

    def _paragraph(self, paragraph: Any) -> None:
        properties = paragraph.find(f"{_W}pPr")
        if (
            not self._use_rendered
            and properties is not None
            and properties.find(f"{_W}pageBreakBefore") is not None
        ):
            self._parts.append("\f")
        self._inline(paragraph)
        if not self._use_rendered and properties is not None:
            section = properties.find(f"{_W}sectPr")
            if section is not None:
                kind = section.find(f"{_W}type")
                value = None if kind is None else kind.get(f"{_W}val")
                if value in _PAGE_SECTION_TYPES:
                    self._parts.append("\f")

    def _inline(self, element: Any) -> None:
        for child in element.iterchildren():
            tag = child.tag
            if not isinstance(tag, str) or tag in _SKIPPED:
                continue
            if tag == _TEXT:
                self._parts.append(child.text or "")
            elif tag == f"{_W}tab":
                self._parts.append("\t")
            elif tag in (f"{_W}br", f"{_W}cr"):
                if child.get(_TYPE) == "page":
                    if not self._use_rendered:
                        self._parts.append("\f")
                else:
                    self._parts.append("\n")
            elif tag == f"{_W}noBreakHyphen":
                self._parts.append("-")
            elif tag == _RENDERED_BREAK:
                if self._use_rendered:
                    self._parts.append("\f")
            elif tag == _PARAGRAPH:
                # A paragraph inside a text box: keep its text on its own line.
                self._parts.append("\n")
                self._paragraph(child)
                self._parts.append("\n")
            elif tag == _TABLE:
                self._table(child)
            else:
                self._inline(child)
