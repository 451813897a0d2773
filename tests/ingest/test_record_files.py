"""Record files: YAML records whose evidence quotes are found in the documents beside them."""

from __future__ import annotations

import hashlib
import io
import json
import re
from pathlib import Path
from typing import Any

import docx
import pytest
import yaml

from contractsync.documents import read_document
from contractsync.errors import DocumentError, ModelError
from contractsync.ingest import find_record_files, read_record_file
from contractsync.model import Contract, DocumentRole, Evidence

REPO_ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = REPO_ROOT / "examples" / "contracts"
CASES = Path(__file__).resolve().parents[1] / "cases" / "records"
EXAMPLE_RECORDS = sorted(EXAMPLES.glob("*/contract.yaml"))

AGREEMENT = "AGREEMENT\n\nThis Agreement takes effect on 1 July 2025.\n\fPage two words.\n"


def _example_params() -> list[Any]:
    return [pytest.param(path, id=path.parent.name) for path in EXAMPLE_RECORDS]


def _quotes(node: Any) -> list[tuple[str, str]]:
    """Every (document, quote) pair in a record file's raw YAML, in any nesting."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        if "quote" in node:
            found.append((node["document"], node["quote"]))
        for value in node.values():
            found.extend(_quotes(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_quotes(value))
    return found


def _write(folder: Path, record: str, documents: dict[str, bytes | str] | None = None) -> Path:
    """A record file named contract.yaml in ``folder``, with documents beside it."""
    for name, content in (documents or {}).items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        (folder / name).write_bytes(data)
    path = folder / "contract.yaml"
    path.write_text(record, encoding="utf-8")
    return path


def _record(
    evidence: str = '{document: agreement.txt, quote: "takes effect on 1 July 2025"}',
) -> str:
    return (
        "contract_key: C-1\n"
        "title: A contract\n"
        "documents:\n"
        "  - {path: agreement.txt}\n"
        "effective_date:\n"
        "  value: 2025-07-01\n"
        "  provenance:\n"
        "    source: person:legal@contoso.example\n"
        f"    evidence: {evidence}\n"
    )


def _pdf(pages: list[str]) -> bytes:
    """A minimal PDF with one line of Helvetica text on each page."""
    count = len(pages)
    font = 3 + 2 * count
    kids = b" ".join(b"%d 0 R" % (3 + 2 * i) for i in range(count))
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Count %d /Kids [%s] >>" % (count, kids),
        font: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    }
    for index, line in enumerate(pages):
        page, contents = 3 + 2 * index, 4 + 2 * index
        objects[page] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
            b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (contents, font)
        )
        stream = b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % line.encode("latin-1")
        objects[contents] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for number in sorted(objects):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _docx(paragraphs: list[str | None]) -> bytes:
    """A DOCX of paragraphs; ``None`` is a hard page break."""
    document = docx.Document()
    for paragraph in paragraphs:
        if paragraph is None:
            document.add_page_break()
        else:
            document.add_paragraph(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _first_evidence(path: Path) -> Evidence:
    evidence = read_record_file(path).contract.provenances()[0][1].evidence
    assert evidence is not None
    return evidence


# ---- the examples ----


def test_there_are_examples() -> None:
    assert len(EXAMPLE_RECORDS) >= 3


@pytest.mark.parametrize("path", _example_params())
def test_every_example_parses(path: Path) -> None:
    record = read_record_file(path)
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert record.path == path
    assert record.contract.contract_key == raw["contract_key"]
    assert [document.name for document in record.documents] == [
        entry["path"] for entry in raw["documents"]
    ]
    for entry, ref in zip(raw["documents"], record.contract.documents, strict=True):
        content = (path.parent / entry["path"]).read_bytes()
        assert ref.name == entry["path"]
        assert ref.role is DocumentRole(entry["role"])
        assert ref.sha256 == hashlib.sha256(content).hexdigest()
        assert ref.size_bytes == len(content)
        assert ref.media_type == "text/plain"
        assert ref.pages == content.count(b"\f") + 1


@pytest.mark.parametrize("path", _example_params())
def test_example_evidence_points_at_the_quoted_text(path: Path) -> None:
    record = read_record_file(path)
    raw_texts = {
        ref.sha256: (path.parent / ref.name).read_bytes().decode("utf-8")
        for ref in record.contract.documents
    }
    read_texts = {
        ref.sha256: read_document(path.parent / ref.name).text for ref in record.contract.documents
    }
    checked: list[tuple[str, str]] = []
    for name, provenance in record.contract.provenances():
        evidence = provenance.evidence
        if evidence is None:
            continue
        # Spans index the text as contractsync.documents reads it ...
        text = read_texts[evidence.document_sha256]
        assert text[evidence.start : evidence.end] == evidence.snippet, name
        assert evidence.page == text.count("\f", 0, evidence.start) + 1, name
        # ... and the page agrees with the file itself: form feeds before the first quote.
        raw = raw_texts[evidence.document_sha256]
        assert evidence.page == raw.count("\f", 0, raw.index(evidence.snippet)) + 1, name
        checked.append((evidence.document_sha256, evidence.snippet))
    raw_record = yaml.safe_load(path.read_text(encoding="utf-8"))
    by_name = {ref.name: ref.sha256 for ref in record.contract.documents}
    quoted = [(by_name[document], quote) for document, quote in _quotes(raw_record)]
    assert checked
    assert sorted(checked) == sorted(quoted)


def test_example_evidence_after_a_form_feed_is_on_page_two() -> None:
    record = read_record_file(EXAMPLES / "northwind-saas" / "contract.yaml")
    pages = {
        name: provenance.evidence.page
        for name, provenance in record.contract.provenances()
        if provenance.evidence is not None
    }
    assert pages["obligations[NWT-SUB-2025-SLA-UPTIME]"] == 2
    assert pages["governing_law"] == 2
    assert pages["effective_date"] == 1


def test_example_amendment_cites_its_document() -> None:
    folder = EXAMPLES / "northwind-saas"
    record = read_record_file(folder / "contract.yaml")
    sha = hashlib.sha256((folder / "amendment-1.txt").read_bytes()).hexdigest()
    assert [a.document_sha256 for a in record.contract.amendments] == [sha]


@pytest.mark.parametrize("path", _example_params())
def test_example_records_survive_a_json_round_trip(path: Path) -> None:
    contract = read_record_file(path).contract
    assert Contract.model_validate(contract.model_dump(mode="json")) == contract


# ---- a case with evidence on every page ----


def test_paged_case_puts_evidence_on_the_right_pages() -> None:
    folder = CASES / "paged"
    record = read_record_file(folder / "contract.yaml")
    agreement, amendment = record.documents
    assert agreement.text == read_document(folder / "agreement.txt").text
    pages = {}
    for name, provenance in record.contract.provenances():
        evidence = provenance.evidence
        assert evidence is not None
        assert agreement.text[evidence.start : evidence.end] == evidence.snippet
        pages[name] = evidence.page
    assert pages == {
        "agreement_date": 1,
        "effective_date": 1,
        "initial_term": 1,
        "auto_renew": 2,
        "renewal_notice_period": 2,
        "obligations[TST-MNT-2025-REPORT]": 2,
        "governing_law": 3,
    }
    assert (agreement.pages, amendment.pages) == (3, 1)
    assert (agreement.role, amendment.role) == (DocumentRole.SIGNED, DocumentRole.AMENDMENT)
    assert record.contract.amendments[0].document_sha256 == amendment.sha256
    assert [ref.pages for ref in record.contract.documents] == [3, 1]


def test_quotes_resolve_to_the_first_occurrence(tmp_path: Path) -> None:
    text = "The Agreement.\fThe Agreement again.\n"
    path = _write(
        tmp_path,
        _record('{document: agreement.txt, quote: "The Agreement"}'),
        {"agreement.txt": text},
    )
    evidence = _first_evidence(path)
    assert (evidence.page, evidence.start, evidence.end) == (1, 0, len("The Agreement"))


def test_byte_order_mark_is_not_counted_in_spans(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        _record('{document: agreement.txt, quote: "AGREEMENT"}'),
        {"agreement.txt": "\ufeff" + AGREEMENT},
    )
    evidence = _first_evidence(path)
    assert (evidence.start, evidence.end, evidence.snippet) == (0, 9, "AGREEMENT")


def test_complete_evidence_is_kept_as_given(tmp_path: Path) -> None:
    sha = hashlib.sha256(AGREEMENT.encode()).hexdigest()
    start = read_document(AGREEMENT.encode(), name="agreement.txt").text.index("Page two")
    evidence = (
        f"{{document_sha256: {sha}, page: 2, start: {start}, end: {start + 8}, "
        "snippet: 'Page two'}"
    )
    path = _write(tmp_path, _record(evidence), {"agreement.txt": AGREEMENT})
    found = _first_evidence(path)
    assert (found.page, found.start, found.end, found.snippet) == (2, start, start + 8, "Page two")


# ---- finding record files ----


def test_find_record_files_walks_folders_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "deep").mkdir(parents=True)
    for name in ("b/z.yaml", "a/deep/c.yml", "a/x.yaml", "a/notes.txt", "b/doc.pdf"):
        (tmp_path / name).write_text("", encoding="utf-8")
    found = find_record_files([tmp_path])
    assert [p.relative_to(tmp_path).as_posix() for p in found] == [
        "a/deep/c.yml",
        "a/x.yaml",
        "b/z.yaml",
    ]


def test_find_record_files_takes_files_as_given(tmp_path: Path) -> None:
    given = tmp_path / "record.txt"
    given.write_text("", encoding="utf-8")
    examples = find_record_files([given, EXAMPLES])
    assert examples == [given, *EXAMPLE_RECORDS]


def test_find_record_files_refuses_missing_paths(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"nowhere does not exist\. Give record files"):
        find_record_files([tmp_path / "nowhere"])


# ---- evidence problems ----


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        pytest.param('"takes effect on 2 July 2025"', "'takes effect on 2 July 2025'", id="absent"),
        pytest.param('"takes effect on\\n1 July 2025"', r"'takes effect on\n1 July 2025'", id="nl"),
        pytest.param('""', "''", id="empty"),
    ],
)
def test_quote_not_found_names_file_field_and_quote(tmp_path: Path, quote: str, shown: str) -> None:
    path = _write(
        tmp_path,
        _record(f"{{document: agreement.txt, quote: {quote}}}"),
        {"agreement.txt": AGREEMENT},
    )
    with pytest.raises(ModelError) as raised:
        read_record_file(path)
    message = str(raised.value)
    assert message.startswith(
        f"{path}: the evidence quote for 'effective_date' is not in agreement.txt: {shown}."
    )
    assert message.endswith("Copy the words exactly as the document has them.")
    assert raised.value.field == "effective_date"
    assert raised.value.path == str(path)


def test_obligation_quote_not_found_names_the_obligation(tmp_path: Path) -> None:
    record = (
        _record()
        + "obligations:\n"
        + "  - value: {key: OB-1, kind: reporting, description: Report}\n"
        + "    provenance:\n"
        + "      source: person:x\n"
        + '      evidence: {document: agreement.txt, quote: "monthly report"}\n'
    )
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT})
    with pytest.raises(ModelError, match=re.escape("quote for 'obligations[0]'")):
        read_record_file(path)


@pytest.mark.parametrize(
    ("evidence", "cited"),
    [
        pytest.param('{document: other.txt, quote: "AGREEMENT"}', "'other.txt'", id="not-listed"),
        pytest.param('{quote: "AGREEMENT"}', "None", id="no-document"),
    ],
)
def test_evidence_citing_an_unlisted_document(tmp_path: Path, evidence: str, cited: str) -> None:
    path = _write(tmp_path, _record(evidence), {"agreement.txt": AGREEMENT, "other.txt": AGREEMENT})
    with pytest.raises(ModelError) as raised:
        read_record_file(path)
    assert str(raised.value) == (
        f"{path}: 'effective_date' cites document {cited}, which is not under 'documents' "
        "(listed: agreement.txt)."
    )


def test_amendment_citing_an_unlisted_document(tmp_path: Path) -> None:
    record = _record() + (
        "amendments:\n"
        "  - {key: A1, title: First, effective_date: 2026-01-01, document: amendment.txt}\n"
    )
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT, "amendment.txt": AGREEMENT})
    with pytest.raises(
        ModelError, match=re.escape("'amendment' cites document 'amendment.txt', which")
    ):
        read_record_file(path)


def test_record_without_documents_lists_none(tmp_path: Path) -> None:
    record = _record().replace("documents:\n  - {path: agreement.txt}\n", "")
    path = _write(tmp_path, record)
    with pytest.raises(ModelError, match=r"\(listed: none\)"):
        read_record_file(path)


# ---- document problems ----


def test_missing_document_is_a_document_error(tmp_path: Path) -> None:
    path = _write(tmp_path, _record())
    with pytest.raises(DocumentError) as raised:
        read_record_file(path)
    message = str(raised.value)
    assert f"document {tmp_path / 'agreement.txt'} cannot be read" in message
    assert "it is relative to the record file" in message
    assert raised.value.document == str(tmp_path / "agreement.txt")


def test_documents_are_found_relative_to_the_record_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "records"
    folder.mkdir()
    _write(folder, _record(), {"agreement.txt": AGREEMENT})
    monkeypatch.chdir(tmp_path)
    [document] = read_record_file(Path("records/contract.yaml")).documents
    assert document.content == AGREEMENT.encode()
    assert document.pages == 2


@pytest.mark.parametrize(
    ("name", "content", "media_type"),
    [
        pytest.param(
            "agreement.pdf",
            _pdf(["AGREEMENT", "This Agreement takes effect on 1 July 2025."]),
            "application/pdf",
            id="pdf",
        ),
        pytest.param(
            "agreement.docx",
            _docx(["AGREEMENT", None, "This Agreement takes effect on 1 July 2025."]),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            id="docx",
        ),
    ],
)
def test_pdf_and_docx_documents_are_read(
    tmp_path: Path, name: str, content: bytes, media_type: str
) -> None:
    record = _record().replace("agreement.txt", name)
    path = _write(tmp_path, record, {name: content})
    result = read_record_file(path)
    [ref] = result.contract.documents
    assert (ref.media_type, ref.pages, ref.size_bytes) == (media_type, 2, len(content))
    evidence = _first_evidence(path)
    assert evidence.page == 2
    assert result.documents[0].text[evidence.start : evidence.end] == evidence.snippet


@pytest.mark.parametrize(
    ("content", "quote"),
    [
        pytest.param(
            "Vertrag über die Lieferung.\n".encode("cp1252"),
            "Vertrag über die Lieferung",
            id="windows-1252",
        ),
        pytest.param(
            b"AGREEMENT\r\n\r\nThis Agreement takes\r\neffect on 1 July 2025.\r\n",
            "takes\neffect on 1 July 2025",
            id="windows-line-ends",
        ),
    ],
)
def test_quotes_are_found_in_the_text_as_read(tmp_path: Path, content: bytes, quote: str) -> None:
    evidence = f"{{document: agreement.txt, quote: {json.dumps(quote)}}}"
    path = _write(tmp_path, _record(evidence), {"agreement.txt": content})
    found = _first_evidence(path)
    [document] = read_record_file(path).documents
    assert document.text[found.start : found.end] == quote
    assert found.snippet == quote


def test_quote_copied_with_a_no_break_space_is_found(tmp_path: Path) -> None:
    content = "Either party may terminate on thirty\u00a0(30) days' notice.\n"
    evidence = '{document: agreement.txt, quote: "thirty\\u00a0(30) days\' notice"}'
    path = _write(tmp_path, _record(evidence), {"agreement.txt": content})
    assert _first_evidence(path).start > 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param(
            b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n",
            "PDF 'agreement.txt' is corrupt or truncated",
            id="truncated-pdf",
        ),
        pytest.param(
            b"PK\x03\x04\x14\x00\x06\x00word/document.xml",
            "Document 'agreement.txt' looks like a zip archive (DOCX) but is corrupt",
            id="corrupt-docx",
        ),
        pytest.param(b"GIF89a\x01\x00", "is image/gif, which contractsync cannot read", id="gif"),
        pytest.param(b"", "Document 'agreement.txt' is empty (0 bytes)", id="empty"),
        pytest.param(
            b" \n\f\n\t ", "Document 'agreement.txt' has no text on any of its", id="whitespace"
        ),
    ],
)
def test_unreadable_documents_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = _write(tmp_path, _record(), {"agreement.txt": content})
    with pytest.raises(DocumentError, match=re.escape(message)) as raised:
        read_record_file(path)
    assert raised.value.document == "agreement.txt"


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        pytest.param(
            "{path: agreement.txt, role: draft}",
            "document agreement.txt has role 'draft'; use one of original, signed, amendment, "
            "attachment.",
            id="unknown-role",
        ),
        pytest.param(
            "{name: agreement.txt}",
            "each document needs a 'path' (relative to the record file).",
            id="no-path",
        ),
        pytest.param("agreement.txt", "each document needs a 'path'", id="bare-name"),
    ],
)
def test_bad_document_entries_are_refused(tmp_path: Path, entry: str, message: str) -> None:
    record = _record().replace("{path: agreement.txt}", entry)
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT})
    with pytest.raises(ModelError, match=re.escape(f"{path}: {message}")):
        read_record_file(path)


# ---- record file problems ----


def test_bad_yaml_names_the_line(tmp_path: Path) -> None:
    record = _record().replace("  value: 2025-07-01\n", '  value: "2025-07-01\n')
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT})
    with pytest.raises(ModelError, match=r"is not valid YAML at line \d+: .*Fix the syntax\.$"):
        read_record_file(path)


def test_bad_yaml_points_at_the_offending_line(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text("contract_key: C-1\ntitle: A\n  region: EMEA\n", encoding="utf-8")
    with pytest.raises(ModelError, match=r"is not valid YAML at line 3: ") as raised:
        read_record_file(path)
    assert raised.value.path == str(path)


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("- contract_key: C-1\n", id="list"),
        pytest.param("just words\n", id="scalar"),
        pytest.param("", id="empty-file"),
        pytest.param("# only a comment\n", id="comment-only"),
    ],
)
def test_record_must_be_a_mapping(tmp_path: Path, text: str) -> None:
    path = tmp_path / "contract.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ModelError, match="must hold one contract record"):
        read_record_file(path)


def test_non_utf8_record_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "contract.yaml"
    path.write_bytes("contract_key: C-1\ntitle: Vertrag über\n".encode("latin-1"))
    with pytest.raises(ModelError, match="is not UTF-8 text; save it as UTF-8"):
        read_record_file(path)


def test_unreadable_record_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match=r"cannot be read: No such file or directory\.") as raised:
        read_record_file(tmp_path / "missing.yaml")
    assert raised.value.path == str(tmp_path / "missing.yaml")
    with pytest.raises(ModelError, match="cannot be read"):
        read_record_file(tmp_path)


def test_invalid_record_names_the_file_and_field(tmp_path: Path) -> None:
    record = _record() + "auto_renew: {value: perhaps}\n"
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT})
    with pytest.raises(ModelError) as raised:
        read_record_file(path)
    assert str(raised.value).startswith(
        f"{path} is not a valid contract record: auto_renew.value: Input should be a valid boolean"
    )
    assert raised.value.source == str(path)


def test_impossible_date_is_a_model_error(tmp_path: Path) -> None:
    record = _record().replace("value: 2025-07-01", "value: 2025-02-30")
    path = _write(tmp_path, record, {"agreement.txt": AGREEMENT})
    with pytest.raises(ModelError, match=str(path)):
        read_record_file(path)


def test_reading_twice_gives_the_same_record(tmp_path: Path) -> None:
    path = _write(tmp_path, _record(), {"agreement.txt": AGREEMENT})
    assert read_record_file(path) == read_record_file(path)
