"""Helpers for the Bulk API 2.0 tests: run an ingest job over raw HTTP and read its results."""

from __future__ import annotations

import csv
import io
import time
from typing import Any

from sandbox_support import Api

TERMINAL = ("JobComplete", "Failed", "Aborted")


def create_job(api: Api, **body: Any) -> dict[str, Any]:
    response = api.call("POST", "jobs/ingest", json={"contentType": "CSV"} | body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def wait_for(api: Api, job_id: str, kind: str = "ingest") -> dict[str, Any]:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        info = api.call("GET", f"jobs/{kind}/{job_id}").json()
        if info["state"] in TERMINAL:
            return dict(info)
        time.sleep(0.01)
    raise AssertionError(f"job {job_id} did not finish")


def run_job(api: Api, data: str | bytes, **body: Any) -> dict[str, Any]:
    """Create, upload, close and wait: the JobInfo of the finished job."""
    job = create_job(api, **body)
    payload = data.encode() if isinstance(data, str) else data
    upload = api.call(
        "PUT",
        f"jobs/ingest/{job['id']}/batches",
        data=payload,
        headers={"Content-Type": "text/csv"},
    )
    assert upload.status_code == 201, upload.text
    closed = api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    assert closed.status_code == 200, closed.text
    return wait_for(api, job["id"])


def results(api: Api, job_id: str, which: str) -> list[dict[str, str]]:
    response = api.call("GET", f"jobs/ingest/{job_id}/{which}/")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(response.text)))
