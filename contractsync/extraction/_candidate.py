"""What an extractor proposes for one field: a value, how sure it is, and where it read it.

A ``Candidate`` holds the canonical value (``date``, ``Duration``, ``Money``, ``GoverningLaw``
…), the character span of the document's full text it was read from, the rule that read
it, and a confidence. ``to_tracked`` turns it into the model's ``Tracked`` value with
``Provenance(source="rules/<version>", confidence, evidence=Evidence(...))``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from contractsync.documents import DocumentText
from contractsync.model import Evidence, Provenance, Tracked

SNIPPET_LIMIT = 400
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One proposed value for one canonical field.

    Attributes:
        field: the canonical field name (``model/fields.yaml``).
        value: the normalised value, in the type the canonical record holds.
        start: offset of the evidence in the document's full text.
        end: end offset of the evidence.
        snippet: the evidence text, whitespace collapsed, at most ``SNIPPET_LIMIT`` chars.
        rule: which rule of the extractor produced it; calibration is kept per rule.
        confidence: probability the value is right, in [0, 1].
        extractor: the extractor's name (``rules``, ``llm``).
        version: the extractor's version.
    """

    field: str
    value: Any
    start: int
    end: int
    snippet: str
    rule: str
    confidence: float
    extractor: str = "rules"
    version: str = "0"

    @property
    def source(self) -> str:
        """The provenance source: ``<extractor>/<version>``."""
        return f"{self.extractor}/{self.version}"

    def with_confidence(self, confidence: float) -> Candidate:
        return replace(self, confidence=min(1.0, max(0.0, confidence)))

    def evidence(self, document: DocumentText) -> Evidence:
        """The evidence as the model's ``Evidence``: page, span of the full text, snippet."""
        page = document.page_at(self.start)
        return Evidence(
            document_sha256=document.sha256,
            page=page.page_number,
            start=self.start,
            end=self.end,
            snippet=self.snippet,
        )

    def to_tracked(self, document: DocumentText) -> Tracked[Any]:
        """The candidate as a ``Tracked`` canonical value, pending review."""
        provenance = Provenance(
            source=self.source, confidence=self.confidence, evidence=self.evidence(document)
        )
        return Tracked[Any](value=self.value, provenance=provenance)


def make_snippet(text: str, start: int, end: int) -> str:
    """The evidence text between ``start`` and ``end``, whitespace collapsed and bounded."""
    snippet = _SPACES.sub(" ", text[start:end]).strip()
    if len(snippet) > SNIPPET_LIMIT:
        snippet = snippet[: SNIPPET_LIMIT - 1].rstrip() + "…"
    return snippet


def value_key(value: Any) -> str:
    """A hashable, order-stable key of a canonical value, for grouping equal proposals."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "|".join(value_key(item) for item in value)
    dump = getattr(value, "model_dump_json", None)
    if callable(dump):
        return str(dump())
    return repr(value)
