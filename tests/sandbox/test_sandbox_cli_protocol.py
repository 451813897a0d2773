"""What Salesforce's CLI (``sf``) relies on beyond simple-salesforce and jsforce, over HTTPS.

``test_sandbox_sf_cli`` runs the CLI itself (slow, needs Node.js); these check the same
protocol points directly: paths with a doubled slash, ``?columns=true`` on a query, the
Organization fields ``sf org list`` shows, SOQL semi-joins (``sf org display user`` reads the
profile with one) and the Tooling API refusing types the org does not model.
"""

from __future__ import annotations

from typing import Any

from sandbox_support import Api


def _query(api: Api, soql: str, **params: str) -> Any:
    response = api.call("GET", "query", params={"q": soql, **params})
    assert response.status_code == 200, response.text
    return response.json()


def _refusal(api: Api, path: str, soql: str) -> dict[str, Any]:
    response = api.call("GET", path, params={"q": soql})
    assert response.status_code == 400, response.text
    [error] = response.json()
    return dict(error)


def test_doubled_slashes_reach_the_same_resource(api: Api) -> None:
    # `sf` keeps the instance URL with a trailing slash and calls https://host//services/...
    response = api.session.get(
        api.url(f"//services/data/v{api.info.api_version}/limits"),
        headers={"Authorization": f"Bearer {api.info.access_token}"},
        timeout=10,
    )
    assert response.status_code == 200
    assert response.json()["DailyApiRequests"]["Max"] > 0


def test_organization_answers_what_sf_org_list_asks(api: Api) -> None:
    soql = (
        "SELECT Name, InstanceName, IsSandbox, TrialExpirationDate, NamespacePrefix,"
        " OrganizationType FROM Organization"
    )
    [row] = _query(api, soql)["records"]
    assert row["IsSandbox"] is False
    assert row["TrialExpirationDate"] is None
    assert row["OrganizationType"] == "Developer Edition"


def test_query_columns(api: Api) -> None:
    api.call("POST", "sobjects/Account", json={"Name": "Columns Co"})
    soql = (
        "SELECT Id, Name, Owner.Name, Owner.Email, (SELECT LastName FROM Contacts),"
        " Ext_Id__c FROM Account WHERE Name = 'Columns Co'"
    )
    body = _query(api, soql, columns="true")
    assert "records" not in body
    assert {k: v for k, v in body.items() if k != "columnMetadata"} == {
        "entityName": "Account",
        "groupBy": False,
        "idSelected": True,
        "keyPrefix": "001",
    }
    columns = {c["columnName"]: c for c in body["columnMetadata"]}
    assert list(columns) == ["Id", "Name", "Owner", "Contacts", "Ext_Id__c"]
    assert columns["Id"] | {"joinColumns": []} == {
        "aggregate": False,
        "apexType": "Id",
        "booleanType": False,
        "columnName": "Id",
        "custom": False,
        "displayName": "Id",
        "foreignKeyName": None,
        "insertable": False,
        "joinColumns": [],
        "numberType": False,
        "textType": False,
        "updatable": False,
    }
    assert (columns["Name"]["apexType"], columns["Name"]["textType"]) == ("String", True)
    assert columns["Name"]["insertable"] is columns["Name"]["updatable"] is True
    owner = columns["Owner"]
    assert (owner["foreignKeyName"], owner["apexType"], owner["aggregate"]) == (
        "OwnerId",
        None,
        False,
    )
    assert [c["columnName"] for c in owner["joinColumns"]] == ["Name", "Email"]
    contacts = columns["Contacts"]
    assert contacts["aggregate"] is True
    assert [c["columnName"] for c in contacts["joinColumns"]] == ["LastName"]
    assert columns["Ext_Id__c"]["custom"] is True

    aggregate = _query(api, "SELECT COUNT(Id), MAX(Name) top FROM Account", columns="true")
    assert [(c["columnName"], c["displayName"], c["aggregate"]) for c in aggregate[
        "columnMetadata"
    ]] == [("expr0", "COUNT(Id)", True), ("top", "MAX(Name)", True)]  # fmt: skip
    bad = _refusal(api, "query", "SELECT Nope__c FROM Account")
    assert bad["errorCode"] == "INVALID_FIELD"


def test_semi_and_anti_joins(api: Api) -> None:
    with_contact = api.call("POST", "sobjects/Account", json={"Name": "Semi Yes"}).json()["id"]
    api.call("POST", "sobjects/Account", json={"Name": "Semi No"})
    api.call("POST", "sobjects/Contact", json={"LastName": "Semi Child", "AccountId": with_contact})
    inner = "SELECT AccountId FROM Contact WHERE LastName = 'Semi Child'"
    semi = _query(api, f"SELECT Name FROM Account WHERE Name LIKE 'Semi %' AND Id IN ({inner})")
    assert [r["Name"] for r in semi["records"]] == ["Semi Yes"]
    anti = _query(api, f"SELECT Name FROM Account WHERE Name LIKE 'Semi %' AND Id NOT IN ({inner})")
    assert [r["Name"] for r in anti["records"]] == ["Semi No"]
    profile = _query(
        api,
        "SELECT Name FROM Profile WHERE Id IN (SELECT ProfileId FROM User"
        f" WHERE Username = '{api.info.username}')",
    )
    assert [r["Name"] for r in profile["records"]] == ["System Administrator"]

    with_or = _refusal(api, "query", f"SELECT Id FROM Account WHERE Name = 'x' OR Id IN ({inner})")
    assert with_or == {
        "errorCode": "MALFORMED_QUERY",
        "message": "Semi join sub-selects are not allowed with the 'OR' operator",
    }
    on_text = _refusal(api, "query", f"SELECT Id FROM Account WHERE Name IN ({inner})")
    assert on_text["errorCode"] == "INVALID_QUERY_FILTER_OPERATOR"
    unknown = _refusal(api, "query", "SELECT Id FROM Account WHERE Id IN (SELECT X FROM Nope)")
    assert unknown["errorCode"] == "INVALID_TYPE"


def test_tooling_api_models_no_types(api: Api) -> None:
    error = _refusal(api, "tooling/query", "SELECT Id FROM SandboxProcess")
    assert error["errorCode"] == "INVALID_TYPE"
    assert "sObject type 'SandboxProcess' is not supported." in error["message"]
    malformed = _refusal(api, "tooling/query", "SELEC Id FROM ApexClass")
    assert malformed["errorCode"] == "MALFORMED_QUERY"
    described = api.call("GET", "tooling/sobjects")
    assert described.status_code == 200
    assert described.json()["sobjects"] == []
    assert api.call("GET", "tooling/nope").status_code == 404
