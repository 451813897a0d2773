"""The URLs that ``/jobs/ingest`` and ``/jobs/query`` share (salesforce-api.md 5.1, 5.2).

Both kinds of Bulk API 2.0 job answer the same collection (``POST`` creates, ``GET`` lists)
and the same job resource (``GET`` JobInfo, ``PATCH`` a new state, ``DELETE``); they differ in
what each verb does and in the files under a job. ``route_job_request`` dispatches both, so the
two kinds cannot drift apart in their 404 and 405 answers.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from ._api import ApiRequest, ApiResponse
from ._bulk_jobs import BulkJob, BulkJobs, list_jobs
from ._errors import not_found
from ._sobjects import method_not_allowed

__all__ = ["JobFile", "route_job_request"]

JobAnswer = Callable[[ApiRequest, BulkJob], ApiResponse]


@dataclass(frozen=True, slots=True)
class JobFile:
    """A resource under one job (``batches``, ``results``...) that answers a single verb."""

    method: str
    answer: JobAnswer

    @property
    def allowed(self) -> str:
        # The 405's Allow list names HEAD wherever GET is answered, as the job URLs' lists do.
        return "GET,HEAD" if self.method == "GET" else self.method


def route_job_request(
    req: ApiRequest,
    jobs: BulkJobs,
    kind: str,
    *,
    create: Callable[[ApiRequest], ApiResponse],
    patch: JobAnswer,
    delete: Callable[[BulkJob], ApiResponse],
    files: Mapping[str, JobFile],
) -> ApiResponse:
    """Answer ``/jobs/{kind}``, ``/jobs/{kind}/{id}`` and the ``files`` under a job."""
    parts = req.segments[2:]
    if not parts:
        if req.method == "POST":
            return create(req)
        if req.method == "GET":
            return ApiResponse(200, list_jobs(jobs, kind, req.version, dict(req.params)))
        raise method_not_allowed(req.method, "GET,HEAD,POST")
    job = jobs.get(kind, parts[0])
    rest = parts[1:]
    if not rest:
        if req.method == "GET":
            return ApiResponse(200, job.info(full=True))
        if req.method == "PATCH":
            return patch(req, job)
        if req.method == "DELETE":
            return delete(job)
        raise method_not_allowed(req.method, "GET,HEAD,PATCH,DELETE")
    file = files.get(rest[0]) if len(rest) == 1 else None
    if file is None:
        raise not_found()
    if req.method != file.method:
        raise method_not_allowed(req.method, file.allowed)
    return file.answer(req, job)
