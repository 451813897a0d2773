"""Scans: images and image-only PDFs go through Tesseract, page by page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from document_builders import FakeOcr, save_scan

from contractsync.documents import DocumentReader, MediaType, OcrMode, read_document


def words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+", text.casefold()))


EXPECTED_WORDS = {"supply", "agreement", "march", "2021", "northwind", "contoso", "three"}


@pytest.mark.usefixtures("needs_tesseract")
@pytest.mark.parametrize(
    ("name", "pages", "media_type"),
    [
        pytest.param("scan.png", 1, MediaType.PNG, id="png"),
        pytest.param("scan.jpg", 1, MediaType.JPEG, id="jpeg"),
        pytest.param("scan.tiff", 2, MediaType.TIFF, id="multi-page-tiff"),
        pytest.param("scan.pdf", 2, MediaType.PDF, id="scanned-pdf"),
    ],
)
def test_scans_are_read_with_tesseract(
    tmp_path: Path, font_path: Path, name: str, pages: int, media_type: MediaType
) -> None:
    document = read_document(save_scan(tmp_path / name, font_path, pages))
    assert document.media_type is media_type
    assert len(document.pages) == pages
    for page in document.pages:
        assert page.ocr
        assert words(page.text) >= EXPECTED_WORDS
        assert document.text[page.start : page.end] == page.text


def test_image_pages_go_to_the_ocr_engine(
    tmp_path: Path, font_path: Path, fake_ocr: FakeOcr
) -> None:
    path = save_scan(tmp_path / "scan.tiff", font_path, pages=3)
    document = DocumentReader(ocr=fake_ocr).read(path)
    assert fake_ocr.pages == [1, 2, 3]
    assert [page.text for page in document.pages] == [fake_ocr.text] * 3


def test_scanned_pdf_pages_go_to_the_ocr_engine(
    tmp_path: Path, font_path: Path, fake_ocr: FakeOcr
) -> None:
    path = save_scan(tmp_path / "scan.pdf", font_path, pages=2)
    document = DocumentReader(ocr=fake_ocr).read(path)
    assert fake_ocr.pages == [1, 2]
    assert all(page.ocr for page in document.pages)


def test_ocr_off_leaves_a_scan_without_text(tmp_path: Path, font_path: Path) -> None:
    from contractsync.errors import DocumentError

    path = save_scan(tmp_path / "scan.png", font_path)
    with pytest.raises(DocumentError, match=r"OcrMode.AUTO"):
        DocumentReader(ocr_mode=OcrMode.NEVER).read(path)
