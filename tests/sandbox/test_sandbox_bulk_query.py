"""Bulk API 2.0 query jobs (salesforce-api.md 5.2)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from bulk_support import wait_for
from sandbox_support import Api, new_session
from simple_salesforce import Salesforce

from contractsync.sandbox import SandboxOrg


@pytest.fixture(scope="module")
def seeded(api: Api) -> list[str]:
    ids = []
    for i in range(5):
        ids.append(
            api.call(
                "POST", "sobjects/Account/", json={"Name": f"BQ {i}", "Ext_Id__c": f"BQ-{i}"}
            ).json()["id"]
        )
    api.call("DELETE", f"sobjects/Account/{ids[4]}")
    return ids


def create_query(api: Api, query: str, **extra: str) -> dict[str, object]:
    response = api.call("POST", "jobs/query", json={"operation": "query", "query": query} | extra)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_query_job_pages_with_locator(api: Api, seeded: list[str]) -> None:
    job = create_query(
        api, "SELECT Id, Name, Owner.Name FROM Account WHERE Name LIKE 'BQ %' ORDER BY Name"
    )
    assert job["state"] == "UploadComplete"
    assert job["object"] == "Account"
    info = wait_for(api, str(job["id"]), "query")
    assert (info["state"], info["jobType"], info["numberRecordsProcessed"]) == (
        "JobComplete",
        "V2Query",
        4,
    )
    pages, locator = [], ""
    while True:
        params = {"maxRecords": "3"} | ({"locator": locator} if locator else {})
        page = api.call(
            "GET", f"jobs/query/{job['id']}/results", params=params, headers={"Accept": "text/csv"}
        )
        assert page.status_code == 200
        pages.append((page.headers["Sforce-NumberOfRecords"], page.text))
        locator = page.headers["Sforce-Locator"]
        if locator == "null":
            break
    assert [count for count, _text in pages] == ["3", "1"]
    first = list(csv.reader(io.StringIO(pages[0][1])))
    assert first[0] == ["Id", "Name", "Owner.Name"]
    assert first[1] == [seeded[0], "BQ 0", "Sandbox Admin"]
    assert pages[1][1].startswith('"Id","Name","Owner.Name"\n')
    bad = api.call("GET", f"jobs/query/{job['id']}/results", params={"locator": "nope!"})
    assert bad.status_code == 400
    assert bad.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_query_all_and_nulls(api: Api, seeded: list[str]) -> None:
    response = api.call(
        "POST",
        "jobs/query",
        json={
            "operation": "queryAll",
            "query": "SELECT Name, Phone, IsDeleted FROM Account WHERE Name LIKE 'BQ %'",
            "columnDelimiter": "SEMICOLON",
            "lineEnding": "CRLF",
        },
    )
    job_id = response.json()["id"]
    wait_for(api, job_id, "query")
    text = api.call("GET", f"jobs/query/{job_id}/results").text
    assert text.splitlines()[0] == '"Name";"Phone";"IsDeleted"'
    assert '"BQ 4";"";"true"\r\n' in text


@pytest.mark.parametrize(
    ("query", "code", "detail"),
    [
        pytest.param(
            "SELECT Bogus FROM Account", "INVALID_FIELD", "No such column 'Bogus'", id="field"
        ),
        pytest.param("SELECT Id FROM Nope__c", "INVALID_TYPE", "sObject type 'Nope__c'", id="type"),
        pytest.param("SELECT Id FROM", "MALFORMED_QUERY", "unexpected token", id="syntax"),
        pytest.param(
            "SELECT Id, (SELECT Id FROM Contacts) FROM Account", "FEATURENOTENABLED",
            "nested queries are not supported", id="subquery",
        ),
        pytest.param(
            "SELECT COUNT() FROM Account", "FEATURENOTENABLED", "Aggregate functions", id="count"
        ),
    ],
)  # fmt: skip
def test_bad_soql_is_refused_at_create(api: Api, query: str, code: str, detail: str) -> None:
    response = api.call("POST", "jobs/query", json={"operation": "query", "query": query})
    assert response.status_code == 400
    body = response.json()
    assert body[0]["errorCode"] == code
    assert detail in body[0]["message"]
    rest = api.call("GET", "query/", params={"q": query})
    if code not in ("FEATURENOTENABLED",):
        assert rest.json()[0] == body[0]


def test_query_job_errors(api: Api) -> None:
    response = api.call(
        "POST", "jobs/query", json={"operation": "insert", "query": "SELECT Id FROM Account"}
    )
    assert response.json() == [
        {"message": "Invalid operation: insert; use query or queryAll", "errorCode": "INVALIDJOB"}
    ]
    job = create_query(api, "SELECT Id FROM Account LIMIT 1")
    wait_for(api, str(job["id"]), "query")
    aborted = api.call("PATCH", f"jobs/query/{job['id']}", json={"state": "Aborted"})
    assert aborted.status_code == 409
    assert api.call("DELETE", f"jobs/query/{job['id']}").status_code == 204
    assert api.call("GET", f"jobs/query/{job['id']}/results").status_code == 404


def test_simple_salesforce_query_and_download(
    org: SandboxOrg, seeded: list[str], tmp_path: Path
) -> None:
    sf = Salesforce(
        instance_url=org.info.instance_url,
        session_id=org.info.access_token,
        session=new_session(org.info),
    )
    soql = "SELECT Id, Name FROM Account WHERE Name LIKE 'BQ %' ORDER BY Name"
    pages = list(sf.bulk2.Account.query(soql, max_records=2, wait=0.05))
    assert len(pages) == 2
    assert sum(p.count("\n") - 1 for p in pages) == 4
    every = list(sf.bulk2.Account.query_all(soql, wait=0.05))
    assert every[0].count("\n") - 1 == 5
    downloaded = sf.bulk2.Account.download(soql, str(tmp_path), max_records=3, wait=0.05)
    assert [d["number_of_records"] for d in downloaded] == [3, 1]
    assert Path(downloaded[0]["file"]).read_text().startswith('"Id","Name"\n')
