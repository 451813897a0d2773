"""The API's response and request bodies (pydantic), built from the store's records."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from contractsync.logs import redact
from contractsync.store import DeadLetter, StoredContract

LetterStatus = Literal["open", "delivered", "discarded"]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True)


# ---- health ----


class Health(_Body):
    status: Literal["ok"] = "ok"
    version: str


class Readiness(_Body):
    status: Literal["ready", "unavailable"]
    store: str = Field(description="ok, or the error code of the failed store check.")


# ---- dead letters ----


class DeadLetterSummary(_Body):
    """A record an org refused for good, with the Salesforce error and the fields it named."""

    id: int
    org: str
    sobject: str
    key: str = Field(description="The record's external key in the org.")
    contract_key: str
    error_code: str
    message: str
    fields: list[str]
    attempts: int
    status: LetterStatus
    created_at: datetime
    updated_at: datetime
    resolved_by: str | None

    @classmethod
    def of(cls, letter: DeadLetter) -> DeadLetterSummary:
        return cls(**_letter_fields(letter))


class DeadLetterDetail(DeadLetterSummary):
    """A dead letter in full: every error and the payload that was refused."""

    errors: list[dict[str, Any]]
    payload: dict[str, Any]

    @classmethod
    def of(cls, letter: DeadLetter) -> DeadLetterDetail:
        return cls(
            **_letter_fields(letter),
            errors=[_redacted(error) for error in letter.errors],
            payload=dict(letter.payload),
        )


def _letter_fields(letter: DeadLetter) -> dict[str, Any]:
    return {
        "id": letter.id, "org": letter.org, "sobject": letter.sobject, "key": letter.external_key,
        "contract_key": letter.contract_key, "error_code": letter.error_code,
        "message": redact(letter.message), "fields": list(letter.error_fields),
        "attempts": letter.attempts, "status": letter.status, "created_at": letter.created_at,
        "updated_at": letter.updated_at, "resolved_by": letter.resolved_by,
    }  # fmt: skip


def _redacted(error: Mapping[str, Any]) -> dict[str, Any]:
    """An org's error as stored, its message redacted like every other message answered."""
    message = error.get("message")
    return {**error, "message": redact(message)} if isinstance(message, str) else dict(error)


class DeadLetterPage(_Body):
    total: int = Field(description="Letters matching the filters, on every page.")
    limit: int
    offset: int
    items: list[DeadLetterSummary]


class DiscardRequest(_Body):
    reason: Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)] = Field(
        description="Why the record is given up on; kept in the audit log."
    )


class ReplayRequest(_Body):
    ids: list[int] | None = Field(
        default=None,
        min_length=1,
        description="The dead letters to replay; leave out to replay every open one.",
    )


class ReplayedLetter(_Body):
    id: int
    org: str
    key: str
    contract_key: str
    replayed: bool = Field(description="False when the letter was not open: nothing to replay.")
    status: LetterStatus = Field(description="The letter's status after the replay.")
    run_id: str | None = Field(description="The sync run that replayed it.")
    error_code: str | None = Field(description="Why it is still open, when it is.")
    message: str | None


class OrgReplay(_Body):
    org: str
    run_id: str | None = None
    status: str = Field(description="The sync run's status, or 'failed' when it did not run.")
    error_code: str | None = None
    message: str | None = None


class ReplayResult(_Body):
    delivered: int = Field(description="Letters closed by this replay.")
    still_open: int = Field(description="Letters replayed and refused again.")
    letters: list[ReplayedLetter]
    runs: list[OrgReplay]


# ---- sync runs and status ----


class SyncRun(_Body):
    run_id: str
    org: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    summary: dict[str, Any]


class SyncRunList(_Body):
    count: int
    items: list[SyncRun]


class ApiUsage(_Body):
    state: Literal["ok", "unreachable"]
    used: int | None = Field(default=None, description="Daily API requests used.")
    max: int | None = Field(default=None, description="Daily API requests allowed.")
    age_s: float | None = Field(
        default=None, description="Seconds since the org reported this usage."
    )
    error_code: str | None = Field(default=None, description="Why the org did not answer.")


class LastRun(_Body):
    run_id: str
    status: str
    started_at: datetime
    finished_at: datetime | None


class OrgStatus(_Body):
    org: str
    flow: str
    queued: int | None = Field(
        description="Syncs waiting on or running from the org's queue, in any worker; null "
        "when the queues cannot be read."
    )
    runs_in_progress: int
    open_dead_letters: int
    last_run: LastRun | None
    api_usage: ApiUsage


class SyncStatus(_Body):
    orgs: list[OrgStatus]


# ---- contracts ----


class ContractSummary(_Body):
    key: str
    title: str
    contract_type: str
    status: str
    version: int
    updated_at: datetime
    updated_by: str

    @classmethod
    def of(cls, stored: StoredContract) -> ContractSummary:
        contract = stored.contract
        return cls(
            key=contract.contract_key,
            title=contract.title,
            contract_type=contract.contract_type.value,
            status=contract.status.value,
            version=stored.version,
            updated_at=stored.updated_at,
            updated_by=stored.updated_by,
        )


class ContractPage(_Body):
    total: int
    limit: int
    offset: int
    items: list[ContractSummary]


class ContractDetail(_Body):
    key: str
    version: int
    current_version: int
    created_at: datetime = Field(description="When the contract's first version was written.")
    updated_at: datetime = Field(description="When the version shown was written.")
    updated_by: str = Field(description="Who wrote the version shown.")
    record: dict[str, Any] = Field(description="The canonical record, as in its record file.")
