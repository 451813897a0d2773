"""Formats are recognised by content, whatever the file is called."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_builders import build_docx, png_with_size, text_pdf

from contractsync.documents import MediaType
from contractsync.documents._sniff import sniff_media_type
from contractsync.documents._source import DocumentSource
from contractsync.errors import DocumentError


def sniff(data: bytes, name: str = "upload.bin") -> MediaType:
    return sniff_media_type(DocumentSource.from_bytes(data, name))


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        pytest.param(text_pdf(["x"]), MediaType.PDF, id="pdf"),
        pytest.param(b"\n\n%PDF-1.7\n" + text_pdf(["x"])[9:], MediaType.PDF, id="pdf-after-junk"),
        pytest.param(png_with_size(10, 10), MediaType.PNG, id="png"),
        pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF", MediaType.JPEG, id="jpeg"),
        pytest.param(b"II*\x00\x08\x00\x00\x00", MediaType.TIFF, id="tiff-le"),
        pytest.param(b"MM\x00*\x00\x00\x00\x08", MediaType.TIFF, id="tiff-be"),
        pytest.param(b"<!DOCTYPE html><p>x</p>", MediaType.HTML, id="html-doctype"),
        pytest.param(b"  <html><body>x</body></html>", MediaType.HTML, id="html-tag"),
        pytest.param(b"THIS AGREEMENT is made...", MediaType.TEXT, id="text"),
        pytest.param(b"BMW Supply Agreement", MediaType.TEXT, id="text-starting-bm"),
    ],
)
def test_media_type_by_content(data: bytes, expected: MediaType) -> None:
    assert sniff(data) is expected


def test_docx_is_a_zip_with_a_word_document(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "contract.pdf", ["misnamed"])
    assert sniff_media_type(DocumentSource.from_path(path)) is MediaType.DOCX


@pytest.mark.parametrize(
    ("data", "detected"),
    [
        pytest.param(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "legacy Word", id="doc"),
        pytest.param(b"{\\rtf1\\ansi contract}", "application/rtf", id="rtf"),
        pytest.param(b"GIF89a" + bytes(20), "image/gif", id="gif"),
        pytest.param(b"\x1f\x8b\x08" + bytes(20), "application/gzip", id="gzip"),
        pytest.param(bytes(range(256)) * 4, "application/octet-stream", id="binary"),
    ],
)
def test_unsupported_types_are_named(data: bytes, detected: str) -> None:
    with pytest.raises(DocumentError) as caught:
        sniff(data, name="mystery.pdf")
    message = str(caught.value)
    assert "'mystery.pdf'" in message
    assert detected in message
    assert "PDF, DOCX, plain text, HTML, PNG, JPEG and TIFF" in message
    assert caught.value.document == "mystery.pdf"
