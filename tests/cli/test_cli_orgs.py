"""Managing named orgs: contractsync.toml gets the settings, never the secrets."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from contractsync.cli import main


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def _config(workdir: Path) -> dict[str, object]:
    return tomllib.loads((workdir / "contractsync.toml").read_text(encoding="utf-8"))


def test_add_writes_the_org_and_names_where_its_secrets_go(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code = main(
        [
            "orgs", "add", "emea", "--flow", "client_credentials",
            "--login-url", "https://acme.my.salesforce.com", "--client-id", "3MVG",
            "--route", "region=EMEA,UK", "--route", "contract_type=subscription",
        ]
    )  # fmt: skip
    out = capsys.readouterr().out

    assert code == 0
    assert _config(workdir) == {
        "orgs": {
            "emea": {
                "flow": "client_credentials",
                "login_url": "https://acme.my.salesforce.com",
                "client_id": "3MVG",
                "route": {"region": ["EMEA", "UK"], "contract_type": ["subscription"]},
            }
        }
    }
    assert "CONTRACTSYNC_ORGS__EMEA__CLIENT_SECRET" in out

    monkeypatch.setenv("CONTRACTSYNC_ORGS__EMEA__CLIENT_SECRET", "from-env")
    assert main(["orgs", "list"]) == 0
    listed = capsys.readouterr().out
    assert "emea" in listed
    assert "region in ['EMEA', 'UK']" in listed


def test_an_org_without_its_secret_is_reported_with_the_variable_to_set(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(
        [
            "orgs",
            "add",
            "amer",
            "--flow",
            "client_credentials",
            "--login-url",
            "https://x",
            "--client-id",
            "c",
        ]
    )
    capsys.readouterr()
    assert main(["orgs", "list"]) == 2
    err = capsys.readouterr().err
    assert "CONTRACTSYNC_ORGS__AMER" in err
    assert "needs client_secret" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        pytest.param(
            ["orgs", "add", "x", "--flow", "password"],
            "needs login_url, client_id, username",
            id="incomplete",
        ),
        pytest.param(["orgs", "add", "x", "--flow", "carrier-pigeon"], "flow", id="unknown-flow"),
        pytest.param(["orgs", "add", "x y", "--flow", "sandbox"], "must be letters", id="bad-name"),
        pytest.param(
            ["orgs", "add", "x", "--flow", "sandbox", "--route", "region"],
            "FIELD=VALUE",
            id="bad-route",
        ),
        pytest.param(["orgs", "remove", "nope"], "No org 'nope'", id="remove-unknown"),
    ],
)  # fmt: skip
def test_bad_org_input_is_refused_without_touching_the_file(
    workdir: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    (workdir / "contractsync.toml").write_text('log_level = "INFO"\n', encoding="utf-8")
    assert main(args) == 2
    assert message in capsys.readouterr().err
    assert (workdir / "contractsync.toml").read_text(encoding="utf-8") == 'log_level = "INFO"\n'


def test_remove_deletes_only_that_org(workdir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["orgs", "add", "a", "--flow", "sandbox"])
    main(["orgs", "add", "b", "--flow", "sandbox"])
    assert main(["orgs", "remove", "a"]) == 0
    assert _config(workdir) == {"orgs": {"b": {"flow": "sandbox"}}}
