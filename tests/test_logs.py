"""Secrets never reach a log line; errors leave their detail in the log file."""

from __future__ import annotations

from pathlib import Path

import pytest

from contractsync.cli import main
from contractsync.logs import redact


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        pytest.param("connect postgresql://app:s3cr3t@db:5432/cs failed", "s3cr3t", id="url"),
        pytest.param("Authorization: Bearer 00Dxx0000001gPL!AR8AQJXg.abc", "AR8AQJXg", id="bearer"),
        pytest.param('{"access_token": "tok-123", "x": 1}', "tok-123", id="json-token"),
        pytest.param("grant_type=password&password=hunter2&x=1", "hunter2", id="form-password"),
        pytest.param("client_secret=abc.def", "abc.def", id="client-secret"),
        pytest.param("session 00D5g000004XyZQ!AQcAQH0u.sessionpart", "AQcAQH0u", id="session-id"),
    ],
)
def test_redact_removes_every_known_secret_shape(line: str, secret: str) -> None:
    cleaned = redact(line)
    assert secret not in cleaned
    assert "***" in cleaned


def test_redact_leaves_ordinary_text_alone() -> None:
    text = "contract NWT-SUB-2025 version=3 org=emea passed"
    assert redact(text) == text


def test_errors_go_to_the_log_file_with_secrets_redacted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", "postgresql://app:s3cr3t@127.0.0.1:1/x")

    assert main(["contracts", "list"]) == 1

    err = capsys.readouterr().err
    assert "s3cr3t" not in err
    log = (tmp_path / ".contractsync" / "logs" / "contractsync.log").read_text(encoding="utf-8")
    assert "Cannot open the database" in log
    assert "Traceback" in log
    assert "s3cr3t" not in log


def test_debug_shows_the_traceback_on_screen(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["--debug", "contracts", "list"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err
    assert err.strip().endswith("Create it with: contractsync init")
