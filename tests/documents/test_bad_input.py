"""Every class of bad input gets a DocumentError naming the file and the fix."""

from __future__ import annotations

import stat
from collections.abc import Callable
from pathlib import Path

import pytest
from document_builders import (
    FakeOcr,
    build_docx,
    cuad_pdf,
    flate_bomb_pdf,
    image_pdf,
    png_with_size,
    save_scan,
    text_pdf,
    zip_bomb_docx,
)

from contractsync.documents import DocumentReader, ReadLimits, TesseractOcr
from contractsync.errors import DocumentError


def read_error(path: Path, reader: DocumentReader | None = None, **options: str) -> str:
    with pytest.raises(DocumentError) as caught:
        (reader or DocumentReader(ocr=FakeOcr())).read(path, **options)
    assert caught.value.document == str(path)
    message = str(caught.value)
    assert repr(str(path)) in message, "the message names the file"
    return message


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    assert "corrupt or truncated" in read_error(path)


def test_truncated_pdf(tmp_path: Path) -> None:
    data = cuad_pdf("NETGEAR").read_bytes()
    path = tmp_path / "truncated.pdf"
    path.write_bytes(data[: len(data) // 3])
    message = read_error(path)
    assert "Ask for the original file again" in message


def test_encrypted_pdf_without_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(text_pdf(["secret"], user_password="s3cret"))
    message = read_error(path)
    assert "encrypted" in message
    assert "password=" in message


def test_encrypted_pdf_with_wrong_password(tmp_path: Path) -> None:
    path = tmp_path / "locked.pdf"
    path.write_bytes(text_pdf(["secret"], user_password="s3cret"))
    assert "password given does not open it" in read_error(path, password="guess")


@pytest.mark.parametrize(
    ("name", "data"),
    [
        pytest.param("zero.txt", b"", id="zero-bytes"),
        pytest.param("blank.txt", b"  \r\n\t\r\n", id="whitespace-only"),
        pytest.param("blank.pdf", text_pdf([""]), id="pdf-without-text"),
    ],
)
def test_empty_document(tmp_path: Path, name: str, data: bytes) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    message = read_error(path)
    assert "empty" in message or "no text" in message


def test_scan_with_nothing_legible(tmp_path: Path, font_path: Path) -> None:
    path = save_scan(tmp_path / "smudge.png", font_path, lines=[""])
    message = read_error(path, DocumentReader(ocr=FakeOcr(text="  \n")))
    assert "rescan at 300 dpi" in message


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    path.write_bytes(b"x" * 2048)
    message = read_error(path, DocumentReader(limits=ReadLimits(max_bytes=1024)))
    assert "ReadLimits.max_bytes" in message


def test_document_over_the_page_limit() -> None:
    path = cuad_pdf("LifewayFoods")
    message = read_error(path, DocumentReader(limits=ReadLimits(max_pages=3)))
    assert "4 pages" in message
    assert "ReadLimits.max_pages" in message


def test_image_over_the_pixel_limit(tmp_path: Path, font_path: Path) -> None:
    path = save_scan(tmp_path / "big.png", font_path)
    reader = DocumentReader(ocr=FakeOcr(), limits=ReadLimits(max_image_pixels=10_000))
    assert "ReadLimits.max_image_pixels" in read_error(path, reader)


def test_image_decompression_bomb(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(png_with_size(100_000, 100_000))
    assert "decompression bomb" in read_error(path)


@pytest.mark.parametrize(
    "layers", [pytest.param(1, id="flate"), pytest.param(2, id="flate-within-flate")]
)
def test_pdf_content_stream_bomb(tmp_path: Path, layers: int) -> None:
    # A few kilobytes inflating to 4 MiB against a 1 MiB limit: the same shape as a 200 KB
    # stream inflating to 200 MB, which cost PDFium 2 GB, at a fraction of the time.
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(4 << 20, layers=layers))
    reader = DocumentReader(ocr=FakeOcr(), limits=ReadLimits(max_stream_bytes=1 << 20))
    message = read_error(path, reader)
    assert "possible decompression bomb" in message
    assert "ReadLimits.max_stream_bytes" in message


@pytest.mark.parametrize("armour", ["ascii85", "hex"])
def test_pdf_content_stream_bomb_behind_a_text_armour(tmp_path: Path, armour: str) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(4 << 20, armour=armour))
    reader = DocumentReader(ocr=FakeOcr(), limits=ReadLimits(max_stream_bytes=1 << 20))
    assert "possible decompression bomb" in read_error(path, reader)


def test_pdf_streams_over_the_total_inflated_limit(tmp_path: Path) -> None:
    path = tmp_path / "bomb.pdf"
    path.write_bytes(flate_bomb_pdf(4 << 20))
    limits = ReadLimits(max_stream_bytes=8 << 20, max_unzipped_bytes=2 << 20)
    message = read_error(path, DocumentReader(ocr=FakeOcr(), limits=limits))
    assert "possible decompression bomb" in message
    assert "ReadLimits.max_unzipped_bytes" in message


@pytest.mark.parametrize(
    "in_form", [pytest.param(False, id="on-the-page"), pytest.param(True, id="inside-a-form")]
)
def test_pdf_image_bomb_is_refused_before_rendering(tmp_path: Path, in_form: bool) -> None:
    # 9 MP against a 1 MP limit; in the wild, 40,000 x 40,000 pixels in a 1.5 MB file.
    path = tmp_path / "bomb.pdf"
    path.write_bytes(image_pdf(3000, 3000, in_form=in_form))
    ocr = FakeOcr()
    reader = DocumentReader(ocr=ocr, limits=ReadLimits(max_image_pixels=1_000_000))
    message = read_error(path, reader)
    assert "3,000 x 3,000 pixels" in message
    assert "possible decompression bomb" in message
    assert "ReadLimits.max_image_pixels" in message
    assert ocr.pages == []


def test_docx_zip_bomb_by_ratio(tmp_path: Path) -> None:
    path = zip_bomb_docx(tmp_path / "bomb.docx", inflated_bytes=16 << 20)
    message = read_error(path)
    assert "zip bomb" in message
    assert "ReadLimits.max_zip_ratio" in message


def test_docx_over_the_unzipped_size_limit(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "big.docx", ["text"])
    reader = DocumentReader(limits=ReadLimits(max_unzipped_bytes=10_000))
    assert "ReadLimits.max_unzipped_bytes" in read_error(path, reader)


def test_damaged_docx(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "damaged.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document")
    assert "Open it in Word and save it again" in read_error(path)


def test_unsupported_format(tmp_path: Path) -> None:
    path = tmp_path / "contract.pdf"
    path.write_bytes(b"{\\rtf1\\ansi This Agreement}")
    message = read_error(path)
    assert "application/rtf" in message
    assert "Save it as .docx or PDF" in message


def test_missing_file(tmp_path: Path) -> None:
    assert "Check that the path exists" in read_error(tmp_path / "nowhere.pdf")


def test_scan_without_tesseract_installed(tmp_path: Path, font_path: Path) -> None:
    path = save_scan(tmp_path / "scan.pdf", font_path)
    reader = DocumentReader(ocr=TesseractOcr(binary="contractsync-no-such-tesseract"))
    message = read_error(path, reader)
    assert "Page 1" in message
    assert "apt-get install tesseract-ocr" in message


@pytest.fixture
def fake_tesseract(tmp_path: Path) -> Callable[[str], str]:
    def install(script: str) -> str:
        program = tmp_path / "bin" / "tesseract"
        program.parent.mkdir(exist_ok=True)
        program.write_text("#!/bin/sh\n" + script + "\n")
        program.chmod(program.stat().st_mode | stat.S_IXUSR)
        return str(program)

    return install


def test_ocr_timeout(tmp_path: Path, font_path: Path, fake_tesseract: Callable[[str], str]) -> None:
    path = save_scan(tmp_path / "slow.png", font_path)
    reader = DocumentReader(
        ocr=TesseractOcr(binary=fake_tesseract("exec sleep 10")),
        limits=ReadLimits(ocr_timeout_s=0.3),
    )
    message = read_error(path, reader)
    assert "did not finish within 0.3 s" in message
    assert "ReadLimits.ocr_timeout_s" in message


def test_ocr_missing_language_data(
    tmp_path: Path, font_path: Path, fake_tesseract: Callable[[str], str]
) -> None:
    path = save_scan(tmp_path / "german.png", font_path)
    script = "echo \"Failed loading language 'deu'\" >&2; exit 1"
    reader = DocumentReader(ocr=TesseractOcr(binary=fake_tesseract(script), languages="deu"))
    assert "apt-get install tesseract-ocr-deu" in read_error(path, reader)
