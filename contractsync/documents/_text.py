"""Plain-text contracts: decode the bytes, and split pages on form feeds.

Text exported from EDGAR filings and from older word processors is UTF-8, UTF-16 with a
byte-order mark, or Windows-1252; nothing else is common enough to guess at. Form feeds
are the only page structure plain text has, so they are taken to be page breaks.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator

from contractsync.documents._limits import ReadLimits
from contractsync.documents._source import DocumentSource

_BOM_ENCODINGS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode ``data``: a byte-order mark wins, then ``declared``, UTF-8, Windows-1252.

    A BOM is a strong enough claim that undecodable bytes after it become U+FFFD rather
    than a different guess. Windows-1252 leaves five byte values undefined; a text that
    uses them is decoded as Latin-1, which cannot fail.
    """
    for bom, encoding in _BOM_ENCODINGS:
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace")
    candidates = [declared] if declared else []
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("latin-1")


def iter_text_pages(source: DocumentSource, limits: ReadLimits) -> Iterator[str]:
    """Yield the raw text of each form-feed-separated page of a plain-text document."""
    yield from split_pages(source, decode_text(source.read_bytes()), limits)


def split_pages(source: DocumentSource, text: str, limits: ReadLimits) -> Iterator[str]:
    """Split on form feeds, ignoring the customary form feed after the last page."""
    pages = text.split("\f")
    if len(pages) > 1 and not pages[-1].strip():
        pages.pop()
    limits.check_pages(source, len(pages))
    yield from pages
