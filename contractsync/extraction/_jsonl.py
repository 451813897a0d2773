"""The wire form of an extraction: one JSON object per document (``extract --jsonl``).

    {"document": "supply.pdf", "sha256": "…", "is_amendment": false, "amends": null,
     "fields": {"governing_law": {"value": {"country": "US", "subdivision": "US-NV",
                                            "text": "Nevada"},
                                  "confidence": 0.97, "rule": "laws_of.governed",
                                  "source": "rules/1.0",
                                  "evidence": {"page": 3, "start": 120, "end": 164,
                                               "text": "…"}}, …},
     "obligations": [{"value": {…}, "confidence": …, "evidence": {…}}],
     "errors": []}

Values: parties are ``[{"name", "role"}]``; dates ISO ``YYYY-MM-DD``; the expiration date
ISO or ``"perpetual"``; durations ``{"months": 12}`` or ``{"days": 30}``; money
``{"amount": "1200.00", "currency": "USD"}`` (a string, so no float rounds it).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, TypedDict

from pydantic import BaseModel

from contractsync.documents import DocumentText
from contractsync.model import Party

from ._candidate import Candidate
from ._protocol import DocumentExtraction


class EvidenceJson(TypedDict):
    page: int
    start: int
    end: int
    text: str


class FieldJson(TypedDict):
    value: Any
    confidence: float
    rule: str
    source: str
    evidence: EvidenceJson


def value_json(value: Any) -> Any:
    """A canonical value in its JSON form."""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, tuple | list):
        return [value_json(item) for item in value]
    if isinstance(value, Party):
        return {"name": value.name, "role": value.role.value}
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_none=True)
    return value


def candidate_json(candidate: Candidate, document: DocumentText) -> FieldJson:
    page = document.page_at(candidate.start)
    return {
        "value": value_json(candidate.value),
        "confidence": round(candidate.confidence, 4),
        "rule": candidate.rule,
        "source": candidate.source,
        "evidence": {
            "page": page.page_number,
            "start": candidate.start,
            "end": candidate.end,
            "text": candidate.snippet,
        },
    }


def extraction_json(result: DocumentExtraction, *, name: str | None = None) -> dict[str, Any]:
    """The JSONL record of one document's extraction."""
    document = result.document
    amendment = result.amendment
    return {
        "document": name or document.name,
        "sha256": document.sha256,
        "is_amendment": amendment is not None,
        "amends": None
        if amendment is None
        else {
            "title": amendment.title,
            "agreement": amendment.amends,
            "agreement_date": value_json(amendment.amended_agreement_date),
            "effective_date": value_json(amendment.effective_date),
        },
        "fields": {
            field: candidate_json(candidate, document)
            for field, candidate in sorted(result.fields.items())
        },
        "obligations": [candidate_json(c, document) for c in result.obligations],
        "errors": list(result.errors),
    }


def failure_json(name: str, error: str) -> dict[str, Any]:
    """The JSONL record of a document that could not be read or extracted."""
    return {"document": name, "sha256": None, "fields": {}, "obligations": [], "errors": [error]}
