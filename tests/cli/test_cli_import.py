"""`contractsync import`: documents in, extracted contracts with review states out."""

from __future__ import annotations

import json
from pathlib import Path
from types import ModuleType

import pytest

from contractsync.cli import main

REPO = Path(__file__).resolve().parents[2]
CUAD_PDF = (
    REPO.parent / "shared" / "data" / "cuad-dev" / "full_contract_pdf" / "Part_I" / "Co_Branding"
)
AGREEMENT = REPO / "examples" / "contracts" / "northwind-saas" / "subscription-agreement.txt"


@pytest.fixture
def workdir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "250")
    assert main(["init"]) == 0
    capsys.readouterr()
    return tmp_path


def test_import_extracts_stores_and_gates_for_review(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    if not CUAD_PDF.is_dir():
        pytest.skip(f"CUAD sample PDFs not found at {CUAD_PDF}")
    assert main(["import", str(CUAD_PDF), str(AGREEMENT)]) == 0
    assert capsys.readouterr().out.count("created") == 2

    assert main(["contracts", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed) == 2
    saas = next(c for c in listed if c["documents"][0]["name"] == "subscription-agreement.txt")
    assert saas["governing_law"]["value"]["subdivision"] == "GB-ENG"
    assert saas["governing_law"]["provenance"]["evidence"]["page"] == 2
    # Critical fields never skip a person, whatever the confidence.
    assert saas["effective_date"]["review"]["state"] == "pending"
    assert saas["status"] == "in_review"

    assert main(["import", str(CUAD_PDF), str(AGREEMENT)]) == 0
    out = capsys.readouterr().out
    assert "created" not in out
    assert out.count("unchanged") == 2


def test_a_bad_file_fails_alone(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = workdir / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7\n garbage without end")
    code = main(["import", str(broken), str(AGREEMENT)])
    captured = capsys.readouterr()
    assert code == 1
    assert "broken.pdf" in captured.out + captured.err
    assert main(["contracts", "list", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 1


def test_import_applies_the_read_limits_given(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Three form-feed pages: over a two-page limit, so only the one-page file is imported.
    (workdir / "long.txt").write_text("Page one.\fPage two.\fPage three.\n", encoding="utf-8")
    code = main(["import", str(workdir / "long.txt"), str(AGREEMENT), "--max-pages", "2"])
    out = capsys.readouterr().out
    assert code == 1
    assert "has 3 pages, over the limit of 2" in out
    assert out.count("created") == 1


def test_import_reads_the_pdf_password_from_the_environment(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    document_builders: ModuleType,
) -> None:
    locked = workdir / "locked.pdf"
    locked.write_bytes(
        document_builders.text_pdf(
            ["This Agreement is governed by the laws of Ontario."], user_password="s3cret"
        )
    )
    assert main(["import", str(locked)]) == 1
    assert "encrypted" in capsys.readouterr().out
    monkeypatch.setenv("CONTRACTSYNC_PDF_PASSWORD", "s3cret")
    assert main(["import", str(locked)]) == 0
    assert "created" in capsys.readouterr().out
