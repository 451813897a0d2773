"""Bulk API 2.0 ingest jobs (salesforce-api.md 5.1), over raw HTTP and simple-salesforce."""

from __future__ import annotations

from pathlib import Path

import pytest
from bulk_support import create_job, results, run_job, wait_for
from sandbox_support import Api, new_session
from simple_salesforce import Salesforce

from contractsync.sandbox import SandboxOrg, _bulk_ingest

PROBE_FIELDS = [
    {"name": "Flag__c", "type": "boolean"},
    {"name": "Due__c", "type": "date"},
    {"name": "At__c", "type": "datetime"},
    {"name": "Amount__c", "type": "double", "precision": 18, "scale": 2},
    {"name": "Note__c", "type": "string", "length": 10},
    {"name": "Key__c", "type": "string", "length": 20, "externalId": True, "unique": True},
]


@pytest.fixture(scope="module")
def probe(org: SandboxOrg) -> str:
    org.add_custom_object({"name": "Bulk_Probe__c", "label": "Bulk Probe", "fields": PROBE_FIELDS})
    return "Bulk_Probe__c"


def direct(org: SandboxOrg) -> Salesforce:
    return Salesforce(
        instance_url=org.info.instance_url,
        session_id=org.info.access_token,
        session=new_session(org.info),
    )


def test_job_lifecycle_and_jobinfo(api: Api) -> None:
    created = create_job(api, object="Account", operation="insert", lineEnding="LF")
    job_id = created["id"]
    assert job_id.startswith("750")
    assert created == {
        "id": job_id,
        "operation": "insert",
        "object": "Account",
        "createdById": api.info.user_id,
        "createdDate": created["createdDate"],
        "systemModstamp": created["systemModstamp"],
        "state": "Open",
        "concurrencyMode": "Parallel",
        "contentType": "CSV",
        "apiVersion": 59.0,
        "contentUrl": f"services/data/v59.0/jobs/ingest/{job_id}/batches",
        "lineEnding": "LF",
        "columnDelimiter": "COMMA",
    }
    upload = api.call(
        "PUT", created["contentUrl"].removeprefix("services/data/v59.0/"), data=b"Name\nLife 1\n"
    )
    assert (upload.status_code, upload.content) == (201, b"")
    closed = api.call("PATCH", f"jobs/ingest/{job_id}", json={"state": "UploadComplete"}).json()
    assert closed["state"] == "UploadComplete"
    assert "contentUrl" not in closed
    assert "numberRecordsProcessed" not in closed
    info = wait_for(api, job_id)
    assert info["state"] == "JobComplete"
    assert {k: info[k] for k in ("jobType", "numberRecordsProcessed", "numberRecordsFailed")} == {
        "jobType": "V2Ingest",
        "numberRecordsProcessed": 1,
        "numberRecordsFailed": 0,
    }
    assert set(info) >= {
        "retries", "totalProcessingTime", "apiActiveProcessingTime", "apexProcessingTime",
        "errorMessage",
    }  # fmt: skip
    listed = api.call("GET", "jobs/ingest").json()
    assert listed["done"] is True
    assert listed["nextRecordsUrl"] is None
    assert any(r["id"] == job_id and r["jobType"] == "V2Ingest" for r in listed["records"])
    assert api.call("DELETE", f"jobs/ingest/{job_id}").status_code == 204
    gone = api.call("GET", f"jobs/ingest/{job_id}")
    assert gone.status_code == 404
    assert gone.json()[0]["errorCode"] == "NOT_FOUND"


def test_results_files_and_error_format(api: Api) -> None:
    data = 'Name,Ext_Id__c\nOk Row,BLK-R1\n,BLK-R2\n"' + "x" * 300 + '",BLK-R3\n'
    info = run_job(api, data, object="Account", operation="insert")
    assert (info["numberRecordsProcessed"], info["numberRecordsFailed"]) == (3, 2)
    ok = results(api, info["id"], "successfulResults")
    assert [(r["sf__Created"], r["Name"], r["Ext_Id__c"]) for r in ok] == [
        ("true", "Ok Row", "BLK-R1")
    ]
    assert ok[0]["sf__Id"].startswith("001")
    failed = results(api, info["id"], "failedResults")
    assert [r["sf__Error"] for r in failed] == [
        "REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --",
        f"STRING_TOO_LONG:Account Name: data value too large: {'x' * 300} (max length=255):Name --",
    ]
    assert [r["sf__Id"] for r in failed] == ["", ""]
    raw = api.call("GET", f"jobs/ingest/{info['id']}/failedResults").text
    assert raw.startswith('"sf__Id","sf__Error","Name","Ext_Id__c"\n')
    for spelling in ("unprocessedrecords", "unprocessedRecords"):
        unprocessed = api.call("GET", f"jobs/ingest/{info['id']}/{spelling}")
        assert unprocessed.text == '"Name","Ext_Id__c"\n'


def test_bad_header_fails_the_job(api: Api) -> None:
    info = run_job(api, "Name,Bogus__c\nA,1\nB,2\n", object="Account", operation="insert")
    assert info["state"] == "Failed"
    assert info["errorMessage"] == "InvalidBatch : Field name not found : Bogus__c"
    assert info["numberRecordsProcessed"] == 0
    assert len(results(api, info["id"], "unprocessedrecords")) == 2
    assert results(api, info["id"], "failedResults") == []


@pytest.mark.parametrize(
    ("operation", "extra", "header", "missing"),
    [
        pytest.param("update", {}, "Name", "Id", id="update-needs-id"),
        pytest.param(
            "upsert", {"externalIdFieldName": "Ext_Id__c"}, "Name", "Ext_Id__c", id="upsert-key"
        ),
    ],
)
def test_key_column_is_required(
    api: Api, operation: str, extra: dict[str, str], header: str, missing: str
) -> None:
    info = run_job(api, f"{header}\nX\n", object="Account", operation=operation, **extra)
    assert info["state"] == "Failed"
    assert info["errorMessage"] == f"InvalidBatch : Field name not found : {missing}"


def test_delete_batch_must_hold_only_ids(api: Api) -> None:
    info = run_job(api, "Id,Name\n001000000000000AAA,x\n", object="Account", operation="delete")
    assert info["errorMessage"] == "InvalidBatch : The 'delete' batch must contain only ids"


def test_csv_value_rules(api: Api, probe: str) -> None:
    data = (
        "Name,Key__c,Flag__c,Due__c,At__c,Amount__c,Note__c\n"
        "P1,K-1,true,2025-02-03,2025-02-03T10:11:12.000Z,1.5e2,keep\n"
        "P2,K-2,false,2025-02-04,2025-02-03T10:11:12.000+02:00,3,\n"
        "P3,K-3,TRUE,2025-02-05,2025-02-03T10:11:12.000-0130,4,\n"
    )
    info = run_job(api, data, object=probe, operation="insert")
    assert info["numberRecordsFailed"] == 0
    rows = api.call(
        "GET",
        "query/",
        params={
            "q": f"SELECT Key__c, Flag__c, Due__c, At__c, Amount__c FROM {probe} ORDER BY Key__c"
        },
    ).json()["records"]
    assert [(r["Flag__c"], r["Due__c"], r["At__c"], r["Amount__c"]) for r in rows] == [
        (True, "2025-02-03", "2025-02-03T10:11:12.000+0000", 150.0),
        (False, "2025-02-04", "2025-02-03T08:11:12.000+0000", 3.0),
        (True, "2025-02-05", "2025-02-03T11:41:12.000+0000", 4.0),
    ]
    # Empty leaves a field unchanged on update; #N/A sets it to null (5.1).
    update = run_job(
        api,
        "Key__c,Note__c,Amount__c\nK-1,,#N/A\n",
        object=probe,
        operation="upsert",
        externalIdFieldName="Key__c",
    )
    assert update["numberRecordsFailed"] == 0
    assert results(api, update["id"], "successfulResults")[0]["sf__Created"] == "false"
    row = api.call(
        "GET",
        "query/",
        params={"q": f"SELECT Note__c, Amount__c FROM {probe} WHERE Key__c = 'K-1'"},
    ).json()["records"][0]
    assert (row["Note__c"], row["Amount__c"]) == ("keep", None)


def test_row_errors_reuse_rest_validation(api: Api, probe: str) -> None:
    data = (
        "Name,Key__c,Due__c,Flag__c,CreatedDate\n"
        "E1,E-1,2025-13-01,,\n"
        "E2,E-2,,maybe,\n"
        "E3,E-3,,,2025-01-01T00:00:00Z\n"
    )
    info = run_job(api, data, object=probe, operation="insert")
    errors = [r["sf__Error"] for r in results(api, info["id"], "failedResults")]
    assert errors == [
        (
            "JSON_PARSER_ERROR:Cannot deserialize instance of date from VALUE_STRING value"
            " 2025-13-01 or request may be missing a required field at [line:2, column:3]:--"
        ),
        (
            "JSON_PARSER_ERROR:Cannot deserialize instance of boolean from VALUE_STRING value"
            " maybe or request may be missing a required field at [line:3, column:4]:--"
        ),
        (
            "INVALID_FIELD_FOR_INSERT_UPDATE:Unable to create/update fields: CreatedDate. Please"
            " check the security settings of this field and verify that it is read/write for"
            " your profile or permission set.:CreatedDate --"
        ),
    ]
    bad_id = run_job(api, "Id,Name\n001xyz,N\n", object="Account", operation="update")
    assert results(api, bad_id["id"], "failedResults")[0]["sf__Error"] == (
        "MALFORMED_ID:Account ID: id value of incorrect type: 001xyz:Id --"
    )


def test_relationship_columns(api: Api) -> None:
    api.call("POST", "sobjects/Account/", json={"Name": "Parent", "Ext_Id__c": "BLK-PARENT"})
    data = (
        "Account.Ext_Id__c,Status,Ext_Id__c\n"
        "BLK-PARENT,Draft,BLK-C1\n"
        "BLK-MISSING,Draft,BLK-C2\n"
        "Account:Account.Ext_Id__c,Draft,BLK-C3\n"
    )
    data = data.replace("Account:Account.Ext_Id__c,Draft", "BLK-PARENT,Draft")
    info = run_job(api, data, object="Contract", operation="insert")
    assert info["numberRecordsFailed"] == 1
    assert results(api, info["id"], "failedResults")[0]["sf__Error"] == (
        "INVALID_FIELD:Foreign key external ID: BLK-MISSING not found for field Ext_Id__c in"
        " entity Account:--"
    )
    rows = api.call(
        "GET",
        "query/",
        params={
            "q": "SELECT Account.Ext_Id__c FROM Contract WHERE Ext_Id__c IN ('BLK-C1','BLK-C3')"
        },
    ).json()["records"]
    assert [r["Account"]["Ext_Id__c"] for r in rows] == ["BLK-PARENT", "BLK-PARENT"]
    typed = run_job(
        api, "Account:Account.Ext_Id__c,Status\nBLK-PARENT,Draft\n", object="Contract",
        operation="insert",
    )  # fmt: skip
    assert typed["numberRecordsFailed"] == 0


def test_delimiter_and_line_ending_options(api: Api) -> None:
    info = run_job(
        api, "Name|Ext_Id__c\r\nPiped|BLK-P1\r\n", object="Account", operation="insert",
        columnDelimiter="PIPE", lineEnding="CRLF",
    )  # fmt: skip
    assert info["numberRecordsFailed"] == 0
    raw = api.call("GET", f"jobs/ingest/{info['id']}/successfulResults").text
    assert raw.startswith('"sf__Id","sf__Created","Name","Ext_Id__c"\r\n')
    mismatch = run_job(api, "Name\r\nX\r\n", object="Account", operation="insert")
    assert mismatch["state"] == "Failed"
    assert mismatch["errorMessage"] == (
        "ClientInputError : LineEnding is invalid on user data. Current LineEnding setting is LF"
    )


@pytest.mark.parametrize(
    ("body", "code", "message"),
    [
        pytest.param(
            {"object": "Account", "operation": "upsert"}, "INVALIDJOB",
            "External ID was blank for Account. An External ID must be specified for upsert.",
            id="upsert-without-key",
        ),
        pytest.param(
            {"object": "Account", "operation": "upsert", "externalIdFieldName": "Phone"},
            "INVALIDJOB",
            "Field name provided, Phone is not an External ID or indexed field for Account",
            id="key-not-external",
        ),
        pytest.param(
            {"object": "Nope__c", "operation": "insert"}, "INVALIDJOB",
            "Unable to find object: Nope__c", id="unknown-object",
        ),
        pytest.param(
            {"object": "Account", "operation": "merge"}, "INVALIDJOB", "Invalid operation: merge",
            id="operation",
        ),
        pytest.param(
            {"object": "Account", "operation": "insert", "columnDelimiter": "DASH"},
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of ColumnDelimiterEnum from VALUE_STRING value DASH",
            id="delimiter",
        ),
    ],
)  # fmt: skip
def test_create_job_errors(api: Api, body: dict[str, str], code: str, message: str) -> None:
    response = api.call("POST", "jobs/ingest", json=body)
    assert response.status_code == 400
    assert response.json() == [{"message": message, "errorCode": code}]


def test_upload_rules(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    job = create_job(api, object="Account", operation="insert")
    url = f"jobs/ingest/{job['id']}/batches"
    monkeypatch.setattr(_bulk_ingest, "MAX_UPLOAD_BASE64_BYTES", 8)
    too_big = api.call("PUT", url, data=b"Name\nToo big\n")
    assert too_big.status_code == 400
    assert too_big.json() == [
        {
            "message": "The upload is 20 bytes once base64-encoded; the limit is 8 (150 MB)."
            " Split the data into several jobs.",
            "errorCode": "CLIENTINPUTERROR",
        }
    ]
    monkeypatch.undo()
    assert api.call("PUT", url, data=b"Name\nOnce\n").status_code == 201
    again = api.call("PUT", url, data=b"Name\nTwice\n")
    assert again.status_code == 409
    assert again.json()[0]["errorCode"] == "INVALIDJOBSTATE"
    assert api.call("DELETE", f"jobs/ingest/{job['id']}").status_code == 409
    api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    wait_for(api, job["id"])
    closed = api.call("PUT", url, data=b"Name\nLate\n")
    assert closed.status_code == 409
    bad_state = api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "JobComplete"})
    assert bad_state.status_code == 400
    assert bad_state.json()[0]["errorCode"] == "INVALIDJOBSTATE"


def test_abort_leaves_rows_unprocessed(api: Api) -> None:
    job = create_job(api, object="Account", operation="insert")
    api.call("PUT", f"jobs/ingest/{job['id']}/batches", data=b"Name\nA1\nA2\n")
    aborted = api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "Aborted"})
    assert aborted.json()["state"] == "Aborted"
    assert len(results(api, job["id"], "unprocessedrecords")) == 2
    again = api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    assert again.status_code == 409


def test_lock_faults_fail_rows(org: SandboxOrg, api: Api) -> None:
    org.set_faults("seed=1,bulk:lock=1")
    try:
        info = run_job(api, "Name\nL1\nL2\n", object="Account", operation="insert")
    finally:
        org.set_faults("")
    assert info["numberRecordsFailed"] == 2
    assert [r["sf__Error"] for r in results(api, info["id"], "failedResults")] == [
        "UNABLE_TO_LOCK_ROW:unable to obtain exclusive access to this record or 1 records::--"
    ] * 2


def test_delete_and_hard_delete(api: Api) -> None:
    ids = [
        api.call("POST", "sobjects/Account/", json={"Name": f"Del {i}"}).json()["id"]
        for i in range(2)
    ]
    soft = run_job(api, f"Id\n{ids[0]}\n", object="Account", operation="delete")
    hard = run_job(api, f"Id\n{ids[1]}\n", object="Account", operation="hardDelete")
    assert results(api, soft["id"], "successfulResults")[0]["sf__Created"] == "false"
    assert hard["numberRecordsFailed"] == 0
    seen = api.call(
        "GET",
        "queryAll/",
        params={"q": f"SELECT Id, IsDeleted FROM Account WHERE Id IN ('{ids[0]}','{ids[1]}')"},
    ).json()["records"]
    assert [(r["Id"], r["IsDeleted"]) for r in seen] == [(ids[0], True)]
    missing = run_job(api, f"Id\n{ids[1]}\n", object="Account", operation="delete")
    failed = results(api, missing["id"], "failedResults")[0]
    assert (failed["sf__Id"], failed["sf__Error"]) == (
        ids[1],
        "INVALID_CROSS_REFERENCE_KEY:invalid cross reference id:--",
    )


def test_calls_and_batches_are_counted(api: Api) -> None:
    def used(response_headers: dict[str, str]) -> int:
        return int(response_headers["Sforce-Limit-Info"].split("=")[1].split("/")[0])

    before = api.call("GET", "limits").json()["DailyBulkApiBatches"]["Remaining"]
    job = create_job(api, object="Account", operation="insert")
    first = used(api.call("GET", f"jobs/ingest/{job['id']}").headers)
    second = used(api.call("GET", f"jobs/ingest/{job['id']}").headers)
    assert second == first + 1
    api.call("PUT", f"jobs/ingest/{job['id']}/batches", data=b"Name\nCounted\n")
    api.call("PATCH", f"jobs/ingest/{job['id']}", json={"state": "UploadComplete"})
    wait_for(api, job["id"])
    after = api.call("GET", "limits").json()["DailyBulkApiBatches"]["Remaining"]
    assert after == before - 1


def test_simple_salesforce_ingest(org: SandboxOrg, tmp_path: Path) -> None:
    sf = direct(org)
    records = [{"Name": f"SS {i}", "Ext_Id__c": f"BLK-SS{i}"} for i in range(3)]
    inserted = sf.bulk2.Account.insert(records=records, wait=0.05)
    assert inserted[0]["numberRecordsProcessed"] == 3
    assert inserted[0]["numberRecordsFailed"] == 0
    job_id = inserted[0]["job_id"]
    assert sf.bulk2.Account.get_successful_records(job_id).count("\n") == 4
    assert sf.bulk2.Account.get_failed_records(job_id).count("\n") == 1
    # simple-salesforce orders the columns of records= through a set.
    unprocessed = sf.bulk2.Account.get_unprocessed_records(job_id)
    assert sorted(unprocessed.strip().split(",")) == ['"Ext_Id__c"', '"Name"']
    source = tmp_path / "upsert.csv"
    source.write_text("Ext_Id__c,Phone\nBLK-SS0,555\nBLK-SS9,556\n", encoding="utf-8")
    upserted = sf.bulk2.Account.upsert(
        csv_file=str(source), external_id_field="Ext_Id__c", wait=0.05
    )
    assert upserted[0]["numberRecordsFailed"] == 1  # BLK-SS9 has no Name to be created with
    ids = [
        r["Id"]
        for r in sf.query("SELECT Id FROM Account WHERE Ext_Id__c LIKE 'BLK-SS%'")["records"]
    ]
    updated = sf.bulk2.Account.update(records=[{"Id": i, "Phone": "1"} for i in ids], wait=0.05)
    assert updated[0]["numberRecordsFailed"] == 0
    deleted = sf.bulk2.Account.delete(records=[{"Id": i} for i in ids], wait=0.05)
    assert deleted[0]["numberRecordsProcessed"] == 3
    assert sf.query("SELECT COUNT() FROM Account WHERE Ext_Id__c LIKE 'BLK-SS%'")["totalSize"] == 0
