"""Planning a sync of some contracts against what the org confirmed for all of them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from contractsync.context import App
from contractsync.model import Contract
from contractsync.sync import SANDBOX_ORG, Plan, org_registry, plan_org

TODAY = date(2026, 11, 28)


def _plan(app: App, keys: list[str] | None = None) -> Plan:
    stored = [app.contracts.get(key) for key in keys] if keys else app.contracts.all()
    return plan_org(app, org_registry(app), SANDBOX_ORG, stored, today=TODAY)


def _confirm_everything(app: App, plan: Plan) -> None:
    app.sync_state.confirm(
        SANDBOX_ORG,
        [
            {
                "sobject": write.record.sobject,
                "external_key": write.record.key,
                "object_name": write.record.object_name,
                "contract_key": write.record.contract_key,
                "sf_id": None,
                "fingerprint": write.record.fingerprint,
                "snapshot": write.record.snapshot(),
                "active": True,
                "action": "created",
            }
            for write in plan.writes
        ],
        actor="test",
        run_id="run-1",
    )


def test_a_shared_parent_confirmed_under_a_contract_left_out_is_not_sent_again(
    app: App, make_contract: Callable[..., Contract]
) -> None:
    for key in ("C-1", "C-2"):
        contract = make_contract(key, account={"key": "ACC-1", "name": "Acme"})
        app.contracts.create(contract, actor="test", reason="new")
    everything = _plan(app)
    assert len(everything.writes) == 3  # one shared account, two contracts
    _confirm_everything(app, everything)

    only_second = _plan(app, ["C-2"])

    assert only_second.writes == ()
    assert only_second.unchanged == 2
