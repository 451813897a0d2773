"""Who wins when a field changed in Salesforce: the conflict policies, as pure decisions.

See docs/decisions/0005-inbound-conflicts-and-echo-detection.md. Inbound sync and
reconciliation share them: ``salesforce-wins`` takes the org's value into the contract,
``contractsync-wins`` keeps the contract's (the next sync writes it back), ``newest-wins``
compares when each side last changed, and ``manual`` parks the change for a person.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Literal

from contractsync.mapping import InboundPolicy

ReconcilePolicy = Literal["restore", "accept"]


class Decision(StrEnum):
    APPLY = "apply"
    """Salesforce's value becomes the contract's (inbound) or is accepted (reconcile)."""
    KEEP = "keep"
    """contractsync's value stays and is written back to the org."""
    PARK = "park"
    """A person decides (``contractsync inbound pending``)."""


def inbound_decision(
    policy: InboundPolicy,
    *,
    salesforce_changed_at: datetime | None,
    contract_changed_at: datetime,
) -> Decision:
    """What inbound sync does with a field changed in Salesforce."""
    if policy == "salesforce-wins":
        return Decision.APPLY
    if policy == "contractsync-wins":
        return Decision.KEEP
    if policy == "manual":
        return Decision.PARK
    # newest-wins: a change whose time is unknown cannot prove it is newer.
    if salesforce_changed_at is not None and salesforce_changed_at > contract_changed_at:
        return Decision.APPLY
    return Decision.KEEP


def reconcile_decision(
    policy: InboundPolicy | None,
    forced: ReconcilePolicy | None,
    *,
    salesforce_changed_at: datetime | None,
    contract_changed_at: datetime,
) -> Decision:
    """What reconciliation does with a drifted field.

    ``--policy restore|accept`` decides for every field. Without it, each field follows
    its mapping: no ``inbound`` (contractsync owns the field) or ``contractsync-wins``
    restores; ``salesforce-wins`` accepts; ``newest-wins`` compares times; ``manual``
    parks the drift for a person.
    """
    if forced == "restore":
        return Decision.KEEP
    if forced == "accept":
        return Decision.APPLY
    if policy is None:
        return Decision.KEEP
    return inbound_decision(
        policy,
        salesforce_changed_at=salesforce_changed_at,
        contract_changed_at=contract_changed_at,
    )
