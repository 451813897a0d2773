"""Delivering canonical contracts into Salesforce orgs: plan, diff, durable delivery."""

from ._deliver import ChunkOutcome, deliver_chunk, deliver_removals, owner_ids
from ._items import RemovalItem, WriteItem, plan_items
from ._orgs import SANDBOX_ORG, OrgRegistry
from ._plan import (
    BULK_THRESHOLD,
    Action,
    Channel,
    FieldChange,
    Plan,
    PlannedRemoval,
    PlannedWrite,
    choose_channel,
    plan_sync,
)
from ._run import contracts_for, org_registry, plan_org, routed, run_key
from ._workflow import org_queue, start_sync

__all__ = [
    "BULK_THRESHOLD",
    "SANDBOX_ORG",
    "Action",
    "Channel",
    "ChunkOutcome",
    "FieldChange",
    "OrgRegistry",
    "Plan",
    "PlannedRemoval",
    "PlannedWrite",
    "RemovalItem",
    "WriteItem",
    "choose_channel",
    "contracts_for",
    "deliver_chunk",
    "deliver_removals",
    "org_queue",
    "org_registry",
    "owner_ids",
    "plan_items",
    "plan_org",
    "plan_sync",
    "routed",
    "run_key",
    "start_sync",
]
