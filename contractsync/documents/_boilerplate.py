"""Recognise page furniture: running headers and footers, page numbers, filing legends.

Boilerplate is *marked*, never removed: each recognised line becomes a ``Boilerplate``
span of the full text, so extractors can skip it while every offset stays true to the
text the user sees. Three kinds of evidence are used, from safest to boldest:

1. Shapes that are furniture wherever they stand: "Page 3 of 12", "- 3 -", EDGAR's
   "Source: COMPANY, 10-K, 2/8/2017" line, confidential-treatment legends.
2. Lines at a page's top or bottom that recur, digits aside, on many pages: running
   headers and footers ("Confidential - Execution Version", "A-6" style page numbers).
3. For text with no page structure at all (one page, as in most text exports), lines
   repeated verbatim at least ``_MIN_REPEATS`` times, far apart: a header that lost its
   page breaks. Lines ending like a sentence or a list lead ("X will:") are excluded,
   because repeating those is normal contract prose.

Signature-block lines ("By:", "Name:", "/s/") are never running headers, even when a
multi-party agreement ends several pages with them: the signatories are terms.
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from contractsync.documents._model import Boilerplate, BoilerplateKind, PageText

# Lines this long are prose, however often they recur.
_MAX_LINE = 200
_MAX_LEGEND = 500
# Lines examined at each edge of a page for running headers and footers.
_EDGE_LINES = 3
# A running header must appear on this share of pages with text (and on at least three).
_MIN_PAGE_SHARE = 0.4
_MIN_PAGES = 3
# Unpaged text: verbatim repeats, letters, and the mean line distance between repeats.
_MIN_REPEATS = 4
_MIN_LETTERS = 8
_MIN_MEAN_GAP = 8

_DASH = r"[-\u2010-\u2015]"

_PAGE_NUMBER = re.compile(
    rf"""^(?:
        (?:page|pg\.?)\s*[|:]?\s*\d{{1,4}}(?:\s*(?:of|/)\s*\d{{1,4}})?
      | \d{{1,4}}\s+of\s+\d{{1,4}}
      | {_DASH}\s*(?:\d{{1,4}}|[ivxlc]{{1,7}})\s*{_DASH}
      | page\s+[ivxlc]{{1,7}}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
# Shapes that are page numbers only where page numbers stand: at a page's top or bottom.
_EDGE_PAGE_NUMBER = re.compile(
    r"^(?:\(?\d{1,4}\)?|[ivxlc]{1,7}|[A-Z]{1,2}\s?-\s?\d{1,3})$", re.IGNORECASE
)
_FILING_SOURCE = re.compile(r"^Source:\s.{2,160},\s*\d{1,2}/\d{1,2}/\d{2,4}$")
_LEGEND = re.compile(
    r"""confidential\s+treatment\s+(?:has\s+been\s+)?requested
      | omitted\s+and\s+filed\s+separately
      | excluded\s+pursuant\s+to\s+regulation\s+s-k
      | (?:is\s+)?not\s+material\s+and\s+(?:would|is\s+the\s+type)
    """,
    re.IGNORECASE | re.VERBOSE,
)
# Repeated lines that end like a sentence or a list lead are prose ("Made in two copies.").
_SENTENCE_ENDS = (".", ";", ":", ",")
_PROSE_WORDS = 4
_SIGNATURE = re.compile(
    r"^(?:by|(?:printed\s+)?name|title|signature|date)\s*:|^printed\s+name\b|/s/"
    r"|^in\s+witness\s+whereof",
    re.IGNORECASE,
)
_WHITESPACE = re.compile(r"\s+")
_GAP = re.compile(r"[^\S\n]{3,}")
_DIGITS = re.compile(r"\d+")
_LINE = re.compile(r"[^\n]+")


@dataclass(frozen=True, slots=True)
class _Line:
    page_index: int
    start: int
    end: int
    text: str
    at_edge: bool
    outermost: bool


def find_boilerplate(pages: Sequence[PageText]) -> tuple[Boilerplate, ...]:
    """Return the boilerplate lines of a document's pages, in text order."""
    lines = _lines(pages)
    found: dict[int, Boilerplate] = {}

    def mark(line: _Line, kind: BoilerplateKind) -> None:
        found.setdefault(line.start, Boilerplate(line.start, line.end, kind))

    legends: list[_Line] = []
    for line in lines:
        kind = _shape_kind(line)
        if kind is BoilerplateKind.CONFIDENTIALITY_LEGEND:
            legends.append(line)
        elif kind is not None:
            mark(line, kind)

    if len(pages) > 1:
        # A lone number at the very top or bottom of a page is its page number.
        for line in lines:
            if line.outermost and _EDGE_PAGE_NUMBER.match(line.text):
                mark(line, BoilerplateKind.PAGE_NUMBER)

    pages_with_text = sum(1 for page in pages if page.text.strip())
    if pages_with_text >= _MIN_PAGES:
        for line, kind in _running_lines(lines, pages_with_text):
            mark(line, kind)
    elif len(pages) == 1:
        for line in _repeated_lines(lines):
            mark(line, BoilerplateKind.RUNNING_HEADER)
    # Last: a legend line that is also a running header is furniture end to end; only a
    # legend that shares its line with prose is cut short.
    for line in legends:
        legend = Boilerplate(line.start, _legend_end(line), BoilerplateKind.CONFIDENTIALITY_LEGEND)
        found.setdefault(line.start, legend)
    return tuple(sorted(found.values(), key=lambda item: item.start))


def _lines(pages: Sequence[PageText]) -> list[_Line]:
    lines: list[_Line] = []
    for index, page in enumerate(pages):
        page_lines = []
        for match in _LINE.finditer(page.text):
            raw = match.group()
            text = raw.strip()
            if not text:
                continue
            lead = len(raw) - len(raw.lstrip())
            start = page.start + match.start() + lead
            page_lines.append((start, start + len(text), text))
        last = len(page_lines) - 1
        for position, (start, end, text) in enumerate(page_lines):
            at_edge = position < _EDGE_LINES or last - position < _EDGE_LINES
            outermost = position in (0, last)
            lines.append(_Line(index, start, end, text, at_edge, outermost))
    return lines


def _shape_kind(line: _Line) -> BoilerplateKind | None:
    text = line.text
    if len(text) <= _MAX_LINE:
        if _PAGE_NUMBER.match(text):
            return BoilerplateKind.PAGE_NUMBER
        if _FILING_SOURCE.match(text):
            return BoilerplateKind.FILING_SOURCE
    if len(text) <= _MAX_LEGEND and _LEGEND.search(text):
        return BoilerplateKind.CONFIDENTIALITY_LEGEND
    return None


def _legend_end(line: _Line) -> int:
    """Where a legend ends on its line. Text exports run page furniture and prose together
    on one line, set apart by wide gaps ("Execution version   CONFIDENTIAL TREATMENT
    REQUESTED   This amendment is entered into on …"): what follows the first gap after
    the last legend phrase is the contract's, not the legend's."""
    phrases = list(_LEGEND.finditer(line.text))
    gap = _GAP.search(line.text, phrases[-1].end()) if phrases else None
    return line.start + gap.start() if gap is not None else line.end


def _running_lines(
    lines: Sequence[_Line], pages_with_text: int
) -> list[tuple[_Line, BoilerplateKind]]:
    """Edge lines whose digit-blind form recurs on a large share of the pages."""
    by_key: defaultdict[str, list[_Line]] = defaultdict(list)
    for line in lines:
        if line.at_edge and len(line.text) <= _MAX_LINE and not _is_prose(line.text):
            by_key[_key(line.text)].append(line)
    needed = max(_MIN_PAGES, math.ceil(_MIN_PAGE_SHARE * pages_with_text))
    running: list[tuple[_Line, BoilerplateKind]] = []
    for key, members in by_key.items():
        if len({line.page_index for line in members}) < needed:
            continue
        kind = BoilerplateKind.RUNNING_HEADER
        if not any(char.isalpha() for char in key.replace("page", "").replace("of", "")):
            kind = BoilerplateKind.PAGE_NUMBER
        running.extend((line, kind) for line in members)
    return running


def _repeated_lines(lines: Sequence[_Line]) -> list[_Line]:
    """Verbatim repeats in unpaged text that look like a running header, not prose."""
    by_text: defaultdict[str, list[int]] = defaultdict(list)
    for position, line in enumerate(lines):
        if len(line.text) <= _MAX_LINE:
            by_text[_WHITESPACE.sub(" ", line.text)].append(position)
    repeated: list[_Line] = []
    for text, positions in by_text.items():
        if len(positions) < _MIN_REPEATS:
            continue
        if sum(1 for char in text if char.isalpha()) < _MIN_LETTERS:
            continue
        if _SIGNATURE.search(text) or text.endswith(_SENTENCE_ENDS):
            continue
        mean_gap = (positions[-1] - positions[0]) / (len(positions) - 1)
        if mean_gap < _MIN_MEAN_GAP:
            continue
        repeated.extend(lines[position] for position in positions)
    return repeated


def _is_prose(text: str) -> bool:
    """Signature lines, and sentences: on short pages every line is near an edge, and a
    clause that differs from page to page only in its numbers must not become a header."""
    if _SIGNATURE.search(text):
        return True
    return text.endswith(_SENTENCE_ENDS) and len(text.split()) >= _PROSE_WORDS


def _key(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub(" ", text.casefold()))
