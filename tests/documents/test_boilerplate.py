"""Headers, footers, page numbers and legends are marked, not removed."""

from __future__ import annotations

import re

from document_builders import cuad_pdf, cuad_text

from contractsync.documents import BoilerplateKind, DocumentText, read_document


def marked(document: DocumentText, kind: BoilerplateKind) -> list[str]:
    return [document.text[b.start : b.end] for b in document.boilerplate if b.kind is kind]


def test_cuad_text_with_repeated_source_lines_and_page_numbers() -> None:
    document = read_document(cuad_text("MusclepharmCorp"))
    sources = marked(document, BoilerplateKind.FILING_SOURCE)
    assert len(sources) == document.text.count("Source: MUSCLEPHARM CORP")
    assert set(sources) == {"Source: MUSCLEPHARM CORP, 10-K/A, 2/8/2017"}
    clean = document.clean_text()
    assert "Source: MUSCLEPHARM" not in clean
    assert len(clean) == len(document.text)
    assert "Arnold Schwarzenegger" in clean


def test_cuad_text_page_number_lines() -> None:
    document = read_document(cuad_text("AFSALABANCORPINC"))
    numbers = marked(document, BoilerplateKind.PAGE_NUMBER)
    assert numbers
    assert all(re.fullmatch(r"-\s*\d+\s*-|Page \d+( of \d+)?", n, re.IGNORECASE) for n in numbers)


def test_running_footer_with_changing_page_number_in_a_pdf() -> None:
    document = read_document(cuad_pdf("CardlyticsInc"))
    footers = marked(document, BoilerplateKind.RUNNING_HEADER)
    assert len(footers) >= 30
    assert all(footer.startswith("Proprietary to Bank of America") for footer in footers)


def test_signature_blocks_are_never_running_headers() -> None:
    pages = [
        f"Agreement page {n} text about the parties and terms.\nBy: /s/ Jane Roe\nName: Jane Roe"
        for n in range(5)
    ]
    document = read_document("\f".join(pages).encode(), name="signed.txt")
    assert not any("Jane Roe" in document.text[b.start : b.end] for b in document.boilerplate)


def test_running_header_and_page_numbers_in_paged_text() -> None:
    pages = [
        f"ACME SUPPLY AGREEMENT - CONFIDENTIAL\nClause {n}. The supplier delivers goods "
        f"in lot {n}.\nPage {n} of 4"
        for n in range(1, 5)
    ]
    document = read_document("\f".join(pages).encode(), name="paged.txt")
    assert (
        marked(document, BoilerplateKind.RUNNING_HEADER)
        == ["ACME SUPPLY AGREEMENT - CONFIDENTIAL"] * 4
    )
    assert marked(document, BoilerplateKind.PAGE_NUMBER) == [f"Page {n} of 4" for n in range(1, 5)]
    assert "Clause 3. The supplier" in document.clean_text()


def test_confidentiality_legend() -> None:
    text = (
        "[***] Certain information in this document has been excluded pursuant to "
        "Regulation S-K, Item 601(b)(10).\nThe fee is [***] per unit."
    )
    document = read_document(text.encode(), name="redacted.txt")
    [legend] = marked(document, BoilerplateKind.CONFIDENTIALITY_LEGEND)
    assert legend.startswith("[***] Certain information")
    assert "The fee is [***] per unit." in document.clean_text()


def test_a_legend_sharing_its_line_with_prose_leaves_the_prose_unmarked() -> None:
    text = (
        "Execution version   CONFIDENTIAL TREATMENT REQUESTED   This amendment is entered "
        "into on January 6th, 2016.\nBETWEEN: Oak Ltd. and Pine LLC.\n"
    )
    document = read_document(text.encode(), name="amendment.txt")
    [legend] = marked(document, BoilerplateKind.CONFIDENTIALITY_LEGEND)
    assert legend == "Execution version   CONFIDENTIAL TREATMENT REQUESTED"
    assert "This amendment is entered into on January 6th, 2016." in document.clean_text()


def test_a_legend_that_is_also_a_running_header_is_marked_whole() -> None:
    text = "\f".join(
        f"CONFIDENTIAL TREATMENT REQUESTED      Page {n} of 5\n"
        f"The supplier delivers lot {n} of the goods.\nMore about lot {n}."
        for n in range(1, 6)
    )
    document = read_document(text.encode(), name="paged.txt")
    assert "Page" not in document.clean_text()
    assert "The supplier delivers lot 3 of the goods." in document.clean_text()
