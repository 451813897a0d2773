"""Bulk API 2.0 upserts: CSV in, one job per 10,000 records, results matched back by key.

Each HTTP call of a job (create, upload, close, polls, result pages) goes through the
client's one call path, so it is retried, counted and limited like any other. CSV rules
(salesforce-api.md 5.1): an empty cell leaves a field unchanged, ``#N/A`` sets it null,
parent lookups are ``Relationship.External_Id__c`` columns.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

import requests
from simple_salesforce.api import Salesforce
from simple_salesforce.util import exception_handler

from contractsync.errors import PermanentSyncError, RetryableSyncError

from ._results import FieldError, RecordResult

if TYPE_CHECKING:
    from ._client import OrgClient

JOB_RECORDS = 10_000
"""Records per job: Salesforce processes ingest in internal batches of 10,000 rows."""
_TERMINAL = {"JobComplete", "Failed", "Aborted"}
_POLL_S = (0.5, 1.0, 2.0, 5.0, 10.0)
"""Waits between polls of a job. Each poll is an API call; real orgs take seconds to
minutes per job, so polls start at half a second and back off to ten."""


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
    info = _wait(client, path)
    if info["state"] != "JobComplete":
        raise PermanentSyncError(
            f"Org '{client.name}': Bulk job {job_id} for {sobject} ended {info['state']}: "
            f"{info.get('errorMessage') or 'no message'}.",
            org=client.name,
            job_id=job_id,
        )
    results: dict[str, RecordResult] = {}
    for row in _rows(client, f"{path}/successfulResults"):
        results[row[external_id_field]] = RecordResult(
            key=row[external_id_field],
            sf_id=row.get("sf__Id") or None,
            success=True,
            created=row.get("sf__Created", "").lower() == "true",
        )
    for row in _rows(client, f"{path}/failedResults"):
        results[row[external_id_field]] = RecordResult.failed(
            row[external_id_field],
            [FieldError.from_bulk(row.get("sf__Error", ""))],
            row.get("sf__Id") or None,
        )
    for row in _rows(client, f"{path}/unprocessedrecords"):
        results[row[external_id_field]] = RecordResult.failed(
            row[external_id_field],
            [FieldError("SERVER_UNAVAILABLE", "row left unprocessed by the job")],
        )
    return results


def _wait(client: OrgClient, path: str) -> dict[str, Any]:
    polls = 0
    while True:
        info: dict[str, Any] = client._call(
            f"bulk poll {path}", lambda sf: _raw(sf, "GET", path).json()
        )
        if info.get("state") in _TERMINAL:
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
