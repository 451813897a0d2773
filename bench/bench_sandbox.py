"""Benchmark the sandbox org: REST throughput and Bulk API 2.0 ingest, with no injected latency.

    .venv/bin/python bench/bench_sandbox.py [--bulk-records 100000]

Part 1 sends single upserts by external id (PATCH /sobjects/Account/Ext_Id__c/{value}) through
simple-salesforce over one keep-alive HTTPS session and reports requests per second. Part 2
sends 200-record sObject Collections upserts. Part 3 runs one Bulk API 2.0 insert job of
100,000 rows through ``sf.bulk2`` end to end (create, upload, close, poll) and reports records
per second. Results are written to bench/results/sandbox.json.
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from simple_salesforce import Salesforce

from contractsync.sandbox import SandboxOrg

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "bench" / "results" / "sandbox.json"
EXT_ID = {"name": "Ext_Id__c", "type": "string", "length": 40, "externalId": True, "unique": True}


def client(org: SandboxOrg) -> Salesforce:
    session = requests.Session()
    session.trust_env = False  # REQUESTS_CA_BUNDLE would override the org's CA
    session.verify = org.info.ca_bundle or True
    return Salesforce(
        instance_url=org.info.instance_url, session_id=org.info.access_token, session=session
    )


def bench_single_upserts(sf: Salesforce, count: int) -> dict[str, Any]:
    started = time.perf_counter()
    for i in range(count):
        sf.Account.upsert(f"Ext_Id__c/REST-{i % (count // 2)}", {"Name": f"Single {i}"})
    elapsed = time.perf_counter() - started
    return {
        "requests": count,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(count / elapsed, 1),
    }


def bench_collection_upserts(sf: Salesforce, calls: int, size: int = 200) -> dict[str, Any]:
    started = time.perf_counter()
    for call in range(calls):
        records = [
            {"attributes": {"type": "Account"}, "Ext_Id__c": f"COL-{call}-{i}", "Name": f"Col {i}"}
            for i in range(size)
        ]
        results = sf.restful(
            "composite/sobjects/Account/Ext_Id__c",
            method="PATCH",
            data=json.dumps({"allOrNone": False, "records": records}),
        )
        assert all(r["success"] for r in results)
    elapsed = time.perf_counter() - started
    return {
        "requests": calls,
        "records": calls * size,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(calls / elapsed, 1),
        "records_per_s": round(calls * size / elapsed, 1),
    }


def bench_bulk_ingest(sf: Salesforce, records: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "accounts.csv"
        lines = ["Name,Ext_Id__c,Phone,AnnualRevenue"]
        lines += [f"Bulk {i},BULK-{i},555-{i:07d},{i * 10}" for i in range(records)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        result = sf.bulk2.Account.insert(csv_file=str(path), wait=0.2)
        elapsed = time.perf_counter() - started
    job = result[0]
    info = sf.restful(f"jobs/ingest/{job['job_id']}")
    assert job["numberRecordsFailed"] == 0, job
    return {
        "records": job["numberRecordsProcessed"],
        "seconds_end_to_end": round(elapsed, 3),
        "records_per_s": round(records / elapsed, 1),
        "server_processing_ms": info["totalProcessingTime"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--single", type=int, default=1000, help="single upserts to send")
    parser.add_argument("--collections", type=int, default=50, help="200-record upserts")
    parser.add_argument("--bulk-records", type=int, default=100_000)
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    with SandboxOrg() as org:
        org.add_custom_field("Account", EXT_ID)
        sf = client(org)
        figures = {
            "rest_single_upserts": bench_single_upserts(sf, args.single),
            "rest_collections_upserts_200": bench_collection_upserts(sf, args.collections),
            "bulk2_ingest": bench_bulk_ingest(sf, args.bulk_records),
        }
    report = {
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "transport": "HTTPS, one keep-alive requests.Session via simple-salesforce",
        "results": figures,
    }
    for name, values in figures.items():
        print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in values.items()))
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"saved {args.output}")


if __name__ == "__main__":
    main()
