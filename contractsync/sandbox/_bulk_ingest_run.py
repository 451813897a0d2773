"""Processing of a closed Bulk API 2.0 ingest job: every CSV row through the REST validation.

Rows go through the same ``Dml`` calls as REST and collections, so they fail with the same
codes; each failure is kept as ``STATUSCODE:message:fields --`` for ``failedResults``
(salesforce-api.md 5.1). Salesforce splits a job into internal batches of 10,000 rows that
count against the daily batch allocation; the sandbox commits chunks of 200 rows, one
transaction each, and lets other requests in between chunks.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._bulk_csv import Column, CsvRejected, plan_columns, read_csv, row_body, write_csv
from ._bulk_jobs import BulkJob, BulkJobs, JobState
from ._dml import MultipleMatches, WriteContext, key_of
from ._errors import ApiError, SalesforceError
from ._ids import InvalidIdError, is_id_shaped, normalize_id
from ._limits import ApiUsage
from ._org import Org
from ._schema_defs import FieldDef, ObjectDef
from ._values import format_datetime

__all__ = ["IngestResults", "process_ingest"]

BATCH_ROWS = 10_000  # 5.1: one internal batch, one unit of the daily batch allocation
CHUNK_ROWS = 200
UPLOAD_BLOB = "upload"
OUTCOMES_BLOB = "outcomes"

# (sf__Id, created) for a success, (sf__Id, "CODE:message:fields --") for a failure.
Outcome = tuple[bool, str, Any]
LockDraw = Callable[[], bool]


@dataclass(slots=True)
class IngestResults:
    """The parsed upload of a job and what happened to each row, in upload order."""

    header: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    outcomes: list[Outcome] = field(default_factory=list)

    @classmethod
    def load(cls, jobs: BulkJobs, job: BulkJob) -> IngestResults:
        data = jobs.store.get_blob(job.id, UPLOAD_BLOB)
        if data is None:
            return cls()
        try:
            header, rows = read_csv(data, job.column_delimiter, job.line_ending)
        except CsvRejected:
            return cls()
        saved = jobs.store.get_blob(job.id, OUTCOMES_BLOB)
        outcomes: list[Outcome] = [(o[0], o[1], o[2]) for o in json.loads(saved)] if saved else []
        return cls(header, rows, outcomes)

    def successful(self, line_ending: str) -> bytes:
        rows = [
            [sf_id, "true" if extra else "false", *self.rows[i]]
            for i, (ok, sf_id, extra) in enumerate(self.outcomes)
            if ok
        ]
        return write_csv(["sf__Id", "sf__Created", *self.header], rows, line_ending)

    def failed(self, line_ending: str) -> bytes:
        rows = [
            [sf_id, extra, *self.rows[i]]
            for i, (ok, sf_id, extra) in enumerate(self.outcomes)
            if not ok
        ]
        return write_csv(["sf__Id", "sf__Error", *self.header], rows, line_ending)

    def unprocessed(self, line_ending: str) -> bytes:
        return write_csv(self.header, self.rows[len(self.outcomes) :], line_ending)


def error_text(error: ApiError) -> str:
    """``sf__Error``: ``STATUSCODE:message:fields --`` (5.1)."""
    fields = ",".join(error.fields)
    return f"{error.code}:{error.message}:{fields}{' ' if fields else ''}--"


def process_ingest(
    org: Org, jobs: BulkJobs, usage: ApiUsage, job: BulkJob, lock_draw: LockDraw
) -> Iterator[None]:
    """The steps of processing ``job``; the runner resumes it between chunks."""
    job.state = JobState.IN_PROGRESS
    _touch(org, jobs, job)
    yield
    results = IngestResults()
    try:
        data = jobs.store.get_blob(job.id, UPLOAD_BLOB)
        if data is None:
            raise CsvRejected("InvalidBatch : No data was uploaded for this job")  # noqa: TRY301
        results.header, results.rows = read_csv(data, job.column_delimiter, job.line_ending)
        rows = _RowWriter(org, job, plan_columns(org.schema, _object(org, job), results.header))
    except CsvRejected as rejected:
        job.state, job.error_message = JobState.FAILED, str(rejected)
        _touch(org, jobs, job)
        return
    total = len(results.rows)
    for start in range(0, total, CHUNK_ROWS):
        if not jobs.exists(job) or job.state is not JobState.IN_PROGRESS:
            break  # aborted or deleted: the rest stays unprocessed
        if start % BATCH_ROWS == 0:
            usage.count_allocation("DailyBulkApiBatches", 1, org.now())
            rows.new_batch(results.rows[start : start + BATCH_ROWS])
        began = time.perf_counter()
        ctx = org.context(job.api_version, job.created_by)
        chunk = results.rows[start : start + CHUNK_ROWS]
        with org.store.atomic():
            for offset, row in enumerate(chunk):
                outcome = rows.write(start + offset + 2, row, ctx, lock_draw)
                results.outcomes.append(outcome)
                job.failed += not outcome[0]
        job.processed += len(chunk)
        job.processing_ms += round((time.perf_counter() - began) * 1000)
        _touch(org, jobs, job)
        yield
    if not jobs.exists(job):
        return
    org.store.put_blob(job.id, OUTCOMES_BLOB, json.dumps(results.outcomes).encode())
    if job.state is JobState.IN_PROGRESS:
        job.state = JobState.JOB_COMPLETE
    _touch(org, jobs, job)


def _touch(org: Org, jobs: BulkJobs, job: BulkJob) -> None:
    job.system_modstamp = format_datetime(org.now())
    jobs.save(job)


def _object(org: Org, job: BulkJob) -> ObjectDef:
    found = org.schema.object(job.object)
    if found is None:
        raise CsvRejected(f"InvalidJob : Unable to find object: {job.object}")
    return found


class _RowWriter:
    """Writes the rows of one job with its operation, reporting each row's outcome."""

    def __init__(self, org: Org, job: BulkJob, columns: list[Column]) -> None:
        self.org = org
        self.job = job
        self.obj = _object(org, job)
        self.columns = columns
        self.positions = {c.field: i + 1 for i, c in enumerate(columns)}
        self.positions |= {c.relationship: i + 1 for i, c in enumerate(columns) if c.relationship}
        names = [c.field for c in columns]
        if job.operation in ("delete", "hardDelete"):
            if [n.lower() for n in names] != ["id"]:
                raise CsvRejected(
                    f"InvalidBatch : The '{job.operation}' batch must contain only ids"
                )
            self.key: FieldDef | None = self.obj.field("Id")
        elif job.operation == "update":
            self.key = self.obj.field("Id")
        elif job.operation == "upsert":
            self.key = self.obj.field(str(job.external_id_field))
        else:
            self.key = None
        self.key_index = -1
        if self.key is not None:
            if self.key.name not in names:
                raise CsvRejected(f"InvalidBatch : Field name not found : {self.key.name}")
            self.key_index = names.index(self.key.name)
        self.batch_keys: dict[str, int] = {}

    def new_batch(self, rows: Sequence[Sequence[str]]) -> None:
        """Upsert keys seen twice in one internal batch fail both rows (as collections do)."""
        self.batch_keys = {}
        if self.job.operation != "upsert" or self.key is None:
            return
        for row in rows:
            if self.key_index < len(row) and row[self.key_index] not in ("", "#N/A"):
                value = key_of(self.key, row[self.key_index])
                self.batch_keys[value] = self.batch_keys.get(value, 0) + 1

    def write(self, line: int, row: list[str], ctx: WriteContext, lock_draw: LockDraw) -> Outcome:
        given = row[self.key_index] if 0 <= self.key_index < len(row) else ""
        known_id = _id_or_blank(given) if self.key is not None and self.key.type == "id" else ""
        if len(row) != len(self.columns):
            return (
                False,
                known_id,
                error_text(
                    ApiError(
                        "INVALID_FIELD",
                        f"Row {line} has {len(row)} values but the header has {len(self.columns)}",
                    )
                ),
            )
        if lock_draw():
            return (
                False,
                known_id,
                error_text(
                    ApiError(
                        "UNABLE_TO_LOCK_ROW",
                        "unable to obtain exclusive access to this record or 1 records:"
                        f" {known_id}".rstrip(),
                    )
                ),
            )

        def locate(key: str) -> tuple[int, int]:
            return line, self.positions.get(key, 1)

        try:
            with self.org.store.atomic():
                return self._apply(row, given, ctx, locate)
        except SalesforceError as error:
            first = error.first
            if first.code == "NOT_FOUND":
                first = ApiError("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id")
            return False, known_id, error_text(first)
        except MultipleMatches as many:
            assert self.key is not None  # noqa: S101 - only upserts match by key
            return (
                False,
                "",
                error_text(
                    ApiError(
                        "DUPLICATE_EXTERNAL_ID",
                        f"{self.key.name}: More than 1 record found for external id field:"
                        f" [{', '.join(many.ids)}]",
                        (self.key.name,),
                    )
                ),
            )

    def _apply(
        self, row: list[str], given: str, ctx: WriteContext, locate: Callable[[str], Any]
    ) -> Outcome:
        dml, obj, operation = self.org.dml, self.obj, self.job.operation
        if operation == "insert":
            return True, dml.insert(obj, row_body(self.columns, row), ctx, locate), True
        if given in ("", "#N/A"):
            name = self.key.name if self.key else "Id"
            message = (
                "Id not specified in an update call" if name == "Id" else f"{name} not specified"
            )
            raise SalesforceError.of(400, "MISSING_ARGUMENT", message, (name,))
        if operation in ("delete", "hardDelete"):
            dml.delete(obj, given, ctx)
            record_id = normalize_id(given)
            if operation == "hardDelete":
                # 5.1: hardDelete skips the Recycle Bin (queryAll no longer sees the row).
                self.org.store.purge(record_id)
            return True, record_id, False
        body = row_body(self.columns, row)
        if operation == "update":
            body.pop("Id", None)
            dml.update(obj, given, body, ctx, locate)
            return True, normalize_id(given), False
        assert self.key is not None  # noqa: S101 - upsert jobs always have a key
        if self.batch_keys.get(key_of(self.key, given), 0) > 1:
            raise SalesforceError.of(
                400,
                "DUPLICATE_EXTERNAL_ID",
                f"Duplicate external id specified: {given}",
                (self.key.name,),
            )
        record_id, created = dml.upsert(obj, self.key, given, body, ctx, locate)
        return True, record_id, created


def _id_or_blank(value: str) -> str:
    """sf__Id of a failed row: filled when the row named a valid id (5.1, API 53.0+)."""
    if not is_id_shaped(value):
        return ""
    try:
        return normalize_id(value)
    except InvalidIdError:
        return ""
