"""The text of a document, page by page, with offsets that map every span to its page.

The full text is the pages' texts joined with a single form feed (``PAGE_SEPARATOR``).
A page's ``start``/``end`` are offsets into that full text, so
``document.text[page.start:page.end] == page.text`` for every page, and the separator
between page *n* and page *n + 1* sits at offset ``pages[n - 1].end``. One character
keeps the arithmetic trivial, and no page text ever contains a form feed (the readers
turn stray ones into newlines), so splitting ``text`` on ``"\\f"`` gives the pages back.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from enum import StrEnum

PAGE_SEPARATOR = "\f"


class MediaType(StrEnum):
    """The document formats contractsync reads, detected from content, not from names."""

    PDF = "application/pdf"
    DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    TEXT = "text/plain"
    HTML = "text/html"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"


class BoilerplateKind(StrEnum):
    """Why a line was recognised as page furniture rather than contract text."""

    PAGE_NUMBER = "page_number"
    FILING_SOURCE = "filing_source"
    CONFIDENTIALITY_LEGEND = "confidentiality_legend"
    RUNNING_HEADER = "running_header"


@dataclass(frozen=True, slots=True)
class PageText:
    """One page: its 1-based number, its text, and where that text sits in the full text.

    ``ocr`` is true when the text came from recognising the page image, not from a text
    layer; extractors may want to trust such text a little less.
    """

    page_number: int
    text: str
    start: int
    end: int
    ocr: bool = False


@dataclass(frozen=True, slots=True)
class PageSpan:
    """A span relative to one page's text: ``page.text[start:end]``."""

    page_number: int
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Boilerplate:
    """A header, footer, page number or legend line, as a span of the full text."""

    start: int
    end: int
    kind: BoilerplateKind


@dataclass(frozen=True, slots=True)
class DocumentText:
    """A document read into text: what it was, its pages, and its recognised boilerplate.

    ``text`` is derived from ``pages`` (joined with ``PAGE_SEPARATOR``); the constructor
    checks that the pages' offsets agree with it, so a ``DocumentText`` can be trusted to
    map spans correctly wherever it was built.
    """

    name: str
    sha256: str
    media_type: MediaType
    pages: tuple[PageText, ...]
    boilerplate: tuple[Boilerplate, ...] = ()
    text: str = field(init=False, repr=False)
    _starts: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        if not self.pages:
            raise ValueError(f"Document {self.name!r} has no pages.")
        expected_start = 0
        for number, page in enumerate(self.pages, start=1):
            if page.page_number != number:
                raise ValueError(f"Page {page.page_number} is at position {number}.")
            if page.start != expected_start or page.end != page.start + len(page.text):
                raise ValueError(f"Page {number} offsets do not follow the previous page.")
            if PAGE_SEPARATOR in page.text:
                raise ValueError(f"Page {number} contains the page separator.")
            expected_start = page.end + len(PAGE_SEPARATOR)
        text = PAGE_SEPARATOR.join(page.text for page in self.pages)
        for item in self.boilerplate:
            if not 0 <= item.start <= item.end <= len(text):
                raise ValueError(f"Boilerplate span {item.start}:{item.end} is outside the text.")
        # Frozen dataclasses set derived fields through object.__setattr__ by design.
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "_starts", tuple(page.start for page in self.pages))

    def page(self, page_number: int) -> PageText:
        """The page with this 1-based number."""
        if not 1 <= page_number <= len(self.pages):
            raise IndexError(f"{self.name!r} has pages 1 to {len(self.pages)}, not {page_number}.")
        return self.pages[page_number - 1]

    def page_at(self, offset: int) -> PageText:
        """The page holding this offset of the full text.

        An offset equal to a page's ``end`` (the separator's position) belongs to that
        page, so the end of a span that stops at the end of a page stays on that page.
        """
        if not 0 <= offset <= len(self.text):
            raise IndexError(f"Offset {offset} is outside {self.name!r} (0..{len(self.text)}).")
        index = bisect.bisect_right(self._starts, offset) - 1
        return self.pages[index]

    def to_page_spans(self, start: int, end: int) -> tuple[PageSpan, ...]:
        """Map a span of the full text to page-relative spans, one per page it touches.

        Most evidence lies on one page and gets exactly one ``PageSpan``; a clause that runs
        over a page break gets one piece per page, without the separators. An empty span,
        or one covering only a separator, maps to an empty span on the page it starts on.
        """
        if start > end:
            raise ValueError(f"Span start {start} is after its end {end}.")
        first = self.page_at(start)
        last = self.page_at(end)
        pieces = []
        for page in self.pages[first.page_number - 1 : last.page_number]:
            piece_start = max(start, page.start)
            piece_end = min(end, page.end)
            if piece_start < piece_end:
                pieces.append(
                    PageSpan(page.page_number, piece_start - page.start, piece_end - page.start)
                )
        if not pieces:
            anchor = start - first.start
            return (PageSpan(first.page_number, anchor, anchor),)
        return tuple(pieces)

    def to_document_span(self, span: PageSpan) -> tuple[int, int]:
        """Map a page-relative span back to ``(start, end)`` offsets of the full text."""
        page = self.page(span.page_number)
        if not 0 <= span.start <= span.end <= len(page.text):
            raise IndexError(
                f"Span {span.start}:{span.end} is outside page {span.page_number} "
                f"of {self.name!r} (0..{len(page.text)})."
            )
        return page.start + span.start, page.start + span.end

    def is_boilerplate(self, start: int, end: int) -> bool:
        """Whether the span lies entirely inside recognised boilerplate."""
        return any(item.start <= start and end <= item.end for item in self.boilerplate)

    def clean_text(self) -> str:
        """The full text with boilerplate blanked out by spaces.

        Blanking instead of deleting keeps every offset valid, so a match found in the
        clean text is a span of ``text`` too; newlines and separators are left in place.
        """
        if not self.boilerplate:
            return self.text
        chars = list(self.text)
        for item in self.boilerplate:
            for index in range(item.start, item.end):
                if chars[index] not in "\n\f":
                    chars[index] = " "
        return "".join(chars)
