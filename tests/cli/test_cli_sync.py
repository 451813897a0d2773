"""The sync commands end to end, in process, against the default local sandbox org."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from contractsync.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contracts"


@pytest.fixture
def loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    assert main(["init"]) == 0
    assert main(["contracts", "load", str(EXAMPLES)]) == 0
    capsys.readouterr()
    return tmp_path


def test_dry_run_then_sync_then_nothing_left_to_do(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Org 'sandbox': 10 to create, 0 to update, 0 to remove, 0 unchanged" in out
    assert 'CS_Governing_Law_Subdivision__c: null → "GB-ENG"' in out

    assert main(["sync"]) == 0
    out = capsys.readouterr().out
    assert "Org 'sandbox': 10 created, 0 updated" in out
    assert (loaded / ".contractsync" / "sandbox-org.sqlite").is_file()

    assert main(["sync"]) == 0
    assert "is up to date" in capsys.readouterr().out
    assert main(["sync", "--dry-run"]) == 0
    assert "0 to create, 0 to update, 0 to remove, 10 unchanged" in capsys.readouterr().out

    assert main(["mapping", "check", "--org", "sandbox"]) == 0
    assert "fits the org" in capsys.readouterr().out
    assert main(["sync", "status"]) == 0
    status = capsys.readouterr().out
    assert "queued" in status
    row = next(line for line in status.splitlines() if "sandbox" in line)
    org, flow, usage, queued, running, letters, *_ = [cell.strip() for cell in row.split("│")][1:]
    assert (org, flow, queued, running, letters) == ("sandbox", "sandbox", "0", "0", "0")
    assert usage.endswith("/15000")
    assert main(["dlq", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["audit", "verify"]) == 0


def test_an_unknown_org_names_the_known_ones(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["sync", "--org", "emea"]) == 2
    err = capsys.readouterr().err
    assert "No org named 'emea'. Known orgs: sandbox." in err


def test_a_secret_in_the_config_file_is_refused(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (loaded / "contractsync.toml").write_text(
        '[orgs.emea]\nflow = "password"\nclient_secret = "s3cr3t"\n', encoding="utf-8"
    )
    assert main(["orgs", "list"]) == 2
    err = capsys.readouterr().err
    assert "holds a secret (client_secret) for org 'emea'" in err
    assert "CONTRACTSYNC_ORGS__EMEA__CLIENT_SECRET" in err
    assert "s3cr3t" not in err


def test_an_incomplete_org_says_what_its_flow_needs(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (loaded / "contractsync.toml").write_text('[orgs.emea]\nflow = "jwt"\n', encoding="utf-8")
    assert main(["orgs", "list"]) == 2
    assert "flow 'jwt' needs login_url, client_id, username" in capsys.readouterr().err


def test_dead_letter_commands_on_unknown_letters(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["dlq", "show", "7"]) == 1
    assert "No dead letter #7" in capsys.readouterr().err
    assert main(["dlq", "replay"]) == 0
    assert "No open dead letters" in capsys.readouterr().out
