"""Helpers of the API tests: the sandbox org as a configured org, contracts the org
accepts or refuses, and the token the guarded tests use."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from pydantic import SecretStr

from contractsync.context import App
from contractsync.model import Contract
from contractsync.sandbox import SandboxInfo
from contractsync.settings import OrgSettings
from contractsync.sync import start_sync

TODAY = date(2026, 11, 28)
ADMIN_EMAIL = "admin@sandbox.contractsync.invalid"
APPROVED = {"state": "auto_approved"}
TOKEN = "t0ken-for-tests-" + "x" * 24
LOOPBACK = ("127.0.0.1", 50000)
"""The address a test client calls from: without a token only this machine is answered."""


def org_settings(info: SandboxInfo, **changes: Any) -> OrgSettings:
    """The sandbox org as a password-flow org (as a real org would be configured)."""
    values: dict[str, Any] = {
        "flow": "password",
        "login_url": info.login_url,
        "client_id": info.client_id,
        "client_secret": SecretStr(info.client_secret),
        "username": info.username,
        "password": SecretStr(info.password),
        "ca_bundle": Path(info.ca_bundle) if info.ca_bundle else None,
    }
    return OrgSettings(**(values | changes))


def sync_contract(key: str, **changes: Any) -> Contract:
    """A contract whose account, contract and obligation records go to the org."""
    data: dict[str, Any] = {
        "contract_key": key,
        "title": f"Contract {key}",
        "contract_type": "subscription",
        "status": "draft",
        "effective_date": {"value": "2025-01-01", "review": APPROVED},
        "initial_term": {"value": {"months": 12}, "review": APPROVED},
        "auto_renew": {"value": True, "review": APPROVED},
        "renewal_notice_period": {"value": {"days": 30}, "review": APPROVED},
        "account": {"key": f"ACC-{key}", "name": f"Account of {key}"},
        "owners": {"account_manager": {"email": ADMIN_EMAIL}},
        "obligations": [
            {
                "value": {"key": "REPORT", "kind": "reporting", "description": "Report"},
                "review": APPROVED,
            }
        ],
    }
    return Contract.model_validate(data | changes)


def refused_and_delivered(app: App, good: str, bad: str) -> dict[str, Any]:
    """Store a contract the org accepts and one it refuses (Contract.Name over its 80
    characters), and sync them through the running engine; returns the run's summary."""
    app.contracts.create(sync_contract(good), actor="tester", reason="new")
    app.contracts.create(sync_contract(bad, title="x" * 120), actor="tester", reason="new")
    summary = start_sync("test", [good, bad], today=TODAY, actor="tester")
    assert summary["delivered"]["dead_letters"] == 1, summary
    return summary


def fix_title(app: App, key: str) -> None:
    current = app.contracts.get(key)
    fixed = current.contract.with_changes({"title": "Short enough"})
    app.contracts.update(fixed, expected_version=current.version, actor="tester", reason="fix")
