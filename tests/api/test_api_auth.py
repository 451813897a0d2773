"""Bearer tokens, the loopback-only rule without one, and the token kept out of files."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from api_support import TOKEN
from fastapi.testclient import TestClient

from contractsync.api import check_bind_address, create_api, is_loopback
from contractsync.cli import main
from contractsync.context import App
from contractsync.errors import ConfigurationError
from contractsync.settings import load_settings

GUARDED = [
    ("get", "/dead-letters"),
    ("get", "/dead-letters/1"),
    ("post", "/dead-letters/1/discard"),
    ("post", "/dead-letters/replay"),
    ("get", "/sync/runs"),
    ("get", "/sync/status"),
    ("get", "/contracts"),
    ("get", "/contracts/C-1"),
    ("get", "/metrics"),
]


@pytest.fixture
def api_token() -> str:
    return TOKEN


@pytest.fixture
def anonymous(store: App) -> TestClient:
    """The API without the token in its requests (no lifespan: nothing gets that far)."""
    return TestClient(create_api(store))


@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-token", f"Basic {TOKEN}", f"Bearer {TOKEN}x", "Bearer"],
    ids=["none", "wrong", "other-scheme", "longer", "empty"],
)
def test_every_endpoint_but_health_needs_the_token(
    anonymous: TestClient, method: str, path: str, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = anonymous.request(method, path, headers=headers, json={"reason": "r"})
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json()["code"] == "unauthorized"
    assert "CONTRACTSYNC_API__TOKEN" in response.json()["message"]
    assert TOKEN not in response.text


def test_the_right_token_is_let_in_and_health_needs_none(anonymous: TestClient) -> None:
    assert anonymous.get("/health").status_code == 200
    assert anonymous.get("/health/ready").status_code == 200
    authorized = {"Authorization": f"Bearer {TOKEN}"}
    assert anonymous.get("/dead-letters", headers=authorized).json()["items"] == []
    assert anonymous.get("/metrics", headers=authorized).status_code == 200
    refused = anonymous.post("/dead-letters/1/discard", json={"reason": "r"})
    assert refused.status_code == 401  # refused before the letter is even looked up


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_are_served_without_a_token(host: str) -> None:
    assert is_loopback(host)
    check_bind_address(load_settings(), host)


ALL_INTERFACES = "0.0.0.0"  # noqa: S104 - the address the tests expect refused


@pytest.mark.parametrize("host", [ALL_INTERFACES, "::", "192.168.1.20", "example.com", ""])
def test_other_addresses_are_refused_without_a_token(host: str) -> None:
    with pytest.raises(ConfigurationError, match="Set CONTRACTSYNC_API__TOKEN") as refused:
        check_bind_address(load_settings(), host)
    assert f"on '{host}' without a token" in str(refused.value)
    check_bind_address(load_settings(api={"token": TOKEN}), host)


@pytest.mark.parametrize("token", ["", "hunter2", "x" * 15], ids=["empty", "short", "15-chars"])
def test_an_empty_or_short_token_is_refused_by_the_settings(
    monkeypatch: pytest.MonkeyPatch, token: str
) -> None:
    monkeypatch.setenv("CONTRACTSYNC_API__TOKEN", token)
    with pytest.raises(ConfigurationError, match="CONTRACTSYNC_API__TOKEN is too short") as e:
        load_settings()
    assert "under 16 characters" in str(e.value)
    if token:
        assert token not in str(e.value)
    with pytest.raises(ConfigurationError, match="CONTRACTSYNC_API__TOKEN is too short"):
        load_settings(api={"token": token})


def test_a_token_of_sixteen_characters_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACTSYNC_API__TOKEN", "x" * 16)
    token = load_settings().api.token
    assert token is not None
    assert token.get_secret_value() == "x" * 16


@pytest.mark.parametrize("api_token", [None])
@pytest.mark.parametrize("caller", ["127.0.0.1", "127.0.0.2", "::1"])
def test_without_a_token_loopback_callers_are_answered(store: App, caller: str) -> None:
    served = TestClient(create_api(store), client=(caller, 40000))
    assert served.get("/dead-letters").status_code == 200
    assert served.get("/metrics").status_code == 200


@pytest.mark.parametrize("api_token", [None])
@pytest.mark.parametrize(("method", "path"), GUARDED, ids=[f"{m} {p}" for m, p in GUARDED])
@pytest.mark.parametrize("caller", ["203.0.113.9", "10.0.0.4", "testclient"])
def test_without_a_token_other_callers_are_refused(
    store: App, method: str, path: str, caller: str
) -> None:
    # However the app is served (uvicorn --factory, gunicorn), not only by `api serve`.
    served = TestClient(create_api(store), client=(caller, 40000))
    response = served.request(method, path, json={"reason": "r"})
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "forbidden"
    assert "CONTRACTSYNC_API__TOKEN" in body["message"]
    assert served.get("/health").status_code == 200
    assert served.get("/health/ready").status_code == 200
    assert store.sync_runs.recent() == []


def test_serve_refuses_a_public_address_without_a_token(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["api", "serve", "--host", ALL_INTERFACES]) == 2
    err = capsys.readouterr().err
    assert "Refusing to serve the API on '0.0.0.0' without a token" in err
    assert "CONTRACTSYNC_API__TOKEN" in err
    # Refused before the store was opened.
    assert not (tmp_path / ".contractsync" / "contractsync.sqlite").exists()


def test_the_token_is_refused_in_the_config_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "contractsync.toml").write_text(f'[api]\ntoken = "{TOKEN}"\n', encoding="utf-8")
    with pytest.raises(ConfigurationError, match="holds a secret \\(token\\) in \\[api\\]") as e:
        load_settings()
    assert "CONTRACTSYNC_API__TOKEN" in str(e.value)
    assert TOKEN not in str(e.value)
    monkeypatch.setenv("CONTRACTSYNC_API__TOKEN", TOKEN)
    (tmp_path / "contractsync.toml").unlink()
    token = load_settings().api.token
    assert token is not None
    assert token.get_secret_value() == TOKEN
    assert TOKEN not in repr(load_settings())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.slow
def test_api_serve_answers_over_http_with_the_token_and_stops_cleanly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACTSYNC_")}
    env["CONTRACTSYNC_API__TOKEN"] = TOKEN
    server = subprocess.Popen(
        [sys.executable, "-m", "contractsync", "api", "serve", "--port", str(port)],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, server.communicate()[0].decode()
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "the server never answered"
            time.sleep(0.2)
        assert httpx.get(f"{base}/dead-letters").status_code == 401
        authorized = {"Authorization": f"Bearer {TOKEN}"}
        replayed = httpx.post(f"{base}/dead-letters/replay", headers=authorized, timeout=30)
        assert replayed.json() == {"delivered": 0, "still_open": 0, "letters": [], "runs": []}
    finally:
        server.send_signal(signal.SIGINT)
        output = server.communicate(timeout=60)[0].decode()
    assert server.returncode == 0, output
    assert TOKEN not in output
