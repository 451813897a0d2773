"""The extract and eval commands, mounted on a small Typer app as the lead will mount them."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from contractsync.cli._extraction import eval_app, extract

app = typer.Typer()
app.command("extract")(extract)
app.add_typer(eval_app, name="eval")


def test_extract_jsonl_schema(tmp_path: Path, cases: Path) -> None:
    shutil.copy(cases / "services_agreement.txt", tmp_path)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    result = CliRunner().invoke(app, ["extract", str(tmp_path), "--jsonl"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines() if line.startswith("{")]
    by_name = {record["document"]: record for record in records}
    assert set(by_name) == {"services_agreement.txt", "broken.pdf"}
    assert by_name["broken.pdf"]["errors"]
    good = by_name["services_agreement.txt"]
    assert len(good["sha256"]) == 64
    fields = good["fields"]
    assert fields["parties"]["value"][0] == {"name": "Northwind Analytics, Inc.", "role": "vendor"}
    assert fields["effective_date"]["value"] == "2021-03-05"
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
