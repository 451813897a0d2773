"""The rules extractor on a written contract and on real CUAD texts and PDFs."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contractsync.documents import read_document
from contractsync.extraction import RulesExtractor, extract_document
from contractsync.extraction.evaluation import is_correct, load_gold
from contractsync.model import BillingFrequency, Duration, ObligationKind


def test_every_field_of_a_services_agreement(cases: Path) -> None:
    document = read_document(cases / "services_agreement.txt")
    result = extract_document(document)
    values = {name: candidate.value for name, candidate in result.fields.items()}
    assert [party.name for party in values["parties"]] == [
        "Northwind Analytics, Inc.",
        "Bluefin Retail LLC",
    ]
    assert [party.role.value for party in values["parties"]] == ["vendor", "customer"]
    assert values["agreement_date"] == date(2021, 3, 5)
    assert values["effective_date"] == date(2021, 3, 5)
    assert values["initial_term"] == Duration(months=36)
    assert values["expiration_date"] == date(2024, 3, 4)
    assert values["auto_renew"] is True
    assert values["renewal_term"] == Duration(months=12)
    assert values["renewal_notice_period"] == Duration(days=90)
    assert values["termination_for_convenience"].notice == Duration(days=60)
    assert values["payment_terms_days"] == 30
    assert values["billing_frequency"] is BillingFrequency.QUARTERLY
    assert values["annual_value"].amount == Decimal(120000)
    assert values["price_escalator"].index == "CPI"
    assert values["price_escalator"].cap_percent == Decimal(5)
    assert values["governing_law"].subdivision == "CA-ON"
    kinds = {obligation.value.kind for obligation in result.obligations}
    assert ObligationKind.SERVICE_LEVEL in kinds
    sla = next(o.value for o in result.obligations if o.value.service_level is not None)
    assert sla.service_level.target == Decimal("99.9")
    assert sla.remedy is not None
    assert sla.remedy.credit_percent == Decimal(10)


def test_evidence_is_a_span_of_the_document(cases: Path) -> None:
    document = read_document(cases / "services_agreement.txt")
    for candidate in RulesExtractor().extract(document):
        assert 0 <= candidate.start < candidate.end <= len(document.text)
        assert "governed" in document.text[candidate.start : candidate.end] or (
            candidate.field != "governing_law"
        )
        tracked = candidate.to_tracked(document)
        assert tracked.provenance is not None
        assert tracked.provenance.source.startswith("rules/")
        assert tracked.provenance.evidence is not None
        assert tracked.provenance.evidence.page == 1
        assert 0.0 <= tracked.provenance.confidence <= 1.0


def _gold_for(cuad: Path, stem: str) -> dict[str, object]:
    for contract in load_gold(cuad):
        if contract.path.stem == stem or Path(contract.name).stem == stem:
            return dict(contract.answers)
    pytest.skip(f"no CUAD answers for {stem}")


@pytest.mark.parametrize("index", [0, 1, 2, 3, 4, 5])
def test_real_text_law_and_dates_match_cuad(cuad: Path, index: int) -> None:
    contract = [c for c in load_gold(cuad) if c.answers["governing_law"].status == "value"][index]
    found = {c.field: c for c in RulesExtractor().extract(read_document(contract.path))}
    law = found.get("governing_law")
    assert law is not None
    assert is_correct("governing_law", law.value, contract.answers["governing_law"])


def test_real_pdfs_extract_and_match_cuad(cuad: Path) -> None:
    pdfs = sorted(p for p in (cuad / "full_contract_pdf").rglob("*") if p.suffix.lower() == ".pdf")
    right = scored = 0
    for pdf in pdfs[:8]:
        document = read_document(pdf)
        answers = _gold_for(cuad, pdf.stem)
        found = {c.field: c for c in RulesExtractor().extract(document)}
        gold = answers["governing_law"]
        if getattr(gold, "status", None) == "value" and "governing_law" in found:
            scored += 1
            right += is_correct("governing_law", found["governing_law"].value, gold)  # type: ignore[arg-type]
            candidate = found["governing_law"]
            assert document.page_at(candidate.start).page_number >= 1
    assert scored >= 3
    assert right / scored >= 0.75


@pytest.mark.parametrize(
    ("clause", "code"),
    [
        pytest.param("This Agreement shall be governed by the internal laws State of New York.",
                     "US-NY", id="of-left-out"),
        pytest.param("The relation established in the Contract is governed by the regulations "
                     "of Colombian private law.", "CO", id="adjective-private-law"),
        pytest.param("This Agreement shall be  governed  by and  construed  in accordance  with "
                     "the laws of the  Province  of  British  Columbia.", "CA-BC", id="padded"),
        # Laws named for other things come first in these texts; the contract's own choice
        # is the one whose sentence speaks of the contract.
        pytest.param("Counsel's opinion shall be limited to matters governed by federal laws and "
                     "by the laws of Tennessee. This Agreement shall be construed in accordance "
                     "with the laws of the State of New York.", "US-NY", id="opinion-scope"),
        pytest.param("With respect to franchisees governed by Minnesota law, we will comply with "
                     "Minn. Stat. 80C.14. This Agreement will be interpreted and construed "
                     "exclusively under the laws of the State of Texas.", "US-TX",
                     id="franchisees-protected-by-a-state-law"),
    ],
)  # fmt: skip
def test_law_clauses_as_drafted(tmp_path: Path, clause: str, code: str) -> None:
    path = tmp_path / "contract.txt"
    path.write_text(f"SUPPLY AGREEMENT\n\n1. Supply. Oak supplies Pine.\n\n9. Law. {clause}\n")
    [law] = [c for c in RulesExtractor().extract(read_document(path)) if c.field == "governing_law"]
    assert code in (law.value.subdivision, law.value.country)
