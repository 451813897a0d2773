"""``contractsync worker`` and ``contractsync schedules`` in process, against the default
local sandbox org."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contracts"


@pytest.fixture
def scheduled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    (tmp_path / "contractsync.toml").write_text(
        '[orgs.sandbox]\nflow = "sandbox"\n\n'
        '[orgs.sandbox.schedule]\nsync = "* * * * * *"\nreconcile = "0 3 * * *"\n',
        encoding="utf-8",
    )
    assert main(["init"]) == 0
    assert main(["contracts", "load", str(EXAMPLES)]) == 0
    capsys.readouterr()
    return tmp_path


def test_the_worker_delivers_on_schedule(
    scheduled: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["schedules"]) == 0
    out = capsys.readouterr().out
    assert "sandbox │ sync      │ * * * * * *" in out
    assert "sandbox │ reconcile │ 0 3 * * *" in out

    assert main(["worker", "--duration", "6"]) == 0
    out = capsys.readouterr().out
    assert "scheduled jobs" in out
    assert "Stopping" in out

    assert main(["sync", "--dry-run"]) == 0
    assert "0 to create, 0 to update, 0 to remove, 10 unchanged" in capsys.readouterr().out
    assert main(["audit", "verify"]) == 0


def test_a_bad_schedule_stops_every_command_with_the_setting_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contractsync.toml").write_text(
        '[orgs.sandbox.schedule]\nsync = "hourly"\n', encoding="utf-8"
    )

    assert main(["schedules"]) == 2
    err = capsys.readouterr().err
    assert "schedule.sync 'hourly' is not a cron expression" in err
