"""``/jobs/ingest``: the Bulk API 2.0 ingest resources (salesforce-api.md 5.1).

Create (200 JobInfo, ``Open``), ``PUT .../batches`` (201, empty body), ``PATCH`` to
``UploadComplete`` or ``Aborted``, ``GET`` JobInfo, the three result files, ``DELETE`` and the
job list. Processing itself lives in ``_bulk_ingest_run``.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from ._api import ApiRequest, ApiResponse
from ._bulk_csv import DELIMITERS, LINE_ENDINGS
from ._bulk_ingest_run import UPLOAD_BLOB, IngestResults, process_ingest
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
from ._limits import ApiUsage
from ._org import Org
from ._values import format_datetime

__all__ = [
    "MAX_UPLOAD_BASE64_BYTES",
    "BulkIngest",
    "base64_size",
    "enum_error",
    "upload_too_large",
]

OPERATIONS = ("insert", "update", "upsert", "delete", "hardDelete")
# 5.1: 150 MB once Salesforce has base64-encoded the upload, about 100 MB of raw CSV.
MAX_UPLOAD_BASE64_BYTES = 150 * 1024 * 1024
_RESULTS = {
    "successfulResults": "successful",
    "failedResults": "failed",
    # 5.1: the docs and jsforce say unprocessedrecords, simple-salesforce unprocessedRecords.
    "unprocessedrecords": "unprocessed",
    "unprocessedRecords": "unprocessed",
}
_CSV = "text/csv"


def base64_size(raw_size: int) -> int:
    """Bytes of ``raw_size`` bytes once base64-encoded: what Salesforce measures (5.3)."""
    return 4 * -(-raw_size // 3)


def upload_too_large(raw_size: int) -> SalesforceError:
    """The refusal of a job upload over the 150 MB (base64) limit."""
    return SalesforceError.of(
        400,
        "CLIENTINPUTERROR",
        f"The upload is {base64_size(raw_size)} bytes once base64-encoded; the limit is"
        f" {MAX_UPLOAD_BASE64_BYTES} (150 MB). Split the data into several jobs.",
        with_fields=False,
    )


def enum_error(enum_name: str, value: object) -> SalesforceError:
    """A JSON value outside an enum: Jackson's wording, as for every other JSON body."""
    return SalesforceError.of(
        400,
        "JSON_PARSER_ERROR",
        f"Cannot deserialize instance of {enum_name} from VALUE_STRING value {value}",
        with_fields=False,
    )


class BulkIngest:
    """Ingest jobs of one org."""

    def __init__(
        self,
        org: Org,
        usage: ApiUsage,
        jobs: BulkJobs,
        runner: JobRunner,
        lock_draw: Callable[[], bool],
    ) -> None:
        self.org = org
        self.usage = usage
        self.jobs = jobs
        self.runner = runner
        self.lock_draw = lock_draw
        self._files = {"batches": JobFile("PUT", self._upload)} | {
            name: JobFile("GET", partial(self._results, which=which))
            for name, which in _RESULTS.items()
        }

    def handle(self, req: ApiRequest) -> ApiResponse:
        return route_job_request(
            req,
            self.jobs,
            "ingest",
            create=self._create,
            patch=self._set_state,
            delete=self._delete,
            files=self._files,
        )

    def _create(self, req: ApiRequest) -> ApiResponse:
        body = req.json()
        if not isinstance(body, dict):
            raise enum_error("JobInfo", body)
        operation = body.get("operation")
        if operation not in OPERATIONS:
            raise invalid_job(f"Invalid operation: {operation}")
        obj = self.org.schema.object(str(body.get("object") or ""))
        if obj is None:
            raise invalid_job(f"Unable to find object: {body.get('object')}")
        if body.get("contentType", "CSV") != "CSV":
            raise invalid_job(f"Invalid content type: {body.get('contentType')}; use CSV")
        delimiter = body.get("columnDelimiter", "COMMA")
        if delimiter not in DELIMITERS:
            raise enum_error("ColumnDelimiterEnum", delimiter)
        line_ending = body.get("lineEnding", "LF")
        if line_ending not in LINE_ENDINGS:
            raise enum_error("LineEndingEnum", line_ending)
        external_id = None
        if operation == "upsert":
            name = body.get("externalIdFieldName")
            if not name:
                raise invalid_job(
                    f"External ID was blank for {obj.name}. An External ID must be specified"
                    " for upsert."
                )
            key = obj.field(str(name))
            if key is None or not key.is_key:
                raise invalid_job(
                    f"Field name provided, {name} is not an External ID or indexed field for"
                    f" {obj.name}"
                )
            external_id = key.name
        stamp = format_datetime(self.org.now())
        with self.org.store.atomic():
            job = BulkJob(
                id=self.jobs.new_id(),
                kind="ingest",
                operation=str(operation),
                object=obj.name,
                created_by=req.user_id,
                created_date=stamp,
                system_modstamp=stamp,
                state=JobState.OPEN,
                api_version=req.version,
                line_ending=str(line_ending),
                column_delimiter=str(delimiter),
                external_id_field=external_id,
            )
            self.jobs.add(job)
        return ApiResponse(200, job.info(full=False))

    def _upload(self, req: ApiRequest, job: BulkJob) -> ApiResponse:
        if job.state is not JobState.OPEN:
            raise job_state_conflict(
                f"Job {job.id} is in state {job.state}; data can only be uploaded to an Open job"
            )
        if job.uploaded:
            raise job_state_conflict(
                f"Job {job.id} already has its data; upload once per job and create another"
                " job for more rows"
            )
        if base64_size(len(req.body)) > MAX_UPLOAD_BASE64_BYTES:
            raise upload_too_large(len(req.body))
        if not req.body.strip():
            raise SalesforceError.of(
                400, "CLIENTINPUTERROR", "The upload has no CSV data", with_fields=False
            )
        with self.org.store.atomic():
            self.org.store.put_blob(job.id, UPLOAD_BLOB, req.body)
            job.uploaded = True
            self.jobs.save(job)
        return ApiResponse(201)

    def _set_state(self, req: ApiRequest, job: BulkJob) -> ApiResponse:
        body = req.json()
        wanted = body.get("state") if isinstance(body, dict) else None
        if wanted == JobState.UPLOAD_COMPLETE:
            if job.state is not JobState.OPEN:
                raise job_state_conflict(f"Job {job.id} is not Open; it is {job.state}")
            job.state = JobState.UPLOAD_COMPLETE
            job.system_modstamp = format_datetime(self.org.now())
            self.jobs.save(job)
            answer = ApiResponse(200, job.info(full=False))
            self.runner.start(process_ingest(self.org, self.jobs, self.usage, job, self.lock_draw))
            return answer
        if wanted == JobState.ABORTED:
            if job.state.terminal:
                raise job_state_conflict(f"Job {job.id} is already {job.state}")
            job.state = JobState.ABORTED
            job.system_modstamp = format_datetime(self.org.now())
            self.jobs.save(job)
            return ApiResponse(200, job.info(full=False))
        raise SalesforceError.of(
            400,
            "INVALIDJOBSTATE",
            f"Invalid state {wanted!r}: a job can only be set to UploadComplete or Aborted",
            with_fields=False,
        )

    def _delete(self, job: BulkJob) -> ApiResponse:
        if job.state in (JobState.OPEN, JobState.IN_PROGRESS):
            raise job_state_conflict(
                f"Job {job.id} is {job.state}; only closed, aborted or finished jobs can be deleted"
            )
        with self.org.store.atomic():
            self.jobs.delete(job)
        return ApiResponse(204)

    def _results(self, _req: ApiRequest, job: BulkJob, *, which: str) -> ApiResponse:
        results = IngestResults.load(self.jobs, job)
        if which == "successful":
            data = results.successful(job.line_ending)
        elif which == "failed":
            data = results.failed(job.line_ending)
        else:
            data = results.unprocessed(job.line_ending)
        return ApiResponse(200, raw=data, content_type=_CSV)

    def resume(self) -> None:
        """Process jobs closed before a restart."""
        for job in self.jobs.waiting():
            if job.kind == "ingest":
                self.runner.start(
                    process_ingest(self.org, self.jobs, self.usage, job, self.lock_draw)
                )
