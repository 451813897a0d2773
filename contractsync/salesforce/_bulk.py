"""Bulk API 2.0 upserts: CSV in, one job per 10,000 records, results matched back by key.

Each HTTP call of a job (create, upload, close, polls, result pages) goes through the
client's one call path, so it is retried, counted and limited like any other. CSV rules
(salesforce-api.md 5.1): an empty cell leaves a field unchanged, ``#N/A`` sets it null,
parent lookups are ``Relationship.External_Id__c`` columns.

A job costs ``JOB_CALLS`` calls at best. The failed and unprocessed result files are read
only when the finished job's counters say they hold rows, or when rows are still
unaccounted for after the reads made: every record gets a result either way.
"""

from __future__ import annotations

import csv
import io
import logging
import threading
import time
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.util import exception_handler

from contractsync.errors import PermanentSyncError, RetryableSyncError

from ._results import FieldError, RecordResult

if TYPE_CHECKING:
    from ._client import OrgClient

log = logging.getLogger(__name__)

JOB_RECORDS = 10_000
"""Records per job: Salesforce processes ingest in internal batches of 10,000 rows."""
JOB_CALLS = 5
"""Calls of a job whose rows all succeed, at best: create, upload, close, one poll, and the
successful results. Rows that fail add one read (failed results)."""
_TERMINAL = {"JobComplete", "Failed", "Aborted"}
_POLL_S = (0.5, 1.0, 2.0, 5.0, 10.0)
"""Waits between polls of a job. Each poll is an API call; real orgs take seconds to
minutes per job, so polls start at half a second and back off to ten."""
_FIRST_WAIT_MAX_S = 30.0
_GUESS_S_PER_ROW = 0.0005
"""Before an org has finished a job of an object: 2,000 rows a second, a guess that the
first job corrects (real orgs take longer when busy, which costs a poll, not a result)."""
_PROBE = 0.8
"""A job that was done at the first poll may have been done sooner: the next job of that
object waits this share of the time, so the pace follows an org that got faster."""


class JobPace:
    """How long an org has been taking per row, by object, to time a job's first poll.

    Polling right after the close is a wasted call on any real org (the job is queued).
    The first poll waits as long as the last job of the object took per row (a guess
    before the first); later polls back off as ``_POLL_S`` says. Learned per client (one
    org), in memory: a wrong guess costs one extra poll or a little wall time, never a
    result.
    """

    def __init__(self) -> None:
        self._seconds_per_row: dict[str, float] = {}
        self._lock = threading.Lock()

    def first_wait(self, sobject: str, rows: int) -> float:
        with self._lock:
            per_row = self._seconds_per_row.get(sobject)
        if per_row is None:
            per_row = _GUESS_S_PER_ROW
        return min(max(per_row * rows, _POLL_S[0] / 5), _FIRST_WAIT_MAX_S)

    def observe(self, sobject: str, rows: int, elapsed_s: float, *, first_poll: bool) -> None:
        per_row = elapsed_s / max(rows, 1)
        with self._lock:
            self._seconds_per_row[sobject] = per_row * _PROBE if first_poll else per_row


def bulk_upsert(
    client: OrgClient,
    sobject: str,
    external_id_field: str,
    records: Sequence[tuple[str, Mapping[str, Any]]],
) -> list[RecordResult]:
    """Upsert ``records`` through Bulk API 2.0 jobs; one RecordResult per record, in order."""
    results: dict[str, RecordResult] = {}
    for start in range(0, len(records), JOB_RECORDS):
        chunk = records[start : start + JOB_RECORDS]
        results.update(_one_job(client, sobject, external_id_field, chunk))
    return [
        results.get(key)
        or RecordResult.failed(key, [FieldError("NOT_REPORTED", "the job did not report this row")])
        for key, _ in records
    ]


def to_csv(external_id_field: str, records: Sequence[tuple[str, Mapping[str, Any]]]) -> str:
    """The upload CSV: key column first, then every field any record sets."""
    columns: list[str] = [external_id_field]
    for _, fields in records:
        for name, value in fields.items():
            for column in _columns(name, value):
                if column not in columns:
                    columns.append(column)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for key, fields in records:
        cells = {external_id_field: key}
        for name, value in fields.items():
            if isinstance(value, Mapping):
                for ref_field, ref_value in value.items():
                    cells[f"{name}.{ref_field}"] = _cell(ref_value)
            else:
                cells[name] = _cell(value)
        writer.writerow([cells.get(column, "") for column in columns])
    return out.getvalue()


def _columns(name: str, value: Any) -> list[str]:
    if isinstance(value, Mapping):
        return [f"{name}.{ref_field}" for ref_field in value]
    return [name]


def _cell(value: Any) -> str:
    if value is None:
        return "#N/A"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _one_job(
    client: OrgClient,
    sobject: str,
    external_id_field: str,
    records: Sequence[tuple[str, Mapping[str, Any]]],
) -> dict[str, RecordResult]:
    body = {
        "object": sobject,
        "operation": "upsert",
        "externalIdFieldName": external_id_field,
        "contentType": "CSV",
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
    }
    job = client._call(
        f"bulk job {sobject}", lambda sf: _raw(sf, "POST", "jobs/ingest", json=body).json()
    )
    job_id = str(job["id"])
    path = f"jobs/ingest/{job_id}"
    payload = to_csv(external_id_field, records).encode("utf-8")
    client._call(
        f"bulk upload {job_id}",
        lambda sf: _raw(
            sf, "PUT", f"{path}/batches", data=payload, headers={"Content-Type": "text/csv"}
        ),
    )
    client._call(
        f"bulk close {job_id}",
        lambda sf: _raw(sf, "PATCH", path, json={"state": "UploadComplete"}),
    )
    info = _wait(client, path, sobject, len(records))
    if info["state"] != "JobComplete":
        raise PermanentSyncError(
            f"Org '{client.name}': Bulk job {job_id} for {sobject} ended {info['state']}: "
            f"{info.get('errorMessage') or 'no message'}.",
            org=client.name,
            job_id=job_id,
        )
    results: dict[str, RecordResult] = {}
    keys = {key for key, _ in records}
    _read_successes(client, path, external_id_field, results)
    failed_read = False
    # numberRecordsFailed 0 means the failed file is empty (salesforce-api.md 5.1); a job
    # that does not say reads it.
    if info.get("numberRecordsFailed") != 0:
        _read_failures(client, path, external_id_field, results)
        failed_read = True
    # Unprocessed rows exist only for jobs that did not finish; anything not yet accounted
    # for is looked for there, and then (if the counters were wrong) among the failures.
    if not keys <= results.keys():
        for row in _rows(client, f"{path}/unprocessedrecords"):
            results[row[external_id_field]] = RecordResult.failed(
                row[external_id_field],
                [FieldError("SERVER_UNAVAILABLE", "row left unprocessed by the job")],
            )
    if not failed_read and not keys <= results.keys():
        _read_failures(client, path, external_id_field, results)
    return results


def _read_successes(
    client: OrgClient, path: str, external_id_field: str, results: dict[str, RecordResult]
) -> None:
    for row in _rows(client, f"{path}/successfulResults"):
        results[row[external_id_field]] = RecordResult(
            key=row[external_id_field],
            sf_id=row.get("sf__Id") or None,
            success=True,
            created=row.get("sf__Created", "").lower() == "true",
        )


def _read_failures(
    client: OrgClient, path: str, external_id_field: str, results: dict[str, RecordResult]
) -> None:
    for row in _rows(client, f"{path}/failedResults"):
        results[row[external_id_field]] = RecordResult.failed(
            row[external_id_field],
            [FieldError.from_bulk(row.get("sf__Error", ""))],
            row.get("sf__Id") or None,
        )


def _wait(client: OrgClient, path: str, sobject: str, rows: int) -> dict[str, Any]:
    closed = time.monotonic()
    client.retry.sleep(client.bulk_pace.first_wait(sobject, rows))
    polls = 0
    while True:
        info: dict[str, Any] = client._call(
            f"bulk poll {path}", lambda sf: _raw(sf, "GET", path).json()
        )
        if info.get("state") in _TERMINAL:
            elapsed = time.monotonic() - closed
            client.bulk_pace.observe(sobject, rows, elapsed, first_poll=polls == 0)
            log.debug(
                "bulk job finished org=%s sobject=%s rows=%d seconds=%.2f polls=%d state=%s",
                client.name, sobject, rows, elapsed, polls + 1, info.get("state"),
            )  # fmt: skip
            return info
        client.retry.sleep(_POLL_S[min(polls, len(_POLL_S) - 1)])
        polls += 1
        if polls > 3600:
            raise RetryableSyncError(f"Org '{client.name}': {path} did not finish in time.")


def _rows(client: OrgClient, path: str) -> list[dict[str, str]]:
    text: str = client._call(
        f"bulk results {path}",
        lambda sf: _raw(sf, "GET", path, headers={"Accept": "text/csv"}).text,
    )
    return list(csv.DictReader(io.StringIO(text)))


def _raw(sf: Salesforce, method: str, path: str, **kwargs: Any) -> requests.Response:
    """A call whose body is not JSON (CSV uploads and results), with Salesforce's errors."""
    headers = {**sf.headers, **kwargs.pop("headers", {})}
    response = sf.session.request(method, sf.base_url + path, headers=headers, **kwargs)
    if response.status_code >= 300:
        exception_handler(response, path)
    return response
