"""Platform events (salesforce-api.md 7.1): publish, refusals and the sandbox's event tap."""

from __future__ import annotations

import re

import pytest
from sandbox_support import Api

from contractsync.sandbox import SandboxOrg

EVENT = "Contract_Synced__e"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@pytest.fixture(scope="module")
def event(api: Api) -> str:
    created = api.call(
        "POST", "/__sandbox__/schema/sobjects", json={"name": EVENT, "label": "Contract Synced"}
    )
    assert created.status_code == 201, created.text
    for field in (
        {"name": "Contract_Ext_Id__c", "type": "string", "length": 40},
        {"name": "Status__c", "type": "string", "length": 20},
    ):
        added = api.call("POST", f"/__sandbox__/schema/sobjects/{EVENT}/fields", json=field)
        assert added.status_code == 201, added.text
    return EVENT


def assert_enqueued(result: dict[str, object]) -> str:
    assert result["success"] is True
    assert str(result["id"]).startswith("e00")
    errors = result["errors"]
    assert isinstance(errors, list)
    assert len(errors) == 1
    assert errors[0]["statusCode"] == "OPERATION_ENQUEUED"
    assert errors[0]["fields"] == []
    assert UUID.match(errors[0]["message"])
    return str(errors[0]["message"])


def test_publish_over_rest(api: Api, event: str, org: SandboxOrg) -> None:
    start = api.call("GET", f"/__sandbox__/events/{event}", params={"replayId": -1}).json()
    response = api.call(
        "POST", f"sobjects/{event}/", json={"Contract_Ext_Id__c": "C-1", "Status__c": "Activated"}
    )
    assert response.status_code == 201
    uuid = assert_enqueued(response.json())
    tapped = api.call(
        "GET", f"/__sandbox__/events/{event}", params={"replayId": start["latestReplayId"]}
    ).json()
    assert len(tapped["events"]) == 1
    published = tapped["events"][0]
    assert published["sobject"] == event
    assert published["payload"] | {"CreatedDate": None} == {
        "Contract_Ext_Id__c": "C-1",
        "Status__c": "Activated",
        "EventUuid": uuid,
        "CreatedDate": None,
        "CreatedById": api.info.user_id,
        "ReplayId": str(published["replayId"]),
    }
    assert tapped["latestReplayId"] == published["replayId"]
    assert org.published_events(event, after=start["latestReplayId"]) == tapped["events"]
    assert org.published_events(event, after=-1) == []


def test_publish_validates_like_an_insert(api: Api, event: str) -> None:
    unknown = api.call("POST", f"sobjects/{event}/", json={"Bogus__c": "x"})
    assert unknown.status_code == 400
    assert unknown.json() == [
        {
            "message": f"No such column 'Bogus__c' on sobject of type {event}",
            "errorCode": "INVALID_FIELD",
        }
    ]
    too_long = api.call("POST", f"sobjects/{event}/", json={"Status__c": "x" * 30})
    assert too_long.json()[0]["errorCode"] == "STRING_TOO_LONG"
    system = api.call("POST", f"sobjects/{event}/", json={"ReplayId": "1"})
    assert system.json()[0]["errorCode"] == "INVALID_FIELD_FOR_INSERT_UPDATE"


def test_collections_and_composite_publish(api: Api, event: str, org: SandboxOrg) -> None:
    before = len(org.published_events(event))
    mixed = api.call(
        "POST",
        "composite/sobjects",
        json={
            "records": [
                {"attributes": {"type": "Account"}, "Name": "Evented"},
                {"attributes": {"type": event}, "Status__c": "Draft"},
            ]
        },
    ).json()
    assert mixed[0]["errors"] == []
    assert_enqueued(mixed[1])
    rolled = api.call(
        "POST",
        "composite/sobjects",
        json={
            "allOrNone": True,
            "records": [
                {"attributes": {"type": event}, "Status__c": "Lost"},
                {"attributes": {"type": "Account"}},
            ],
        },
    ).json()
    assert rolled[0]["errors"][0]["statusCode"] == "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    composite = api.call(
        "POST",
        "composite",
        json={
            "compositeRequest": [
                {
                    "method": "POST",
                    "url": f"/services/data/v59.0/sobjects/{event}",
                    "referenceId": "evt",
                    "body": {"Status__c": "Composite"},
                }
            ]
        },
    ).json()["compositeResponse"][0]
    assert composite["httpStatusCode"] == 201
    assert_enqueued(composite["body"])
    statuses = [e["payload"]["Status__c"] for e in org.published_events(event)[before:]]
    assert statuses == ["Draft", "Composite"]  # the rolled-back publish never happened


@pytest.mark.parametrize(
    ("method", "path", "operation"),
    [
        pytest.param("PATCH", "sobjects/{event}/e005f000000aAAAAAA", "update", id="update"),
        pytest.param("DELETE", "sobjects/{event}/e005f000000aAAAAAA", "delete", id="delete"),
        pytest.param("GET", "sobjects/{event}/e005f000000aAAAAAA", "retrieve", id="retrieve"),
    ],
)
def test_events_are_insert_only(
    api: Api, event: str, method: str, path: str, operation: str
) -> None:
    kw = {"json": {"Status__c": "x"}} if method == "PATCH" else {}
    response = api.call(method, path.format(event=event), **kw)
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": f"entity type {event} does not support {operation}",
            "errorCode": "INVALID_TYPE_FOR_OPERATION",
        }
    ]


def test_events_are_not_queryable(api: Api, event: str) -> None:
    response = api.call("GET", "query/", params={"q": f"SELECT Status__c FROM {event}"})
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": f"entity type {event} does not support query",
            "errorCode": "INVALID_TYPE_FOR_OPERATION",
        }
    ]
    bulk = api.call(
        "POST", "jobs/query", json={"operation": "query", "query": f"SELECT Status__c FROM {event}"}
    )
    assert bulk.json() == response.json()
    describe = api.call("GET", f"sobjects/{event}/describe").json()
    assert (describe["queryable"], describe["updateable"], describe["deletable"]) == (
        False,
        False,
        False,
    )
