"""HTML contracts (EDGAR exhibits, exported web pages) as plain text.

Only what a reader sees is kept: scripts, styles and metadata are dropped, block elements
and ``<br>`` become line breaks, table cells are separated by tabs, and whitespace
collapses as a browser collapses it. EDGAR marks page breaks with CSS
(``page-break-before: always``); those become pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser

from contractsync.documents._limits import ReadLimits
from contractsync.documents._source import DocumentSource
from contractsync.documents._text import decode_text, split_pages
from contractsync.errors import DocumentError

_HIDDEN = frozenset({"script", "style", "template", "noscript", "title", "head"})

_BLOCKS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center",
        "dd", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
        "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "html", "li", "main", "nav",
        "ol", "p", "pre", "section", "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip

_CELLS = frozenset({"td", "th"})
_VOID = frozenset({"br", "hr", "img"})
# What the text may end with when the next text starts a new line ("" = nothing yet).
_LINE_STARTS = frozenset({"", "\n", "\f"})

_BREAK_BEFORE = re.compile(r"(?:page-)?break-before\s*:\s*(?:always|page)", re.IGNORECASE)
_BREAK_AFTER = re.compile(r"(?:page-)?break-after\s*:\s*(?:always|page)", re.IGNORECASE)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_WHITESPACE = re.compile(r"\s+")
_BLANK_RUNS = re.compile(r"\n{3,}")

# The HTML standard reads these labels as Windows-1252, and so do browsers.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin1": "cp1252", "us-ascii": "cp1252"}


def iter_html_pages(source: DocumentSource, limits: ReadLimits) -> Iterator[str]:
    """Yield the text of each page of an HTML document (one page unless CSS breaks it)."""
    data = source.read_bytes()
    text = decode_text(data, declared=_declared_charset(data))
    parser = _VisibleText()
    try:
        parser.feed(text)
        parser.close()
    except (AssertionError, ValueError) as exc:
        # html.parser is lenient, but a few malformed constructs still raise.
        raise DocumentError(
            f"Document {source.name!r} is HTML that cannot be parsed ({exc}). "
            "Save the page again from a browser, or print it to PDF.",
            document=source.name,
        ) from exc
    yield from split_pages(source, parser.text(), limits)


def _declared_charset(data: bytes) -> str | None:
    match = _CHARSET.search(data[:4096])
    if match is None:
        return None
    label = match.group(1).decode("ascii").lower()
    return _CHARSET_ALIASES.get(label, label)


class _VisibleText(HTMLParser):
    """Collects text the way a browser lays it out, as far as lines are concerned.

    Adjacent block boundaries make one line break (``</p><div>`` is not a blank line),
    while each ``<br>`` is a break of its own; runs of whitespace collapse to one space
    except inside ``<pre>``.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._last = ""
        self._hidden_depth = 0
        self._pre_depth = 0
        # Elements whose CSS asks for a page break after them, innermost last.
        self._break_after: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            # Pages that forget </head> would otherwise hide their whole body.
            self._hidden_depth = 0
        if tag in _HIDDEN:
            self._hidden_depth += 1
            return
        style = next((value or "" for name, value in attrs if name == "style"), "")
        if _BREAK_BEFORE.search(style):
            self._emit("\f")
        if tag == "br":
            self._emit("\n")
        elif tag in _BLOCKS:
            self._line_break()
        elif tag in _CELLS and self._last not in _LINE_STARTS:
            self._emit("\t")
        if tag == "pre":
            self._pre_depth += 1
        if _BREAK_AFTER.search(style):
            if tag in _VOID:
                self._emit("\f")
            else:
                self._break_after.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
            return
        if tag == "pre":
            self._pre_depth = max(0, self._pre_depth - 1)
        if tag in _BLOCKS:
            self._line_break()
        if self._break_after and self._break_after[-1] == tag:
            self._break_after.pop()
            self._emit("\f")

    def handle_data(self, data: str) -> None:
        if self._hidden_depth:
            return
        if self._pre_depth:
            self._emit(data.replace("\f", "\n"))
            return
        text = _WHITESPACE.sub(" ", data)
        if self._last in _LINE_STARTS or self._last == " ":
            text = text.lstrip(" ")
        self._emit(text)

    def text(self) -> str:
        return _BLANK_RUNS.sub("\n\n", "".join(self._parts))

    def _line_break(self) -> None:
        if self._last not in _LINE_STARTS:
            self._emit("\n")

    def _emit(self, text: str) -> None:
        if text:
            self._parts.append(text)
            self._last = text[-1]
