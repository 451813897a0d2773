"""The text rules read: the document's clean text, and the sentence around a match.

Rules match on ``DocumentText.clean_text()`` (boilerplate blanked, offsets unchanged), so
every span is a span of the full text the user sees. Sentences are found by looking for
a full stop followed by space and a capital, or a blank line, unless the text after it
goes on in lower case (a page break inside a sentence, in text converted from PDFs); a
sentence is bounded to a few hundred characters each way, because such text sometimes
has no boundary at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from contractsync.documents import DocumentText

_MAX_REACH = 700
_BOUNDARY = re.compile(
    r"(?<![A-Z][a-z])(?<!\b[A-Za-z])(?<!\bNo)(?<!\bSec)[.;]\s+(?=[A-Z(\"“])|\n\s*\n(?!\s*[a-z])|\f(?!\s*[a-z])"
    # A numbered clause on a line of its own starts a sentence even without a full stop
    # before it ("… the Effective Date\n2.2 Upon expiry …").
    r"|\n[ \t]*(?=\d{1,2}(?:\.\d{1,2})*\.?[ \t]+[A-Z])"
)
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Sentence:
    start: int
    end: int
    text: str


class ContractText:
    """A document's clean text with the lookups every rule needs, computed once."""

    def __init__(self, document: DocumentText) -> None:
        self.document = document
        self.text = document.clean_text()

    @cached_property
    def folded(self) -> str:
        """The text casefolded, same length (ASCII casefolding keeps offsets)."""
        lowered = self.text.lower()
        return lowered if len(lowered) == len(self.text) else self.text

    @cached_property
    def head(self) -> str:
        """The first part of the contract, where its title, date and parties are."""
        return self.text[:6000]

    def sentence_at(self, position: int, *, reach: int = _MAX_REACH) -> Sentence:
        """The sentence holding ``position``, bounded to ``reach`` characters each way."""
        low = max(0, position - reach)
        start = low
        # One character past ``position``: a boundary looks ahead at the capital that
        # starts the next sentence, which may be the character at ``position`` itself.
        for match in _BOUNDARY.finditer(self.text, low, min(len(self.text), position + 1)):
            if match.end() <= position:
                start = match.end()
        high = min(len(self.text), position + reach)
        after = _BOUNDARY.search(self.text, position, high)
        end = after.start() + 1 if after else high
        return Sentence(start, end, self.text[start:end])


def squash(text: str) -> str:
    """Whitespace collapsed to single spaces, ends trimmed."""
    return _SPACES.sub(" ", text).strip()
