"""The CLI end to end, in process: init, load, list, show, history, transition, audit."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from contractsync.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "contracts"


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("CONTRACTSYNC_ACTOR", "tester")
    monkeypatch.setenv("COLUMNS", "200")
    return tmp_path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def loaded(workdir: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert run(capsys, "init")[0] == 0
    code, _, err = run(capsys, "contracts", "load", str(EXAMPLES))
    assert code == 0, err
    return workdir


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--version")
    assert code == 0
    assert out.startswith("contractsync ")


def test_init_creates_then_reports_an_up_to_date_store(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "init")
    assert code == 0
    assert "Created the store" in out
    assert (workdir / ".contractsync" / "contractsync.sqlite").is_file()
    code, out, _ = run(capsys, "init")
    assert code == 0
    assert "up to date" in out


def test_loading_the_examples_twice_changes_nothing_the_second_time(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "contracts", "load", str(EXAMPLES))
    assert code == 0
    assert "created" not in out
    assert out.count("unchanged") == 3

    code, out, _ = run(capsys, "contracts", "list", "--json")
    listed = json.loads(out)
    assert sorted(item["contract_key"] for item in listed) == [
        "ADT-RES-2026",
        "FAB-SUP-2025",
        "NWT-SUB-2025",
    ]
    assert {item["version"] for item in listed} == {1}


def test_show_applies_amendments_in_force(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "contracts", "show", "NWT-SUB-2025", "--json")
    assert code == 0
    current = json.loads(out)
    assert current["renewal_notice_period"]["value"] == {"days": 60}
    assert current["annual_value"]["value"] == {"amount": "195000", "currency": "GBP"}

    code, out, _ = run(capsys, "contracts", "show", "NWT-SUB-2025", "--json", "--as-signed")
    assert json.loads(out)["renewal_notice_period"]["value"] == {"days": 90}

    code, out, _ = run(capsys, "contracts", "show", "NWT-SUB-2025")
    assert code == 0
    assert "governing_law" in out
    assert "GB-ENG" in out


def test_transition_records_a_version_and_history_shows_it(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(
        capsys, "contracts", "transition", "FAB-SUP-2025", "active", "--reason", "PO placed"
    )
    assert code == 0
    assert "signed → active (version 2)" in out

    code, out, _ = run(capsys, "contracts", "history", "FAB-SUP-2025", "--json")
    history = json.loads(out)
    assert [(v["version"], v["actor"], v["reason"]) for v in history] == [
        (1, "tester", "loaded from contract.yaml"),
        (2, "tester", "PO placed"),
    ]
    assert history[1]["changed"] == ["status"]

    # Reloading the signed-state file must not move the contract backwards.
    code, out, _ = run(capsys, "contracts", "load", str(EXAMPLES))
    assert code == 0
    assert "kept status 'active'" in out


def test_an_illegal_transition_exits_1_naming_the_allowed_moves(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "contracts", "transition", "ADT-RES-2026", "expired", "--reason", "x"
    )
    assert code == 1
    assert err.strip().splitlines() == [
        (
            "error: Contract 'ADT-RES-2026' cannot move from 'in_review' to 'expired'. "
            "From 'in_review' it may move to: draft, signed, terminated."
        )
    ]


def test_a_stale_transition_is_refused(loaded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run(capsys, "contracts", "transition", "FAB-SUP-2025", "active", "--reason", "go")
    code, _, err = run(
        capsys,
        "contracts",
        "transition",
        "FAB-SUP-2025",
        "terminated",
        "--reason",
        "based on an old read",
        "--expected-version",
        "1",
    )
    assert code == 1
    assert "now at version 2" in err


def test_audit_verify_passes_then_names_a_tampered_entry(
    loaded: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "audit", "verify")
    assert code == 0
    assert "chain intact" in out

    database = sqlite3.connect(loaded / ".contractsync" / "contractsync.sqlite")
    with database:
        database.execute("DROP TRIGGER audit_log_no_UPDATE")
        database.execute("UPDATE audit_log SET actor = 'mallory' WHERE seq = 2")
    database.close()

    code, _, err = run(capsys, "audit", "verify")
    assert code == 1
    assert err.startswith("error: Audit log broken at entry #2: entry #2 (")
    assert "the row was altered" in err

    code, out, _ = run(capsys, "audit", "log", "--json")
    assert code == 0
    assert len(out.strip().splitlines()) >= 6


BAD_INPUT = [
    pytest.param(
        ["contracts", "show", "NOPE"], 1, "No contract 'NOPE' in the store", id="unknown-key"
    ),
    pytest.param(
        ["contracts", "load", "missing.yaml"], 2, "missing.yaml does not exist", id="missing-file"
    ),
    pytest.param(
        ["--config", "absent.toml", "contracts", "list"],
        2,
        "absent.toml does not exist",
        id="missing-config",
    ),
    pytest.param(
        ["--config", "bad.toml", "contracts", "list"], 2, "is not valid TOML", id="malformed-toml"
    ),
    pytest.param(["contracts", "lst"], 2, "No such command 'lst'", id="unknown-command"),
    pytest.param(
        ["contracts", "list", "--status", "bogus"],
        2,
        "'bogus' is not one of",
        id="bad-option-value",
    ),
    pytest.param(["contracts", "show", "X", "--version", "0"], 2, "--version", id="bad-version"),
    pytest.param(
        ["contracts", "transition", "X", "active"],
        2,
        "Missing option '--reason'",
        id="missing-option",
    ),
]


@pytest.mark.parametrize(("args", "exit_code", "message"), BAD_INPUT)
def test_bad_input_gets_one_clear_line_and_an_exit_code(
    loaded: Path, capsys: pytest.CaptureFixture[str], args: list[str], exit_code: int, message: str
) -> None:
    (loaded / "bad.toml").write_text("data_dir = [\n", encoding="utf-8")
    code, _, err = run(capsys, *args)
    assert code == exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert message in lines[0]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        pytest.param("not a url", "is not a database URL", id="malformed"),
        pytest.param("mysql://root@localhost/x", "does not support", id="unsupported"),
        pytest.param(
            "postgresql://postgres@127.0.0.1:1/nowhere",
            "Cannot open the database",
            id="unreachable",
        ),
    ],
)
def test_bad_database_urls_are_named_with_the_fix(
    workdir: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    url: str,
    message: str,
) -> None:
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", url)
    code, _, err = run(capsys, "contracts", "list")
    assert code in {1, 2}
    assert message in err
    assert "CONTRACTSYNC_DATABASE_URL" in err or "postgresql://user@host" in err
    assert len(err.strip().splitlines()) == 1


def test_commands_before_init_say_to_run_init(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "contracts", "list")
    assert code == 1
    assert "Create it with: contractsync init" in err


def test_a_bad_record_file_fails_alone(
    workdir: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run(capsys, "init")
    records = tmp_path / "records"
    records.mkdir()
    (records / "good.yaml").write_text("contract_key: G-1\ntitle: Good\n", encoding="utf-8")
    (records / "bad.yaml").write_text("contract_key: B-1\ntitle: [unclosed\n", encoding="utf-8")

    code, out, err = run(capsys, "contracts", "load", str(records))

    assert code == 1
    assert "failed" in out
    assert "bad.yaml is not valid YAML" in out
    assert "1 of 2 record file(s) failed" in err
    code, out, _ = run(capsys, "contracts", "list", "--json")
    assert [c["contract_key"] for c in json.loads(out)] == ["G-1"]


def test_secrets_are_not_printed(
    workdir: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRACTSYNC_DATABASE_URL", "postgresql://app:s3cr3t@127.0.0.1:1/x")
    code, out, err = run(capsys, "config", "show")
    assert code == 0
    assert "s3cr3t" not in out + err
    assert "app:***@" in out
