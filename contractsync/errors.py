"""The error families of contractsync, grouped by what the caller should do.

Every error carries a stable ``code`` and structured context (contract key, field, org,
sObject, external id, Salesforce error code, job id ...) as keyword attributes, and
survives pickling, because DBOS stores the exceptions of failed workflow steps.

Messages name the thing and the fix, and end with the command to run where there is one.
"""

from __future__ import annotations

from typing import Any, ClassVar


class ContractSyncError(Exception):
    """Root of every error contractsync raises on purpose."""

    code: ClassVar[str] = "contractsync_error"

    def __init__(self, message: str, **context: Any) -> None:
        super().__init__(message)
        self.message = message
        self.context: dict[str, Any] = {k: v for k, v in context.items() if v is not None}

    def __getattr__(self, name: str) -> Any:
        # Context keys read as attributes (error.contract_key) without declaring each one;
        # unknown names still raise AttributeError, so typos surface.
        context = self.__dict__.get("context", {})
        if name in context:
            return context[name]
        raise AttributeError(name)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_error, (type(self), self.message, self.context))

    def __str__(self) -> str:
        return self.message


def _rebuild_error(
    cls: type[ContractSyncError], message: str, context: dict[str, Any]
) -> ContractSyncError:
    error = cls.__new__(cls)
    ContractSyncError.__init__(error, message, **context)
    return error


class ConfigurationError(ContractSyncError):
    """Settings, config files or command-line input are wrong: fix them and run again."""

    code = "configuration_error"


class StoreError(ContractSyncError):
    """The store refused or could not perform an operation."""

    code = "store_error"


class NotFoundError(StoreError):
    """A contract, version, document or other record does not exist."""

    code = "not_found"


class AlreadyExistsError(StoreError):
    """A record with the same key exists: update it instead of creating it again."""

    code = "already_exists"


class ConcurrencyError(StoreError):
    """A write was based on a stale version: re-read, re-apply the change, and retry."""

    code = "stale_version"


class LifecycleError(ContractSyncError):
    """A contract cannot move from its current lifecycle status to the requested one."""

    code = "illegal_transition"


class ModelError(ContractSyncError):
    """A canonical record is invalid (wrong type, unknown field, bad code)."""

    code = "invalid_record"


class DocumentError(ContractSyncError):
    """A document cannot be read: corrupt, encrypted, unsupported, empty or too large."""

    code = "document_error"


class ExtractionError(ContractSyncError):
    """An extractor failed on a readable document."""

    code = "extraction_error"


class AuditError(ContractSyncError):
    """The audit log is broken: an entry was altered, removed or reordered."""

    code = "audit_broken"


class MappingError(ContractSyncError):
    """A mapping refers to objects or fields the org does not have, or is malformed."""

    code = "mapping_error"


class SyncError(ContractSyncError):
    """A delivery to Salesforce did not complete."""

    code = "sync_error"


class RetryableSyncError(SyncError):
    """Transient: back off and try again (503, UNABLE_TO_LOCK_ROW, timeouts, concurrency)."""

    code = "retryable"


class ApiAllowanceExhausted(RetryableSyncError):  # noqa: N818 - reads as the state of the org
    """The org's API allowance (less the reserve) is spent: pause until usage allows."""

    code = "api_allowance_exhausted"


class PermanentSyncError(SyncError):
    """Retrying will not help: stop and fix the cause."""

    code = "permanent"


class RecordRejected(SyncError):  # noqa: N818 - reads as what happened to the record
    """One record was refused: dead-letter it and keep going with the others."""

    code = "record_rejected"
