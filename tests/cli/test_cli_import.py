"""`contractsync import`: documents in, extracted contracts with review states out."""

from __future__ import annotations

import json
from pathlib import Path

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
