"""Bulk API 2.0 jobs: their JobInfo, their persistence and the loop that processes them.

A job is created ``Open`` (ingest) or ``UploadComplete`` (query) and moves on in the
background: ``InProgress``, then ``JobComplete`` or ``Failed``; the client may abort it on the
way (salesforce-api.md 5.1, 5.2). Processing runs in the server's event loop one chunk at a
time, so polls and other calls are answered while a large job runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from ._errors import SalesforceError, not_found
from ._ids import format_id
from ._store import Store

__all__ = ["BulkJob", "BulkJobs", "JobRunner", "JobState", "invalid_job", "job_state_conflict"]

_LOG = logging.getLogger("contractsync.sandbox")
_META = "bulkjob:"
_ID_SEQUENCE_START = 4_211_000


class JobState(StrEnum):
    OPEN = "Open"
    UPLOAD_COMPLETE = "UploadComplete"
    IN_PROGRESS = "InProgress"
    JOB_COMPLETE = "JobComplete"
    FAILED = "Failed"
    ABORTED = "Aborted"

    @property
    def terminal(self) -> bool:
        return self in (JobState.JOB_COMPLETE, JobState.FAILED, JobState.ABORTED)


def invalid_job(message: str) -> SalesforceError:
    """A create request Salesforce refuses (Bulk 2.0 errors list ``InvalidJob``)."""
    return SalesforceError.of(400, "INVALIDJOB", message, with_fields=False)


def job_state_conflict(message: str) -> SalesforceError:
    """A call the job's current state does not allow (409, salesforce-api.md 3.1)."""
    return SalesforceError.of(409, "INVALIDJOBSTATE", message, with_fields=False)


@dataclass(slots=True)
class BulkJob:
    """One ingest or query job; mutable while it is processed."""

    id: str
    kind: str  # "ingest" | "query"
    operation: str
    object: str
    created_by: str
    created_date: str
    system_modstamp: str
    state: JobState
    api_version: str
    line_ending: str = "LF"
    column_delimiter: str = "COMMA"
    external_id_field: str | None = None
    query: str | None = None
    uploaded: bool = False
    processed: int = 0
    failed: int = 0
    retries: int = 0
    processing_ms: int = 0
    error_message: str | None = None

    def info(self, *, full: bool) -> dict[str, Any]:
        """JobInfo: create/close answers carry the short form, ``GET`` the counters too."""
        body: dict[str, Any] = {
            "id": self.id,
            "operation": self.operation,
            "object": self.object,
            "createdById": self.created_by,
            "createdDate": self.created_date,
            "systemModstamp": self.system_modstamp,
            "state": str(self.state),
        }
        if self.external_id_field is not None:
            body["externalIdFieldName"] = self.external_id_field
        body |= {"concurrencyMode": "Parallel", "contentType": "CSV"}
        body["apiVersion"] = float(self.api_version)  # 5.1: a JSON number
        if self.kind == "ingest" and self.state is JobState.OPEN:
            # 5.1: no leading slash; only an open job offers an upload URL.
            body["contentUrl"] = f"services/data/v{self.api_version}/jobs/ingest/{self.id}/batches"
        body |= {"lineEnding": self.line_ending, "columnDelimiter": self.column_delimiter}
        if not full:
            return body
        body["jobType"] = "V2Ingest" if self.kind == "ingest" else "V2Query"
        body["numberRecordsProcessed"] = self.processed
        if self.kind == "ingest":
            body["numberRecordsFailed"] = self.failed
        body |= {"retries": self.retries, "totalProcessingTime": self.processing_ms}
        if self.kind == "ingest":
            body["apiActiveProcessingTime"] = self.processing_ms
            body["apexProcessingTime"] = 0
        else:
            body["isPkChunkingSupported"] = True
        body["errorMessage"] = self.error_message
        return body

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = str(self.state)
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BulkJob:
        return cls(**(data | {"state": JobState(data["state"])}))


class BulkJobs:
    """Every Bulk 2.0 job of the org, persisted in the store's settings and blobs."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._jobs: dict[str, BulkJob] = {}
        for key in store.meta_keys(_META):
            job = BulkJob.from_json(store.get_meta(key))
            if job.state is JobState.IN_PROGRESS:
                # Partial work cannot be resumed safely; say so instead of re-running it.
                job.state = JobState.FAILED
                job.error_message = "InternalServerError : the sandbox org restarted mid-job"
                store.set_meta(key, job.to_json())
            self._jobs[job.id] = job

    def new_id(self) -> str:
        return format_id("750", self.store.next_sequence("750", _ID_SEQUENCE_START))

    def add(self, job: BulkJob) -> None:
        self._jobs[job.id] = job
        self.save(job)

    def save(self, job: BulkJob) -> None:
        if job.id in self._jobs:
            self.store.set_meta(_META + job.id, job.to_json())

    def get(self, kind: str, job_id: str) -> BulkJob:
        job = self._jobs.get(job_id)
        if job is None or job.kind != kind:
            raise not_found()
        return job

    def exists(self, job: BulkJob) -> bool:
        return self._jobs.get(job.id) is job

    def delete(self, job: BulkJob) -> None:
        self._jobs.pop(job.id, None)
        self.store.drop_meta(_META + job.id)
        self.store.drop_blobs(job.id)

    def of_kind(self, kind: str) -> list[BulkJob]:
        return [j for j in sorted(self._jobs.values(), key=lambda j: j.id) if j.kind == kind]

    def waiting(self) -> list[BulkJob]:
        """Jobs closed but not yet picked up (after a restart)."""
        return [
            j for j in self.of_kind("ingest") + self.of_kind("query") if j.state == "UploadComplete"
        ]


class JobRunner:
    """Runs job processing as event-loop tasks; each ``yield`` of a job lets requests in.

    Outside a running loop (a resource called directly) the steps run to the end at once.
    """

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, steps: Iterator[None]) -> None:
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            for _ in steps:
                pass
            return
        task = loop.create_task(self._drive(steps))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _drive(steps: Iterator[None]) -> None:
        try:
            for _ in steps:
                await asyncio.sleep(0)
        except Exception:  # noqa: BLE001 - a broken job must not take the server down
            _LOG.exception("sandbox org: a Bulk job failed unexpectedly")


_LIST_PAGE = 1000


def list_jobs(jobs: BulkJobs, kind: str, version: str, params: dict[str, str]) -> dict[str, Any]:
    """``GET /jobs/ingest`` or ``/jobs/query``: JobInfo pages of 1,000 (5.1)."""
    job_type = "V2Ingest" if kind == "ingest" else "V2Query"
    wanted_type = params.get("jobType")
    wanted_mode = params.get("concurrencyMode")
    found = [
        j.info(full=False) | {"jobType": job_type}
        for j in jobs.of_kind(kind)
        if wanted_type in (None, job_type) and wanted_mode in (None, "Parallel")
    ]
    locator = params.get("queryLocator") or ""
    _prefix, _, offset_text = locator.rpartition("-")
    offset = int(offset_text) if offset_text.isdigit() else 0
    end = offset + _LIST_PAGE
    next_url = None
    if end < len(found):
        next_url = f"/services/data/v{version}/jobs/{kind}?queryLocator=01g{kind}-{end}"
    return {"done": next_url is None, "records": found[offset:end], "nextRecordsUrl": next_url}
