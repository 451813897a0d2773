"""Fixtures for the documents tests; the builders themselves are in document_builders."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from document_builders import FONT_CANDIDATES, FakeOcr

from contractsync.documents import DocumentReader


@pytest.fixture(autouse=True)
def _hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("CONTRACTSYNC_"):
            monkeypatch.delenv(name)


@pytest.fixture
def fake_ocr() -> FakeOcr:
    return FakeOcr()


@pytest.fixture
def fake_reader(fake_ocr: FakeOcr) -> DocumentReader:
    """A reader whose OCR is instant and recorded, for tests about when OCR runs."""
    return DocumentReader(ocr=fake_ocr)


@pytest.fixture
def needs_tesseract() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed (apt-get install tesseract-ocr)")


@pytest.fixture(scope="session")
def font_path() -> Path:
    for candidate in FONT_CANDIDATES:
        if candidate.exists():
            return candidate
    pytest.skip("no DejaVu font found (apt-get install fonts-dejavu-core)")
