"""Plain text: encodings, and form feeds as page breaks."""

from __future__ import annotations

import codecs

import pytest
from document_builders import cuad_text

from contractsync.documents import MediaType, read_document

# Umlaut, en dash, curly quotes and euro: each encodes differently in every candidate.
CONTRACT = "Agreement dated 1 M\u00e4rz 2020 \u2013 the \u201cLicensee\u201d pays \u20ac500."


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(CONTRACT.encode("utf-8"), id="utf-8"),
        pytest.param(codecs.BOM_UTF8 + CONTRACT.encode("utf-8"), id="utf-8-bom"),
        pytest.param(codecs.BOM_UTF16_LE + CONTRACT.encode("utf-16-le"), id="utf-16-le-bom"),
        pytest.param(codecs.BOM_UTF16_BE + CONTRACT.encode("utf-16-be"), id="utf-16-be-bom"),
        pytest.param(CONTRACT.encode("cp1252"), id="cp1252"),
    ],
)
def test_encodings_are_detected(data: bytes) -> None:
    document = read_document(data, name="contract.txt")
    assert document.media_type is MediaType.TEXT
    assert document.text == CONTRACT


def test_form_feeds_split_pages_and_a_final_one_is_ignored() -> None:
    data = b"Page one.\r\n\x0cPage two.\r\n\x0cPage three.\r\n\x0c"
    document = read_document(data, name="paged.txt")
    assert [page.text for page in document.pages] == ["Page one.", "Page two.", "Page three."]
    assert [page.page_number for page in document.pages] == [1, 2, 3]


def test_cuad_text_reads_as_one_page() -> None:
    path = cuad_text("MusclepharmCorp")
    document = read_document(path)
    assert len(document.pages) == 1
    assert "Arnold Schwarzenegger" in document.text
