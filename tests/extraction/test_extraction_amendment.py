"""Amendments are recognised, say what they amend, and yield only what they change."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from contractsync.documents import read_document
from contractsync.extraction import extract_document, extraction_json


def test_amendment_yields_only_its_changes(cases: Path) -> None:
    result = extract_document(read_document(cases / "amendment.txt"))
    assert result.amendment is not None
    assert (result.amendment.amends or "").casefold() == "supply agreement"
    assert result.amendment.amended_agreement_date == date(2019, 1, 15)
    assert set(result.fields) == {"expiration_date", "governing_law"}
    assert result.fields["expiration_date"].value == date(2025, 12, 31)
    assert result.fields["governing_law"].value.subdivision == "US-NY"
    record = extraction_json(result)
    assert record["is_amendment"] is True
    assert record["amends"]["agreement_date"] == "2019-01-15"


def test_an_original_agreement_is_not_an_amendment(cases: Path) -> None:
    result = extract_document(read_document(cases / "services_agreement.txt"))
    assert result.amendment is None
    assert "parties" in result.fields


def test_real_amendment_pdf(cuad: Path) -> None:
    pdfs = [p for p in (cuad / "full_contract_pdf").rglob("*") if "amendment" in p.name.lower()]
    recognised = [extract_document(read_document(p)).amendment is not None for p in sorted(pdfs)]
    assert recognised
    assert all(recognised)
