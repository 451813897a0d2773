"""Batch reading: one result per file, in order, and a bad file never stops the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from document_builders import build_docx, cuad_pdf, text_pdf

from contractsync.documents import DocumentReader, document_paths, read_documents


def test_folders_are_walked_and_errors_are_results(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a.txt").write_text("Term: one year.")
    (tmp_path / "b" / "c.pdf").write_bytes(text_pdf(["Governing law: Texas."]))
    (tmp_path / "b" / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really a pdf")
    build_docx(tmp_path / "b" / "d.docx", ["Notice: 30 days."])
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "e.zip").write_bytes(b"PK\x03\x04 truncated")

    results = list(read_documents([tmp_path]))

    assert [r.path.relative_to(tmp_path).as_posix() for r in results] == [
        "a.txt",
        "e.zip",
        "b/broken.pdf",
        "b/c.pdf",
        "b/d.docx",
    ]
    assert [r.ok for r in results] == [True, False, False, True, True]
    broken = results[2]
    assert broken.document is None
    assert broken.error is not None
    assert "broken.pdf" in str(broken.error)
    assert results[4].document is not None
    assert results[4].document.text == "Notice: 30 days."


def test_files_and_missing_paths_each_get_a_result(tmp_path: Path) -> None:
    real = cuad_pdf("NETGEAR")
    missing = tmp_path / "gone.pdf"
    results = list(read_documents([missing, real]))
    assert [r.ok for r in results] == [False, True]
    assert results[0].error is not None
    assert "gone.pdf" in str(results[0].error)


def test_unexpected_crash_in_one_file_is_contained(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "a.txt").write_text("first")
    (tmp_path / "b.txt").write_text("second")
    reader = DocumentReader()
    original = DocumentReader.read

    def flaky(self: DocumentReader, source: object, **options: object) -> object:
        if str(source).endswith("a.txt"):
            raise RuntimeError("parser bug")
        return original(self, source, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(DocumentReader, "read", flaky)
    results = list(reader.read_many([tmp_path]))
    assert [r.ok for r in results] == [False, True]
    assert results[0].error is not None
    assert "parser bug" in str(results[0].error)
    assert "report" in str(results[0].error)


def test_a_password_opens_the_encrypted_pdfs_of_a_batch(tmp_path: Path) -> None:
    (tmp_path / "a-locked.pdf").write_bytes(text_pdf(["Fee: 100 dollars."], user_password="pw"))
    (tmp_path / "b-plain.txt").write_text("Term: one year.")
    results = list(read_documents([tmp_path], password="pw"))
    assert [r.ok for r in results] == [True, True]
    assert results[0].document is not None
    assert results[0].document.text == "Fee: 100 dollars."


def test_document_paths_lists_what_a_batch_reads(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "c.txt").write_text("c")
    (tmp_path / "a.txt").write_text("a")
    (tmp_path / ".hidden").write_text("h")
    missing = tmp_path / "gone.pdf"
    listed = list(document_paths([tmp_path, missing]))
    assert listed == [tmp_path / "a.txt", tmp_path / "b" / "c.txt", missing]
    assert [r.path for r in read_documents([tmp_path, missing])] == listed
