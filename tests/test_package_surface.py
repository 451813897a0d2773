"""Each package's public door exports exactly what we mean to support, and docs stay current."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from contractsync.settings import settings_reference

REPO_ROOT = Path(__file__).resolve().parents[1]

PUBLIC = {
    "contractsync.audit": {
        "GENESIS_HASH", "AuditEntry", "AuditLog", "VerifyReport", "entry_hash", "verify_audit_log",
    },
    "contractsync.store": {
        "DELIVERED", "DISCARDED", "OPEN", "ConfirmedRecord", "DeadLetter",
        "DeadLetterRepository", "SyncRunRepository", "SyncStateRepository", "Clock",
        "ContractRepository", "ContractVersion", "Database", "DocumentRepository",
        "Journal", "JournalEntry", "StoredContract", "StoredDocument", "WriteResult",
        "canonical_json", "parse_database_url", "tables", "utc_now", "APPLIED", "DISMISSED",
        "InboundRepository", "PendingChange", "Watermark",
    },
    "contractsync.durable": {
        "APP_NAME", "ProcessLock", "WorkflowSummary", "durable_engine", "engine_app",
        "engine_config", "finish_recovered_workflows", "recent_workflows", "queue_depths",
        "resume_abandoned_workflows",
    },
    "contractsync.ingest": {
        "DocumentFile", "LoadOutcome", "RecordFile", "find_record_files", "load_record_files",
        "read_record_file", "ImportOutcome", "import_documents", "import_files",
    },
    "contractsync.cli": {"app", "main", "run"},
    "contractsync.api": {"check_bind_address", "create_api", "is_loopback"},
    "contractsync.review": {"ReviewPolicy", "gate", "review_state"},
    "contractsync.sync": {
        "BULK_THRESHOLD", "SANDBOX_ORG", "Action", "Channel", "ChunkOutcome", "FieldChange",
        "OrgRegistry", "Plan", "PlannedRemoval", "PlannedWrite", "RemovalItem", "WriteItem",
        "choose_channel", "contracts_for", "deliver_chunk", "deliver_removals", "org_queue",
        "org_registry", "owner_ids", "plan_items", "plan_org", "plan_sync", "routed", "run_key",
        "quarantine_message", "start_sync", "DELETED", "Decision", "DriftFinding", "FieldDrift",
        "InboundChange",
        "InboundReport", "RecordDrift", "ReconcilePolicy", "ReconcileReport", "WriteBack",
        "detect_drift", "inbound_decision", "poll_inbound", "reconcile", "reconcile_decision",
        "record_drift", "same_value", "write_backs", "canonical_value", "with_value",
        "replay_dead_letters", "JOBS", "ScheduledJob", "apply_schedules", "configured_jobs",
        "mapping_problems", "require_fitting_mapping", "queued_runs",
    },
    "contractsync.package": {
        "PackageField", "PackageObject", "SchemaTarget", "install_in_sandbox", "package_objects",
    },
    "contractsync.mapping": {
        "REVERSIBLE_TRANSFORMS", "InboundPolicy", "inbound_paths", "ContractView",
        "DesiredRecord", "FieldRule", "Lookup", "LookupRef", "Mapping", "MappingProblem",
        "NotRepresentable", "ObjectMapping", "ParentRef", "Reference", "UserLookup",
        "check_mapping", "contract_view", "default_mapping_path", "desired_records",
        "field_value", "load_mapping", "parse_mapping", "plain_value", "render", "resolve",
        "to_salesforce", "normalize_domain", "normalize_value",
    },
    "contractsync.salesforce": {
        "COLLECTION_LIMIT", "DEFAULT_API_VERSION", "JOB_CALLS", "JOB_RECORDS", "to_csv",
        "AccessTokenAuth",
        "ApiUsage",
        "ClientCredentialsAuth", "Disposition", "FieldError", "JwtBearerAuth", "LimitTracker",
        "OrgAuth", "OrgClient", "OrgSession", "PasswordAuth", "RecordResult", "RetryPolicy",
        "classify", "org_http_session", "parse_limit_info",
    },
}  # fmt: skip


@pytest.mark.parametrize("module_name", sorted(PUBLIC))
def test_public_names_are_exactly_the_supported_ones(module_name: str) -> None:
    module = importlib.import_module(module_name)
    assert set(module.__all__) == PUBLIC[module_name]
    for name in module.__all__:
        assert hasattr(module, name), f"{module_name}.{name} is exported but missing"


@pytest.mark.parametrize(
    "module_name", ["contractsync.model", "contractsync.documents", "contractsync.store"]
)
def test_every_exported_name_exists_and_private_modules_stay_private(module_name: str) -> None:
    module = importlib.import_module(module_name)
    for name in module.__all__:
        assert not name.startswith("_")
        assert hasattr(module, name)


def test_the_configuration_reference_is_current() -> None:
    documented = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert documented == settings_reference(), (
        "docs/configuration.md is stale: contractsync config reference > docs/configuration.md"
    )
