"""Helpers for tests that sync to a sandbox org from ``contractsync`` subprocesses.

The org runs in the test process; ``contractsync`` subprocesses reach it as org ``it``
through ``CONTRACTSYNC_ORGS__IT__*`` variables, so a test can kill a sync with SIGKILL,
start another, and then compare the org, the store's ``sync_state`` and the audit log with
the records the stored contracts should have.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Collection
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from pydantic import SecretStr

from contractsync.audit import verify_audit_log
from contractsync.context import App
from contractsync.mapping import DesiredRecord, Mapping
from contractsync.mapping import desired_records as records_of
from contractsync.model import Contract
from contractsync.salesforce import OrgClient, PasswordAuth, RetryPolicy
from contractsync.sandbox import SandboxOrg
from contractsync.settings import OrgSettings

ORG = "it"
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}


def synced_contract(key: str, n: int, **changes: Any) -> Contract:
    """A contract whose three records (account, contract, obligation) reach the org; every
    third is active, so its Contract is created in Draft and activated by a second write.
    Keyword arguments replace fields (JSON form)."""
    data: dict[str, Any] = {
        "contract_key": key,
        "title": f"Contract {key}",
        "contract_type": "subscription",
        "status": "active" if n % 3 == 0 else "draft",
        "effective_date": {"value": f"2025-{n % 12 + 1:02d}-01", "review": APPROVED},
        "initial_term": {"value": {"months": 12 + n % 25}, "review": APPROVED},
        "auto_renew": {"value": True, "review": APPROVED},
        "renewal_notice_period": {"value": {"days": 30 + n % 60}, "review": APPROVED},
        "account": {"key": f"ACC-{key}", "name": f"Account of {key}"},
        "owners": {"account_manager": {"email": ADMIN_EMAIL}},
        "obligations": [
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": f"Report {n}"},
                "review": APPROVED,
            }
        ],
    }
    return Contract.model_validate(data | changes)


@dataclass
class Outcome:
    """A finished subprocess: exit status and what it printed."""

    returncode: int
    stdout: str
    stderr: str

    def __str__(self) -> str:
        return f"exit {self.returncode}\n--- stdout\n{self.stdout}\n--- stderr\n{self.stderr}"


@dataclass
class SyncHarness:
    """The org, the store (opened in the test too) and how to run ``contractsync``."""

    org: SandboxOrg
    app: App
    env: dict[str, str]
    mapping: Mapping
    logs: Path
    client: OrgClient
    org_data: Path
    _runs: int = field(default=0)

    # ---- processes ----

    def start(self, *args: str) -> tuple[subprocess.Popen[bytes], Path]:
        """``contractsync ARGS`` in the background; its output goes to a log file."""
        self._runs += 1
        log = self.logs / f"{self._runs:02d}-{'-'.join(args[:2])}.txt"
        with log.open("wb") as out:
            process = subprocess.Popen(
                [sys.executable, "-m", "contractsync", *args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        return process, log

    def run(self, *args: str, timeout: float = 180) -> Outcome:
        result = subprocess.run(
            [sys.executable, "-m", "contractsync", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Outcome(result.returncode, result.stdout, result.stderr)

    def kill_when(
        self,
        process: subprocess.Popen[bytes],
        reached: Callable[[], bool],
        *,
        then_wait: float = 0.0,
        timeout: float = 120,
    ) -> None:
        """SIGKILL ``process`` as soon as ``reached()`` (or ``then_wait`` seconds later);
        fails if the process ended before that."""
        deadline = time.monotonic() + timeout
        while not reached():
            assert process.poll() is None, f"the process ended (exit {process.returncode}) first"
            assert time.monotonic() < deadline, "the kill point was never reached"
            time.sleep(0.005)
        time.sleep(then_wait)
        assert process.poll() is None, f"the process ended (exit {process.returncode}) first"
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert process.returncode == -signal.SIGKILL

    # ---- the store ----

    def load_contracts(self, count: int, *, prefix: str = "K", start: int = 0) -> list[str]:
        keys = [f"{prefix}-{n:04d}" for n in range(start, start + count)]
        for n, key in zip(range(start, start + count), keys, strict=True):
            self.app.contracts.create(synced_contract(key, n), actor="test", reason="new")
        return keys

    def confirmed(self, sobject: str | None = None) -> int:
        """Rows of ``sync_state`` for the org (of one sObject): records it confirmed so far."""
        query = sa.text(
            "SELECT count(*) FROM sync_state WHERE org = :org"
            + (" AND sobject = :sobject" if sobject else "")
        )
        with self.app.database.read() as connection:
            found = connection.execute(query, {"org": ORG, "sobject": sobject}).scalar_one()
        return int(found)

    def org_holds(self, sobject: str) -> int:
        """Live records of ``sobject`` in the org, read from its data file (no API call, so
        no injected latency: a test can watch the org change within one call of a sync)."""
        uri = f"file:{self.org_data}?mode=ro"
        with closing(sqlite3.connect(uri, uri=True, timeout=10)) as connection:
            query = "SELECT count(*) FROM records WHERE sobject = ? AND is_deleted = 0"
            return int(connection.execute(query, (sobject,)).fetchone()[0])

    def audit_actions(self, prefix: str = "sync.") -> Counter[tuple[str, str, str]]:
        """(action, sObject, key) of every audit entry whose action starts with ``prefix``."""
        found: Counter[tuple[str, str, str]] = Counter()
        for entry in self.app.audit.iter_all():
            if entry.action.startswith(prefix):
                found[(entry.action, entry.details["sobject"], entry.details["key"])] += 1
        return found

    # ---- what the org should hold ----

    def desired(self) -> dict[tuple[str, str], DesiredRecord]:
        """Every record the stored contracts want in the org today, by (sObject, key)."""
        today = datetime.now(UTC).date()
        return {
            record.identity: record
            for stored in self.app.contracts.all()
            for record in records_of(stored.contract, self.mapping, today=today)
        }

    def org_rows(self, sobject: str, fields: list[str]) -> list[dict[str, Any]]:
        key_field = next(o.external_id for o in self.mapping.objects if o.sobject == sobject)
        columns = ", ".join(dict.fromkeys(["Id", key_field, *fields]))
        return self.client.query_all(f"SELECT {columns} FROM {sobject}")

    def assert_delivered_exactly_once(self, *, absent: Collection[tuple[str, str]] = ()) -> None:
        """Each desired record (but the ``absent`` ones) is in the org once with its values,
        ``sync_state`` says so with the org's Id, and the audit chain holds."""
        desired = {i: r for i, r in self.desired().items() if i not in absent}
        confirmed = self.app.sync_state.confirmed(ORG)
        assert set(confirmed) == set(desired), "sync_state and the desired records differ"
        for obj in self.mapping.objects:
            wanted = {key: r for (sobject, key), r in desired.items() if sobject == obj.sobject}
            fields = sorted({name for record in wanted.values() for name in record.fields})
            parents = [f"{rel}.{ref.external_id_field}" for rel, ref in _references(wanted)]
            rows = self.org_rows(obj.sobject, [*fields, *parents])
            counts = Counter(row[obj.external_id] for row in rows)
            twice = sorted(key for key, seen in counts.items() if seen > 1)
            assert not twice, f"{obj.sobject} records in the org more than once: {twice[:10]}"
            assert set(counts) == set(wanted), f"{obj.sobject}: the org's keys differ"
            for row in rows:
                record = wanted[row[obj.external_id]]
                sent = {name: value for name, value in record.fields.items() if value is not None}
                assert {name: row[name] for name in sent} == sent, row[obj.external_id]
                for relationship, parent in record.references.items():
                    assert row[relationship][parent.external_id_field] == parent.key
                known = confirmed[(obj.sobject, record.key)]
                assert (known.sf_id, known.fingerprint, known.active) == (
                    row["Id"],
                    record.fingerprint,
                    True,
                )
        report = verify_audit_log(self.app.database)
        assert report.ok, report.problem


def _references(records: dict[str, DesiredRecord]) -> list[tuple[str, Any]]:
    found: dict[str, Any] = {}
    for record in records.values():
        found.update(record.references)
    return sorted(found.items())


def org_env(org: SandboxOrg, name: str = ORG) -> dict[str, str]:
    """The variables that configure ``org`` as org ``name`` (password flow)."""
    info = org.info
    prefix = f"CONTRACTSYNC_ORGS__{name.upper()}__"
    values = {
        "FLOW": "password",
        "LOGIN_URL": info.login_url,
        "CLIENT_ID": info.client_id,
        "CLIENT_SECRET": info.client_secret,
        "USERNAME": info.username,
        "PASSWORD": info.password,
        "CA_BUNDLE": info.ca_bundle or "",
    }
    return {prefix + key: value for key, value in values.items()}


def password_org(org: SandboxOrg, **settings: Any) -> OrgSettings:
    """``org`` configured as a real org would be (password flow), with ``settings`` added."""
    info = org.info
    return OrgSettings(
        flow="password",
        login_url=info.login_url,
        client_id=info.client_id,
        client_secret=SecretStr(info.client_secret),
        username=info.username,
        password=SecretStr(info.password),
        ca_bundle=Path(info.ca_bundle) if info.ca_bundle else None,
        **settings,
    )


def org_client(org: SandboxOrg) -> OrgClient:
    """A client of ``org`` for checks: retries without sleeping."""
    info = org.info
    auth = PasswordAuth(
        login_url=info.login_url,
        client_id=info.client_id,
        client_secret=SecretStr(info.client_secret),
        username=info.username,
        password=SecretStr(info.password),
    )
    retry = RetryPolicy(attempts=8, base_s=0.0, cap_s=0.0, sleep=lambda _: None)
    return OrgClient("test", auth, ca_bundle=info.ca_bundle, retry=retry)
