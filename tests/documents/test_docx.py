"""DOCX: paragraphs and tables in document order, hard page breaks as pages."""

from __future__ import annotations

import zipfile
from pathlib import Path

from document_builders import build_docx

from contractsync.documents import MediaType, read_document


def test_paragraphs_and_tables_keep_document_order(tmp_path: Path) -> None:
    path = build_docx(
        tmp_path / "fees.docx",
        [
            "MASTER SERVICES AGREEMENT",
            "The fees are set out below.",
            [["Service", "Fee"], ["Hosting", "USD 1,000"]],
            "Fees are payable within 30 days.",
        ],
    )
    document = read_document(path)
    assert document.media_type is MediaType.DOCX
    assert document.text == (
        "MASTER SERVICES AGREEMENT\n"
        "The fees are set out below.\n"
        "Service\tFee\n"
        "Hosting\tUSD 1,000\n"
        "Fees are payable within 30 days."
    )


def test_hard_page_breaks_start_new_pages(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "two.docx", ["Page one text.", None, "Page two text."])
    document = read_document(path)
    assert [page.text for page in document.pages] == ["Page one text.", "Page two text."]
    assert (
        document.to_page_spans(document.text.index("two"), len(document.text))[0].page_number == 2
    )


def test_merged_cells_are_not_repeated(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "merged.docx", [[["Party", "Role"], ["Acme", "Supplier"]]])
    import docx

    document = docx.Document(str(path))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 0).text = "Parties"
    document.save(str(path))
    assert read_document(path).text == "Parties\nAcme\tSupplier"


def test_deleted_tracked_changes_are_left_out(tmp_path: Path) -> None:
    path = build_docx(tmp_path / "tracked.docx", ["The term is KEEP years."])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    deleted = (
        b'<w:del w:id="1" w:author="a"><w:r><w:delText>two</w:delText></w:r></w:del>'
        b'<w:ins w:id="2" w:author="a"><w:r><w:t>three</w:t></w:r></w:ins>'
    )
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"<w:t>The term is KEEP years.</w:t></w:r>",
        b'<w:t xml:space="preserve">The term is </w:t></w:r>'
        + deleted
        + b'<w:r><w:t xml:space="preserve"> years.</w:t></w:r>',
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    assert read_document(path).text == "The term is three years."


def test_rendered_page_breaks_win_over_hard_breaks(tmp_path: Path) -> None:
    # Word records where it broke pages when it last laid the document out; those
    # match what the author saw, and already include the hard breaks.
    path = build_docx(tmp_path / "rendered.docx", ["One.", None, "Two.", "Three."])
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["word/document.xml"] = (
        parts["word/document.xml"]
        .replace(b"<w:r><w:t>Two.</w:t>", b"<w:r><w:lastRenderedPageBreak/><w:t>Two.</w:t>")
        .replace(b"<w:r><w:t>Three.</w:t>", b"<w:r><w:lastRenderedPageBreak/><w:t>Three.</w:t>")
    )
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    pages = read_document(path).pages
    assert [page.text for page in pages] == ["One.", "Two.", "Three."]
