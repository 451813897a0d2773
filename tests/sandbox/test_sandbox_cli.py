"""``contractsync sandbox serve``: every documented option reaches the org it starts.

The end-to-end run (subprocess, --json line, SIGTERM, restart) is in
test_sandbox_conformance.py; this checks the option plumbing without starting a server.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, ClassVar

import pytest
from typer.testing import CliRunner

from contractsync.sandbox import FaultPlan, FaultRule, SandboxInfo, _cli

_INFO = SandboxInfo(
    instance_url="https://127.0.0.1:4443", login_url="https://127.0.0.1:4443",
    api_version="61.0", access_token="00Dx!token", username="admin@sandbox", password="pw",
    client_id="cid", client_secret="secret", ca_bundle="/state/ca.pem",
    org_id="00D5f000000aOqLEAU", user_id="0055f000000aOqLAAU",
)  # fmt: skip


class _FakeOrg:
    """Stands in for SandboxOrg: records its arguments, announces, returns at once."""

    made: ClassVar[list[tuple[tuple[Any, ...], dict[str, Any]]]] = []

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.made.append((args, kwargs))
        self.info = _INFO

    def serve_forever_with(self, announce: Any) -> None:
        announce(self)


@pytest.fixture
def fake_org(monkeypatch: pytest.MonkeyPatch) -> type[_FakeOrg]:
    _FakeOrg.made = []
    monkeypatch.setattr(_cli, "SandboxOrg", _FakeOrg)
    return _FakeOrg


def test_every_option_reaches_the_org(fake_org: type[_FakeOrg], tmp_path: Path) -> None:
    first, second = tmp_path / "a.pem", tmp_path / "b.pem"
    first.write_text("CERT A")
    second.write_text("CERT B")
    result = CliRunner().invoke(
        _cli.sandbox_app,
        [
            "serve", "--host", "::", "--port", "8443", "--data", str(tmp_path / "o.db"),
            "--http", "--api-version", "61.0", "--latency-ms", "20", "--jitter-ms", "5",
            "--faults", "seed=7,rest:hang=0.1", "--daily-api-limit", "99",
            "--jwt-cert", str(first), "--jwt-cert", str(second), "--json",
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    [(args, kwargs)] = fake_org.made
    assert args == (tmp_path / "o.db",)
    assert kwargs == {
        "host": "::",
        "port": 8443,
        "http": True,
        "api_version": "61.0",
        "faults": FaultPlan(7, 20, 5, (FaultRule("rest", "hang", 0.1),)),
        "daily_api_limit": 99,
        "jwt_certificates": ["CERT A", "CERT B"],
    }
    assert json.loads(result.output.splitlines()[0]) == _INFO.to_json()


def test_without_json_the_details_are_for_people(fake_org: type[_FakeOrg]) -> None:
    result = CliRunner().invoke(_cli.sandbox_app, ["serve"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "Sandbox org at https://127.0.0.1:4443 (API v61.0)"
    assert "  CA bundle: /state/ca.pem" in result.output.splitlines()
    [(_args, kwargs)] = fake_org.made
    assert (kwargs["host"], kwargs["port"], kwargs["http"]) == ("127.0.0.1", 0, False)
    assert kwargs["faults"] == FaultPlan()


@pytest.mark.parametrize(
    ("options", "message"),
    [
        pytest.param(["--faults", "rest:explode=1"], "unknown fault 'explode'", id="fault"),
        pytest.param(["--faults", "web:hang=1"], "unknown endpoint family 'web'", id="family"),
        pytest.param(["--jwt-cert", "/no/such.pem"], "No such file", id="cert"),
    ],
)
def test_bad_options_exit_2(fake_org: type[_FakeOrg], options: list[str], message: str) -> None:
    result = CliRunner().invoke(_cli.sandbox_app, ["serve", *options])
    assert result.exit_code == 2
    assert message in result.output
    assert fake_org.made == []
