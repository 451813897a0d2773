"""PDFs with a text layer: real CUAD exhibits, and hand-written PDFs for the edge cases."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from document_builders import FakeOcr, cuad_pdf, image_pdf, mixed_pdf, text_pdf

from contractsync.documents import (
    DocumentReader,
    MediaType,
    OcrMode,
    ReadLimits,
    iter_pages,
    read_document,
)


@pytest.mark.parametrize(
    ("fragment", "pages", "phrase"),
    [
        pytest.param("LifewayFoods", 4, "Endorsement Agreement", id="endorsement-4-pages"),
        pytest.param("MusclepharmCorp", 34, "Arnold Schwarzenegger", id="co-branding-34-pages"),
        pytest.param("NETGEAR", 2, "Ingram Micro", id="distributor-amendment-2-pages"),
    ],
)
def test_reads_cuad_pdf_text_layer(fragment: str, pages: int, phrase: str) -> None:
    path = cuad_pdf(fragment)
    document = read_document(path)
    assert document.media_type is MediaType.PDF
    assert document.name == str(path)
    assert document.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert len(document.pages) == pages
    assert phrase.casefold() in document.text.casefold()
    assert not any(page.ocr for page in document.pages)
    for page in document.pages:
        assert document.text[page.start : page.end] == page.text
        assert "\r" not in page.text
        assert "\xa0" not in page.text


def test_evidence_maps_to_its_page() -> None:
    document = read_document(cuad_pdf("MusclepharmCorp"))
    start = document.text.index("Initial Term")
    [span] = document.to_page_spans(start, start + len("Initial Term"))
    assert span.page_number == 2
    assert document.page(2).text[span.start : span.end] == "Initial Term"


def test_blank_page_in_a_digital_pdf_needs_no_ocr(fake_ocr: FakeOcr) -> None:
    # This exhibit has an empty page 14; no image on it, so OCR must not run.
    document = DocumentReader(ocr=fake_ocr).read(cuad_pdf("MOELIS"))
    assert document.page(14).text == ""
    assert fake_ocr.pages == []


def test_iter_pages_streams_the_same_pages_as_read() -> None:
    path = cuad_pdf("LifewayFoods")
    assert tuple(iter_pages(path)) == read_document(path).pages


def test_pdf_from_bytes_uses_the_given_name() -> None:
    data = text_pdf(["Term of one year.", "Governing law is Delaware."])
    document = read_document(data, name="upload-17.pdf")
    assert document.name == "upload-17.pdf"
    assert document.text == "Term of one year.\fGoverning law is Delaware."


def test_encrypted_pdf_opens_with_its_password() -> None:
    data = text_pdf(["The licence fee is 100 dollars."], user_password="s3cret")
    document = read_document(data, name="locked.pdf", password="s3cret")
    assert document.text == "The licence fee is 100 dollars."


def test_short_text_layer_is_kept_when_the_page_has_no_image(fake_ocr: FakeOcr) -> None:
    document = DocumentReader(ocr=fake_ocr).read(text_pdf(["ANNEX 4"]), name="annex.pdf")
    assert document.text == "ANNEX 4"
    assert fake_ocr.pages == []


def test_ocr_always_replaces_the_text_layer(fake_ocr: FakeOcr) -> None:
    reader = DocumentReader(ocr=fake_ocr, ocr_mode=OcrMode.ALWAYS)
    document = reader.read(text_pdf(["garbled layer"]), name="garbled.pdf")
    assert document.text == fake_ocr.text
    assert document.pages[0].ocr
    assert fake_ocr.pages == [1]


def test_file_named_docx_that_is_a_pdf_is_read_as_pdf(tmp_path: Path) -> None:
    path = tmp_path / "contract.docx"
    path.write_bytes(text_pdf(["Actually a PDF."]))
    assert read_document(path).media_type is MediaType.PDF


def test_ocr_renders_a_page_within_the_pixel_limit(fake_ocr: FakeOcr) -> None:
    reader = DocumentReader(
        ocr=fake_ocr, ocr_mode=OcrMode.ALWAYS, limits=ReadLimits(max_image_pixels=100_000)
    )
    reader.read(text_pdf(["A page read by OCR at a lowered resolution."]), name="big.pdf")
    [(width, height)] = fake_ocr.sizes
    assert width * height <= 100_000
    assert width * height > 95_000, "lowered no further than the limit needs"


def test_an_image_within_the_limits_is_rendered_for_ocr(fake_ocr: FakeOcr) -> None:
    document = DocumentReader(ocr=fake_ocr).read(image_pdf(1200, 1500), name="scan.pdf")
    assert fake_ocr.pages == [1]
    assert document.pages[0].ocr


def test_mixed_pdf_reads_each_page_its_own_way(
    tmp_path: Path, font_path: Path, fake_ocr: FakeOcr
) -> None:
    text = "This Supply Agreement is governed by the laws of Delaware."
    path = mixed_pdf(tmp_path / "mixed.pdf", font_path, text)
    document = DocumentReader(ocr=fake_ocr).read(path)
    assert [page.ocr for page in document.pages] == [False, True]
    assert document.page(1).text == text
    assert fake_ocr.pages == [2]


@pytest.mark.usefixtures("needs_tesseract")
def test_mixed_pdf_with_tesseract(tmp_path: Path, font_path: Path) -> None:
    text = "This Supply Agreement is governed by the laws of Delaware."
    document = read_document(mixed_pdf(tmp_path / "mixed.pdf", font_path, text))
    layer, scan = document.pages
    assert not layer.ocr
    assert layer.text == text
    assert scan.ocr
    words = set(re.findall(r"[a-z0-9]+", scan.text.casefold()))
    assert words >= {"supply", "agreement", "northwind", "contoso", "2021"}
