"""Size limits and the daily API allowance: what an org answers when a client asks too much."""

from __future__ import annotations

from typing import Any

import pytest
from bulk_support import create_job
from sandbox_support import Api, FakeClock

from contractsync.sandbox import SandboxOrg, _bulk_ingest, _payload

_TOO_MANY_RECORDS = [
    {
        "message": "record limit reached. cannot submit more than 200 records into this call",
        "errorCode": "EXCEEDED_ID_LIMIT",
    }
]


def _accounts(count: int) -> list[dict[str, Any]]:
    return [{"attributes": {"type": "Account"}, "Name": f"Many {i}"} for i in range(count)]


def _used(response: Any) -> str:
    return str(response.headers["Sforce-Limit-Info"])


# -- the daily API allowance: a rolling 24-hour window ---------------------------------------
def test_daily_allowance_rolls_over_24_hours(
    clocked: tuple[SandboxOrg, Api], clock: FakeClock
) -> None:
    org, api = clocked

    def limits() -> Any:
        # The clocked org's sessions last 2 minutes: log in again for each call.
        return api.call("GET", "limits", token=org.new_access_token())

    for _ in range(3):
        assert limits().status_code == 200
    clock.advance(hours=12)
    limits()
    assert _used(limits()) == "api-usage=5/5"
    refused = limits()
    assert refused.status_code == 403
    assert refused.json() == [
        {"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}
    ]
    assert _used(refused) == "api-usage=5/5"
    # 23:59 after the first three calls they still count; a minute later they have rolled off.
    clock.advance(hours=11, minutes=59)
    assert limits().status_code == 403
    clock.advance(minutes=1)
    allowed = limits()
    assert allowed.status_code == 200
    assert _used(allowed) == "api-usage=3/5"
    assert allowed.json()["DailyApiRequests"] == {"Max": 5, "Remaining": 2}
    # The two calls of hour 12 roll off 24 hours after they were made, not with the others.
    clock.advance(hours=12)
    assert _used(limits()) == "api-usage=2/5"


def test_daily_allowance_resets_on_demand(clocked: tuple[SandboxOrg, Api]) -> None:
    org, api = clocked
    for _ in range(5):
        api.call("GET", "limits")
    assert api.call("GET", "limits").status_code == 403
    assert api.call("POST", "/__sandbox__/limits/reset").status_code == 204
    assert _used(api.call("GET", "limits")) == "api-usage=1/5"
    for _ in range(4):
        api.call("GET", "limits")
    org.reset_api_usage()
    assert _used(api.call("GET", "limits")) == "api-usage=1/5"
    raised = api.call("PUT", "/__sandbox__/limits", json={"daily_api_limit": 7})
    assert raised.json() == {"daily_api_limit": 7}
    assert _used(api.call("GET", "limits")) == "api-usage=2/7"


# -- URI and headers: 16,384 bytes together ---------------------------------------------------
def test_uri_longer_than_16_kb_is_414(api: Api) -> None:
    soql = "SELECT Id FROM Account WHERE Name = '" + "x" * 16_400 + "'"
    response = api.call("GET", "query/", params={"q": soql})
    assert response.status_code == 414
    assert response.text == "URI Too Long"


def test_uri_and_headers_over_16_kb_is_431(api: Api) -> None:
    response = api.call("GET", "limits", headers={"X-Padding": "p" * 16_300})
    assert response.status_code == 431
    assert response.text == "Request Header Fields Too Large"
    assert api.call("GET", "limits", headers={"X-Padding": "p" * 15_000}).status_code == 200


def test_oversized_request_line_is_refused_on_any_path(api: Api) -> None:
    response = api.session.post(
        api.url("/services/oauth2/token"), params={"pad": "p" * 16_400}, timeout=10
    )
    assert response.status_code == 414


# -- bodies ------------------------------------------------------------------------------------
@pytest.fixture
def small_json_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(_payload, "MAX_JSON_BODY_BYTES", 1_000)
    return 1_000


def test_json_body_over_the_limit(api: Api, small_json_limit: int) -> None:
    response = api.call("POST", "sobjects/Account/", json={"Name": "n" * small_json_limit})
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": "Maximum size of request reached. Maximum size of request is 1000 bytes.",
            "errorCode": "JSON_PARSER_ERROR",
        }
    ]
    fits = api.call("POST", "sobjects/Account/", json={"Name": "fits"})
    assert fits.status_code == 201


def test_chunked_body_over_the_limit_is_drained_and_refused(
    api: Api, small_json_limit: int
) -> None:
    chunks = (b" " * 4096 for _ in range(64))  # 256 KB sent chunked, no Content-Length
    response = api.call(
        "POST", "composite/sobjects", data=chunks, headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    assert response.json()[0]["errorCode"] == "JSON_PARSER_ERROR"
    # The connection stays usable: the refusal did not leave unread bytes behind.
    assert api.call("GET", "limits").status_code == 200


def test_real_json_limit_is_50_mb(api: Api) -> None:
    response = api.call(
        "POST",
        "sobjects/Account/",
        data=b" " * (52_428_800 + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": "Maximum size of request reached. Maximum size of request is 52428800"
            " bytes.",
            "errorCode": "JSON_PARSER_ERROR",
        }
    ]


def _multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "limit_boundary"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="entity_content"\r\n'
            f"Content-Type: application/json\r\n\r\n"
            '{"Title": "Limit", "PathOnClient": "limit.txt"}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="VersionData";'
            f' filename="limit.txt"\r\nContent-Type: text/plain\r\n\r\n'
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def test_multipart_limits_depend_on_the_object(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_payload, "MAX_MULTIPART_CONTENT_VERSION_BYTES", 2_000)
    monkeypatch.setattr(_payload, "MAX_MULTIPART_BYTES", 500)
    body, content_type = _multipart(b"v" * 1_000)
    headers = {"Content-Type": content_type}
    stored = api.call("POST", "sobjects/ContentVersion/", data=body, headers=headers)
    assert stored.status_code == 201, stored.text
    other = api.call("POST", "sobjects/Account/", data=body, headers=headers)
    assert other.status_code == 400
    assert other.json() == [
        {
            "message": "Maximum size of request reached. Maximum size of request is 500 bytes.",
            "errorCode": "JSON_PARSER_ERROR",
        }
    ]
    big, content_type = _multipart(b"v" * 3_000)
    refused = api.call(
        "POST", "sobjects/ContentVersion/", data=big, headers={"Content-Type": content_type}
    )
    assert refused.status_code == 400
    assert refused.json()[0]["message"].endswith("Maximum size of request is 2000 bytes.")


def test_bulk_upload_over_the_limit_is_refused_while_streaming(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_bulk_ingest, "MAX_UPLOAD_BASE64_BYTES", 10_000)
    job = create_job(api, object="Account", operation="insert")
    rows = (b"Name\n" if i == 0 else b"Row %d\n" % i for i in range(5_000))
    response = api.call(
        "PUT", f"jobs/ingest/{job['id']}/batches", data=rows, headers={"Content-Type": "text/csv"}
    )
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": "The upload is 58520 bytes once base64-encoded; the limit is 10000"
            " (150 MB). Split the data into several jobs.",
            "errorCode": "CLIENTINPUTERROR",
        }
    ]
    # Nothing was stored: the job still takes its (smaller) upload.
    small = api.call(
        "PUT", f"jobs/ingest/{job['id']}/batches", data=b"Name\nOne\n",
        headers={"Content-Type": "text/csv"},
    )  # fmt: skip
    assert small.status_code == 201


# -- records and subrequests per call ---------------------------------------------------------
@pytest.mark.parametrize(
    ("method", "path", "kwargs"),
    [
        pytest.param(
            "POST", "composite/sobjects", {"json": {"records": _accounts(201)}}, id="create"
        ),
        pytest.param(
            "PATCH",
            "composite/sobjects",
            {
                "json": {
                    "records": [
                        r | {"id": "001000000000000AAA"} for r in _accounts(201)
                    ]
                }
            },
            id="update",
        ),
        pytest.param(
            "PATCH",
            "composite/sobjects/Account/Ext_Id__c",
            {"json": {"records": [r | {"Ext_Id__c": r["Name"]} for r in _accounts(201)]}},
            id="upsert",
        ),
        pytest.param(
            "DELETE",
            "composite/sobjects",
            {"params": {"ids": ",".join(["001000000000000AAA"] * 201)}},
            id="delete",
        ),
    ],
)  # fmt: skip
def test_collections_take_at_most_200_records(
    api: Api, method: str, path: str, kwargs: dict[str, Any]
) -> None:
    response = api.call(method, path, **kwargs)
    assert response.status_code == 400
    assert response.json() == _TOO_MANY_RECORDS


def test_collections_take_exactly_200_records(api: Api) -> None:
    response = api.call("POST", "composite/sobjects", json={"records": _accounts(200)})
    assert response.status_code == 200
    assert all(r["success"] for r in response.json())


def test_composite_takes_at_most_25_subrequests(api: Api) -> None:
    sub = {"method": "GET", "url": "/services/data/v59.0/limits"}
    subrequests = [sub | {"referenceId": f"r{i}"} for i in range(26)]
    response = api.call("POST", "composite", json={"compositeRequest": subrequests})
    assert response.status_code == 400
    assert response.json() == [
        {
            "message": "Limit Exceeded: The number of subrequests (26) exceeds the maximum of 25.",
            "errorCode": "LIMIT_EXCEEDED",
        }
    ]
    fits = api.call("POST", "composite", json={"compositeRequest": subrequests[:25]})
    assert fits.status_code == 200
    assert len(fits.json()["compositeResponse"]) == 25


def test_calls_are_counted_the_way_salesforce_counts_them(
    clocked: tuple[SandboxOrg, Api],
) -> None:
    org, api = clocked
    org.set_daily_api_limit(100)
    v = "/services/data/v59.0"

    calls: list[tuple[str, str, dict[str, Any], int]] = [
        ("GET", "/services/data/", {}, 0),
        ("POST", "/services/oauth2/token", {"data": {"grant_type": "client_credentials",
         "client_id": org.info.client_id, "client_secret": org.info.client_secret}}, 0),
        ("GET", "limits", {}, 1),
        ("POST", "composite", {"json": {"compositeRequest": [
            {"method": "GET", "url": f"{v}/limits", "referenceId": f"r{i}"} for i in range(3)
        ]}}, 1),
        ("POST", "composite/sobjects", {"json": {"records": _accounts(5)}}, 1),
        ("POST", "composite/tree/Account", {"json": {"records": [
            {"attributes": {"type": "Account", "referenceId": "t1"}, "Name": "Tree"}
        ]}}, 1),
        ("POST", "composite/graph", {"json": {"graphs": [{"graphId": "g", "compositeRequest": [
            {"method": "POST", "url": f"{v}/sobjects/Account", "referenceId": "a",
             "body": {"Name": "Graph"}}
        ]}]}}, 1),
        ("POST", "composite/batch", {"json": {"batchRequests": [
            {"method": "GET", "url": "v59.0/limits"}
        ] * 3}}, 3),
        ("GET", "query/", {"params": {"q": "SELECT Id FROM Account"}}, 1),
    ]  # fmt: skip
    for method, path, kwargs, cost in calls:
        before = org.api_usage()
        response = api.call(method, path, **kwargs)
        assert response.status_code < 300, (path, response.text)
        assert org.api_usage() - before == cost, path
