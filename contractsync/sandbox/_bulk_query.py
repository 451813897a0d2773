"""``/jobs/query``: Bulk API 2.0 query jobs over the SOQL engine (salesforce-api.md 5.2).

The statement is checked when the job is created, so bad SOQL is refused with the REST
query's own error; the snapshot is taken then and served as CSV pages once the job is
``JobComplete``: ``GET .../results?maxRecords=&locator=`` answers with
``Sforce-NumberOfRecords`` and ``Sforce-Locator`` (the literal ``null`` on the last page).
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator
from typing import Any

from ._api import ApiRequest, ApiResponse
from ._bulk_csv import DELIMITERS, LINE_ENDINGS, write_csv
from ._bulk_ingest import enum_error
from ._bulk_jobs import (
    BulkJob,
    BulkJobs,
    JobRunner,
    JobState,
    invalid_job,
    job_state_conflict,
)
from ._bulk_routes import JobFile, route_job_request
from ._errors import SalesforceError
from ._events import check_queryable
from ._limits import ApiUsage
from ._org import Org
from ._soql import SelectQuery, SoqlError, execute_soql, parse_soql
from ._soql_ast import FieldPath
from ._soql_resolve import resolve_path
from ._values import format_datetime

__all__ = ["BulkQuery"]

DEFAULT_PAGE = 50_000  # simple-salesforce's default maxRecords; the server picks one if absent
_ROWS_BLOB = "rows"
Snapshot = tuple[list[str], list[list[Any]]]


class BulkQuery:
    """Query jobs of one org."""

    def __init__(self, org: Org, usage: ApiUsage, jobs: BulkJobs, runner: JobRunner) -> None:
        self.org = org
        self.usage = usage
        self.jobs = jobs
        self.runner = runner
        self._cache: tuple[str, Snapshot] | None = None

    def handle(self, req: ApiRequest) -> ApiResponse:
        return route_job_request(
            req,
            self.jobs,
            "query",
            create=self._create,
            patch=self._abort,
            delete=self._delete,
            files={"results": JobFile("GET", self._results)},
        )

    def _create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        if not isinstance(body, dict):
            raise enum_error("QueryJobInfo", body)
        operation = body.get("operation")
        if operation not in ("query", "queryAll"):
            raise invalid_job(f"Invalid operation: {operation}; use query or queryAll")
        text = body.get("query")
        if not isinstance(text, str) or not text.strip():
            raise invalid_job("A query job needs a SOQL query")
        delimiter = body.get("columnDelimiter", "COMMA")
        if delimiter not in DELIMITERS:
            raise enum_error("ColumnDelimiterEnum", delimiter)
        line_ending = body.get("lineEnding", "LF")
        if line_ending not in LINE_ENDINGS:
            raise enum_error("LineEndingEnum", line_ending)
        try:
            query = parse_soql(text)
            check_queryable(self.org.schema, query)
            _check_bulk_query(query)
            snapshot = self._snapshot(query, include_deleted=operation == "queryAll")
        except SoqlError as error:
            raise SalesforceError.of(
                400, error.error_code, error.message, with_fields=False
            ) from None
        stamp = format_datetime(self.org.now())
        with self.org.store.atomic():
            job = BulkJob(
                id=self.jobs.new_id(),
                kind="query",
                operation=str(operation),
                object=str(self.org.schema.object_name(query.sobject)),
                created_by=req.user_id,
                created_date=stamp,
                system_modstamp=stamp,
                state=JobState.UPLOAD_COMPLETE,
                api_version=req.version,
                line_ending=str(line_ending),
                column_delimiter=str(delimiter),
                query=text,
            )
            self.jobs.add(job)
            self.usage.count_allocation("DailyBulkV2QueryJobs", 1, self.org.now())
        answer = ApiResponse(200, job.info(full=False))
        self.runner.start(self._process(job, snapshot))
        return answer

    def _snapshot(self, query: SelectQuery, *, include_deleted: bool) -> Snapshot:
        result = execute_soql(
            query,
            self.org.schema,
            self.org.store,
            now=self.org.now(),
            include_deleted=include_deleted,
        )
        sobject = str(self.org.schema.object_name(query.sobject))
        paths = []
        for item in query.select:
            assert isinstance(item, FieldPath)  # noqa: S101 - checked by _check_bulk_query
            resolved = resolve_path(self.org.schema, sobject, item, query.text)
            names = [h.relationship for h in resolved.hops] + [resolved.field.name]
            if names not in paths:
                paths.append(names)
        rows = [[_csv_value(_walk(record, names)) for names in paths] for record in result.records]
        return [".".join(names) for names in paths], rows

    def _process(self, job: BulkJob, snapshot: Snapshot) -> Iterator[None]:
        job.state = JobState.IN_PROGRESS
        self.jobs.save(job)
        yield
        if not self.jobs.exists(job) or job.state is not JobState.IN_PROGRESS:
            return
        with self.org.store.atomic():
            self.org.store.put_blob(job.id, _ROWS_BLOB, json.dumps(snapshot).encode())
            job.processed = len(snapshot[1])
            job.state = JobState.JOB_COMPLETE
            job.system_modstamp = format_datetime(self.org.now())
            self.jobs.save(job)

    def _abort(self, req: ApiRequest, job: BulkJob) -> ApiResponse:
        body = req.json()
        if not isinstance(body, dict) or body.get("state") != JobState.ABORTED:
            raise SalesforceError.of(
                400,
                "INVALIDJOBSTATE",
                f"Invalid state {body.get('state') if isinstance(body, dict) else body!r}:"
                " a query job can only be set to Aborted",
                with_fields=False,
            )
        if job.state.terminal:
            raise job_state_conflict(f"Job {job.id} is already {job.state}")
        job.state = JobState.ABORTED
        self.jobs.save(job)
        return ApiResponse(200, job.info(full=False))

    def _delete(self, job: BulkJob) -> ApiResponse:
        if job.state is JobState.IN_PROGRESS:
            raise job_state_conflict(f"Job {job.id} is InProgress; abort it first")
        with self.org.store.atomic():
            self.jobs.delete(job)
        return ApiResponse(204)

    def _results(self, req: ApiRequest, job: BulkJob) -> ApiResponse:
        if job.state is not JobState.JOB_COMPLETE:
            raise job_state_conflict(
                f"Job {job.id} is {job.state}; results exist once it is JobComplete"
            )
        raw_max = req.params.get("maxRecords")
        if raw_max is not None and not (raw_max.isdigit() and int(raw_max) > 0):
            raise SalesforceError.of(
                400,
                "INVALIDPARAMETER",
                f"maxRecords must be a positive integer, got {raw_max}",
                with_fields=False,
            )
        page = int(raw_max) if raw_max else DEFAULT_PAGE
        offset = _offset(req.params.get("locator"))
        header, rows = self._rows(job)
        if offset > len(rows):
            raise _bad_locator(str(req.params.get("locator")))
        chunk = rows[offset : offset + page]
        end = offset + len(chunk)
        locator = base64.b64encode(str(end).encode()).decode() if end < len(rows) else "null"
        data = write_csv(header, chunk, job.line_ending, DELIMITERS[job.column_delimiter])
        headers = {"Sforce-NumberOfRecords": str(len(chunk)), "Sforce-Locator": locator}
        return ApiResponse(200, raw=data, content_type="text/csv", headers=headers)

    def _rows(self, job: BulkJob) -> Snapshot:
        if self._cache is not None and self._cache[0] == job.id:
            return self._cache[1]
        data = self.org.store.get_blob(job.id, _ROWS_BLOB)
        header, rows = json.loads(data) if data else ([], [])
        self._cache = (job.id, (header, rows))
        return header, rows


def _check_bulk_query(query: SelectQuery) -> None:
    """5.2: Bulk 2.0 takes plain field lists only: no subqueries, aggregates or OFFSET."""
    for item in query.select:
        if not isinstance(item, FieldPath):
            raise SoqlError(
                "FEATURENOTENABLED",
                "Aggregate functions and nested queries are not supported by Bulk API 2.0"
                " query jobs",
            )
    if query.offset is not None:
        raise SoqlError("FEATURENOTENABLED", "OFFSET is not supported by Bulk API 2.0 query jobs")


def _walk(record: Any, names: list[str]) -> Any:
    value = record
    for name in names:
        if not isinstance(value, dict):
            return None
        value = value.get(name)
    return value


def _csv_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def _offset(locator: str | None) -> int:
    if not locator or locator == "null":
        return 0
    try:
        text = base64.b64decode(locator, validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise _bad_locator(locator) from None
    if not text.isdigit():
        raise _bad_locator(locator)
    return int(text)


def _bad_locator(locator: str) -> SalesforceError:
    return SalesforceError.of(
        400, "INVALID_QUERY_LOCATOR", f"Invalid locator: {locator}", with_fields=False
    )
