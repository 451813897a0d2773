"""One canonical form for page text, whatever format or OCR engine it came from.

Extractors match with plain regular expressions; they should not have to know that
PDFium reports line ends as ``\\r\\n`` and a line-end hyphen as ``\\x02``, that Word
documents are full of non-breaking spaces, or that Tesseract ends every page with a form
feed. Offsets are defined on the normalised text, so normalising here costs nothing in
traceability.
"""

from __future__ import annotations

import re
import unicodedata

_KEEP_CONTROLS = frozenset("\t\n")

# Characters that carry presentation, not meaning: no-break spaces print as spaces,
# PDFium's \x02 marks a hyphen the producer drew at a line end, and the rest are invisible.
_REPLACEMENTS: dict[int, str | None] = {
    ord("\r"): "\n",
    ord("\f"): "\n",
    ord("\v"): "\n",
    ord("\x02"): "-",
    ord("\u00a0"): " ",
    ord("\u2007"): " ",
    ord("\u202f"): " ",
    ord("\u2028"): "\n",
    ord("\u2029"): "\n",
    ord("\u00ad"): None,
    ord("\u200b"): None,
    ord("\ufeff"): None,
    ord("\ufffe"): None,
    ord("\uffff"): None,
    # Typographic ligatures would make "ﬁle" miss a search for "file".
    ord("\ufb00"): "ff",
    ord("\ufb01"): "fi",
    ord("\ufb02"): "fl",
    ord("\ufb03"): "ffi",
    ord("\ufb04"): "ffl",
}
for _code in range(0x20):
    if chr(_code) not in _KEEP_CONTROLS:
        _REPLACEMENTS.setdefault(_code, None)
_REPLACEMENTS.setdefault(0x7F, None)

_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


def normalize_page_text(text: str) -> str:
    """Return ``text`` with one newline convention, plain spaces and no control characters.

    Trailing spaces on lines and blank lines at the edges of the page are removed; the
    page separator (form feed) can therefore never appear inside a page.
    """
    text = text.replace("\r\n", "\n").translate(_REPLACEMENTS)
    text = unicodedata.normalize("NFC", text)
    return _TRAILING_SPACE.sub("", text).strip("\n")


def meaningful_chars(text: str) -> int:
    """How many letters and digits ``text`` has: the measure of a usable text layer."""
    return sum(1 for char in text if char.isalnum())
