"""A load killed with SIGKILL at any point completes exactly once after restart.

Real subprocesses, real ``kill -9``: the loader is stopped while records are being
written, then a fresh process resumes the interrupted workflow. Every contract must exist
exactly once, at version 1, with one audit entry, and the audit chain must verify.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

pytestmark = pytest.mark.slow

RECORDS = 150


def _write_records(folder: Path) -> None:
    folder.mkdir()
    for n in range(RECORDS):
        key = f"K-{n:04d}"
        (folder / f"{key}.txt").write_text(
            f"Agreement {key}. This Agreement takes effect on 1 March 2025.\n", encoding="utf-8"
        )
        (folder / f"{key}.yaml").write_text(
            f"contract_key: {key}\n"
            f"title: Generated contract {n}\n"
            f"documents: [{{path: {key}.txt}}]\n"
            "effective_date:\n"
            "  value: 2025-03-01\n"
            "  provenance:\n"
            "    source: person:test\n"
            f"    evidence: {{document: {key}.txt, quote: takes effect on 1 March 2025}}\n",
            encoding="utf-8",
        )


def _cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "contractsync", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def _count(engine: sa.Engine, sql: str) -> int:
    with engine.connect() as connection:
        return int(connection.exec_driver_sql(sql).scalar_one())


@pytest.mark.parametrize("kill_after", [1, 40, 110], ids=["early", "middle", "late"])
@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]
)
def test_a_killed_load_completes_exactly_once_after_restart(
    tmp_path: Path, request: pytest.FixtureRequest, backend: str, kill_after: int
) -> None:
    records = tmp_path / "records"
    _write_records(records)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTRACTSYNC_")}
    env |= {"CONTRACTSYNC_DATA_DIR": str(tmp_path / "data"), "COLUMNS": "200"}
    if backend == "postgres":
        env["CONTRACTSYNC_DATABASE_URL"] = request.getfixturevalue("postgres_url")
        store_url = env["CONTRACTSYNC_DATABASE_URL"].replace("postgresql:", "postgresql+psycopg:")
    else:
        store_url = f"sqlite:///{tmp_path / 'data' / 'contractsync.sqlite'}"
    assert _cli(env, "init").returncode == 0

    loader = subprocess.Popen(
        [sys.executable, "-m", "contractsync", "contracts", "load", str(records)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    engine = sa.create_engine(store_url)
    try:
        deadline = time.monotonic() + 120
        written = 0
        while written < kill_after and time.monotonic() < deadline and loader.poll() is None:
            time.sleep(0.005)
            written = _count(engine, "SELECT count(*) FROM contracts")
        os.kill(loader.pid, signal.SIGKILL)
        loader.wait()
        assert loader.returncode == -signal.SIGKILL
        at_kill = _count(engine, "SELECT count(*) FROM contracts")
        assert kill_after <= at_kill < RECORDS, "the load must be interrupted part-way"

        recovered = _cli(env, "workflows", "recover")
        assert recovered.returncode == 0, recovered.stderr
        assert "SUCCESS" in recovered.stdout

        assert _count(engine, "SELECT count(*) FROM contracts") == RECORDS
        assert _count(engine, "SELECT count(*) FROM contract_versions") == RECORDS
        assert _count(engine, "SELECT max(version) FROM contracts") == 1
        assert (
            _count(engine, "SELECT count(*) FROM audit_log WHERE action = 'contract.created'")
            == RECORDS
        )
        assert (
            _count(engine, "SELECT count(*) FROM audit_log WHERE action = 'document.stored'")
            == RECORDS
        )
        assert _count(engine, "SELECT count(*) FROM document_blobs") == RECORDS
    finally:
        engine.dispose()

    verified = _cli(env, "audit", "verify")
    assert verified.returncode == 0, verified.stderr
    # Loading again after recovery finds nothing to do.
    again = _cli(env, "contracts", "load", str(records))
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("unchanged") == RECORDS
