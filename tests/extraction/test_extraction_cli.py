"""The extract and eval commands, mounted on a small Typer app as the lead will mount them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import typer
from click.testing import Result
from typer.testing import CliRunner

from contractsync.cli import _extraction
from contractsync.cli._extraction import eval_app, extract
from contractsync.documents import DocumentText
from contractsync.errors import ContractSyncError
from contractsync.extraction import DocumentExtraction

app = typer.Typer()
app.command("extract")(extract)
app.add_typer(eval_app, name="eval")


def test_extract_jsonl_schema(tmp_path: Path, cases: Path) -> None:
    shutil.copy(cases / "services_agreement.txt", tmp_path)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl"])
    # The broken file fails the run, after every other document has been extracted.
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, ContractSyncError)
    assert "1 of 2 document(s)" in str(result.exception)
    by_name = _records(result)
    assert set(by_name) == {"services_agreement.txt", "broken.pdf"}
    assert by_name["broken.pdf"]["errors"]
    good = by_name["services_agreement.txt"]
    assert len(good["sha256"]) == 64
    fields = good["fields"]
    assert fields["parties"]["value"][0] == {"name": "Northwind Analytics, Inc.", "role": "vendor"}
    assert fields["effective_date"]["value"] == "2021-03-05"
    assert fields["agreement_date"]["value"] == "2021-03-05"
    assert fields["expiration_date"]["value"] == "2024-03-04"
    assert fields["auto_renew"]["value"] is True
    assert fields["renewal_term"]["value"] == {"months": 12}
    assert fields["renewal_notice_period"]["value"] == {"days": 90}
    assert fields["governing_law"]["value"] == {"country": "CA", "subdivision": "CA-ON",
                                                 "text": "Ontario"}  # fmt: skip
    for entry in fields.values():
        assert 0.0 <= entry["confidence"] <= 1.0
        assert set(entry["evidence"]) == {"page", "start", "end", "text"}
        assert entry["evidence"]["page"] == 1
    assert good["errors"] == []


@pytest.mark.slow
def test_eval_cuad_json(cuad: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "cuad", str(cuad), "--json", "--limit", "30",
                                      "--workers", "1"])  # fmt: skip
    assert result.exit_code == 0, result.output
    figures = json.loads(result.stdout)
    assert figures["documents"] == 30
    for key in ("accuracy", "precision", "recall", "coverage", "auto_precision", "auto_coverage"):
        assert key in figures["fields"]["governing_law"]
    assert figures["fields"]["governing_law"]["accuracy"] >= 0.85


def test_eval_refuses_a_folder_without_answers(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["eval", "cuad", str(tmp_path)])
    assert result.exit_code == 2


def _records(result: Result) -> dict[str, dict[str, Any]]:
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines if line.startswith("{")]
    return {record["document"]: record for record in records}


def test_an_unexpected_crash_fails_only_its_document(
    tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(cases / "services_agreement.txt", tmp_path / "b-good.txt")
    shutil.copy(cases / "services_agreement.txt", tmp_path / "a-crashes.txt")
    real = _extraction.extract_document

    def flaky(document: DocumentText, *args: Any, **kwargs: Any) -> DocumentExtraction:
        if document.name.endswith("a-crashes.txt"):
            raise RuntimeError("extractor bug")
        return real(document, *args, **kwargs)

    monkeypatch.setattr(_extraction, "extract_document", flaky)
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl"])
    assert result.exit_code == 1, result.output
    by_name = _records(result)
    [error] = by_name["a-crashes.txt"]["errors"]
    assert "RuntimeError: extractor bug" in error
    assert "report it" in error
    assert by_name["b-good.txt"]["errors"] == []
    assert by_name["b-good.txt"]["fields"]


def test_a_missing_path_fails_alone(tmp_path: Path, cases: Path) -> None:
    good = shutil.copy(cases / "services_agreement.txt", tmp_path / "good.txt")
    missing = tmp_path / "gone.pdf"
    result = CliRunner().invoke(app, ["extract", str(missing), str(good), "--jsonl"])
    assert result.exit_code == 1, result.output
    by_name = _records(result)
    [error] = by_name["gone.pdf"]["errors"]
    assert "Check that the path exists" in error
    assert by_name["good.txt"]["fields"]


def test_the_progress_bar_counts_the_documents_first(
    tmp_path: Path, cases: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "folder").mkdir()
    for name in ("a.txt", "b.txt"):
        shutil.copy(cases / "services_agreement.txt", tmp_path / "folder" / name)
    totals: list[float | None] = []

    class RecordingProgress(_extraction.Progress):
        def add_task(self, description: str, *args: Any, **kwargs: Any) -> Any:
            totals.append(kwargs.get("total"))
            return super().add_task(description, *args, **kwargs)

    monkeypatch.setattr(_extraction, "Progress", RecordingProgress)
    arguments = ["extract", str(tmp_path / "folder"), str(tmp_path / "gone.txt"), "--jsonl"]
    CliRunner().invoke(app, arguments)
    assert totals == [3]


@pytest.mark.parametrize(
    ("arguments", "environment", "typed"),
    [
        pytest.param(["--password", "s3cret"], {}, None, id="option"),
        pytest.param([], {"CONTRACTSYNC_PDF_PASSWORD": "s3cret"}, None, id="environment"),
        pytest.param(["--ask-password"], {}, "s3cret\n", id="asked"),
    ],
)
def test_a_password_opens_encrypted_pdfs(
    tmp_path: Path,
    document_builders: ModuleType,
    arguments: list[str],
    environment: dict[str, str],
    typed: str | None,
) -> None:
    pdf = document_builders.text_pdf(["The licence fee is 100 dollars."], user_password="s3cret")
    (tmp_path / "locked.pdf").write_bytes(pdf)
    result = CliRunner().invoke(
        app, ["extract", str(tmp_path), "--jsonl", *arguments], env=environment, input=typed
    )
    assert result.exit_code == 0, result.output
    record = _records(result)["locked.pdf"]
    assert record["errors"] == []
    assert record["sha256"] is not None
    assert "s3cret" not in result.stdout


def test_without_the_password_an_encrypted_pdf_says_so(
    tmp_path: Path, document_builders: ModuleType
) -> None:
    pdf = document_builders.text_pdf(["The licence fee is 100 dollars."], user_password="s3cret")
    (tmp_path / "locked.pdf").write_bytes(pdf)
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl"])
    assert result.exit_code == 1
    [error] = _records(result)["locked.pdf"]["errors"]
    assert "encrypted" in error


def test_read_limits_are_options(tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("Page one of the terms.\fPage two of the terms.")
    (tmp_path / "large.txt").write_text("Term: one year. " * (1 << 17))  # 2 MiB
    arguments = ["extract", str(tmp_path), "--jsonl", "--max-pages", "1", "--max-size-mb", "1"]
    result = CliRunner().invoke(app, arguments)
    assert result.exit_code == 1
    by_name = _records(result)
    [too_long] = by_name["long.txt"]["errors"]
    assert "2 pages, over the limit of 1" in too_long
    [too_large] = by_name["large.txt"]["errors"]
    assert "over the limit of 1,048,576" in too_large


def test_extract_jsonl_writes_a_perpetual_term_as_the_word(tmp_path: Path) -> None:
    (tmp_path / "nda.txt").write_text(
        "MUTUAL NONDISCLOSURE AGREEMENT\n\nThis Agreement is made as of May 1, 2020 by and "
        'between Alder Inc. ("Alder") and Birch LLC ("Birch").\n\n1. Term. This Agreement '
        "shall remain in effect until terminated by either party.\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["extract", str(tmp_path / "nda.txt"), "--jsonl"])
    assert result.exit_code == 0, result.output
    fields = _records(result)["nda.txt"]["fields"]
    assert fields["expiration_date"]["value"] == "perpetual"
    assert fields["agreement_date"]["value"] == "2020-05-01"
