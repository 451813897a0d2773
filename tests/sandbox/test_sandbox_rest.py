"""REST sObject resources over real HTTPS: statuses, bodies and every validation error."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from sandbox_support import Api

_counter = itertools.count(1)


def unique(prefix: str) -> str:
    return f"{prefix}-{next(_counter)}"


def create(api: Api, sobject: str, body: dict[str, Any]) -> str:
    response = api.call("POST", f"sobjects/{sobject}/", json=body)
    assert response.status_code == 201, response.text
    return str(response.json()["id"])


@pytest.fixture
def account(api: Api) -> str:
    return create(api, "Account", {"Name": "Acme", "Ext_Id__c": unique("A")})


def test_versions_list_needs_no_session(api: Api) -> None:
    response = api.session.get(api.url("/services/data/"), timeout=10)
    assert response.status_code == 200
    versions = response.json()
    assert versions[0] == {"label": "Summer '14", "url": "/services/data/v31.0", "version": "31.0"}
    assert versions[-1]["version"] == "62.0"
    assert {"label": "Winter '24", "url": "/services/data/v59.0", "version": "59.0"} in versions


def test_resource_map_and_limit_header(api: Api) -> None:
    response = api.call("GET", "")
    assert response.status_code == 200
    assert response.json()["sobjects"] == "/services/data/v59.0/sobjects"
    info = api.info
    assert response.json()["identity"] == f"{info.instance_url}/id/{info.org_id}/{info.user_id}"
    assert response.headers["Content-Type"] == "application/json;charset=UTF-8"
    used, total = response.headers["Sforce-Limit-Info"].removeprefix("api-usage=").split("/")
    assert int(used) >= 1
    assert total == "15000"


def test_every_call_is_counted_once(api: Api) -> None:
    first = api.call("GET", "limits")
    second = api.call("GET", "limits")
    used = [
        int(r.headers["Sforce-Limit-Info"].split("=")[1].split("/")[0]) for r in (first, second)
    ]
    assert used[1] == used[0] + 1
    assert second.json()["DailyApiRequests"]["Remaining"] == 15000 - used[1]


def test_create_retrieve_update_delete(api: Api) -> None:
    response = api.call("POST", "sobjects/account/", json={"name": "Globex", "attributes": {}})
    assert response.status_code == 201
    body = response.json()
    assert body == {"id": body["id"], "success": True, "errors": []}
    record_id = body["id"]
    assert record_id.startswith("001")
    assert len(record_id) == 18

    record = api.call("GET", f"sobjects/Account/{record_id[:15]}").json()
    assert record["attributes"] == {
        "type": "Account",
        "url": f"/services/data/v59.0/sobjects/Account/{record_id}",
    }
    assert record["Name"] == "Globex"
    assert record["Phone"] is None
    assert record["OwnerId"] == api.info.user_id
    assert record["CreatedById"] == api.info.user_id
    assert record["IsDeleted"] is False
    assert record["CreatedDate"].endswith("+0000")

    partial = api.call("GET", f"sobjects/Account/{record_id}", params={"fields": "name,Phone"})
    assert list(partial.json()) == ["attributes", "Name", "Phone", "Id"]

    updated = api.call("PATCH", f"sobjects/Account/{record_id}", json={"Phone": "555"})
    assert updated.status_code == 204
    assert updated.content == b""
    assert api.call("GET", f"sobjects/Account/{record_id}").json()["Phone"] == "555"

    deleted = api.call("DELETE", f"sobjects/Account/{record_id}")
    assert deleted.status_code == 204
    gone = api.call("GET", f"sobjects/Account/{record_id}")
    assert gone.status_code == 404
    assert gone.json() == [
        {"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}
    ]
    again = api.call("DELETE", f"sobjects/Account/{record_id}")
    assert again.status_code == 404
    assert again.json()[0]["errorCode"] == "ENTITY_IS_DELETED"
    queried = api.call(
        "GET", "queryAll/", params={"q": f"SELECT IsDeleted FROM Account WHERE Id = '{record_id}'"}
    )
    assert queried.json()["records"][0]["IsDeleted"] is True


def error_case(status: int, code: str, message: str, fields: list[str] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"message": message, "errorCode": code}
    if fields is not None:
        body["fields"] = fields
    return {"status": status, "body": [body]}


INSERT_ERRORS = [
    pytest.param(
        "Account",
        {"Phone": "1"},
        error_case(400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [Name]", ["Name"]),
        id="required-missing",
    ),
    pytest.param(
        "Opportunity",
        {"Name": "x"},
        error_case(
            400,
            "REQUIRED_FIELD_MISSING",
            "Required fields are missing: [StageName, CloseDate]",
            ["StageName", "CloseDate"],
        ),
        id="required-missing-several",
    ),
    pytest.param(
        "Account",
        {"Name": "x" * 256},
        error_case(
            400,
            "STRING_TOO_LONG",
            f"Account Name: data value too large: {'x' * 256} (max length=255)",
            ["Name"],
        ),
        id="string-too-long",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "AnnualRevenue": True},
        error_case(
            400,
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Annual Revenue: value not of required type: true",
            ["AnnualRevenue"],
        ),
        id="boolean-into-currency",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "NumberOfEmployees": 1.5},
        error_case(
            400,
            "INVALID_TYPE_ON_FIELD_IN_RECORD",
            "Employees: value not of required type: 1.5",
            ["NumberOfEmployees"],
        ),
        id="fraction-into-int",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "AnnualRevenue": "abc"},
        error_case(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of currency from VALUE_STRING value abc or request "
            "may be missing a required field at [line:1, column:37]",
            None,
        ),
        id="text-into-currency",
    ),
    pytest.param(
        "Opportunity",
        {"Name": "x", "StageName": "Prospecting", "CloseDate": "2024-13-01"},
        error_case(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of date from VALUE_STRING value 2024-13-01 or "
            "request may be missing a required field at [line:1, column:68]",
            None,
        ),
        id="bad-date",
    ),
    pytest.param(
        "Account",
        {"Name": ["x"]},
        error_case(
            400,
            "JSON_PARSER_ERROR",
            "Cannot deserialize instance of string from START_ARRAY or request may be missing "
            "a required field at [line:1, column:10]",
            None,
        ),
        id="array-into-string",
    ),
    pytest.param(
        "Opportunity",
        {"Name": "x", "StageName": "Dreaming", "CloseDate": "2025-01-01"},
        error_case(
            400,
            "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
            "Stage: bad value for restricted picklist field: Dreaming",
            ["StageName"],
        ),
        id="restricted-picklist",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "Nope__c": 1},
        error_case(
            400, "INVALID_FIELD", "No such column 'Nope__c' on sobject of type Account", None
        ),
        id="unknown-field",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "CreatedDate": "2025-01-01T00:00:00Z"},
        error_case(
            400,
            "INVALID_FIELD_FOR_INSERT_UPDATE",
            "Unable to create/update fields: CreatedDate. Please check the security settings "
            "of this field and verify that it is read/write for your profile or permission "
            "set.",
            ["CreatedDate"],
        ),
        id="read-only-field",
    ),
    pytest.param(
        "Account",
        {"Name": "x", "Id": "0015f000000aOqLAAU"},
        error_case(
            400, "INVALID_FIELD_FOR_INSERT_UPDATE", "cannot specify Id in an insert call", ["Id"]
        ),
        id="id-on-insert",
    ),
    pytest.param(
        "Contact",
        {"LastName": "x", "AccountId": "001xyz"},
        error_case(
            400, "MALFORMED_ID", "Account ID: id value of incorrect type: 001xyz", ["AccountId"]
        ),
        id="malformed-reference",
    ),
    pytest.param(
        "Contact",
        {"LastName": "x", "AccountId": "001000000000000AAA"},
        error_case(400, "INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", []),
        id="missing-reference",
    ),
    pytest.param(
        "Contact",
        {"LastName": "x", "AccountId": "0035f000000aOqLAAU"},
        error_case(
            400,
            "INVALID_CROSS_REFERENCE_KEY",
            "Account ID: id value of incorrect type: 0035f000000aOqLAAU",
            ["AccountId"],
        ),
        id="reference-to-wrong-object",
    ),
    pytest.param(
        "Contact",
        {"LastName": "x", "Email": "not-an-email"},
        error_case(
            400, "INVALID_EMAIL_ADDRESS", "Email: invalid email address: not-an-email", ["Email"]
        ),
        id="bad-email",
    ),
    pytest.param(
        "Contract",
        {"AccountId": None, "Status": "Draft"},
        error_case(
            400, "REQUIRED_FIELD_MISSING", "Required fields are missing: [AccountId]", ["AccountId"]
        ),
        id="contract-needs-account",
    ),
]


@pytest.mark.parametrize(("sobject", "body", "expected"), INSERT_ERRORS)
def test_insert_errors(
    api: Api, sobject: str, body: dict[str, Any], expected: dict[str, Any]
) -> None:
    response = api.call("POST", f"sobjects/{sobject}/", json=body)
    assert response.status_code == expected["status"]
    assert response.json() == expected["body"]


def test_unparseable_body(api: Api) -> None:
    response = api.call(
        "POST", "sobjects/Account/", data=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    [error] = response.json()
    assert error["errorCode"] == "JSON_PARSER_ERROR"
    assert error["message"].startswith("Unexpected character ('n' (code 110))")
    assert error["message"].endswith("at [line:1, column:2]")


def test_unique_value_is_case_insensitive(api: Api, account: str) -> None:
    ext = api.call("GET", f"sobjects/Account/{account}").json()["Ext_Id__c"]
    response = api.call("POST", "sobjects/Account/", json={"Name": "x", "Ext_Id__c": ext.lower()})
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": (
                f"duplicate value found: Ext_Id__c duplicates value on record with id: {account}"
            ),
            "errorCode": "DUPLICATE_VALUE",
            "fields": [],
        }
    ]


def test_reference_to_deleted_record(api: Api) -> None:
    doomed = create(api, "Account", {"Name": "Doomed"})
    api.call("DELETE", f"sobjects/Account/{doomed}")
    response = api.call("POST", "sobjects/Contact/", json={"LastName": "x", "AccountId": doomed})
    assert response.status_code == 400
    assert response.json() == [
        {"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED", "fields": []}
    ]


def test_update_can_not_clear_required_field(api: Api, account: str) -> None:
    response = api.call("PATCH", f"sobjects/Account/{account}", json={"Name": None})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "REQUIRED_FIELD_MISSING"


@pytest.mark.parametrize(
    ("method", "path", "status", "code", "message"),
    [
        pytest.param(
            "GET",
            "sobjects/Nope__c",
            404,
            "NOT_FOUND",
            "The requested resource does not exist",
            id="unknown-object",
        ),
        pytest.param(
            "GET",
            "sobjects/Account/001000000000000AAA",
            404,
            "NOT_FOUND",
            "The requested resource does not exist",
            id="unknown-record",
        ),
        pytest.param(
            "GET",
            "sobjects/Account/0035f000000aOqLAAU",
            400,
            "MALFORMED_ID",
            "Account ID: id value of incorrect type: 0035f000000aOqLAAU",
            id="id-of-other-object",
        ),
        pytest.param(
            "GET",
            "sobjects/Account/0015f000000aOqLAAA",
            400,
            "MALFORMED_ID",
            "Account ID: id value of incorrect type: 0015f000000aOqLAAA",
            id="bad-checksum",
        ),
        pytest.param(
            "GET",
            "sobjects/Account/abc",
            404,
            "NOT_FOUND",
            "Provided external ID field does not exist or is not accessible: abc",
            id="not-an-id",
        ),
        pytest.param(
            "PUT",
            "sobjects/Account/0015f000000aOqLAAU",
            405,
            "METHOD_NOT_ALLOWED",
            "HTTP Method 'PUT' not allowed. Allowed are GET,HEAD,PATCH,DELETE",
            id="put-record",
        ),
        pytest.param(
            "PATCH",
            "sobjects/Account",
            405,
            "METHOD_NOT_ALLOWED",
            "HTTP Method 'PATCH' not allowed. Allowed are GET,HEAD,POST",
            id="patch-collection",
        ),
        pytest.param(
            "GET",
            "sobjects/Account/Name/Acme",
            404,
            "NOT_FOUND",
            "Provided external ID field does not exist or is not accessible: Name",
            id="non-key-field",
        ),
        pytest.param(
            "GET",
            "nothing-here",
            404,
            "NOT_FOUND",
            "The requested resource does not exist",
            id="unknown-resource",
        ),
    ],
)
def test_resource_errors(  # noqa: PLR0917 - pytest passes parameters positionally
    api: Api, method: str, path: str, status: int, code: str, message: str
) -> None:
    response = api.call(method, path)
    assert response.status_code == status
    [error] = response.json()
    assert error["errorCode"] == code
    assert error["message"] == message


def test_retired_and_unknown_versions(api: Api) -> None:
    assert api.call("GET", "/services/data/v30.0/sobjects").status_code == 410
    assert api.call("GET", "/services/data/v99.0/sobjects").status_code == 404


def test_unknown_field_in_fields_parameter(api: Api, account: str) -> None:
    response = api.call("GET", f"sobjects/Account/{account}", params={"fields": "Nope"})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_FIELD"


@pytest.mark.parametrize(
    ("version", "created_status", "updated_status", "updated_body"),
    [
        pytest.param("59.0", 201, 200, True, id="v59"),
        pytest.param("46.0", 201, 200, True, id="v46"),
        pytest.param("45.0", 201, 204, False, id="v45"),
    ],
)
def test_upsert_by_external_id_statuses(
    api: Api, version: str, created_status: int, updated_status: int, updated_body: bool
) -> None:
    ext = unique("U")
    path = f"/services/data/v{version}/sobjects/Account/Ext_Id__c/{ext}"
    created = api.call("PATCH", path, json={"Name": "Up"})
    assert created.status_code == created_status
    body = created.json()
    expected = {"id": body["id"], "success": True, "errors": []}
    if float(version) >= 46:
        expected["created"] = True
    assert body == expected
    updated = api.call("PATCH", path, json={"Name": "Up 2"})
    assert updated.status_code == updated_status
    if updated_body:
        assert updated.json() == {"id": body["id"], "success": True, "errors": [], "created": False}
    else:
        assert updated.content == b""
    fetched = api.call("GET", path)
    assert fetched.json()["Name"] == "Up 2"
    assert fetched.json()["Ext_Id__c"] == ext


def test_upsert_matching_several_records_answers_300(api: Api) -> None:
    code = unique("K")[:10]
    first = create(api, "Contact", {"LastName": "a", "Code__c": code})
    second = create(api, "Contact", {"LastName": "b", "Code__c": code.lower()})
    response = api.call("PATCH", f"sobjects/Contact/Code__c/{code}", json={"LastName": "c"})
    assert response.status_code == 300
    assert response.json() == [
        f"/services/data/v59.0/sobjects/Contact/{first}",
        f"/services/data/v59.0/sobjects/Contact/{second}",
    ]
    assert api.call("GET", f"sobjects/Contact/Code__c/{code}").status_code == 300


def test_upsert_body_with_id_is_refused(api: Api) -> None:
    response = api.call(
        "PATCH",
        f"sobjects/Account/Ext_Id__c/{unique('I')}",
        json={"Name": "x", "Id": "0015f000000aOqLAAU"},
    )
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_external_id_value_with_slash_must_be_encoded(api: Api) -> None:
    ext = unique("a/b")
    encoded = ext.replace("/", "%2F")
    assert (
        api.call("PATCH", f"sobjects/Account/Ext_Id__c/{encoded}", json={"Name": "s"}).status_code
        == 201
    )
    assert api.call("GET", f"sobjects/Account/Ext_Id__c/{encoded}").json()["Ext_Id__c"] == ext


def test_parent_reference_by_external_id(api: Api, account: str) -> None:
    ext = api.call("GET", f"sobjects/Account/{account}").json()["Ext_Id__c"]
    contact = create(api, "Contact", {"LastName": "Kid", "Account": {"Ext_Id__c": ext}})
    assert api.call("GET", f"sobjects/Contact/{contact}").json()["AccountId"] == account
    missing = api.call(
        "POST", "sobjects/Contact/", json={"LastName": "Kid", "Account": {"Ext_Id__c": "nope"}}
    )
    assert missing.status_code == 400
    assert missing.json() == [
        {
            "message": (
                "Foreign key external ID: nope not found for field Ext_Id__c in entity Account"
            ),
            "errorCode": "INVALID_FIELD",
        }
    ]


def test_contract_rules(api: Api, account: str) -> None:
    refused = api.call(
        "POST", "sobjects/Contract/", json={"AccountId": account, "Status": "Activated"}
    )
    assert refused.status_code == 400
    assert refused.json() == [
        {
            "message": (
                "Choose a valid contract status and save your changes. Ask your admin for details."
            ),
            "errorCode": "FIELD_INTEGRITY_EXCEPTION",
            "fields": ["Status"],
        }
    ]
    contract = create(
        api,
        "Contract",
        {"AccountId": account, "Status": "Draft", "StartDate": "2025-01-01", "ContractTerm": 12},
    )
    record = api.call("GET", f"sobjects/Contract/{contract}").json()
    assert record["EndDate"] == "2025-12-31"
    assert record["StatusCode"] == "Draft"
    assert record["ContractNumber"].isdigit()
    end_date = api.call("PATCH", f"sobjects/Contract/{contract}", json={"EndDate": "2026-01-01"})
    assert end_date.status_code == 400
    assert end_date.json()[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"
    assert end_date.json()[0]["fields"] == ["EndDate"]
    too_long = api.call("PATCH", f"sobjects/Contract/{contract}", json={"ContractTerm": 10000})
    assert too_long.json()[0]["errorCode"] == "NUMBER_OUTSIDE_VALID_RANGE"
    notice = api.call("PATCH", f"sobjects/Contract/{contract}", json={"OwnerExpirationNotice": "7"})
    assert notice.json()[0]["errorCode"] == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST"
    assert (
        api.call("PATCH", f"sobjects/Contract/{contract}", json={"Status": "Activated"}).status_code
        == 204
    )
    activated = api.call("GET", f"sobjects/Contract/{contract}").json()
    assert activated["StatusCode"] == "Activated"
    assert activated["ActivatedById"] == api.info.user_id
    assert activated["ActivatedDate"] is not None


def test_opportunity_stage_drives_derived_fields(api: Api) -> None:
    opp = create(
        api,
        "Opportunity",
        {"Name": "Deal", "StageName": "Closed Won", "CloseDate": "2025-05-01", "Amount": 100},
    )
    record = api.call("GET", f"sobjects/Opportunity/{opp}").json()
    assert (record["Probability"], record["IsClosed"], record["IsWon"]) == (100, True, True)
    assert record["ExpectedRevenue"] == 100
    assert record["ForecastCategoryName"] == "Closed"


def test_task_defaults_and_content_version(api: Api, account: str) -> None:
    task = create(api, "Task", {"Subject": "Call", "WhatId": account})
    record = api.call("GET", f"sobjects/Task/{task}").json()
    assert (record["Status"], record["Priority"], record["AccountId"]) == (
        "Not Started",
        "Normal",
        account,
    )
    version = create(
        api,
        "ContentVersion",
        {
            "Title": "MSA",
            "PathOnClient": "msa.pdf",
            "VersionData": "JVBERi0=",
            "FirstPublishLocationId": account,
        },
    )
    info = api.call("GET", f"sobjects/ContentVersion/{version}").json()
    assert info["FileExtension"] == "pdf"
    assert info["ContentDocumentId"].startswith("069")
    blob = api.call("GET", f"sobjects/ContentVersion/{version}/VersionData")
    assert blob.content == b"%PDF-"
    links = api.call(
        "GET",
        "query/",
        params={
            "q": (
                f"SELECT LinkedEntityId FROM ContentDocumentLink WHERE ContentDocumentId = "
                f"'{info['ContentDocumentId']}'"
            )
        },
    ).json()
    assert {r["LinkedEntityId"] for r in links["records"]} == {account, api.info.user_id}


def test_updated_and_deleted_windows(api: Api) -> None:
    start = (dt.datetime.now(dt.UTC) - dt.timedelta(minutes=5)).isoformat()
    end = (dt.datetime.now(dt.UTC) + dt.timedelta(minutes=5)).isoformat()
    record = create(api, "Case", {"Subject": "Broken"})
    updated = api.call("GET", "sobjects/Case/updated/", params={"start": start, "end": end}).json()
    assert record in updated["ids"]
    assert updated["latestDateCovered"].endswith(":00.000+0000")
    api.call("DELETE", f"sobjects/Case/{record}")
    deleted = api.call("GET", "sobjects/Case/deleted/", params={"start": start, "end": end}).json()
    assert record in [d["id"] for d in deleted["deletedRecords"]]
    missing = api.call("GET", "sobjects/Case/updated/", params={"start": start})
    assert missing.status_code == 400
    assert missing.json()[0]["errorCode"] == "MISSING_ARGUMENT"


def test_describe_shapes(api: Api) -> None:
    listing = api.call("GET", "sobjects").json()
    assert listing["maxBatchSize"] == 200
    contract_entry = next(s for s in listing["sobjects"] if s["name"] == "Contract")
    assert contract_entry["keyPrefix"] == "800"
    assert contract_entry["urls"]["rowTemplate"] == "/services/data/v59.0/sobjects/Contract/{ID}"
    describe = api.call("GET", "sobjects/contract/describe").json()
    fields = {f["name"]: f for f in describe["fields"]}
    assert fields["Status"]["restrictedPicklist"] is True
    assert [p["value"] for p in fields["Status"]["picklistValues"]] == [
        "Draft",
        "In Approval Process",
        "Activated",
    ]
    assert fields["EndDate"]["createable"] is False
    assert fields["AccountId"]["nillable"] is False
    assert fields["AccountId"]["referenceTo"] == ["Account"]
    assert fields["Ext_Id__c"]["externalId"] is True
    assert fields["Ext_Id__c"]["custom"] is True
    assert fields["OwnerId"]["relationshipName"] == "Owner"
    account = api.call("GET", "sobjects/Account/describe").json()
    children = {(c["childSObject"], c["relationshipName"]) for c in account["childRelationships"]}
    assert ("Contact", "Contacts") in children
    assert ("Contract", "Contracts") in children


def test_record_count(api: Api, account: str) -> None:
    counts = api.call("GET", "limits/recordCount", params={"sObjects": "Account,Nope"}).json()
    assert [c["name"] for c in counts["sObjects"]] == ["Account"]
    assert counts["sObjects"][0]["count"] >= 1


def test_query_paging_with_batch_size(api: Api) -> None:
    marker = unique("page")
    for index in range(205):
        create(api, "Task", {"Subject": f"{marker} {index}"})
    first = api.call(
        "GET",
        "query/",
        params={"q": f"SELECT Id FROM Task WHERE Subject LIKE '{marker} %'"},
        headers={"Sforce-Query-Options": "batchSize=200"},
    ).json()
    assert (first["totalSize"], first["done"], len(first["records"])) == (205, False, 200)
    locator = first["nextRecordsUrl"].rsplit("/", 1)[1]
    assert locator.startswith("01g")
    assert locator.endswith("-200")
    second = api.call("GET", first["nextRecordsUrl"]).json()
    assert (second["done"], len(second["records"])) == (True, 5)
    assert "nextRecordsUrl" not in second
    bad = api.call("GET", "query/01g000000000000-5")
    assert bad.status_code == 400
    assert bad.json()[0]["errorCode"] == "INVALID_QUERY_LOCATOR"


def test_query_errors(api: Api) -> None:
    response = api.call("GET", "query/", params={"q": "SELECT Id FROM Nope__c"})
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "INVALID_TYPE"


def test_retrieve_by_external_id_that_matches_nothing_is_404(api: Api) -> None:
    response = api.call("GET", f"sobjects/Account/Ext_Id__c/{unique('NONE')}")
    assert response.status_code == 404
    assert response.json() == [
        {"errorCode": "NOT_FOUND", "message": "The requested resource does not exist"}
    ]
