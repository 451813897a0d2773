"""Importing documents: read, store, extract and record them durably, as often as you like."""

from __future__ import annotations

import importlib
import io
import shutil
from datetime import date
from pathlib import Path

import docx
import pytest
from dbos import DBOS

from contractsync.context import App
from contractsync.documents import read_document
from contractsync.durable import durable_engine
from contractsync.extraction import extract_document
from contractsync.ingest import ImportOutcome, import_documents, import_files
from contractsync.ingest._extracted import (
    contract_key_for,
    document_title,
    find_amended,
    merge_reimport,
)
from contractsync.model import Contract, DocumentRole, Duration, Review, ReviewState

CUAD = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "cuad-dev"
CASES = Path(__file__).resolve().parents[1] / "extraction" / "cases"
CUAD_TEXTS = [
    "ADUROBIOTECH,INC_06_02_2020-EX-10.7-CONSULTING AGREEMENT.txt",
    "ALLISONTRANSMISSIONHOLDINGSINC_12_15_2014-EX-99.1-COOPERATION AGREEMENT.txt",
]
CUAD_PDF = "Part_I/Sponsorship/EcoScienceSolutionsInc_20180406_8-K_EX-10.1_11135398_EX-10.1_Sponsorship Agreement.pdf"  # noqa: E501
ORIGINAL = (
    "SUPPLY AGREEMENT\n\n"
    "This Supply Agreement is made as of January 15, 2019 by and between Kestrel Foods Ltd. "
    '("Supplier") and Marlow Grocers, Inc. ("Buyer").\n\n'
    "1. Term. The term of this Agreement shall commence on the date hereof and continue for "
    "three (3) years.\n\n"
    "2. Governing Law. This Agreement shall be governed by the laws of the State of Delaware.\n"
)


@pytest.fixture
def cuad() -> Path:
    if not (CUAD / "master_clauses.csv").is_file():
        pytest.skip(f"the CUAD development set is not at {CUAD}")
    return CUAD


def _docx(paragraphs: list[str]) -> bytes:
    document = docx.Document()
    document.add_heading("MASTER SERVICES AGREEMENT", level=1)
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _import(app: App, *paths: Path, **options: object) -> list[ImportOutcome]:
    with durable_engine(app):
        return import_documents([str(p) for p in paths], "tester", **options)  # type: ignore[arg-type]


def test_the_public_door() -> None:
    module = importlib.import_module("contractsync.ingest")
    assert {"ImportOutcome", "import_documents", "import_files"} <= set(module.__all__)


def test_a_folder_of_contracts_is_imported_once_and_one_bad_file_fails_alone(
    app: App, cuad: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in CUAD_TEXTS:
        shutil.copy(cuad / "full_contract_txt" / name, folder / name)
    shutil.copy(cuad / "full_contract_pdf" / CUAD_PDF, folder / "sponsorship.pdf")
    (folder / "services.docx").write_bytes(
        _docx(
            [
                (
                    "This Master Services Agreement is entered into as of March 3, 2024 by and "
                    'between Northwind Traders Ltd. ("Customer") and Contoso Cloud, Inc. '
                    '("Vendor").'
                ),
                "This Agreement shall be governed by the laws of England and Wales.",
            ]
        )
    )
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4\nthis is not really a PDF")
    (folder / "notes.csv").write_text("a,b\n", encoding="utf-8")  # not a document: skipped
    assert len(import_files([str(folder)])) == 5

    outcomes = _import(app, folder)
    by_name = {Path(o["path"]).name: o for o in outcomes}
    assert set(by_name) == {*CUAD_TEXTS, "sponsorship.pdf", "services.docx", "broken.pdf"}
    assert by_name["broken.pdf"]["action"] == "failed"
    assert "broken.pdf" in by_name["broken.pdf"]["message"]
    good = [o for o in outcomes if o["action"] != "failed"]
    assert {o["action"] for o in good} == {"created"}
    assert app.documents.count() == 4

    services = app.contracts.get(str(by_name["services.docx"]["contract_key"])).contract
    assert services.title == "Master Services Agreement"
    assert services.contract_key.startswith("master-services-agreement-")
    assert services.documents[0].media_type.endswith("wordprocessingml.document")
    assert services.governing_law is not None
    assert services.governing_law.value.subdivision == "GB-ENG"
    assert services.governing_law.review.state is ReviewState.AUTO_APPROVED
    assert services.parties is not None  # critical: a person reviews it
    assert [p.name for p in services.parties.value] == [
        "Northwind Traders Ltd.",
        "Contoso Cloud, Inc.",
    ]
    assert services.parties.review.state is ReviewState.PENDING
    assert services.status == "in_review"
    provenance = services.governing_law.provenance
    assert provenance is not None
    assert provenance.source.startswith("rules/")
    assert provenance.evidence is not None
    assert "England" in provenance.evidence.snippet
    assert provenance.evidence.document_sha256 == services.documents[0].sha256

    for outcome in good:
        contract = app.contracts.get(str(outcome["contract_key"])).contract
        assert outcome["auto_approved"] + outcome["pending"] > 0
        for name, tracked_provenance in contract.provenances():
            assert tracked_provenance.evidence is not None, name

    again = _import(app, folder)
    assert [o["action"] for o in again if o["action"] != "failed"] == ["unchanged"] * 4
    assert [o["contract_key"] for o in again] == [o["contract_key"] for o in outcomes]
    assert {stored.version for stored in app.contracts.all()} == {1}


def test_an_amendment_attaches_to_the_contract_it_amends(app: App, tmp_path: Path) -> None:
    original = tmp_path / "supply.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    amendment = tmp_path / "first-amendment.txt"
    shutil.copy(CASES / "amendment.txt", amendment)

    outcomes = _import(app, original, amendment)
    assert [o["action"] for o in outcomes] == ["created", "attached"]
    key = outcomes[0]["contract_key"]
    assert outcomes[1]["contract_key"] == key
    assert f"amends {key}" in outcomes[1]["message"]
    contract = app.contracts.get(str(key)).contract
    [change] = contract.amendments
    assert change.effective_date == date(2022, 6, 1)
    assert change.changes["expiration_date"] == "2025-12-31"
    assert {d.role for d in contract.documents} == {DocumentRole.ORIGINAL, DocumentRole.AMENDMENT}
    expiration = contract.current_terms().expiration_date
    assert expiration is not None
    assert expiration.value == date(2025, 12, 31)
    # The amended value keeps how it was read: a machine's confidence and its evidence.
    assert expiration.provenance is not None
    assert expiration.provenance.confidence < 1.0
    assert expiration.provenance.evidence is not None
    assert expiration.provenance.evidence.document_sha256 == change.document_sha256

    again = _import(app, original, amendment)
    assert [o["action"] for o in again] == ["unchanged", "unchanged"]
    assert app.contracts.get(str(key)).version == 2


def test_an_amendment_whose_agreement_is_unknown_is_imported_on_its_own(
    app: App, tmp_path: Path
) -> None:
    amendment = tmp_path / "first-amendment.txt"
    shutil.copy(CASES / "amendment.txt", amendment)
    [outcome] = _import(app, amendment, key_prefix="acme")
    assert outcome["action"] == "created"
    assert "imported on its own" in outcome["message"]
    assert str(outcome["contract_key"]).startswith("acme-first-amendment-to-supply-agreement-")
    contract = app.contracts.get(str(outcome["contract_key"])).contract
    assert contract.documents[0].role is DocumentRole.AMENDMENT


def test_a_missing_file_is_reported_and_the_rest_imported(app: App, tmp_path: Path) -> None:
    original = tmp_path / "supply.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    outcomes = _import(app, tmp_path / "missing.pdf", original)
    assert [o["action"] for o in outcomes] == ["failed", "created"]
    assert "cannot be read" in outcomes[0]["message"]


def test_reimporting_keeps_what_a_person_decided(app: App, tmp_path: Path) -> None:
    original = tmp_path / "supply.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    [outcome] = _import(app, original)
    stored = app.contracts.get(str(outcome["contract_key"]))
    assert stored.contract.parties is not None
    approved = stored.contract.parties.model_copy(
        update={"review": Review(state=ReviewState.APPROVED, reviewer="legal@example.com")}
    )
    decided = Contract.model_validate(
        {
            **stored.contract.model_dump(mode="json"),
            "parties": approved.model_dump(mode="json"),
        }
    )
    app.contracts.update(decided, expected_version=1, actor="legal", reason="reviewed")

    [again] = _import(app, original)
    assert again["action"] == "unchanged"
    kept = app.contracts.get(str(outcome["contract_key"])).contract
    assert kept.parties is not None
    assert kept.parties.review.state is ReviewState.APPROVED
    assert merge_reimport(kept, stored.contract) == kept


def test_keys_are_stable_and_safe() -> None:
    sha = "ab" * 32
    assert contract_key_for("Supply Agreement", sha) == "supply-agreement-abababab" + "ab"
    assert contract_key_for("Supply Agreement", sha, "EMEA team") == (
        "EMEA-team-supply-agreement-ababababab"
    )
    assert contract_key_for("§§§", sha) == "contract-ababababab"
    assert len(contract_key_for("x" * 300, sha, "p" * 100)) <= 80


def test_titles_come_from_the_heading() -> None:
    document = read_document(ORIGINAL.encode(), name="supply.txt")
    assert document_title(document) == "Supply Agreement"
    untitled = read_document(b"Some words about nothing in particular.\n", name="memo_2024.txt")
    assert document_title(untitled) == "memo 2024"


def test_an_amendment_needs_two_kinds_of_evidence_to_match() -> None:
    amendment = extract_document(read_document(CASES / "amendment.txt")).amendment
    assert amendment is not None
    original = extract_document(read_document(ORIGINAL.encode(), name="supply.txt"))
    parties = original.fields["parties"].value
    agreement = {"value": "2019-01-15"}

    def contract(key: str, title: str, **fields: object) -> Contract:
        return Contract.model_validate({"contract_key": key, "title": title, **fields})

    right = contract("S-1", "Supply Agreement", agreement_date=agreement,
                     parties={"value": [p.model_dump() for p in parties]})  # fmt: skip
    title_only = contract("S-2", "Supply Agreement")
    assert find_amended(amendment, [title_only]) is None
    assert find_amended(amendment, [title_only, right]) is right
    twin = right.model_copy(update={"contract_key": "S-3"})
    assert find_amended(amendment, [right, twin]) is None  # ambiguous


def test_a_relative_path_is_kept_absolute_for_whichever_worker_resumes(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "supply.txt").write_text(ORIGINAL, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with durable_engine(app):
        outcomes = import_documents(["supply.txt"], "tester")
        [status] = [
            s for s in DBOS.list_workflows(load_input=True)
            if s.name == "contractsync.import_documents"
        ]  # fmt: skip
    assert outcomes[0]["action"] == "created"
    assert outcomes[0]["path"] == str(tmp_path / "supply.txt")
    assert status.input is not None
    assert status.input["args"][0] == [str(tmp_path / "supply.txt")]


def test_an_amended_notice_period_changes_the_notice_not_the_renewal_term(
    app: App, tmp_path: Path
) -> None:
    original = tmp_path / "license.txt"
    original.write_text(
        "SOFTWARE LICENSE AND SUBSCRIPTION AGREEMENT\n\nThis Software License and Subscription "
        'Agreement is made as of February 12, 2019 by and between Globex Systems GmbH ("Licensor")'
        ' and Initech Corporation ("Licensee").\n\n2.1 This Agreement shall automatically renew '
        "for successive periods of twelve (12) months unless either party gives notice of "
        "non-renewal at least sixty (60) days prior to the end of the then-current term.\n",
        encoding="utf-8",
    )
    amendment = tmp_path / "amendment.txt"
    amendment.write_text(
        "FIRST AMENDMENT TO SOFTWARE LICENSE AND SUBSCRIPTION AGREEMENT\n\nThis First Amendment "
        '(the "Amendment") is made as of March 3, 2021 by and between Globex Systems GmbH '
        '("Licensor") and Initech Corporation ("Licensee"), and amends the Software License and '
        'Subscription Agreement dated February 12, 2019 (the "Agreement").\n\n1. Section 2.1 of '
        "the Agreement is hereby amended so that the renewal notice period is ninety (90) days."
        "\n",
        encoding="utf-8",
    )
    outcomes = _import(app, original, amendment)
    assert [o["action"] for o in outcomes] == ["created", "attached"]
    contract = app.contracts.get(str(outcomes[0]["contract_key"])).contract
    [change] = contract.amendments
    assert change.changes == {"renewal_notice_period": {"days": 90}}
    assert "SOFTWARE LICENSE AND SUBSCRIPTION AGREEMENT dated 2019-02-12" in change.summary
    terms = contract.current_terms()
    assert terms.renewal_notice_period is not None
    assert terms.renewal_notice_period.value == Duration(days=90)
    assert terms.renewal_term is not None
    assert terms.renewal_term.value == Duration(months=12)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    app: App, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from contractsync.documents import ReadLimits

    huge = tmp_path / "huge.pdf"
    with huge.open("wb") as handle:
        handle.truncate(ReadLimits().max_bytes + 1)  # sparse: costs neither disk nor memory
    original = tmp_path / "supply.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    read: list[Path] = []
    read_bytes = Path.read_bytes

    def recording_read_bytes(self: Path) -> bytes:
        read.append(self)
        return read_bytes(self)

    monkeypatch.setattr(Path, "read_bytes", recording_read_bytes)
    outcomes = _import(app, huge, original)
    assert [o["action"] for o in outcomes] == ["failed", "created"]
    message = outcomes[0]["message"]
    assert f"'huge.pdf' is {ReadLimits().max_bytes + 1:,} bytes, over the limit" in message
    assert "ReadLimits.max_bytes" in message
    assert huge not in read
    assert original in read


def _notice_amendment(number: str, made: str, days: str) -> str:
    return (
        f"{number} AMENDMENT TO SUPPLY AGREEMENT\n\nThis {number.title()} Amendment is made as of "
        f"{made} by and between Kestrel Foods Ltd. and Marlow Grocers, Inc., and amends the "
        "Supply Agreement dated January 15, 2019.\n\nNOW, THEREFORE, the parties agree as "
        f"follows:\n\n1. The renewal notice period is hereby amended to {days} days.\n"
    )


def test_two_amendments_apply_in_the_order_they_take_effect(app: App, tmp_path: Path) -> None:
    original = tmp_path / "supply.txt"
    original.write_text(ORIGINAL, encoding="utf-8")
    # Named so that the later amendment is imported first.
    (tmp_path / "a-second.txt").write_text(
        _notice_amendment("SECOND", "June 1, 2021", "ninety (90)"), encoding="utf-8"
    )
    (tmp_path / "b-first.txt").write_text(
        _notice_amendment("FIRST", "March 1, 2020", "sixty (60)"), encoding="utf-8"
    )
    outcomes = _import(app, original, tmp_path / "a-second.txt", tmp_path / "b-first.txt")
    assert [o["action"] for o in outcomes] == ["created", "attached", "attached"]
    contract = app.contracts.get(str(outcomes[0]["contract_key"])).contract
    assert [a.effective_date for a in contract.amendments] == [date(2020, 3, 1), date(2021, 6, 1)]
    for on, days in [(date(2020, 6, 1), 60), (date(2021, 6, 1), 90), (None, 90)]:
        notice = contract.current_terms(on).renewal_notice_period
        assert notice is not None
        assert notice.value == Duration(days=days)
