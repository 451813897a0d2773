"""Delivering canonical contracts into Salesforce orgs: plan, diff, durable delivery, and
the way back: drift reconciliation and inbound sync with conflict policies."""

from ._backmap import WriteBack, canonical_value, with_value, write_backs
from ._conflict import Decision, ReconcilePolicy, inbound_decision, reconcile_decision
from ._deliver import ChunkOutcome, deliver_chunk, deliver_removals
from ._drift import FieldDrift, record_drift, same_value
from ._fit import mapping_problems, require_fitting_mapping
from ._inbound import InboundChange, InboundReport, poll_inbound
from ._items import RemovalItem, WriteItem, plan_items
from ._orgs import SANDBOX_ORG, OrgRegistry
from ._owners import owner_ids
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
from ._quarantine import quarantine_message
from ._queues import org_queue, queued_runs
from ._reconcile import DELETED, DriftFinding, ReconcileReport, RecordDrift, detect_drift, reconcile
from ._replay import replay_dead_letters
from ._run import contracts_for, org_registry, plan_org, routed, run_key
from ._schedule import JOBS, ScheduledJob, apply_schedules, configured_jobs
from ._workflow import start_sync

__all__ = [
    "BULK_THRESHOLD",
    "DELETED",
    "JOBS",
    "SANDBOX_ORG",
    "Action",
    "Channel",
    "ChunkOutcome",
    "Decision",
    "DriftFinding",
    "FieldChange",
    "FieldDrift",
    "InboundChange",
    "InboundReport",
    "OrgRegistry",
    "Plan",
    "PlannedRemoval",
    "PlannedWrite",
    "ReconcilePolicy",
    "ReconcileReport",
    "RecordDrift",
    "RemovalItem",
    "ScheduledJob",
    "WriteBack",
    "WriteItem",
    "apply_schedules",
    "canonical_value",
    "choose_channel",
    "configured_jobs",
    "contracts_for",
    "deliver_chunk",
    "deliver_removals",
    "detect_drift",
    "inbound_decision",
    "mapping_problems",
    "org_queue",
    "org_registry",
    "owner_ids",
    "plan_items",
    "plan_org",
    "plan_sync",
    "poll_inbound",
    "quarantine_message",
    "queued_runs",
    "reconcile",
    "reconcile_decision",
    "record_drift",
    "replay_dead_letters",
    "require_fitting_mapping",
    "routed",
    "run_key",
    "same_value",
    "start_sync",
    "with_value",
    "write_backs",
]
