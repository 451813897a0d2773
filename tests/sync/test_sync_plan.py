"""The pure core of sync: diff against confirmed state, removal policies, channels, routing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

import pytest

from contractsync.mapping import default_mapping_path, desired_records, load_mapping
from contractsync.model import Contract
from contractsync.store import ConfirmedRecord
from contractsync.sync import Action, Channel, choose_channel, plan_sync, routed

TODAY = date(2026, 11, 28)
MAPPING = load_mapping(default_mapping_path())


def _contract(make_contract: Callable[..., Contract], key: str = "C-1", **changes: Any) -> Contract:
    approved = {"state": "auto_approved"}
    return make_contract(
        key,
        account={"key": "ACC-1", "name": "Acme"},
        obligations=[
            {
                "value": {"key": "OB-1", "kind": "reporting", "description": "Report"},
                "review": approved,
            },
            {"value": {"key": "OB-2", "kind": "payment", "description": "Pay"}, "review": approved},
        ],
        **changes,
    )


def _confirm(records: list[Any]) -> dict[tuple[str, str], ConfirmedRecord]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return {
        record.identity: ConfirmedRecord(
            org="o", sobject=record.sobject, external_key=record.key,
            object_name=record.object_name, contract_key=record.contract_key, sf_id="x",
            fingerprint=record.fingerprint, snapshot=record.snapshot(), active=True,
            confirmed_at=now,
        )
        for record in records
    }  # fmt: skip


def test_a_new_contract_plans_creates_parents_first(make_contract: Callable[..., Contract]) -> None:
    desired = desired_records(_contract(make_contract), MAPPING, today=TODAY)
    plan = plan_sync("o", desired, {}, mapping=MAPPING, contract_keys=["C-1"])

    assert [w.action for w in plan.writes] == [Action.CREATE] * 4
    assert [w.record.sobject for w in plan.writes] == [
        "Account", "Contract", "CS_Obligation__c", "CS_Obligation__c",
    ]  # fmt: skip
    assert plan.counts()["create"] == 4


def test_nothing_changed_plans_nothing(make_contract: Callable[..., Contract]) -> None:
    desired = desired_records(_contract(make_contract), MAPPING, today=TODAY)
    plan = plan_sync("o", desired, _confirm(desired), mapping=MAPPING, contract_keys=["C-1"])
    assert plan.is_empty
    assert plan.unchanged == 4


def test_a_changed_field_updates_only_its_record_with_the_field_diff(
    make_contract: Callable[..., Contract],
) -> None:
    before = desired_records(_contract(make_contract), MAPPING, today=TODAY)
    after = desired_records(_contract(make_contract, title="Renamed"), MAPPING, today=TODAY)

    plan = plan_sync("o", after, _confirm(before), mapping=MAPPING, contract_keys=["C-1"])

    assert [(w.action, w.record.sobject) for w in plan.writes] == [(Action.UPDATE, "Contract")]
    assert [(c.field, c.before, c.after) for c in plan.writes[0].changes] == [
        ("Name", "Contract C-1", "Renamed")
    ]


def test_removed_obligations_follow_the_removal_policy(
    make_contract: Callable[..., Contract],
) -> None:
    before = desired_records(_contract(make_contract), MAPPING, today=TODAY)
    after = desired_records(
        make_contract("C-1", account={"key": "ACC-1", "name": "Acme"}), MAPPING, today=TODAY
    )
    plan = plan_sync("o", after, _confirm(before), mapping=MAPPING, contract_keys=["C-1"])

    assert [(r.action, r.confirmed.external_key) for r in plan.removals] == [
        (Action.DEACTIVATE, "C-1:OB-1"),
        (Action.DEACTIVATE, "C-1:OB-2"),
    ]
    assert plan.removals[0].deactivate == {"CS_Active__c": False}
    # Records of contracts outside the run are never removed.
    outside = plan_sync("o", [], _confirm(before), mapping=MAPPING, contract_keys=["C-9"])
    assert outside.removals == ()


def test_a_shared_parent_is_sent_once_and_disagreements_are_reported(
    make_contract: Callable[..., Contract],
) -> None:
    first = desired_records(
        make_contract("A", account={"key": "ACC-1", "name": "Acme"}), MAPPING, today=TODAY
    )
    second = desired_records(
        make_contract("B", account={"key": "ACC-1", "name": "ACME Ltd"}), MAPPING, today=TODAY
    )

    plan = plan_sync("o", [*first, *second], {}, mapping=MAPPING, contract_keys=["A", "B"])

    accounts = [w for w in plan.writes if w.record.sobject == "Account"]
    assert len(accounts) == 1
    assert accounts[0].record.fields["Name"] == "Acme"
    assert plan.conflicts == ("Account ACC-1: contracts A and B disagree; A's values are sent",)


@pytest.mark.parametrize(
    ("records", "channel"),
    [
        pytest.param(1, Channel.REST, id="one"),
        pytest.param(2, Channel.COLLECTIONS, id="two"),
        pytest.param(2000, Channel.COLLECTIONS, id="threshold"),
        pytest.param(2001, Channel.BULK, id="above-threshold"),
    ],
)
def test_channel_choice_is_a_function_of_volume(records: int, channel: Channel) -> None:
    assert choose_channel(records) is channel


@pytest.mark.parametrize(
    ("route", "expected"),
    [
        pytest.param({}, True, id="no-rules"),
        pytest.param({"region": ["EMEA"]}, True, id="region-match"),
        pytest.param({"region": ["AMER"]}, False, id="region-miss"),
        pytest.param({"region": ["EMEA"], "contract_type": ["subscription"]}, True, id="all-match"),
        pytest.param({"region": ["EMEA"], "contract_type": ["nda"]}, False, id="one-misses"),
    ],
)
def test_routing_rules_on_contract_fields(
    make_contract: Callable[..., Contract], route: dict[str, list[str]], expected: bool
) -> None:
    assert routed(make_contract("C-1", region="EMEA"), route) is expected
